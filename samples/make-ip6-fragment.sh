#!/usr/bin/env bash
# make-ip6-fragment.sh - samples/ip6-fragment.pcap: one SIP call over UDP/IPv6 whose
# ~2 KB INVITE is split into IPv6 fragments on a 1280-byte-MTU veth link.
# Made by make-ip-fragment.sh in "v6" mode; see the header of make-ip-fragment.sh
# for the namespaces, peers and tcpdump command.
#
# Verified (tshark 4.0.17):
#   VERIFIED-PLACEHOLDER
set -euo pipefail
exec "$(dirname "$0")/make-ip-fragment.sh" v6
