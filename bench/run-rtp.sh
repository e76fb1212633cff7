#!/usr/bin/env bash
# bench/run-rtp.sh - the media path: sipscope's RTP report against tshark's
# rtp,streams and a do-nothing libpcap loop, on a ~1 GB RTP-heavy capture.
#
# Builds bench/out/bin/{genrtp,floor}, generates (and caches) a capture of
# --calls calls (default 550: ~1 GB, ~4.6 M packets, almost all RTP) and a
# small one (--check-calls, default 40) for the sanity check, then:
#   check     tests/tshark-rtp.py on the small capture: every stream tshark
#             lists must agree with sipscope's (packets, loss, jitter, delta
#             to 0.01 ms); refuses to time anything if they differ
#   timing    side by side, in one run, on the big capture:
#     floor     bench/out/bin/floor F            (libpcap read loop)
#     sipscope  sipscope --report rtp -r F -q    (stdout to a log)
#     tshark    tshark -q -z rtp,streams -r F
#     sngrep    sngrep -N -q -l 1000000 -I F     (no RTP report: see the doc)
#   each under /usr/bin/time -f '%U %S %M'; floor and sipscope --runs times
#   (median by CPU kept), tshark and sngrep --slow-runs times (default 1);
#   then the big capture's stream and packet totals of sipscope (JSON) and
#   tshark (from its timed run) are compared.
# Prints a table; --write-doc also replaces the RTP section of
# doc/PERFORMANCE.md (between its rtp-bench markers; appended if missing).
# bench/run.sh runs this too, after the signalling benchmark.
#
# Usage: bench/run-rtp.sh [--write-doc] [--runs N] [--slow-runs N]
#          [--calls N] [--check-calls N] [--seed S] [--timeout SECONDS]
# Environment: SIPSCOPE (binary or build directory, default ../sipscope),
#   BENCH_OUT (default bench/out), CC, and RTP_CALLS, RTP_CHECK_CALLS, RUNS,
#   SLOW_RUNS, SEED, BENCH_TIMEOUT as the options.
set -u -o pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(dirname "$BENCH")
OUT=${BENCH_OUT:-$BENCH/out}
CC=${CC:-cc}
SEED=${SEED:-1}
CALLS=${RTP_CALLS:-550}
CHECK_CALLS=${RTP_CHECK_CALLS:-40}
RUNS=${RUNS:-3}
SLOW_RUNS=${SLOW_RUNS:-1}
TIMEOUT=${BENCH_TIMEOUT:-600}
WRITE_DOC=0
DOC=$TOP/doc/PERFORMANCE.md
BEGIN_MARK='<!-- rtp-bench begin: written by bench/run-rtp.sh -->'
END_MARK='<!-- rtp-bench end -->'

usage() { sed -n '2,28p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
	case $1 in
	--write-doc) WRITE_DOC=1 ;;
	--runs) RUNS=$2; shift ;;
	--slow-runs) SLOW_RUNS=$2; shift ;;
	--calls) CALLS=$2; shift ;;
	--check-calls) CHECK_CALLS=$2; shift ;;
	--seed) SEED=$2; shift ;;
	--timeout) TIMEOUT=$2; shift ;;
	--no-hyperfine) ;;   # accepted for bench/run.sh's sake; no wall-time runs here
	-h|--help) usage; exit 0 ;;
	*) echo "run-rtp.sh: unknown option '$1'" >&2; usage >&2; exit 1 ;;
	esac
	shift
done

die() { echo "run-rtp.sh: $*" >&2; exit 1; }
say() { printf '%s\n' "$*" >&2; }

[ -x /usr/bin/time ] || die "/usr/bin/time missing (apt-get install time)"
command -v tshark >/dev/null || die "tshark missing (apt-get install tshark)"
command -v python3 >/dev/null || die "python3 missing (the sanity check needs it)"
[ -e /usr/include/pcap/pcap.h ] || die "libpcap headers missing (apt-get install libpcap-dev)"
HAVE_SNGREP=1
command -v sngrep >/dev/null || { HAVE_SNGREP=0; say "note: sngrep not installed: no sngrep row"; }

. "$BENCH/lib.sh"
resolve_sipscope

mkdir -p "$OUT/bin" "$OUT/logs" || die "cannot create $OUT"

build genrtp -lm
build floor -lpcap

