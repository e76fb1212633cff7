#!/bin/sh
# Every RTCP datagram of the public corpus (../shared/corpus/captures), of
# our samples and of a synthetic capture (tests/gen-rtcp.c), parsed by tests/rtcpdump (our decoder + dissectors/rtcp.c),
# must equal what tshark decodes from it, field by field (the columns are
# listed at the top of tests/rtcpdump.c), and none may be flagged
# malformed. Frames only tshark decodes as RTCP are failures (we missed
# them); frames only our heuristic finds are decoded again by tshark with
# `-d udp.port==PORT,rtcp` on their ports and compared too. Skips (exit
# 77) when tshark is absent.
srcdir=${top_srcdir:-.}
LC_ALL=C; export LC_ALL	# sort and join must agree on the order
builddir=${top_builddir:-.}
corpus=${SIPSCOPE_CORPUS:-$srcdir/../shared/corpus}
TSHARK=${TSHARK:-$(command -v tshark)}
if [ -z "$TSHARK" ] || [ ! -x "$TSHARK" ]; then
	echo "SKIP: tshark is not installed"
	exit 77
fi
dump=$builddir/tests/rtcpdump
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
fields="frame.number rtcp.pt rtcp.rc rtcp.sc rtcp.length rtcp.senderssrc
rtcp.timestamp.ntp.msw rtcp.timestamp.ntp.lsw rtcp.timestamp.rtp
rtcp.sender.packetcount rtcp.sender.octetcount rtcp.ssrc.identifier
rtcp.ssrc.fraction rtcp.ssrc.cum_nr rtcp.ssrc.ext_high rtcp.ssrc.jitter
rtcp.ssrc.lsr rtcp.ssrc.dlsr rtcp.sdes.type rtcp.sdes.text
rtcp.ssrc.discarded rtcp.xr.bt rtcp.xr.voipmetrics.burstdensity
rtcp.xr.voipmetrics.gapdensity rtcp.xr.voipmetrics.burstduration
rtcp.xr.voipmetrics.gapduration rtcp.xr.voipmetrics.rtdelay
rtcp.xr.voipmetrics.esdelay rtcp.xr.voipmetrics.signallevel
rtcp.xr.voipmetrics.noiselevel rtcp.xr.voipmetrics.rerl
rtcp.xr.voipmetrics.gmin rtcp.xr.voipmetrics.rfactor
rtcp.xr.voipmetrics.extrfactor rtcp.xr.voipmetrics.moslq
rtcp.xr.voipmetrics.moscq rtcp.xr.voipmetrics.jbnominal
rtcp.xr.voipmetrics.jbmax rtcp.xr.voipmetrics.jbabsmax rtcp.xr.lrr
rtcp.xr.dlrr rtcp.app.subtype rtcp.app.name rtcp.mediassrc"
eopts=
nf=0
for f in $fields; do eopts="$eopts -e $f"; nf=$((nf + 1)); done
# rtcpdump's columns after tshark's: our malformed flag, the UDP ports
flag=$((nf + 1)) ports=$((nf + 2))
files=0 fail=0 dgrams=0 pkts=0 extra=0
# The real captures have no XR, APP, feedback, padding or 31-block SR:
# tests/gen-rtcp writes one datagram of each for the comparison.
"$builddir/tests/gen-rtcp" "$tmp/gen-rtcp.pcap" || exit 99
for f in "$corpus"/captures/* "$srcdir"/samples/*.pcap* "$tmp/gen-rtcp.pcap"; do
	[ -f "$f" ] || continue
	base=$(basename "$f")
	"$dump" "$f" >"$tmp/ours" 2>"$tmp/err"
	rc=$?
	if [ $rc -ge 2 ]; then
		continue	# not a capture libpcap reads (MANIFEST.tsv, ...)
	fi
	# RTCP quoted inside ICMP errors is not RTCP that was delivered.
	# shellcheck disable=SC2086
	"$TSHARK" -n -r "$f" -Y "rtcp && !icmp && !icmpv6" -T fields $eopts 2>/dev/null >"$tmp/tshark"
	[ -s "$tmp/ours" ] || [ -s "$tmp/tshark" ] || continue
	files=$((files + 1))
	# Frames our heuristic found and tshark did not: ask tshark again,
	# decoding their ports as RTCP.
	cut -f1 "$tmp/tshark" | sort >"$tmp/tframes"
	cut -f1,$ports "$tmp/ours" | sort -k1,1 | join -v1 - "$tmp/tframes" >"$tmp/more"
	if [ -s "$tmp/more" ]; then
		n=$(wc -l <"$tmp/more")
		extra=$((extra + n))
		dopts=$(cut -d' ' -f2 "$tmp/more" | tr ',' '\n' | sort -u |
			sed 's/.*/-d udp.port==&,rtcp/' | tr '\n' ' ')
		sel=$(cut -d' ' -f1 "$tmp/more" | sed 's/.*/frame.number == &/' |
			paste -sd'|' - | sed 's/|/ || /g')
		# shellcheck disable=SC2086
		"$TSHARK" -n -r "$f" $dopts -Y "rtcp && ($sel)" \
			-T fields $eopts 2>/dev/null >>"$tmp/tshark"
	fi
	sort -n "$tmp/tshark" >"$tmp/t"
	cut -f1-$nf "$tmp/ours" | sort -n >"$tmp/o"
	bad=$(cut -f$flag "$tmp/ours" | grep -v '^-' | sort | uniq -c)
	n=$(wc -l <"$tmp/o")
	p=$(cut -f2 "$tmp/o" | tr ',' '\n' | grep -c .)
	if cmp -s "$tmp/t" "$tmp/o" && [ -z "$bad" ]; then
		echo "ok   $base ($n datagrams, $p packets, $(wc -l <"$tmp/more") found by heuristic only)"
		dgrams=$((dgrams + n))
		pkts=$((pkts + p))
	else
		fail=$((fail + 1))
		echo "FAIL $base (< tshark, > ours):"
		diff "$tmp/t" "$tmp/o" | head -20
		[ -n "$bad" ] && echo "malformed: $bad"
	fi
done
echo "rtcp-tshark: $files captures, $dgrams datagrams ($pkts RTCP packets, $extra decoded by tshark only with -d) agree, $fail differ"
[ "$fail" -eq 0 ]
