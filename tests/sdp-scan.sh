#!/bin/sh
# Every SDP body in the samples and (when present) the public corpus
# captures, through the SDP parser (tests/sdp_scan.c). The bodies it
# flags malformed must be exactly those of tests/sdp-scan-expected.txt:
# captures that really are broken (an SQL injection in c=, a missing
# line break, a fuzzed capture, a missing rtpmap). A change that flags a
# good SDP, or stops flagging a bad one, fails here.
srcdir=${top_srcdir:-.}
builddir=${top_builddir:-.}
corpus=${SIPSCOPE_CORPUS:-$srcdir/../shared/corpus}
expected=$srcdir/tests/sdp-scan-expected.txt
set -- "$srcdir"/samples/*.pcap*
[ -d "$corpus/captures" ] && set -- "$@" "$corpus"/captures/*
out=$("$builddir/tests/sdp_scan" "$@")
rc=$?
if [ $rc -gt 1 ]; then
	echo "sdp-scan: sdp_scan failed ($rc)"
	exit 1
fi
got=$(printf '%s\n' "$out" | grep ': frame [0-9]*: ' | grep -v ': bad 0x0 ' |
	sed 's|^.*/||; s/ (.*//' | sort)
# only the expectations for the captures scanned here
want=$(for f in "$@"; do
	b=${f##*/}
	grep -F "$b: " "$expected"
done | sort)
if [ "$got" != "$want" ]; then
	echo "sdp-scan: flagged SDP bodies differ from $expected"
	echo "--- expected"; printf '%s\n' "$want"
	echo "--- got"; printf '%s\n' "$got"
	exit 1
fi
printf '%s\n' "$out" | tail -n 1
