#!/usr/bin/env bash
# make-ipv6.sh - samples/ipv6.pcap: one complete SIP call over UDP/IPv6
# (unique local addresses fd00:99:6::/64 inside private namespaces).
#
# How it is made (real peers, nothing synthesized):
#   namespaces  ssc-ipv6-<pid>-uac and ...-uas, joined by a veth pair
#               uac: veth0 fd00:99:6::1/64   <->   uas: veth0 fd00:99:6::2/64
#   UAS         ip netns exec ...-uas sipp -sf scenarios/uas-basic.xml -i fd00:99:6::2 -p 5060 -m 1
#               (sipp's built-in "uas" plus a 100 Trying)
#   UAC         ip netns exec ...-uac sipp -sn uac [fd00:99:6::2]:5060 -i fd00:99:6::1 -p 5060 -m 1
#               (sipp's built-in "uac" scenario)
#   capture     ip netns exec ...-uac tcpdump -n -U --immediate-mode -s 0 -i veth0 -w F 'udp port 5060'
#               (started first, waited for, stopped with SIGINT after both sipp exit)
#
# Verified (tshark 4.0.17):
#   File type:           Wireshark/tcpdump/... - pcap
#   File encapsulation:  Ethernet
#   Number of packets:   7
#   File size:           3305 bytes
#   protocols: 5 eth:ethertype:ipv6:udp:sip;2 eth:ethertype:ipv6:udp:sip:sdp
#   1 fd00:99:6::1 fd00:99:6::2 Request: INVITE sip:service@[fd00:99:6::2]:5060
#   2 fd00:99:6::2 fd00:99:6::1 Status: 100 Trying
#   3 fd00:99:6::2 fd00:99:6::1 Status: 180 Ringing
#   4 fd00:99:6::2 fd00:99:6::1 Status: 200 OK (INVITE)
#   5 fd00:99:6::1 fd00:99:6::2 Request: ACK sip:service@[fd00:99:6::2]:5060
#   6 fd00:99:6::1 fd00:99:6::2 Request: BYE sip:service@[fd00:99:6::2]:5060
#   7 fd00:99:6::2 fd00:99:6::1 Status: 200 OK (BYE)
# Exit 77 (skip) when not root or sipp/tcpdump/tshark is missing.
set -euo pipefail
SAMPLE=ipv6
. "$(dirname "$0")/lib/common.sh"
need_root
need_tools sipp tcpdump tshark capinfos ip timeout

ns_add uac
ns_add uas
veth_pair uac veth0 uas veth0
in_ns uac ip addr add fd00:99:6::1/64 dev veth0 nodad
in_ns uas ip addr add fd00:99:6::2/64 dev veth0 nodad

capture_start uac veth0 'udp port 5060'

bg uas timeout 30 ip netns exec "$(ns uas)" sipp -sf "$SCEN_DIR/uas-basic.xml" \
    -i fd00:99:6::2 -p 5060 -m 1 -nostdin -timeout 20s -timeout_error
sleep 0.5
bg uac timeout 30 ip netns exec "$(ns uac)" sipp -sn uac "[fd00:99:6::2]:5060" \
    -i fd00:99:6::1 -p 5060 -m 1 -nostdin -timeout 20s -timeout_error
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
publish ipv6.pcap
