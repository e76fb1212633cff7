#!/usr/bin/env bash
# bench/run.sh - sipscope against tshark, sngrep and a do-nothing libpcap loop.
#
# Builds bench/out/bin/{gencalls,floor}, generates (and caches) captures of
# 1k, 10k and 100k signalling-only calls, then for each capture runs, in one
# run and side by side:
#   floor     bench/floor F                      (libpcap read loop, no work)
#   sipscope  sipscope -q -r F --report stats    (or --report messages -T json
#                                                 -o /dev/null while stats is
#                                                 not implemented; said below)
#   tshark    tshark -q -z sip,stat -r F
#   sngrep    sngrep -N -q -l 1000000 -I F       (TERM set, stdin /dev/null)
# each under /usr/bin/time -f '%U %S %M' (user s, sys s, max RSS KB), and,
# when hyperfine is installed, a hyperfine run of the same commands for wall
# time.  Prints a table; --write-doc also rewrites doc/PERFORMANCE.md.
#
# Then it runs bench/run-rtp.sh (the RTP path on a ~1 GB capture, with its
# own section of doc/PERFORMANCE.md) unless --no-rtp is given.
#
# Usage: bench/run.sh [--write-doc] [--no-hyperfine] [--runs N] [--seed S]
#                     [--sizes "1000 10000 100000"] [--timeout SECONDS]
#                     [--no-rtp]
# Environment: SIPSCOPE=/path/to/sipscope or a build directory (default:
#   ../sipscope relative to bench/), BENCH_OUT (default bench/out), CC (cc),
#   RUNS, SIZES, SEED, BENCH_TIMEOUT as the options.
set -u -o pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(dirname "$BENCH")
OUT=${BENCH_OUT:-$BENCH/out}
CC=${CC:-cc}
SEED=${SEED:-1}
SIZES=${SIZES:-"1000 10000 100000"}
RUNS=${RUNS:-3}
TIMEOUT=${BENCH_TIMEOUT:-600}
WRITE_DOC=0
USE_HYPERFINE=1
RUN_RTP=${RUN_RTP:-1}   # then bench/run-rtp.sh (the RTP path); --no-rtp skips it
DOC=$TOP/doc/PERFORMANCE.md

usage() { sed -n '2,25p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
	case $1 in
	--write-doc) WRITE_DOC=1 ;;
	--no-hyperfine) USE_HYPERFINE=0 ;;
	--runs) RUNS=$2; shift ;;
	--seed) SEED=$2; shift ;;
	--sizes) SIZES=$2; shift ;;
	--timeout) TIMEOUT=$2; shift ;;
	--no-rtp) RUN_RTP=0 ;;
	-h|--help) usage; exit 0 ;;
	*) echo "run.sh: unknown option '$1'" >&2; usage >&2; exit 1 ;;
	esac
	shift
done

die() { echo "run.sh: $*" >&2; exit 1; }
say() { printf '%s\n' "$*" >&2; }

# ------------------------------------------------------------ prerequisites
[ -x /usr/bin/time ] || die "/usr/bin/time missing (apt-get install time)"
command -v tshark >/dev/null || die "tshark missing (apt-get install tshark)"
command -v sngrep >/dev/null || die "sngrep missing (apt-get install sngrep)"
[ -e /usr/include/pcap/pcap.h ] || die "libpcap headers missing (apt-get install libpcap-dev)"
if [ "$USE_HYPERFINE" = 1 ] && ! command -v hyperfine >/dev/null; then
	say "note: hyperfine not installed (apt-get install hyperfine): no wall-time runs"
	USE_HYPERFINE=0
fi

. "$BENCH/lib.sh"
resolve_sipscope

mkdir -p "$OUT/bin" "$OUT/logs" || die "cannot create $OUT"

# ------------------------------------------------------------ tools
build gencalls -lm
build floor -lpcap

# ------------------------------------------------------------ captures
pcap_of() { echo "$OUT/calls-$1-seed$SEED.pcap"; }
for n in $SIZES; do
	f=$(pcap_of "$n")
	if [ ! -s "$f" ] || [ "$OUT/bin/gencalls" -nt "$f" ]; then
		say "generating $n calls (seed $SEED) -> $f"
		"$OUT/bin/gencalls" -n "$n" --seed "$SEED" -o "$f.tmp" 2>"$f.info" ||
			die "gencalls failed: $(cat "$f.info")"
		mv "$f.tmp" "$f"
	fi
