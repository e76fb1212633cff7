#!/usr/bin/env bash
# make-sll.sh - samples/sll.pcap: one SIP call captured with
# `tcpdump -i any -y LINUX_SLL` (Linux cooked capture v1).
# Made by make-sll2.sh in "sll" mode; see the header of make-sll2.sh for the
# namespaces, peers and tcpdump command.
#
# Verified (tshark 4.0.17):
#   VERIFIED-PLACEHOLDER
set -euo pipefail
exec "$(dirname "$0")/make-sll2.sh" sll
