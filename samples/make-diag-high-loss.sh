#!/usr/bin/env bash
# make-diag-high-loss.sh - samples/diag-high-loss.pcap: make-rtp-impaired.sh loss (see that
# script: the caller -> callee RTP crosses the seeded impairment bridge, loss only).
set -euo pipefail
exec "$(dirname "$0")/make-rtp-impaired.sh" loss
