#!/usr/bin/env bash
# make-diag-hold-zero.sh - samples/diag-hold-zero.pcap: make-diag-hold.sh with the
# RFC 2543 hold (re-INVITE with c=IN IP4 0.0.0.0); see that script.
set -euo pipefail
exec "$(dirname "$0")/make-diag-hold.sh" zero