done
SMALLEST=$(printf '%s\n' $SIZES | sort -n | head -1)
LARGEST=$(printf '%s\n' $SIZES | sort -n | tail -1)

# ------------------------------------------------------------ sipscope mode
SIPSCOPE_REPORT=stats
probe_err=$OUT/logs/sipscope-stats-probe.err
if ! "$SIPSCOPE" -q -r "$(pcap_of "$SMALLEST")" --report stats >/dev/null 2>"$probe_err"; then
	if grep -qi 'not implemented' "$probe_err"; then
		SIPSCOPE_REPORT=messages
		say "NOTE: sipscope says: $(head -1 "$probe_err")"
		say "NOTE: measuring 'sipscope -q -r F --report messages -T json -o /dev/null' instead of --report stats"
	else
		die "sipscope --report stats failed: $(head -3 "$probe_err")"
	fi
fi

TOOLS="floor sipscope sipscope-calls tshark sngrep"
cmd_of() { # tool pcap -> sets CMD array
	case $1 in
	floor) CMD=("$OUT/bin/floor" "$2") ;;
	sipscope)
		# make pgo leaves pgo-data/built behind the profile-guided binary
stamp=$(dirname "$SIPSCOPE")/pgo-data/built
if [ -f "$stamp" ] && [ ! "$SIPSCOPE" -nt "$stamp" ]; then
	SSKIND='profile-guided (`make pgo`, as ./build.sh builds it)'
else
	SSKIND='plain build (not `make pgo`)'
fi
if [ "$SIPSCOPE_REPORT" = stats ]; then
			CMD=("$SIPSCOPE" -q -r "$2" --report stats)
		else
			CMD=("$SIPSCOPE" -q -r "$2" --report messages -T json -o /dev/null)
		fi ;;
	# the call list keeps what the stats report goes without (every
	# message's record, the leg links, the media layer) and prints a row
	# per call: what a dialog costs when everything is kept
	sipscope-calls) CMD=("$SIPSCOPE" -q -r "$2" --report calls -o /dev/null) ;;
	tshark) CMD=(tshark -q -z sip,stat -r "$2") ;;
	# -N: no ncurses interface, -q: no dialog counter, -l: keep every dialog
	# (the default capture.limit of 20000 would stop storing them); it exits at
	# the end of the file.  TERM must be set even without the interface.
	sngrep) CMD=(env TERM=xterm sngrep -N -q -l 1000000 -I "$2") ;;
	esac
}

# ------------------------------------------------------------ measure
RES=$OUT/results.tsv
: >"$RES"
# one /usr/bin/time run: tool n run -> appends "tool n run status user sys rss"
measure() {
	local tool=$1 n=$2 r=$3 f tf log rc status line u s m
	f=$(pcap_of "$n")
	cmd_of "$tool" "$f"
	tf=$OUT/logs/$tool-$n-$r.time
	log=$OUT/logs/$tool-$n-$r
	/usr/bin/time -f '%U %S %M' -o "$tf" timeout "$TIMEOUT" "${CMD[@]}" \
		>"$log.out" 2>"$log.err" </dev/null
	rc=$?
	line=$(tail -1 "$tf" 2>/dev/null)
	read -r u s m <<<"$line"
	case $rc in
	0) status=ok ;;
	124) status="timed out" ;;
	*) status="failed ($rc)" ;;
	esac
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$n" "$r" "$status" "${u:-0}" "${s:-0}" "${m:-0}" >>"$RES"
	say "  $(printf '%-8s %7s calls run %s: %-10s user %6s s  sys %6s s  maxrss %8s KB' \
		"$tool" "$n" "$r" "$status" "${u:-?}" "${s:-?}" "${m:-?}")"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
