#!/bin/sh
# Compare the RTP stream analysis (tests/rtpdump, the stream table in
# heuristic mode) with `tshark -q -z rtp,streams` on every capture of the
# corpus that carries RTP, in two tshark modes:
#   sdp   - tshark's default: RTP found from the SIP/SDP it saw; rtpdump
#           gets the dynamic payload types' clocks from the SDP rtpmap
#           lines (--clock PT=HZ, telephone-event as /dtmf)
#   heur  - tshark with -o rtp.heuristic_rtp:TRUE
# rtpdump runs with --ws so Lost is Wireshark's figure (expected -
# packets, negative with duplicates); our own never-negative loss is
# checked apart: it must equal tshark's whenever tshark's is >= 0 and
# there were no duplicates.
# A stream is "equal" when start/end, packets, lost, min/mean/max delta
# and jitter agree (times and ms within 0.01). Streams only one side has
# are listed. Exit 1 when a stream both sides have differs.
#   tests/tshark-rtp-dev.sh [CAPTURE...]
srcdir=${top_srcdir:-.}
builddir=${top_builddir:-.}
TSHARK=${TSHARK:-tshark}
corpus=${SIPSCOPE_CORPUS:-$srcdir/../shared/corpus}
rtpdump=$builddir/tests/rtpdump
command -v "$TSHARK" >/dev/null 2>&1 || { echo "no tshark: skipped"; exit 77; }
[ -x "$rtpdump" ] || { echo "no $rtpdump"; exit 99; }
if [ $# -eq 0 ]; then
	[ -f "$corpus/MANIFEST.tsv" ] || set -- "$srcdir/tests/rtp-edge.pcap"
	[ $# -eq 0 ] && set -- "$srcdir/tests/rtp-edge.pcap" $(awk -F'\t' -v d="$corpus/captures" '
		NR == 1 { for (i = 1; i <= NF; i++) if ($i == "rtp_streams") c = i; next }
		$c + 0 > 0 { print d "/" $1 }' "$corpus/MANIFEST.tsv")
fi
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

# One line per stream: key then the numbers, from either program's table.
norm() {
	awk '/^ *[0-9]+\.[0-9]+ / {
		n = NF; prob = ""
		if ($n == "X") { prob = "X"; n-- }
		key = $3 ":" $4 ">" $5 ":" $6 "/" $7
		print key, $1, $2, $(n-8), $(n-7), $(n-5), $(n-4), $(n-3), $(n-2), $(n-1), $n, (prob == "" ? "-" : prob)
	}' "$1" | sort
}

# --clock options from the SDP rtpmap lines of dynamic payload types.
clocks() {
	"$TSHARK" -r "$1" -Y sdp -T fields -E separator='|' -e sdp.media.port \
		-e sdp.media_attr 2>/dev/null |
	awk -F'|' '{ n = split($1, ports, ","); m = split($2, attrs, ",")
		for (i = 1; i <= m; i++) {
			if (attrs[i] !~ /^rtpmap:/) continue
			split(substr(attrs[i], 8), a, "[ /]")
			if (a[1] < 96 || a[1] > 127) continue
			k = tolower(a[2]) == "telephone-event" ? "/dtmf" : (toupper(a[2]) == "CN" ? "/cn" : "")
			c = ports[1] ":" a[1] "=" a[3] k
			if (!seen[c]++) printf " --clock %s", c
		} }'
}

exceptions=$srcdir/tests/tshark-rtp-exceptions.txt

# compare A B LABEL: prints the verdict line and the differences; a
# difference listed in tests/tshark-rtp-exceptions.txt for this capture
# is shown as explained and does not fail.
compare() {
	awk -v label="$3" -v cap="$b" -v exc="$exceptions" '
	BEGIN { while ((getline l < exc) > 0) { split(l, e, "\t"); if (e[1] == cap) why[e[2]] = e[3] } }
	function d(a, b) { a -= b; return a < 0 ? -a : a }
	FILENAME == ARGV[1] { t[$1] = $0; next }
	{ o[$1] = $0 }
	END {
		eq = 0; ne = 0; ex = 0; only_t = 0; only_o = 0; msg = ""
		for (k in t) {
			if (!(k in o)) { only_t++; split(t[k], a, " "); msg = msg "    tshark only: " k " pkts " a[4] "\n"; continue }
			split(t[k], a, " "); split(o[k], b, " ")
			bad = ""
			if (d(a[2], b[2]) > 0.00001 || d(a[3], b[3]) > 0.00001) bad = bad " time"
			if (a[4] != b[4]) bad = bad " pkts " a[4] "/" b[4]
			if (a[5] != b[5]) bad = bad " lost " a[5] "/" b[5]
			for (i = 6; i <= 11; i++) if (d(a[i], b[i]) > 0.01) bad = bad " col" i " " a[i] "/" b[i]
			if (a[12] != b[12]) bad = bad " problem"
			if (bad == "") eq++
			else if (k in why) { ex++; msg = msg "    explained: " k bad "\n      (" why[k] ")\n" }
			else { ne++; msg = msg "    differs: " k bad "\n" }
		}
		for (k in o) if (!(k in t)) { only_o++; split(o[k], b, " "); msg = msg "    ours only: " k " pkts " b[4] "\n" }
		printf "%-5s tshark %2d ours %2d equal %2d explained %d differ %d tshark-only %d ours-only %d\n", label, length(t), length(o), eq, ex, ne, only_t, only_o
		printf "%s", msg
		exit ne > 0
	}' "$1" "$2"
}

fail=0
for f in "$@"; do
	b=$(basename "$f")
	echo "== $b"
	"$TSHARK" -q -z rtp,streams -r "$f" >"$tmp/t.sdp" 2>/dev/null
	"$TSHARK" -q -z rtp,streams -o rtp.heuristic_rtp:TRUE -r "$f" >"$tmp/t.heur" 2>/dev/null
	opts=$(clocks "$f")
	"$rtpdump" --ws $opts "$f" >"$tmp/o.ws" || { echo "   rtpdump failed"; fail=1; continue; }
	"$rtpdump" $opts "$f" >"$tmp/o.spec" || fail=1
	norm "$tmp/t.sdp" >"$tmp/t1"; norm "$tmp/t.heur" >"$tmp/t2"
	norm "$tmp/o.ws" >"$tmp/o1"; norm "$tmp/o.spec" >"$tmp/o2"
	[ -n "$opts" ] && echo "   rtpdump$opts"
	compare "$tmp/t1" "$tmp/o1" sdp || fail=1
	compare "$tmp/t2" "$tmp/o1" heur || fail=1
	# our own loss: equal to Wireshark's unless that is negative
	join "$tmp/o1" "$tmp/o2" | awk '$5 >= 0 && $5 != $16 { print "    own lost differs: " $1 " ws " $5 " ours " $16; bad = 1 }
		$5 < 0 && $16 != 0 { print "    own lost not 0 where tshark negative: " $1 }' 
done
exit $fail
