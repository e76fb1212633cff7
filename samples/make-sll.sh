#!/usr/bin/env bash
# make-sll.sh - samples/sll.pcap: one SIP call captured with
# `tcpdump -i any -y LINUX_SLL` (Linux cooked capture v1).
# Made by make-sll2.sh in "sll" mode; see the header of make-sll2.sh for the
# namespaces, peers and tcpdump command.
#
# Verified (tshark 4.0.17):
#   File type:           Wireshark/tcpdump/... - pcap
#   File encapsulation:  Linux cooked-mode capture v1
#   Number of packets:   7
#   File size:           3033 bytes
#   protocols: 5 sll:ethertype:ip:udp:sip;2 sll:ethertype:ip:udp:sip:sdp
#   1 10.99.10.1 10.99.10.2 Request: INVITE sip:service@10.99.10.2:5060
#   2 10.99.10.2 10.99.10.1 Status: 100 Trying
#   3 10.99.10.2 10.99.10.1 Status: 180 Ringing
#   4 10.99.10.2 10.99.10.1 Status: 200 OK (INVITE)
#   5 10.99.10.1 10.99.10.2 Request: ACK sip:service@10.99.10.2:5060
#   6 10.99.10.1 10.99.10.2 Request: BYE sip:service@10.99.10.2:5060
#   7 10.99.10.2 10.99.10.1 Status: 200 OK (BYE)
#   columns: frame sll.pkttype(0 to us, 4 sent by us) sll.etype
#   1  4  0x0800
#   2  0  0x0800
#   3  0  0x0800
#   4  0  0x0800
#   5  4  0x0800
#   6  4  0x0800
#   7  0  0x0800
set -euo pipefail
exec "$(dirname "$0")/make-sll2.sh" sll