START=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
for n in $SIZES; do
	f=$(pcap_of "$n")
	cat "$f" >/dev/null   # into the page cache before anything is timed
	say "capture $n calls: $(cat "$f.info" 2>/dev/null | sed 's/^gencalls: //')"
	for r in $(seq 1 "$RUNS"); do
		for tool in $TOOLS; do
			# a tool that timed out is not run again on this capture
			if grep -q "^$tool	$n	.*	timed out	" "$RES"; then continue; fi
			measure "$tool" "$n" "$r"
		done
	done
	if [ "$USE_HYPERFINE" = 1 ]; then
		if [ "$n" -le 1000 ]; then hr=10; hw=2; elif [ "$n" -le 10000 ]; then hr=10; hw=1; else hr=4; hw=1; fi
		args=()
		for tool in $TOOLS; do
			if grep -q "^$tool	$n	.*	\(timed out\|failed\)" "$RES"; then continue; fi
			cmd_of "$tool" "$f"
			args+=(-n "$tool" "${CMD[*]}")
		done
		say "  hyperfine: $hr run(s) each, $hw warm-up"
		hyperfine -N --style basic --runs "$hr" --warmup "$hw" \
			--export-csv "$OUT/hyperfine-$n.csv" "${args[@]}" \
			>"$OUT/logs/hyperfine-$n.txt" 2>&1 ||
			say "  hyperfine failed: see $OUT/logs/hyperfine-$n.txt"
	fi
done
END=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# ------------------------------------------------------------ summarise
# median run (by user+sys) per tool and capture -> SUM: tool n status cpu rss user sys
SUM=$OUT/summary.tsv
awk -F'\t' '
	{ k = $1 "\t" $2; cnt[k]++; cpu = $5 + $6
	  v[k, cnt[k]] = sprintf("%.2f\t%s\t%s\t%s\t%s", cpu, $7, $5, $6, $4)
	  if (!(k in order)) { order[k] = ++no; keys[no] = k } }
	END {
		for (i = 1; i <= no; i++) {
			k = keys[i]; c = cnt[k]
			for (a = 1; a <= c; a++) for (b = a + 1; b <= c; b++) {
				split(v[k, a], x, "\t"); split(v[k, b], y, "\t")
				if (y[1] + 0 < x[1] + 0) { t = v[k, a]; v[k, a] = v[k, b]; v[k, b] = t }
			}
			split(v[k, int((c + 1) / 2)], m, "\t")
			printf "%s\t%s\t%s\t%s\t%s\t%s\n", k, m[5], m[1], m[2], m[3], m[4]
		}
	}' "$RES" >"$SUM"

get() { # tool n field(status|cpu|rss)
	awk -F'\t' -v t="$1" -v n="$2" -v f="$3" '$1 == t && $2 == n {
		if (f == "status") print $3; else if (f == "cpu") print $4; else if (f == "rss") print $5 }' "$SUM"
}
label() { case $1 in sipscope) [ "$SIPSCOPE_REPORT" = stats ] && echo "sipscope (stats)" || echo "sipscope (messages)" ;;
	sipscope-calls) echo "sipscope (calls)" ;; *) echo "$1" ;; esac; }
fmt_calls() { awk -v n="$1" 'BEGIN { if (n >= 1000 && n % 1000 == 0) print n / 1000 "k"; else print n }'; }

