#!/usr/bin/env bash
# make-ip6-fragment.sh - samples/ip6-fragment.pcap: one SIP call over UDP/IPv6 whose
# ~2 KB INVITE is split into IPv6 fragments on a 1280-byte-MTU veth link.
# Made by make-ip-fragment.sh in "v6" mode; see the header of make-ip-fragment.sh
# for the namespaces, peers and tcpdump command.
#
# Verified (tshark 4.0.17):
#   fragments: 3 frame(s), 2 with MF=1; INVITE frame.len/ip.len/ipv6.plen/udp.length: 100    46  2502
#   File type:           Wireshark/tcpdump/... - pcap
#   File encapsulation:  Ethernet
#   Number of packets:   9
#   File size:           5355 bytes
#   protocols: 2 eth:ethertype:ipv6:ipv6.fraghdr:data;1 eth:ethertype:ipv6:ipv6.fraghdr:udp:sip:sdp;5 eth:ethertype:ipv6:udp:sip;1 eth:ethertype:ipv6:udp:sip:sdp
#   3 fd00:99:12::1 fd00:99:12::2 Request: INVITE sip:service@[fd00:99:12::2]:5060
#   4 fd00:99:12::2 fd00:99:12::1 Status: 100 Trying
#   5 fd00:99:12::2 fd00:99:12::1 Status: 180 Ringing
#   6 fd00:99:12::2 fd00:99:12::1 Status: 200 OK (INVITE)
#   7 fd00:99:12::1 fd00:99:12::2 Request: ACK sip:service@[fd00:99:12::2]:5060
#   8 fd00:99:12::1 fd00:99:12::2 Request: BYE sip:service@[fd00:99:12::2]:5060
#   9 fd00:99:12::2 fd00:99:12::1 Status: 200 OK (BYE)
#   columns: frame frame.len ip.id ip.MF ip.frag_offset(x8) | ipv6.frag ident more offset(x8) | info
#   1  1294        0x4011b23f  1  0  IPv6 fragment (off=0 more=y ident=0x4011b23f nxt=17)
#   2  1294        0x4011b23f  1  154  IPv6 fragment (off=1232 more=y ident=0x4011b23f nxt=17)
#   3  100        0x4011b23f  0  308  Request: INVITE sip:service@[fd00:99:12::2]:5060
#   4  321              Status: 100 Trying
#   5  391              Status: 180 Ringing
#   6  560              Status: 200 OK (INVITE)
#   7  422              Request: ACK sip:service@[fd00:99:12::2]:5060
#   8  422              Request: BYE sip:service@[fd00:99:12::2]:5060
#   9  383              Status: 200 OK (BYE)
set -euo pipefail
exec "$(dirname "$0")/make-ip-fragment.sh" v6