pcap_of() { echo "$OUT/rtp-$1-seed$SEED.pcap"; }
for n in "$CHECK_CALLS" "$CALLS"; do
	f=$(pcap_of "$n")
	if [ ! -s "$f" ] || [ "$OUT/bin/genrtp" -nt "$f" ]; then
		say "generating $n RTP calls (seed $SEED) -> $f"
		"$OUT/bin/genrtp" -n "$n" --seed "$SEED" -o "$f.tmp" 2>"$f.info" ||
			die "genrtp failed: $(cat "$f.info")"
		mv "$f.tmp" "$f"
	fi
done
F=$(pcap_of "$CALLS")
FC=$(pcap_of "$CHECK_CALLS")

# ------------------------------------------------------------ sanity check
say "checking sipscope against tshark on $(basename "$FC")"
CHECK_LOG=$OUT/logs/rtp-check.txt
python3 "$TOP/tests/tshark-rtp.py" "$SIPSCOPE" "$TOP/tests/tshark-rtp-exceptions.txt" "$FC" \
	>"$CHECK_LOG" 2>&1
rc=$?
CHECK_LINE=$(grep '^rtp: ' "$CHECK_LOG" | tail -1)
[ "$rc" = 0 ] || die "sipscope and tshark disagree on $FC (exit $rc): see $CHECK_LOG"
say "  $CHECK_LINE"

# ------------------------------------------------------------ measure
TOOLS="floor sipscope tshark"
[ "$HAVE_SNGREP" = 1 ] && TOOLS="$TOOLS sngrep"
cmd_of() { # tool -> CMD
	case $1 in
	floor) CMD=("$OUT/bin/floor" "$F") ;;
	sipscope) CMD=("$SIPSCOPE" --report rtp -r "$F" -q) ;;
	tshark) CMD=(tshark -q -z rtp,streams -r "$F") ;;
	sngrep) CMD=(env TERM=xterm sngrep -N -q -l 1000000 -I "$F") ;;
	esac
}
RES=$OUT/rtp-results.tsv
: >"$RES"
measure() { # tool run
	local tool=$1 r=$2 tf log rc status u s m
	cmd_of "$tool"
	tf=$OUT/logs/rtp-$tool-$r.time
	log=$OUT/logs/rtp-$tool-$r
	/usr/bin/time -f '%U %S %M' -o "$tf" timeout "$TIMEOUT" "${CMD[@]}" \
		>"$log.out" 2>"$log.err" </dev/null
	rc=$?
	read -r u s m <<<"$(tail -1 "$tf" 2>/dev/null)"
	case $rc in 0) status=ok ;; 124) status="timed out" ;; *) status="failed ($rc)" ;; esac
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$r" "$status" "${u:-0}" "${s:-0}" "${m:-0}" >>"$RES"
	say "  $(printf '%-8s run %s: %-10s user %6s s  sys %6s s  maxrss %8s KB' \
		"$tool" "$r" "$status" "${u:-?}" "${s:-?}" "${m:-?}")"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
START=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
cat "$F" >/dev/null   # into the page cache before anything is timed
say "capture: $(sed 's/^genrtp: //' "$F.info")"
MAXR=$RUNS; [ "$SLOW_RUNS" -gt "$MAXR" ] && MAXR=$SLOW_RUNS
for r in $(seq 1 "$MAXR"); do
	for tool in $TOOLS; do
		case $tool in floor|sipscope) [ "$r" -le "$RUNS" ] || continue ;;
		*) [ "$r" -le "$SLOW_RUNS" ] || continue ;; esac
		grep -q "^$tool	.*	timed out	" "$RES" && continue
		measure "$tool" "$r"
	done
done
END=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# median by user+sys -> tool status cpu rss user sys runs
SUM=$OUT/rtp-summary.tsv
awk -F'\t' '
	{ t = $1; c[t]++; v[t, c[t]] = sprintf("%.2f\t%s\t%s\t%s\t%s", $4 + $5, $6, $4, $5, $3)
	  if (!(t in seen)) { seen[t] = 1; order[++no] = t } }
	END { for (i = 1; i <= no; i++) { t = order[i]; n = c[t]
		for (a = 1; a <= n; a++) for (b = a + 1; b <= n; b++) {
			split(v[t, a], x, "\t"); split(v[t, b], y, "\t")
			if (y[1] + 0 < x[1] + 0) { s = v[t, a]; v[t, a] = v[t, b]; v[t, b] = s } }
		split(v[t, int((n + 1) / 2)], m, "\t")
		printf "%s\t%s\t%s\t%s\t%s\t%s\t%d\n", t, m[5], m[1], m[2], m[3], m[4], n } }' "$RES" >"$SUM"
