#!/bin/sh
# bench/pgo-train.sh SIPSCOPE OUTDIR [CC] - the workload `make pgo` trains
# the compiler on: an instrumented sipscope reads what users give it most
# (signalling captures, in every report and output format, and the bundled
# samples: TCP, TLS, WebSocket, HEP, fragments, RTP) and the compiler then
# lays the code out for the paths taken.
#
# The signalling capture is generated with bench/gencalls.c, with another
# seed and size than the benchmark's captures (bench/run.sh uses seed 1 and
# 1k/10k/100k calls), so the build is trained on the kind of traffic, not
# on the files it is timed on. Output goes to /dev/null; a report that
# fails fails the training (and `make pgo`).
set -eu
SIPSCOPE=$1
OUT=$2
CC=${3:-cc}
HERE=$(cd "$(dirname "$0")" && pwd)
SAMPLES=$(dirname "$HERE")/samples
mkdir -p "$OUT"

"$CC" -std=c11 -O2 -o "$OUT/gencalls" "$HERE/gencalls.c" -lm
"$OUT/gencalls" -n 5000 --seed 7 -q -o "$OUT/train.pcap"
T=$OUT/train.pcap
run() { "$SIPSCOPE" -q "$@" >/dev/null; }

run -r "$T" --report stats
run -r "$T" --report stats -T json
run -r "$T" --report calls -T json
run -r "$T" --report calls -T csv
run -r "$T" --report registrations -T json
run -r "$T" --report messages -T json
run -r "$T"
call=$("$SIPSCOPE" -q -r "$T" --report calls -T csv | sed -n '2s/,.*//p')
[ -n "$call" ] && run -r "$T" --report flow --call "$call"
for f in "$SAMPLES"/*.pcap "$SAMPLES"/*.pcapng; do
	[ -e "$f" ] || continue
	# a sample without calls, or one that exits 1 on purpose, is fine
	"$SIPSCOPE" -q -r "$f" >/dev/null 2>&1 || true
	"$SIPSCOPE" -q -r "$f" --report rtp >/dev/null 2>&1 || true
done
rm -f "$T"
