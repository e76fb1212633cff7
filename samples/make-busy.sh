#!/usr/bin/env bash
# make-busy.sh - samples/busy.pcap: a call rejected with 486 Busy Here, over UDP/IPv4.
#
# How it is made (real peers, nothing synthesized):
#   namespaces  ssc-busy-<pid>-uac and ...-uas, joined by a veth pair
#               uac: veth0 10.99.2.1/24   <->   uas: veth0 10.99.2.2/24
#   UAS         ip netns exec ...-uas sipp -sf scenarios/uas-486.xml -i 10.99.2.2 -p 5060 -m 1
#   UAC         ip netns exec ...-uac sipp -sf scenarios/uac-486.xml 10.99.2.2:5060 -i 10.99.2.1 -p 5060 -m 1
#   capture     ip netns exec ...-uac tcpdump -n -U --immediate-mode -s 0 -i veth0 -w F 'udp port 5060'
#               (started first, waited for, stopped with SIGINT after both sipp exit)
#
# Verified (tshark 4.0.17):
#   File type:           Wireshark/tcpdump/... - pcap
#   File encapsulation:  Ethernet
#   Number of packets:   4
#   File size:           1593 bytes
#   protocols: 3 eth:ethertype:ip:udp:sip;1 eth:ethertype:ip:udp:sip:sdp
#   1 10.99.2.1 10.99.2.2 Request: INVITE sip:service@10.99.2.2:5060
#   2 10.99.2.2 10.99.2.1 Status: 100 Trying
#   3 10.99.2.2 10.99.2.1 Status: 486 Busy Here
#   4 10.99.2.1 10.99.2.2 Request: ACK sip:service@10.99.2.2:5060
# Exit 77 (skip) when not root or sipp/tcpdump/tshark is missing.
set -euo pipefail
SAMPLE=busy
. "$(dirname "$0")/lib/common.sh"
need_root
need_tools sipp tcpdump tshark capinfos ip timeout

ns_add uac
ns_add uas
veth_pair uac veth0 uas veth0
in_ns uac ip addr add 10.99.2.1/24 dev veth0
in_ns uas ip addr add 10.99.2.2/24 dev veth0

capture_start uac veth0 'udp port 5060'

bg uas timeout 30 ip netns exec "$(ns uas)" sipp -sf "$SCEN_DIR"/uas-486.xml \
    -i 10.99.2.2 -p 5060 -m 1 -nostdin -timeout 20s -timeout_error
sleep 0.5
bg uac timeout 30 ip netns exec "$(ns uac)" sipp -sf "$SCEN_DIR"/uac-486.xml 10.99.2.2:5060 \
    -i 10.99.2.1 -p 5060 -m 1 -nostdin -timeout 20s -timeout_error
wait_pid uac || die "sipp uac failed"
wait_pid uas || die "sipp uas failed"
capture_stop

F=$WORK/capture.pcap
expect_sip "$F" "^Request: INVITE" 1
expect_sip "$F" "^Status: 100" 1
expect_sip "$F" "^Status: 486 Busy Here" 1
expect_sip "$F" "^Request: ACK" 1
expect_good_checksums "$F"
summary "$F"
publish busy.pcap
