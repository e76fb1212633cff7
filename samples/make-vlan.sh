#!/usr/bin/env bash
# make-vlan.sh - samples/vlan.pcap: one complete SIP call (UDP/IPv4) whose frames carry
# an 802.1Q tag, VLAN 100.   `make-vlan.sh qinq` (used by make-vlan-qinq.sh) makes
# samples/vlan-qinq.pcap instead: 802.1ad outer tag VLAN 200 (TPID 0x88a8) over an
# 802.1Q inner tag VLAN 100.
#
# How it is made (real peers; the tags are added by a bridge, not by editing a file):
#   The kernel here has no 8021q module, so two user-space bridges
#   (lib/vlanbridge.py, AF_PACKET raw sockets) tag and untag frames:
#
#   ns uac            ns bra                      ns brb             ns uas
#   veth0 10.99.7.1 - acc [vlanbridge] trunk ===== trunk [vlanbridge] acc - veth0 10.99.7.2
#                        (untagged)   (tagged, VLAN 100 / 200+100)   (untagged)
#
#   UAS      ip netns exec ...-uas sipp -sf scenarios/uas-basic.xml -i 10.99.7.2 -p 5060 -m 1
#   UAC      ip netns exec ...-uac sipp -sn uac 10.99.7.2:5060 -i 10.99.7.1 -p 5060 -m 1
#   capture  on the tagged link, in ns bra:
#            tcpdump -n -U --immediate-mode -s 0 -i trunk -w F 'vlan 100 and udp port 5060'
#            (qinq: 'vlan 200 and vlan 100 and udp port 5060')
#   IPv6 is disabled in the bridge namespaces so they add no frames of their own.
#
# Verified (tshark 4.0.17):
#   File type:           Wireshark/tcpdump/... - pcap
#   File encapsulation:  Ethernet
#   Number of packets:   7
#   File size:           3006 bytes
#   protocols: 5 eth:ethertype:vlan:ethertype:ip:udp:sip;2 eth:ethertype:vlan:ethertype:ip:udp:sip:sdp
#   1 10.99.7.1 10.99.7.2 Request: INVITE sip:service@10.99.7.2:5060
#   2 10.99.7.2 10.99.7.1 Status: 100 Trying
#   3 10.99.7.2 10.99.7.1 Status: 180 Ringing
#   4 10.99.7.2 10.99.7.1 Status: 200 OK (INVITE)
#   5 10.99.7.1 10.99.7.2 Request: ACK sip:service@10.99.7.2:5060
#   6 10.99.7.1 10.99.7.2 Request: BYE sip:service@10.99.7.2:5060
#   7 10.99.7.2 10.99.7.1 Status: 200 OK (BYE)
#   columns: frame eth.type ieee8021ad.id(S-tag, qinq only) vlan.id vlan.etype
#   1  0x8100    100  0x0800
#   2  0x8100    100  0x0800
#   3  0x8100    100  0x0800
#   4  0x8100    100  0x0800
#   5  0x8100    100  0x0800
#   6  0x8100    100  0x0800
#   7  0x8100    100  0x0800
# Exit 77 (skip) when not root or sipp/tcpdump/tshark/python3 is missing.
set -euo pipefail
MODE=${1:-dot1q}
case "$MODE" in
    dot1q) SAMPLE=vlan;      OUT=vlan.pcap;      TAGS=8100:100
           FILTER='vlan 100 and udp port 5060'; NET=10.99.7 ;;
    qinq)  SAMPLE=vlan-qinq; OUT=vlan-qinq.pcap; TAGS=88a8:200,8100:100
           FILTER='vlan 200 and vlan 100 and udp port 5060'; NET=10.99.8 ;;
    *) echo "usage: $0 [dot1q|qinq]" >&2; exit 2 ;;
esac
. "$(dirname "$0")/lib/common.sh"
need_root
need_tools sipp tcpdump tshark capinfos ip timeout sysctl

for n in uac bra brb uas; do ns_add $n; done
for n in bra brb; do
    in_ns $n sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
veth_pair uac veth0 bra acc
veth_pair bra trunk brb trunk
veth_pair brb acc uas veth0
for n in bra brb; do
    in_ns $n ip link set trunk mtu 1600
    in_ns $n ip link set acc promisc on
    in_ns $n ip link set trunk promisc on
done
in_ns uac ip addr add $NET.1/24 dev veth0
in_ns uas ip addr add $NET.2/24 dev veth0

for n in bra brb; do
    bg bridge-$n timeout 40 ip netns exec "$(ns $n)" python3 -u "$SAMPLES_DIR/lib/vlanbridge.py" \
        --access acc --trunk trunk --tags "$TAGS" --timeout 35
done
for n in bra brb; do
    for _ in $(seq 1 50); do
        grep -q '^ready' "$WORK/bridge-$n.log" 2>/dev/null && break
        sleep 0.1
    done
    grep -q '^ready' "$WORK/bridge-$n.log" || die "vlan bridge in $n did not start"
done

capture_start bra trunk "$FILTER"

bg uas timeout 30 ip netns exec "$(ns uas)" sipp -sf "$SCEN_DIR/uas-basic.xml" \
    -i $NET.2 -p 5060 -m 1 -nostdin -timeout 20s -timeout_error
sleep 0.5
bg uac timeout 30 ip netns exec "$(ns uac)" sipp -sn uac $NET.2:5060 \
    -i $NET.1 -p 5060 -m 1 -nostdin -timeout 20s -timeout_error
wait_pid uac || die "sipp uac failed"
wait_pid uas || die "sipp uas failed"
capture_stop
for n in bra brb; do
    kill -TERM "${_PIDS[bridge-$n]}"
    wait_pid bridge-$n || true
    echo "bridge $n: $(tail -n 1 "$WORK/bridge-$n.log")" >&2
done

F=$WORK/capture.pcap
expect_sip "$F" '^Request: INVITE' 1
expect_sip "$F" '^Status: 100' 1
expect_sip "$F" '^Status: 180' 1
expect_sip "$F" '^Status: 200 OK \(INVITE\)' 1
expect_sip "$F" '^Request: ACK' 1
expect_sip "$F" '^Request: BYE' 1
expect_sip "$F" '^Status: 200 OK \(BYE\)' 1
total=$(tshark -r "$F" 2>/dev/null | wc -l)
if [ "$MODE" = qinq ]; then
    # tshark: 0x88a8 is dissected as ieee8021ad (S-tag), then vlan (C-tag)
    n=$(tshark -r "$F" -Y 'eth.type==0x88a8 && ieee8021ad.id==200 && vlan.id==100 && vlan.etype==0x0800' \
        2>/dev/null | wc -l)
else
    n=$(tshark -r "$F" -Y 'eth.type==0x8100 && vlan.id==100 && vlan.etype==0x0800' 2>/dev/null | wc -l)
fi
[ "$n" -eq "$total" ] || die "only $n of $total frames carry the expected tag(s)"
expect_good_checksums "$F"
summary "$F"
echo "columns: frame eth.type ieee8021ad.id(S-tag, qinq only) vlan.id vlan.etype"
tshark -r "$F" -T fields -e frame.number -e eth.type -e ieee8021ad.id \
    -e vlan.id -e vlan.etype 2>/dev/null
publish "$OUT"