# markdown rows of the main table
main_rows() {
	for n in $SIZES; do
		fc=$(get floor "$n" cpu)
		for tool in $TOOLS; do
			st=$(get "$tool" "$n" status); cpu=$(get "$tool" "$n" cpu); rss=$(get "$tool" "$n" rss)
			[ -n "$st" ] || continue
			awk -v tool="$(label "$tool")" -v n="$(fmt_calls "$n")" -v st="$st" -v cpu="$cpu" \
				-v rss="$rss" -v fc="$fc" 'BEGIN {
				if (st != "ok") { printf "| %s | %s | %s | | |\n", tool, n, st; exit }
				if (fc + 0 >= 0.05) ratio = sprintf("%.1fx", cpu / fc)
				else ratio = "(floor < 0.05 s)"
				printf "| %s | %s | %.2f | %s | %.1f |\n", tool, n, cpu, ratio, rss / 1024
			}'
		done
	done
}
# per tool: CPU ratio on the largest capture and bytes per dialog
target_rows() {
	local span=$((LARGEST - SMALLEST))
	fc=$(get floor "$LARGEST" cpu)
	for tool in $TOOLS; do
		[ "$tool" = floor ] && continue
		awk -v tool="$(label "$tool")" -v sl="$(get "$tool" "$SMALLEST" status)" \
			-v sh="$(get "$tool" "$LARGEST" status)" -v rl="$(get "$tool" "$SMALLEST" rss)" \
			-v rh="$(get "$tool" "$LARGEST" rss)" -v cpu="$(get "$tool" "$LARGEST" cpu)" \
			-v fc="$fc" -v span="$span" -v nodlg="$([ "$tool" = sipscope ] && [ "$SIPSCOPE_REPORT" != stats ] && echo 1)" 'BEGIN {
			if (sh != "ok") { printf "| %s | %s | | | |\n", tool, sh; exit }
			if (fc + 0 >= 0.05) { ratio = sprintf("%.1fx", cpu / fc); cpuok = cpu / fc <= 3 ? "yes" : "no" }
			else { ratio = "n/a (floor < 0.05 s)"; cpuok = "n/a" }
			if (sl == "ok" && span > 0) { bpd = (rh - rl) * 1024 / span; b = sprintf("%.0f", bpd); memok = bpd <= 1024 ? "yes" : "no" }
			else { b = "n/a"; memok = "n/a" }
			if (nodlg) memok = "n/a (the messages report keeps no dialogs)"
			printf "| %s | %s | %s | %s | %s |\n", tool, ratio, cpuok, b, memok
		}'
	done
}
hf_rows() {
	for n in $SIZES; do
		csv=$OUT/hyperfine-$n.csv
		[ -s "$csv" ] || continue
		awk -F, -v n="$(fmt_calls "$n")" -v rep="$SIPSCOPE_REPORT" 'NR == 1 { next }
			{ t = $1; if (t == "sipscope") t = "sipscope (" rep ")"; if (t == "sipscope-calls") t = "sipscope (calls)"
			  if (t == "floor") fl = $5 + $6
			  printf "| %s | %s | %.3f | %.3f | %.3f | %.3f | %s |\n", t, n, $2, $3, $5, $6,
				(fl > 0 ? sprintf("%.1fx", ($5 + $6) / fl) : "") }' "$csv"
	done
}

table_text() {
	printf '%-20s %8s %10s %18s %10s\n' tool capture "CPU s" "ratio to floor" "RSS MB"
	for n in $SIZES; do
		fc=$(get floor "$n" cpu)
		for tool in $TOOLS; do
			st=$(get "$tool" "$n" status); [ -n "$st" ] || continue
			awk -v tool="$(label "$tool")" -v n="$(fmt_calls "$n")" -v st="$st" \
				-v cpu="$(get "$tool" "$n" cpu)" -v rss="$(get "$tool" "$n" rss)" -v fc="$fc" 'BEGIN {
				if (st != "ok") { printf "%-20s %8s %s\n", tool, n, st; exit }
				r = fc + 0 >= 0.05 ? sprintf("%.1fx", cpu / fc) : "(floor<0.05s)"
				printf "%-20s %8s %10.2f %18s %10.1f\n", tool, n, cpu, r, rss / 1024 }'
		done
	done
	echo
	printf '%-20s %18s %22s\n' tool "CPU/floor @$(fmt_calls "$LARGEST")" "bytes/dialog"
	target_rows | awk -F'|' '{ for (i = 2; i <= 5; i++) gsub(/^ +| +$/, "", $i); printf "%-20s %18s %22s\n", $2, $3, $5 }'
	echo "(bytes/dialog = (RSS($(fmt_calls "$LARGEST")) - RSS($(fmt_calls "$SMALLEST"))) * 1024 / $((LARGEST - SMALLEST)))"
}

echo
[ "$SIPSCOPE_REPORT" = stats ] ||
	echo "NOTE: sipscope --report stats is not implemented in this build; measured --report messages -T json -o /dev/null"
table_text
if [ "$USE_HYPERFINE" = 1 ]; then
	echo
	echo "hyperfine (see $OUT/hyperfine-*.csv):"
	echo "| tool | calls | wall mean s | wall stddev s | user s | sys s | CPU ratio to floor |"
	hf_rows
fi
echo
echo "raw runs: $RES; logs: $OUT/logs/"

# The RTP path has its own script and its own section of the document.
if [ "$RUN_RTP" = 1 ]; then
	RTP_ARGS=(--runs "$RUNS" --seed "$SEED" --timeout "$TIMEOUT")
	[ "$WRITE_DOC" = 1 ] && RTP_ARGS+=(--write-doc)
	SIPSCOPE=$SIPSCOPE BENCH_OUT=$OUT CC=$CC "$BENCH/run-rtp.sh" "${RTP_ARGS[@]}" ||
		say "run-rtp.sh failed: the RTP section is left as it was"
