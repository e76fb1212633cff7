#!/usr/bin/env bash
# make-basic-call.sh - samples/basic-call.pcap: one complete SIP call over UDP/IPv4.
#
# How it is made (real peers, nothing synthesized):
#   namespaces  ssc-basic-call-<pid>-uac and ...-uas, joined by a veth pair
#               uac: veth0 10.99.1.1/24   <->   uas: veth0 10.99.1.2/24
#   UAS         ip netns exec ...-uas sipp -sf scenarios/uas-basic.xml -i 10.99.1.2 -p 5060 -m 1
#               (sipp's built-in "uas" plus a 100 Trying)
#   UAC         ip netns exec ...-uac sipp -sn uac 10.99.1.2:5060 -i 10.99.1.1 -p 5060 -m 1
#               (sipp's built-in "uac" scenario)
#   capture     ip netns exec ...-uac tcpdump -n -U --immediate-mode -s 0 -i veth0 -w F 'udp port 5060'
#               (started first, waited for, stopped with SIGINT after both sipp exit)
#
# Verified (tshark 4.0.17):
#   File type:           Wireshark/tcpdump/... - pcap
#   File encapsulation:  Ethernet
#   Number of packets:   7
#   File size:           2978 bytes
#   protocols: 5 eth:ethertype:ip:udp:sip;2 eth:ethertype:ip:udp:sip:sdp
#   1 10.99.1.1 10.99.1.2 Request: INVITE sip:service@10.99.1.2:5060
#   2 10.99.1.2 10.99.1.1 Status: 100 Trying
#   3 10.99.1.2 10.99.1.1 Status: 180 Ringing
#   4 10.99.1.2 10.99.1.1 Status: 200 OK (INVITE)
#   5 10.99.1.1 10.99.1.2 Request: ACK sip:service@10.99.1.2:5060
#   6 10.99.1.1 10.99.1.2 Request: BYE sip:service@10.99.1.2:5060
#   7 10.99.1.2 10.99.1.1 Status: 200 OK (BYE)
# Exit 77 (skip) when not root or sipp/tcpdump/tshark is missing.
set -euo pipefail
SAMPLE=basic-call
. "$(dirname "$0")/lib/common.sh"
need_root
need_tools sipp tcpdump tshark capinfos ip timeout

ns_add uac
ns_add uas
veth_pair uac veth0 uas veth0
in_ns uac ip addr add 10.99.1.1/24 dev veth0
in_ns uas ip addr add 10.99.1.2/24 dev veth0

capture_start uac veth0 'udp port 5060'

bg uas timeout 30 ip netns exec "$(ns uas)" sipp -sf "$SCEN_DIR/uas-basic.xml" \
    -i 10.99.1.2 -p 5060 -m 1 -nostdin -timeout 20s -timeout_error
sleep 0.5
bg uac timeout 30 ip netns exec "$(ns uac)" sipp -sn uac 10.99.1.2:5060 \
    -i 10.99.1.1 -p 5060 -m 1 -nostdin -timeout 20s -timeout_error
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
expect_good_checksums "$F"
summary "$F"
publish basic-call.pcap