get() { awk -F'\t' -v t="$1" -v f="$2" '$1 == t { i = f == "status" ? 2 : f == "cpu" ? 3 : f == "rss" ? 4 : f == "user" ? 5 : f == "sys" ? 6 : 7; print $i }' "$SUM"; }

# ------------------------------------------------------------ agreement on F
# tshark's table from its timed run; sipscope's JSON from one untimed run.
say "comparing stream totals on $(basename "$F")"
"$SIPSCOPE" --report rtp -T json -r "$F" -q >"$OUT/logs/rtp-sipscope.json" 2>/dev/null ||
	die "sipscope --report rtp -T json failed on $F"
AGREE=$(python3 - "$OUT/logs/rtp-tshark-1.out" "$OUT/logs/rtp-sipscope.json" <<'EOF'
import json, re, sys
ts = {}
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) < 17 or not re.match(r"^\d+\.\d+$", f[0]):
        continue
    pct = next(i for i, x in enumerate(f) if re.match(r"^\(.*%\)$", x))
    ts["%s:%s>%s:%s/%s" % (f[2], f[3], f[4], f[5], f[6].upper().replace("0X", "0x"))] = (int(f[pct - 2]), int(f[pct - 1]))
ss = {}
for line in open(sys.argv[2]):
    s = json.loads(line)
    ss["%s>%s/%s" % (s["src"], s["dst"], s["ssrc"])] = (s["packets"], s["lost"])
same = sum(1 for k in ts if ss.get(k) == ts[k])
print("%d %d %d %d %d %d %d" % (len(ts), sum(p for p, _ in ts.values()), sum(l for _, l in ts.values()),
      len(ss), sum(p for p, _ in ss.values()), sum(l for _, l in ss.values()), same))
EOF
) || die "cannot compare stream totals"
read -r T_STREAMS T_PKTS T_LOST S_STREAMS S_PKTS S_LOST SAME <<<"$AGREE"
say "  tshark: $T_STREAMS streams, $T_PKTS packets, $T_LOST lost; sipscope: $S_STREAMS streams, $S_PKTS packets, $S_LOST lost; $SAME streams identical in packets and loss"

# ------------------------------------------------------------ table
PKTS=$(sed -n 's/.*, \([0-9]*\) packets (.*/\1/p' "$F.info")
FLOOR_CPU=$(get floor cpu)
label() { case $1 in sngrep) echo "sngrep (no RTP report)" ;; *) echo "$1" ;; esac; }
rows() { # fmt: text or md
	for tool in $TOOLS; do
		awk -v fmt="$1" -v tool="$(label "$tool")" -v st="$(get "$tool" status)" \
			-v cpu="$(get "$tool" cpu)" -v u="$(get "$tool" user)" -v s="$(get "$tool" sys)" \
			-v rss="$(get "$tool" rss)" -v n="$(get "$tool" runs)" -v fc="$FLOOR_CPU" -v pk="$PKTS" 'BEGIN {
			if (st != "ok") { if (fmt == "md") printf "| %s | %s | | | | | | |\n", tool, st; else printf "%-24s %s\n", tool, st; exit }
			r = fc > 0 ? sprintf("%.1fx", cpu / fc) : "n/a"
			ns = pk > 0 ? sprintf("%.0f", cpu * 1e9 / pk) : "n/a"
			if (fmt == "md") printf "| %s | %d | %.2f | %.2f | %.2f | %s | %s | %.1f |\n", tool, n, u, s, cpu, ns, r, rss / 1024
			else printf "%-24s %4d %8.2f %8.2f %8.2f %8s %8s %9.1f\n", tool, n, u, s, cpu, ns, r, rss / 1024 }'
	done
}
echo
printf '%-24s %4s %8s %8s %8s %8s %8s %9s\n' tool runs "user s" "sys s" "CPU s" "ns/pkt" "x floor" "RSS MB"
rows text
echo "capture: $(basename "$F"): $(sed 's/^genrtp: //' "$F.info")"
echo "check: $CHECK_LINE"
echo "raw runs: $RES; logs: $OUT/logs/rtp-*"

[ "$WRITE_DOC" = 1 ] || exit 0

