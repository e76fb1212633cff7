#!/bin/sh
# Every input the fuzzers ever crashed on (tests/regress/sip-*, packet-*,
# tls-*, tcp-*, ws-*, sdp-*, rtp-*, rtcp-*, media-*; the packet, TLS, TCP,
# WebSocket, SDP, RTP and RTCP seeds of fuzz/seeds/ too),
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
# TCP reassembly (fuzz/fuzz_tcp.c), WebSocket (fuzz/fuzz_ws.c), SDP
# (fuzz/fuzz_sdp.c, contract checks included), RTP (fuzz/fuzz_rtp.c), RTCP
# (fuzz/fuzz_rtcp.c) and the media layer (fuzz/fuzz_media.c): crash inputs
# and the seeds
for t in tcp ws sdp rtp rtcp media; do
	set --
	for f in "$srcdir"/tests/regress/$t-* "$srcdir"/fuzz/seeds/$t-*; do
		[ -e "$f" ] && set -- "$@" "$f"
	done
	"$builddir/tests/regress_$t" "$@" || exit 1
done
echo "regress: 9 passed, 0 failed"
