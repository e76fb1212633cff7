#!/usr/bin/env bash
# make-sll2.sh - samples/sll2.pcap: one complete SIP call (UDP/IPv4) captured on the
# "any" pseudo-interface with link type LINUX_SLL2 (Linux cooked capture v2: carries
# interface index and packet direction).  `make-sll2.sh sll` (used by make-sll.sh)
# makes samples/sll.pcap with link type LINUX_SLL (cooked v1) instead.
#
# How it is made (real peers, nothing synthesized):
#   namespaces  ssc-sll2-<pid>-uac and ...-uas, joined by a veth pair
#               uac: veth0 10.99.9.1/24   <->   uas: veth0 10.99.9.2/24   (sll: 10.99.10.x)
#   UAS         ip netns exec ...-uas sipp -sf scenarios/uas-basic.xml -i 10.99.9.2 -p 5060 -m 1
#   UAC         ip netns exec ...-uac sipp -sn uac 10.99.9.2:5060 -i 10.99.9.1 -p 5060 -m 1
#   capture     ip netns exec ...-uac tcpdump -n -U --immediate-mode -s 0 -i any -y LINUX_SLL2 -w F 'udp port 5060'
#               (sll: -y LINUX_SLL)  The requests are "outgoing", the responses
#               "unicast to us" in the cooked header.
#
# Verified (tshark 4.0.17):
#   File type:           Wireshark/tcpdump/... - pcap
#   File encapsulation:  Linux cooked-mode capture v2
#   Number of packets:   7
#   File size:           3020 bytes
#   protocols: 5 sll:ethertype:ip:udp:sip;2 sll:ethertype:ip:udp:sip:sdp
#   1 10.99.9.1 10.99.9.2 Request: INVITE sip:service@10.99.9.2:5060
#   2 10.99.9.2 10.99.9.1 Status: 100 Trying
#   3 10.99.9.2 10.99.9.1 Status: 180 Ringing
#   4 10.99.9.2 10.99.9.1 Status: 200 OK (INVITE)
#   5 10.99.9.1 10.99.9.2 Request: ACK sip:service@10.99.9.2:5060
#   6 10.99.9.1 10.99.9.2 Request: BYE sip:service@10.99.9.2:5060
#   7 10.99.9.2 10.99.9.1 Status: 200 OK (BYE)
#   columns: frame sll.ifindex sll.pkttype(0 to us, 4 sent by us) sll.etype
#   1  2  4  0x0800
#   2  2  0  0x0800
#   3  2  0  0x0800
#   4  2  0  0x0800
#   5  2  4  0x0800
#   6  2  4  0x0800
#   7  2  0  0x0800
# Exit 77 (skip) when not root or sipp/tcpdump/tshark is missing.
set -euo pipefail
MODE=${1:-sll2}
case "$MODE" in
    sll2) SAMPLE=sll2; OUT=sll2.pcap; DLT=LINUX_SLL2; NET=10.99.9;  ENCAP="Linux cooked-mode capture v2" ;;
    sll)  SAMPLE=sll;  OUT=sll.pcap;  DLT=LINUX_SLL;  NET=10.99.10; ENCAP="Linux cooked-mode capture v1" ;;
    *) echo "usage: $0 [sll2|sll]" >&2; exit 2 ;;
esac
. "$(dirname "$0")/lib/common.sh"
need_root
need_tools sipp tcpdump tshark capinfos ip timeout

ns_add uac
ns_add uas
veth_pair uac veth0 uas veth0
in_ns uac ip addr add $NET.1/24 dev veth0
in_ns uas ip addr add $NET.2/24 dev veth0

capture_start uac any 'udp port 5060' -y "$DLT"

bg uas timeout 30 ip netns exec "$(ns uas)" sipp -sf "$SCEN_DIR/uas-basic.xml" \
    -i $NET.2 -p 5060 -m 1 -nostdin -timeout 20s -timeout_error
sleep 0.5
bg uac timeout 30 ip netns exec "$(ns uac)" sipp -sn uac $NET.2:5060 \
    -i $NET.1 -p 5060 -m 1 -nostdin -timeout 20s -timeout_error
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
capinfos -E "$F" | grep -q "$ENCAP" || die "link type is not $DLT"
expect_good_checksums "$F"
summary "$F"
if [ "$MODE" = sll2 ]; then
    echo "columns: frame sll.ifindex sll.pkttype(0 to us, 4 sent by us) sll.etype"
    tshark -r "$F" -T fields -e frame.number -e sll.ifindex -e sll.pkttype -e sll.etype 2>/dev/null
else
    echo "columns: frame sll.pkttype(0 to us, 4 sent by us) sll.etype"
    tshark -r "$F" -T fields -e frame.number -e sll.pkttype -e sll.etype 2>/dev/null
fi
publish "$OUT"