# ------------------------------------------------------------ the document
SS_RATIO=$(awk -v c="$(get sipscope cpu)" -v f="$FLOOR_CPU" 'BEGIN { printf "%.1f", (f > 0 ? c / f : 0) }')
SS_OK=$(awk -v r="$SS_RATIO" 'BEGIN { print (r + 0 <= 3 && r + 0 > 0) ? "meets" : "does not meet" }')
INFO=$(sed 's/^genrtp: //' "$F.info")
CINFO=$(sed 's/^genrtp: //' "$FC.info")
MIB=$(awk -v b="$(stat -c %s "$F")" 'BEGIN { printf "%.0f", b / 1048576 }')
SNGREP_NOTE="sngrep was not installed."
[ "$HAVE_SNGREP" = 1 ] && SNGREP_NOTE="sngrep ($(ver sngrep -V)) has no non-interactive mode that reports RTP: \`sngrep -h\` offers \`-N\` (no interface) and \`-q\`, which print nothing about streams, and \`-r\` only keeps RTP payloads for its interface. Its row is \`TERM=xterm sngrep -N -q -l 1000000 -I F\` (stdin /dev/null): the cost of reading the capture into its call model, RTP streams included, with no report at the end; it is not an equivalent of the other two."
SECTION=$(cat <<EOF
$BEGIN_MARK
## RTP path

Written by \`bench/run-rtp.sh --write-doc\` on $END (also run by
\`bench/run.sh\`); do not edit by hand. Target: **at most 3x the floor** on a
~1 GB RTP-heavy capture (issue item "Speed"; tshark rtp,streams needs about
40x, sngrep about 100x).

Capture \`$(basename "$F")\`, $MIB MiB, made by \`bench/genrtp -n $CALLS --seed $SEED\`:
$INFO. Ethernet/IPv4/UDP; every call is INVITE/100/180/200 with SDP
(PCMU or PCMA and telephone-event), ACK, G.711 RTP both ways at 20 ms
(172-byte UDP payloads) with per-stream delay, exponential jitter, rare
spikes and 0-1% loss (1 stream in 20 with a loss burst), DTMF events on 1
call in 5, RTCP SR/RR + SDES every 5 s on 1 call in 2, BYE/200
(\`bench/genrtp.c\` documents the mix).

Before timing, \`tests/tshark-rtp.py\` compared sipscope with tshark on
\`$(basename "$FC")\` ($CINFO): $CHECK_LINE.
On the big capture tshark's timed run lists $T_STREAMS streams, $T_PKTS RTP packets, $T_LOST lost;
sipscope's report lists $S_STREAMS streams, $S_PKTS packets, $S_LOST lost; $SAME of tshark's
streams have identical packet and loss counts in sipscope's. (genrtp's own
count of lost packets can be higher: a loss at the very end of a stream is
invisible to any receiver.)

CPU is user + sys from \`/usr/bin/time -f '%U %S %M'\` (10 ms resolution), the
median of the runs shown; RSS is that run's peak resident set size; the
capture was read from the page cache. ns/pkt is CPU per packet of the file
($PKTS packets).

| tool | runs | user s | sys s | CPU s | ns/pkt | ratio to floor | peak RSS MB |
| --- | --- | --- | --- | --- | --- | --- | --- |
$(rows md)

sipscope **$SS_OK** the target here: ${SS_RATIO}x the floor.

| tool | command |
| --- | --- |
| floor | \`bench/out/bin/floor F\` |
| sipscope | \`sipscope --report rtp -r F -q\` (stdout to a file) |
| tshark | \`tshark -q -z rtp,streams -r F\` |
| sngrep | \`TERM=xterm sngrep -N -q -l 1000000 -I F\` |

$SNGREP_NOTE

Run: $START to $END, load average $LOAD_BEFORE before, $LOAD_AFTER after;
sipscope \`$SIPSCOPE\` ($(ver "$SIPSCOPE" -V), built $(date -u -r "$SIPSCOPE" '+%Y-%m-%d %H:%M UTC'), source tree HEAD $(git -C "$TOP" rev-parse --short HEAD 2>/dev/null || echo unknown));
$(ver tshark --version | sed 's/\.$//'); machine as in "Machine" below, or:
$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1), $(nproc) cores, shared.
$END_MARK
EOF
)
if [ -f "$DOC" ] && grep -qxF "$BEGIN_MARK" "$DOC"; then
	SEC=$SECTION awk -v b="$BEGIN_MARK" -v e="$END_MARK" '
		$0 == b { print ENVIRON["SEC"]; skip = 1; next }
		skip && $0 == e { skip = 0; next }
		!skip' "$DOC" >"$DOC.tmp" && mv "$DOC.tmp" "$DOC"
else
	{ [ -f "$DOC" ] && cat "$DOC" && echo; printf '%s\n' "$SECTION"; } >"$DOC.tmp" && mv "$DOC.tmp" "$DOC"
fi
say "wrote the RTP section of $DOC"
