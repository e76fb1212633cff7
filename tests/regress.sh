#!/bin/sh
# Every input the fuzzers ever crashed on (tests/regress/sip-*, packet-*,
# tls-*, tcp-*, ws-*, rtcp-*; the packet, TLS, TCP, WebSocket and RTCP seeds of
# fuzz/seeds/ too),
# plus the torture messages, replayed through the fuzz entry points.
srcdir=${top_srcdir:-.}
builddir=${top_builddir:-.}
corpus=${SIPSCOPE_CORPUS:-$srcdir/../shared/corpus}
set -- "$srcdir"/tests/regress/sip-*
[ -e "$1" ] || set --
[ -d "$corpus/torture" ] && set -- "$@" "$corpus"/torture/rfc4475/*.dat "$corpus"/torture/rfc5118/*.dat
"$builddir/tests/regress_sip" "$@" || exit 1
set --
for f in "$srcdir"/tests/regress/packet-* "$srcdir"/fuzz/seeds/packet-*; do
	[ -e "$f" ] && set -- "$@" "$f"
done
"$builddir/tests/regress_packet" "$@" || exit 1
set --
for f in "$srcdir"/tests/regress/tls-* "$srcdir"/fuzz/seeds/tls-*; do
	[ -e "$f" ] && set -- "$@" "$f"
done
"$builddir/tests/regress_tls" "$@" || exit 1
# TCP reassembly (fuzz/fuzz_tcp.c) and WebSocket (fuzz/fuzz_ws.c): crash
# inputs and the hand-made seeds
# RTCP (fuzz/fuzz_rtcp.c): crash inputs and the seeds (every RTCP
# datagram of the corpus and the hand-made XR/APP/feedback ones)
for t in tcp ws rtcp; do
	set --
	for f in "$srcdir"/tests/regress/$t-* "$srcdir"/fuzz/seeds/$t-*; do
		[ -e "$f" ] && set -- "$@" "$f"
	done
	"$builddir/tests/regress_$t" "$@" || exit 1
done
echo "regress: 6 passed, 0 failed"
