#!/usr/bin/env bash
# make-vlan-qinq.sh - samples/vlan-qinq.pcap: one SIP call whose frames carry an 802.1ad
# outer tag (TPID 0x88a8, VLAN 200) over an 802.1Q inner tag (VLAN 100).
# Made by make-vlan.sh in "qinq" mode; see the header of make-vlan.sh for the
# namespaces, bridges, peers and tcpdump command.
#
# Verified (tshark 4.0.17):
#   File type:           Wireshark/tcpdump/... - pcap
#   File encapsulation:  Ethernet
#   Number of packets:   7
#   File size:           3034 bytes
#   protocols: 5 eth:ethertype:ieee8021ad:ethertype:vlan:ethertype:ip:udp:sip;2 eth:ethertype:ieee8021ad:ethertype:vlan:ethertype:ip:udp:sip:sdp
#   1 10.99.8.1 10.99.8.2 Request: INVITE sip:service@10.99.8.2:5060
#   2 10.99.8.2 10.99.8.1 Status: 100 Trying
#   3 10.99.8.2 10.99.8.1 Status: 180 Ringing
#   4 10.99.8.2 10.99.8.1 Status: 200 OK (INVITE)
#   5 10.99.8.1 10.99.8.2 Request: ACK sip:service@10.99.8.2:5060
#   6 10.99.8.1 10.99.8.2 Request: BYE sip:service@10.99.8.2:5060
#   7 10.99.8.2 10.99.8.1 Status: 200 OK (BYE)
#   columns: frame eth.type ieee8021ad.id(S-tag, qinq only) vlan.id vlan.etype
#   1  0x88a8  200  100  0x0800
#   2  0x88a8  200  100  0x0800
#   3  0x88a8  200  100  0x0800
#   4  0x88a8  200  100  0x0800
#   5  0x88a8  200  100  0x0800
#   6  0x88a8  200  100  0x0800
#   7  0x88a8  200  100  0x0800
set -euo pipefail
exec "$(dirname "$0")/make-vlan.sh" qinq
