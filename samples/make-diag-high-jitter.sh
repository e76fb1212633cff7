#!/usr/bin/env bash
# make-diag-high-jitter.sh - samples/diag-high-jitter.pcap: make-rtp-impaired.sh jitter (see that
# script: the caller -> callee RTP crosses the seeded impairment bridge, jitter only).
set -euo pipefail
exec "$(dirname "$0")/make-rtp-impaired.sh" jitter
