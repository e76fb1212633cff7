#!/usr/bin/env bash
# make-reject-403.sh - samples/reject-403.pcap: a call rejected with 403 Forbidden.
# Made by make-reject-603.sh in "403" mode; see the header of make-reject-603.sh for the
# namespaces, peers and tcpdump command.
#
# Verified (tshark 4.0.17):
#   VERIFIED-PLACEHOLDER
set -euo pipefail
exec "$(dirname "$0")/make-reject-603.sh" 403