fi

[ "$WRITE_DOC" = 1 ] || exit 0
# bench/run-rtp.sh's section is kept as it is (see there).
RTP_SECTION=$(sed -n '/^<!-- rtp-bench begin/,/^<!-- rtp-bench end -->$/p' "$DOC" 2>/dev/null)

# ------------------------------------------------------------ the document
MODEL=$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)
MEM=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
OS=$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")
GITREV=$(git -C "$TOP" rev-parse --short HEAD 2>/dev/null || echo unknown)
SSV=$(ver "$SIPSCOPE" -V)
TSV=$(ver tshark --version)
SNV=$(ver sngrep -V)
HFV=$(command -v hyperfine >/dev/null && ver hyperfine --version || echo "not installed")
PCV=$(dpkg-query -W -f '${Version}' libpcap0.8 2>/dev/null || echo unknown)
CCV=$(ver "$CC" --version)

floor_pp() { # ", where the floor costs N ns per packet ..."
	local pk
	pk=$(sed -n 's/.* \([0-9]*\) packets, [0-9]* bytes, .*/\1/p' "$(pcap_of "$LARGEST").info")
	awk -v c="$(get floor "$LARGEST" cpu)" -v pk="$pk" 'BEGIN { if (pk > 0 && c >= 0.05)
		printf " (the floor costs %.0f ns of CPU per packet there, so 3x the floor leaves %.0f ns per packet for everything)", c * 1e9 / pk, 3 * c * 1e9 / pk }'
}

capture_rows() {
	for n in $SIZES; do
		f=$(pcap_of "$n")
		sed -n 's/^gencalls: seed \([0-9]*\), \([0-9]*\) calls, .* \([0-9]*\) packets, \([0-9]*\) bytes, \([0-9]*\) s of traffic, up to \([0-9]*\) calls at once$/\2 \3 \4 \5 \6/p' "$f.info" |
			awk -v name="$(basename "$f")" -v ts="$(sed -n 's/^Number of SIP messages: *//p' "$OUT/logs/tshark-$n-1.out" 2>/dev/null)" \
				'{ printf "| %s | %s | %d | %s | %.1f | %d | %d |\n", name, $1, $2, ts, $3 / 1048576, $4, $5 }'
	done
}

if [ "$SIPSCOPE_REPORT" = stats ]; then
	SS_CMD='sipscope -q -r F --report stats'
	SS_NOTE='sipscope was measured with its stats report.'
else
	SS_CMD='sipscope -q -r F --report messages -T json -o /dev/null'
	SS_NOTE="**sipscope was measured with \`--report messages -T json -o /dev/null\`, not \`--report stats\`:** this build answers \`$(head -1 "$probe_err" | sed 's/`//g')\`. The messages report decodes and renders every SIP message as JSON but correlates nothing, so its memory does not grow with dialogs the way a stats report will; its numbers are a baseline for the decoding cost, not for the dialog targets. Re-run \`bench/run.sh --write-doc\` once stats exists."
fi

