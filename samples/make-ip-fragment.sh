#!/usr/bin/env bash
# make-ip-fragment.sh - samples/ip-fragment.pcap: one SIP call over UDP/IPv4 whose
# ~2 KB INVITE is larger than the link MTU (576), so the sending kernel splits it into
# IPv4 fragments.  `make-ip-fragment.sh v6` (used by make-ip6-fragment.sh) makes
# samples/ip6-fragment.pcap: the same call over IPv6 with MTU 1280 (the IPv6
# minimum), the INVITE travelling in IPv6 fragments (Fragment extension header).
#
# How it is made (real peers, fragmentation by the Linux IP stack):
#   namespaces  ssc-ip-fragment-<pid>-uac and ...-uas, veth pair, MTU 576 both ends
#               uac: veth0 10.99.11.1/24   <->   uas: veth0 10.99.11.2/24
#               (v6: MTU 1280, fd00:99:12::1/64 <-> fd00:99:12::2/64, nodad)
#   UAS         ip netns exec ...-uas sipp -sf scenarios/uas-basic.xml -i 10.99.11.2 -p 5060 -m 1
#   UAC         ip netns exec ...-uac sipp -sf scenarios/uac-big-invite.xml 10.99.11.2:5060
#                 -i 10.99.11.1 -p 5060 -m 1
#               (the INVITE carries a WebRTC-style SDP offer, ~2 KB)
#   capture     ip netns exec ...-uac tcpdump -n -U --immediate-mode -s 0 -i veth0 -w F \
#                 'udp port 5060 or (ip[6:2] & 0x1fff != 0)'
#               (v6: 'udp port 5060 or (ip6 and ip6[6] == 44)', since libpcap's
#               "udp" does not look past an IPv6 Fragment header)
#
# Verified (tshark 4.0.17):
#   fragments: 5 frame(s), 4 with MF=1; INVITE frame.len/ip.len/ipv6.plen/udp.length: 265  251    2439
#   File type:           Wireshark/tcpdump/... - pcap
#   File encapsulation:  Ethernet
#   Number of packets:   11
#   File size:           5037 bytes
#   protocols: 4 eth:ethertype:ip:data;5 eth:ethertype:ip:udp:sip;2 eth:ethertype:ip:udp:sip:sdp
#   5 10.99.11.1 10.99.11.2 Request: INVITE sip:service@10.99.11.2:5060
#   6 10.99.11.2 10.99.11.1 Status: 100 Trying
#   7 10.99.11.2 10.99.11.1 Status: 180 Ringing
#   8 10.99.11.2 10.99.11.1 Status: 200 OK (INVITE)
#   9 10.99.11.1 10.99.11.2 Request: ACK sip:service@10.99.11.2:5060
#   10 10.99.11.1 10.99.11.2 Request: BYE sip:service@10.99.11.2:5060
#   11 10.99.11.2 10.99.11.1 Status: 200 OK (BYE)
#   columns: frame frame.len ip.id ip.MF ip.frag_offset(x8) | ipv6.frag ident more offset(x8) | info
#   1  586  0x9a80  1  0        Fragmented IP protocol (proto=UDP 17, off=0, ID=9a80)
#   2  586  0x9a80  1  69        Fragmented IP protocol (proto=UDP 17, off=552, ID=9a80)
#   3  586  0x9a80  1  138        Fragmented IP protocol (proto=UDP 17, off=1104, ID=9a80)
#   4  586  0x9a80  1  207        Fragmented IP protocol (proto=UDP 17, off=1656, ID=9a80)
#   5  265  0x9a80  0  276        Request: INVITE sip:service@10.99.11.2:5060
#   6  283  0xf4b4  0  0        Status: 100 Trying
#   7  348  0xf4b5  0  0        Status: 180 Ringing
#   8  509  0xf4b6  0  0        Status: 200 OK (INVITE)
#   9  374  0x9a81  0  0        Request: ACK sip:service@10.99.11.2:5060
#   10  374  0x9aa1  0  0        Request: BYE sip:service@10.99.11.2:5060
#   11  340  0xf4e8  0  0        Status: 200 OK (BYE)
# Exit 77 (skip) when not root or sipp/tcpdump/tshark is missing.
set -euo pipefail
MODE=${1:-v4}
case "$MODE" in
    v4) SAMPLE=ip-fragment;  OUT=ip-fragment.pcap;  MTU=576
        A=10.99.11.1; B=10.99.11.2; PFX=24; NODAD=; REMOTE=10.99.11.2:5060
        FILTER='udp port 5060 or (ip[6:2] & 0x1fff != 0)' ;;
    v6) SAMPLE=ip6-fragment; OUT=ip6-fragment.pcap; MTU=1280
        A=fd00:99:12::1; B=fd00:99:12::2; PFX=64; NODAD=nodad; REMOTE="[fd00:99:12::2]:5060"
        FILTER='udp port 5060 or (ip6 and ip6[6] == 44)' ;;
    *) echo "usage: $0 [v4|v6]" >&2; exit 2 ;;
