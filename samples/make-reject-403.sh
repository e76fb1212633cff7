#!/usr/bin/env bash
# make-reject-403.sh - samples/reject-403.pcap: a call rejected with 403 Forbidden.
# Made by make-reject-603.sh in "403" mode; see the header of make-reject-603.sh for the
# namespaces, peers and tcpdump command.
#
# Verified (tshark 4.0.17):
#   File type:           Wireshark/tcpdump/... - pcap
#   File encapsulation:  Ethernet
#   Number of packets:   4
#   File size:           1639 bytes
#   protocols: 3 eth:ethertype:ip:udp:sip;1 eth:ethertype:ip:udp:sip:sdp
#   1 10.99.15.1 10.99.15.2 Request: INVITE sip:service@10.99.15.2:5060
#   2 10.99.15.2 10.99.15.1 Status: 100 Trying
#   3 10.99.15.2 10.99.15.1 Status: 403 Forbidden
#   4 10.99.15.1 10.99.15.2 Request: ACK sip:service@10.99.15.2:5060
set -euo pipefail
exec "$(dirname "$0")/make-reject-603.sh" 403
