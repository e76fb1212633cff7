#!/usr/bin/env bash
# make-redirect-302.sh - samples/redirect-302.pcap: a call redirected with
# 302 Moved Temporarily and then completed at the new target, over UDP/IPv4.
#
# How it is made (real peers, nothing synthesized):
#   namespaces  ssc-redirect-302-<pid>-uac and ...-uas, joined by a veth pair
#               uac: veth0 10.99.13.1/24   <->   uas: veth0 10.99.13.2/24
#   redirect    ip netns exec ...-uas sipp -sf scenarios/uas-302.xml -key target_port 5062
#                 -i 10.99.13.2 -p 5060 -m 1
#               (302 with Contact: <sip:service@10.99.13.2:5062>)
#   target UAS  ip netns exec ...-uas sipp -sf scenarios/uas-basic.xml -i 10.99.13.2 -p 5062 -m 1
#   UAC         ip netns exec ...-uac sipp -sf scenarios/uac-redirect.xml 10.99.13.2:5060
#                 -i 10.99.13.1 -p 5060 -m 1
#               (ACKs the 302, re-sends the INVITE with CSeq 2 to the Contact)
#   capture     ip netns exec ...-uac tcpdump -n -U --immediate-mode -s 0 -i veth0 -w F 'udp portrange 5060-5062'
#
# Verified (tshark 4.0.17):
#   File type:           Wireshark/tcpdump/... - pcap
#   File encapsulation:  Ethernet
#   Number of packets:   11
#   File size:           4619 bytes
#   protocols: 8 eth:ethertype:ip:udp:sip;3 eth:ethertype:ip:udp:sip:sdp
#   1 10.99.13.1 10.99.13.2 Request: INVITE sip:service@10.99.13.2:5060
#   2 10.99.13.2 10.99.13.1 Status: 100 Trying
#   3 10.99.13.2 10.99.13.1 Status: 302 Moved Temporarily
#   4 10.99.13.1 10.99.13.2 Request: ACK sip:service@10.99.13.2:5060
#   5 10.99.13.1 10.99.13.2 Request: INVITE sip:service@10.99.13.2:5062
#   6 10.99.13.2 10.99.13.1 Status: 100 Trying
#   7 10.99.13.2 10.99.13.1 Status: 180 Ringing
#   8 10.99.13.2 10.99.13.1 Status: 200 OK (INVITE)
#   9 10.99.13.1 10.99.13.2 Request: ACK sip:service@10.99.13.2:5062
#   10 10.99.13.1 10.99.13.2 Request: BYE sip:service@10.99.13.2:5062
#   11 10.99.13.2 10.99.13.1 Status: 200 OK (BYE)
# Exit 77 (skip) when not root or sipp/tcpdump/tshark is missing.
set -euo pipefail
SAMPLE=redirect-302
. "$(dirname "$0")/lib/common.sh"
need_root
need_tools sipp tcpdump tshark capinfos ip timeout

ns_add uac
ns_add uas
veth_pair uac veth0 uas veth0
in_ns uac ip addr add 10.99.13.1/24 dev veth0
in_ns uas ip addr add 10.99.13.2/24 dev veth0

capture_start uac veth0 'udp portrange 5060-5062'

bg redirect timeout 30 ip netns exec "$(ns uas)" sipp -sf "$SCEN_DIR/uas-302.xml" \
    -key target_port 5062 -i 10.99.13.2 -p 5060 -m 1 -nostdin -timeout 20s -timeout_error
bg target timeout 30 ip netns exec "$(ns uas)" sipp -sf "$SCEN_DIR/uas-basic.xml" \
    -i 10.99.13.2 -p 5062 -m 1 -nostdin -timeout 20s -timeout_error
sleep 0.5
bg uac timeout 30 ip netns exec "$(ns uac)" sipp -sf "$SCEN_DIR/uac-redirect.xml" 10.99.13.2:5060 \
    -i 10.99.13.1 -p 5060 -m 1 -nostdin -timeout 20s -timeout_error
wait_pid uac || die "sipp uac failed"
wait_pid redirect || die "sipp redirect server failed"
wait_pid target || die "sipp target uas failed"
capture_stop

F=$WORK/capture.pcap
expect_sip "$F" '^Request: INVITE sip:service@10.99.13.2:5060' 1
expect_sip "$F" '^Status: 302 Moved Temporarily' 1
expect_sip "$F" '^Request: ACK sip:service@10.99.13.2:5060' 1
expect_sip "$F" '^Request: INVITE sip:service@10.99.13.2:5062' 1
expect_sip "$F" '^Status: 100' 2
expect_sip "$F" '^Status: 180' 1
expect_sip "$F" '^Status: 200 OK \(INVITE\)' 1
expect_sip "$F" '^Request: ACK sip:service@10.99.13.2:5062' 1
expect_sip "$F" '^Request: BYE' 1
expect_sip "$F" '^Status: 200 OK \(BYE\)' 1
expect_good_checksums "$F"
summary "$F"
publish redirect-302.pcap