esac
. "$(dirname "$0")/lib/common.sh"
need_root
need_tools sipp tcpdump tshark capinfos ip timeout

ns_add uac
ns_add uas
veth_pair uac veth0 uas veth0
in_ns uac ip link set veth0 mtu $MTU
in_ns uas ip link set veth0 mtu $MTU
in_ns uac ip addr add $A/$PFX dev veth0 $NODAD
in_ns uas ip addr add $B/$PFX dev veth0 $NODAD

capture_start uac veth0 "$FILTER"

bg uas timeout 30 ip netns exec "$(ns uas)" sipp -sf "$SCEN_DIR/uas-basic.xml" \
    -i $B -p 5060 -m 1 -nostdin -timeout 20s -timeout_error
sleep 0.5
bg uac timeout 30 ip netns exec "$(ns uac)" sipp -sf "$SCEN_DIR/uac-big-invite.xml" "$REMOTE" \
    -i $A -p 5060 -m 1 -nostdin -timeout 20s -timeout_error
wait_pid uac || die "sipp uac failed"
wait_pid uas || die "sipp uas failed"
capture_stop

F=$WORK/capture.pcap
expect_sip "$F" '^Request: INVITE' 1
expect_sip "$F" '^Status: 100' 1
expect_sip "$F" '^Status: 180' 1
expect_sip "$F" '^Status: 200 OK \(INVITE\)' 1
expect_sip "$F" '^Request: ACK' 1
expect_sip "$F" '^Request: BYE' 1
expect_sip "$F" '^Status: 200 OK \(BYE\)' 1
if [ "$MODE" = v4 ]; then
    frag=$(tshark -r "$F" -Y 'ip.flags.mf==1 || ip.frag_offset>0' 2>/dev/null | wc -l)
    mf=$(tshark -r "$F" -Y 'ip.flags.mf==1' 2>/dev/null | wc -l)
else
    frag=$(tshark -r "$F" -Y 'ipv6.fraghdr' 2>/dev/null | wc -l)
    mf=$(tshark -r "$F" -Y 'ipv6.fraghdr.more==1' 2>/dev/null | wc -l)
fi
[ "$mf" -ge 1 ] || die "no fragment with More Fragments set"
inv=$(tshark -r "$F" -Y 'sip.Method=="INVITE"' -T fields -e frame.len -e ip.len -e ipv6.plen -e udp.length 2>/dev/null)
echo "fragments: $frag frame(s), $mf with MF=1; INVITE frame.len/ip.len/ipv6.plen/udp.length: $inv"
expect_good_checksums "$F"
summary "$F"
echo "columns: frame frame.len ip.id ip.MF ip.frag_offset(x8) | ipv6.frag ident more offset(x8) | info"
tshark -r "$F" -T fields -e frame.number -e frame.len -e ip.id -e ip.flags.mf -e ip.frag_offset \
    -e ipv6.fraghdr.ident -e ipv6.fraghdr.more -e ipv6.fraghdr.offset -e _ws.col.Info 2>/dev/null \
    | sed "s/ | *$//"
publish "$OUT"