{
cat <<EOF
# sipscope performance

Written by \`bench/run.sh --write-doc\` on $END; do not edit by hand, re-run it.
How the benchmark works and how to run it: \`bench/README\`.

$SS_NOTE

## Targets

- CPU (user + sys) at most **3x the floor**, the floor being a libpcap loop
  that reads every record and does nothing with it (\`bench/floor.c\`).
- At most **1 KB of resident memory per dialog**, measured as
  (peak RSS at $(fmt_calls "$LARGEST") calls - peak RSS at $(fmt_calls "$SMALLEST") calls) / $((LARGEST - SMALLEST)).

## Results

CPU s is user + sys from \`/usr/bin/time -f '%U %S %M'\` (10 ms resolution)$( [ "$RUNS" -gt 1 ] && echo ", the median of $RUNS runs" ), RSS is its
peak resident set size (of that run). Every capture was read from the page cache.
The floor needs less than the timer's resolution on the small captures, so
their ratios are in the hyperfine table below.

| tool | calls | CPU s | ratio to floor | peak RSS MB |
| --- | --- | --- | --- | --- |
$(main_rows)

Against the targets, on the $(fmt_calls "$LARGEST")-call capture$(floor_pp):

| tool | CPU / floor | <= 3x | bytes per dialog | <= 1024 |
| --- | --- | --- | --- | --- |
$(target_rows)

EOF
if [ "$USE_HYPERFINE" = 1 ]; then
cat <<EOF
Wall time from hyperfine ($HFV, \`-N\`, 10 runs at 1k calls (2 warm-up), 10 at 10k and 4 above (1 warm-up);
mean and standard deviation in seconds; user and sys are hyperfine's means, finer
than \`/usr/bin/time\`, so its ratio is the one to read for the small captures).
Wall time is the less trustworthy number here (see "Machine").

| tool | calls | wall mean s | wall stddev s | user s | sys s | CPU ratio to floor |
| --- | --- | --- | --- | --- | --- | --- |
$(hf_rows)

EOF
fi
cat <<EOF
## Captures

Made by \`bench/gencalls -n N --seed $SEED\` (Ethernet/IPv4/UDP, signalling only;
see \`bench/README\` for the mix of outcomes, REGISTER and OPTIONS traffic).

| file | calls | packets | SIP messages seen by tshark | MiB | seconds of traffic | most calls at once |
| --- | --- | --- | --- | --- | --- | --- |
$(capture_rows)

Every packet is one SIP message. tshark misses a few because it hands some UDP
ports to other dissectors by port number before trying SIP (the phones' random
high ports include, for example, 24576, which it decodes as MINT). sipscope
counts every packet as a SIP message (\`sipscope -v\`).

## Commands

Each capture is measured with these, one after the other, in one run:

| tool | command |
| --- | --- |
| floor | \`bench/out/bin/floor F\` |
| sipscope | \`$SS_CMD\` |
| sipscope (calls) | \`sipscope -q -r F --report calls -o /dev/null\` |
| tshark | \`tshark -q -z sip,stat -r F\` |
| sngrep | \`TERM=xterm sngrep -N -q -l 1000000 -I F\` (stdin /dev/null) |

The two sipscope rows are two ends of what a dialog costs. The stats report
reads neither the per-message records nor the B2BUA leg links, so for it the
correlator keeps neither (\`ss_corr_keep\`, doc/signalling-cpu.md, round 5);
the targets are for this row, as the issue sets them. The call list keeps
every message's record (24 bytes each, what ladders, \`-w\` and the message
selection read), the links and the media layer, and formats a row per call:
its figures are the cost of the whole model, printing included.

sngrep: \`-N\` runs it without its ncurses interface, \`-q\` drops the running
dialog counter, and it exits by itself at the end of the file; it still wants
\`TERM\` set. \`-l 1000000\` lifts its default \`capture.limit\` of 20000
dialogs, past which it stops storing new dialogs, which would hide its memory
growth on the 100k capture.

## Machine

| | |
| --- | --- |
| CPU | $MODEL |
| cores (\`nproc\`) | $(nproc) |
| memory | $MEM |
| kernel | $(uname -r) |
| OS | $OS |
| sipscope | $SSV (binary \`$SIPSCOPE\` built $(date -u -r "$SIPSCOPE" '+%Y-%m-%d %H:%M UTC'), $SSKIND; source tree HEAD $GITREV when run) |
| tshark | $TSV |
| sngrep | $SNV |
| hyperfine | $HFV |
| libpcap | $PCV |
| compiler (helpers) | $CCV |
| run | $START to $END |
| load average | $LOAD_BEFORE before, $LOAD_AFTER after |

sngrep reads the file in a second thread while its main thread sleeps in
steps of 500 ms (clock_nanosleep, seen with strace) until that thread is done,
so its wall time is rounded up to the next half second: about 0.5 s on 1k calls
for under 0.2 s of CPU. Another reason to read CPU time.

The machine has 2 cores shared with other engineers, who run fuzzers on them
during the benchmark. Wall time is therefore noisy and the tables lead with
CPU time (user + sys), which is much less affected by what else runs; even CPU
time can move by some percent with cache and memory-bandwidth contention.
Numbers from runs on different days are not comparable to a few percent.
EOF
} >"$DOC.tmp" && mv "$DOC.tmp" "$DOC"
say "wrote $DOC"
[ -z "$RTP_SECTION" ] || printf '\n%s\n' "$RTP_SECTION" >>"$DOC"
