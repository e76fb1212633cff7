#!/bin/sh
# Command-line behaviour: inputs (stdin, several files, pcap/pcapng in
# both byte orders, µs and ns), exit codes and error messages (SPEC: 0 ok,
# 1 usage, 2 input error; "sipscope: <what>: <why>" on stderr), and damaged
# captures (read up to the damage, reported, exit 0 unless --strict).
srcdir=${top_srcdir:-.}
builddir=${top_builddir:-.}
SIPSCOPE=${SIPSCOPE:-$PWD/sipscope}
PCAPCONV=$builddir/tests/pcapconv
sample=$srcdir/samples/basic-call.pcap
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0

check() {	# check NAME COND-DESCRIPTION -- evaluated by caller via $?
	if [ "$1" = ok ]; then
		pass=$((pass + 1))
		echo "ok   $2"
	else
		fail=$((fail + 1))
		echo "FAIL $2"
		[ -f "$tmp/err" ] && head -5 "$tmp/err"
	fi
}

# expect RC STDERR-PATTERN NAME -- ARGS...: run sipscope, check status and stderr
expect() {
	want_rc=$1 pat=$2 name=$3
	shift 4
	"$SIPSCOPE" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	if [ "$rc" = "$want_rc" ] && { [ -z "$pat" ] || grep -q -- "$pat" "$tmp/err"; }; then
		check ok "$name"
	else
		echo "  exit $rc (wanted $want_rc), stderr pattern '$pat'"
		check no "$name"
	fi
}

expect 1 "no input" "no input is a usage error" -- -N
expect 1 "unknown format" "unknown -T is a usage error" -- -r "$sample" -T yaml
expect 1 "unknown report" "unknown report is a usage error" -- -r "$sample" --report nope
expect 1 "no such threshold" "unknown --threshold is a usage error" -- -r "$sample" --threshold volume=3
expect 1 "NAME=NUMBER" "--threshold without a number is a usage error" -- -r "$sample" --threshold loss=x
expect 0 "" "--report rtp,diagnose on a capture without RTP" -- -r "$sample" --report rtp,diagnose
expect 1 "not implemented" "a contract option not built yet says so" -- -r "$sample" --split 10
expect 1 "not a port" "bad --sip-port" -- -r "$sample" --sip-port 70000
expect 2 "sipscope: $tmp/missing.pcap: " "missing file is an input error" -- -r "$tmp/missing.pcap"
printf 'this is not a capture at all, just text\n' >"$tmp/text.pcap"
expect 2 "not a pcap or pcapng capture" "non-capture file is an input error" -- -r "$tmp/text.pcap"
: >"$tmp/empty.pcap"
expect 2 "sipscope: $tmp/empty.pcap: " "empty file is an input error" -- -r "$tmp/empty.pcap"
expect 2 "bad filter" "bad BPF filter is an input error" -- -r "$sample" "not a filter ((("
expect 0 "" "--help" -- --help
expect 0 "" "--version" -- -V
grep -q '^sipscope ' "$tmp/out" && check ok "version printed" || check no "version printed"

# The reference output every container variant must reproduce exactly.
"$SIPSCOPE" -r "$sample" --report messages -T json >"$tmp/ref" 2>"$tmp/err"
n=$(wc -l <"$tmp/ref")
[ "$n" -gt 0 ] && check ok "sample has $n messages" || check no "sample has messages"

"$SIPSCOPE" -r - --report messages -T json <"$sample" >"$tmp/out" 2>"$tmp/err"
cmp -s "$tmp/ref" "$tmp/out" && check ok "-r - reads stdin" || check no "-r - reads stdin"

for mode in swap nsec ng ng-be; do
	"$PCAPCONV" "$mode" "$sample" "$tmp/v.$mode" &&
		"$SIPSCOPE" -r "$tmp/v.$mode" --report messages -T json >"$tmp/out" 2>"$tmp/err" &&
		cmp -s "$tmp/ref" "$tmp/out" && check ok "variant $mode reads identically" ||
		check no "variant $mode reads identically"
done

# Two inputs are merged in time order: every message twice, times sorted.
"$SIPSCOPE" -r "$sample" -r "$tmp/v.ng-be" --report messages -T csv >"$tmp/out" 2>"$tmp/err"
rows=$(($(wc -l <"$tmp/out") - 1))
sort -c -t, -k1,1 "$tmp/out" 2>/dev/null
sorted=$?
tail -n +2 "$tmp/out" | cut -d, -f1 | sort -c && [ "$rows" -eq $((2 * n)) ] &&
	check ok "two -r merged in time order ($rows rows)" || check no "two -r merged in time order ($rows rows, sorted=$sorted)"

# A capture cut in the middle of a record: what came before is kept,
# the damage is reported, exit 0; --strict makes it exit 2.
size=$(wc -c <"$sample")
head -c $((size - 7)) "$sample" >"$tmp/cut.pcap"
expect 0 "damaged capture after" "truncated capture is read up to the damage" -- -r "$tmp/cut.pcap" --report messages -T json
got=$(wc -l <"$tmp/out")
[ "$got" -ge $((n - 1)) ] && [ "$got" -le "$n" ] && check ok "messages before the damage kept ($got of $n)" ||
	check no "messages before the damage kept ($got of $n)"
expect 2 "damaged capture after" "--strict turns damage into exit 2" -- -r "$tmp/cut.pcap" --strict

# -o writes the report to a file; an unwritable path is an input error.
"$SIPSCOPE" -r "$sample" --report messages -T json -o "$tmp/o.json" 2>"$tmp/err"
cmp -s "$tmp/ref" "$tmp/o.json" && check ok "-o writes the report" || check no "-o writes the report"
expect 2 "sipscope: $tmp/nodir/x: " "unwritable -o is an error" -- -r "$sample" -o "$tmp/nodir/x"

# A BPF filter on a file selects packets: port 9 matches nothing.
"$SIPSCOPE" -r "$sample" --report messages -T json udp port 9 >"$tmp/out" 2>"$tmp/err"
[ ! -s "$tmp/out" ] && check ok "trailing BPF filter applies to files" || check no "trailing BPF filter applies to files"

# JSON lines carry every SPEC key.
for k in time src dst transport call_id method code cseq size malformed; do
	grep -q "\"$k\":" "$tmp/ref" || { check no "json key $k"; continue; }
	check ok "json key $k"
done

# -w writes the packets of the selected dialogs to a pcap that reads back
# (with tshark too, when it is installed); without a selection it works on
# standard input as well.
s302=$srcdir/samples/redirect-302.pcap
"$SIPSCOPE" -r "$s302" -f state=DIVERTED -w "$tmp/w.pcap" >/dev/null 2>"$tmp/err"
got=$("$SIPSCOPE" -r "$tmp/w.pcap" --report messages -T csv 2>/dev/null | tail -n +2 | wc -l)
[ "$got" -eq 4 ] && check ok "-w wrote the 4 packets of the selected dialog" ||
	check no "-w wrote the 4 packets of the selected dialog (got $got)"
if command -v tshark >/dev/null 2>&1; then
	got=$(tshark -r "$tmp/w.pcap" -Y sip 2>/dev/null | wc -l)
	[ "$got" -eq 4 ] && check ok "tshark reads the -w pcap ($got SIP)" ||
		check no "tshark reads the -w pcap ($got SIP)"
fi
"$SIPSCOPE" -r - -w "$tmp/w2.pcap" <"$sample" >/dev/null 2>"$tmp/err"
"$SIPSCOPE" -r "$tmp/w2.pcap" --report messages -T json 2>/dev/null | cut -d, -f3- >"$tmp/a"
cut -d, -f3- "$tmp/ref" >"$tmp/b"
cmp -s "$tmp/a" "$tmp/b" && check ok "-w from stdin keeps every SIP packet" ||
	check no "-w from stdin keeps every SIP packet"
# Standard input cannot be read twice: a selection there is served from
# the bounded spool, and gives what the file gives.
"$SIPSCOPE" -r - -f state=DIVERTED -w "$tmp/w3.pcap" --report messages -T json \
	<"$s302" >"$tmp/a" 2>"$tmp/err"
"$SIPSCOPE" -r "$s302" -f state=DIVERTED --report messages -T json >"$tmp/b" 2>>"$tmp/err"
cmp -s "$tmp/a" "$tmp/b" && [ -s "$tmp/a" ] && check ok "selection on stdin is served from the spool" ||
	check no "selection on stdin is served from the spool"
cmp -s "$tmp/w.pcap" "$tmp/w3.pcap" && check ok "-w with a selection on stdin writes what the file gives" ||
	check no "-w with a selection on stdin writes what the file gives"
expect 2 "" "-w to an unwritable path fails" -- -r "$sample" -w "$tmp/nodir/w.pcap"
# -w takes the selected calls' RTP and RTCP along: two captures merged,
# one call selected; what is written gives that call's streams and
# nothing of the other's.
rc=$srcdir/samples/rtp-rtcp.pcap
ow=$srcdir/samples/diag-one-way.pcap
cid=$("$SIPSCOPE" -r "$rc" --report calls -T csv 2>/dev/null | tail -n 1 | cut -d, -f1)
"$SIPSCOPE" -r "$ow" -r "$rc" --call "$cid" -w "$tmp/wm.pcap" >/dev/null 2>"$tmp/err"
"$SIPSCOPE" -r "$tmp/wm.pcap" --report rtp -T json >"$tmp/a" 2>>"$tmp/err"
"$SIPSCOPE" -r "$rc" --report rtp -T json >"$tmp/b" 2>>"$tmp/err"
frames_in=$(tcpdump -r "$rc" udp 2>/dev/null | wc -l)
frames_out=$(tcpdump -r "$tmp/wm.pcap" 2>/dev/null | wc -l)
cmp -s "$tmp/a" "$tmp/b" && [ -s "$tmp/a" ] && grep -q '"rtcp":{' "$tmp/a" &&
	check ok "-w keeps the selected call's RTP and RTCP ($frames_out frames)" ||
	check no "-w keeps the selected call's RTP and RTCP"
if command -v tcpdump >/dev/null 2>&1; then
	[ "$frames_in" -eq "$frames_out" ] &&
		check ok "-w wrote exactly that call's $frames_in UDP frames" ||
		check no "-w wrote $frames_out frames, the call has $frames_in"
fi
"$SIPSCOPE" -r - -w "$tmp/wm2.pcap" <"$rc" >/dev/null 2>>"$tmp/err"
"$SIPSCOPE" -r "$tmp/wm2.pcap" --report rtp -T json >"$tmp/a" 2>>"$tmp/err"
cmp -s "$tmp/a" "$tmp/b" && check ok "-w from stdin keeps the media too" ||
	check no "-w from stdin keeps the media too"

# Selection errors: a bad regex is an input error (2), a bad filter a
# usage error (1), both said before any input is read.
expect 2 "bad regex" "bad -m regex" -- -r "$sample" -m "x("
expect 1 "unknown field" "bad -f expression" -- -r "$sample" -f "durtion>3"
expect 1 "need -m" "-I without -m" -- -r "$sample" -I
expect 1 "needs --call" "--legs without --call" -- -r "$sample" --legs

# TLS keys are read before any input: a bad key log is an input error (2)
# that names the line; an unreadable one says why.
tls=$srcdir/samples/tls-TLS_AES_128_GCM_SHA256
printf '# comment\nCLIENT_RANDOM 00 zz\n' >"$tmp/bad.keys"
expect 2 "sipscope: $tmp/bad.keys: bad key log at line 2" "bad key log line is an input error" -- -r "$tls.pcap" -k "$tmp/bad.keys"
expect 2 "sipscope: $tmp/none.keys: cannot read: " "unreadable key log is an input error" -- -r "$tls.pcap" --keylog "$tmp/none.keys"
expect 2 "not an RSA private key" "--rsa-key that is no key is an input error" -- -r "$tls.pcap" --rsa-key "$tmp/bad.keys"
expect 0 "" "-k decrypts SIP over TLS" -- -r "$tls.pcap" -k "$tls.keys" --report messages -T json
grep -q '"transport":"TLS"' "$tmp/out" && check ok "messages over TLS are named TLS" ||
	check no "messages over TLS are named TLS"
expect 0 "TLS records without keys in 1 connection: give the key log with -k" \
	"TLS without -k is said on stderr" -- -r "$tls.pcap"
expect 0 "sipscope: TLS: 1 connections" "-v shows the TLS counters" -- -r "$tls.pcap" -k "$tls.keys" -v
# gnutls is loaded only when keys are given (dissectors/tls_gt.h): a run
# without keys never loads it, and keys without a loadable gnutls are an
# input error that says so.
SIPSCOPE_GNUTLS=/nonexistent/libgnutls.so expect 2 \
	"sipscope: $tls.keys: TLS decryption: cannot load /nonexistent/libgnutls.so" \
	"keys without a loadable gnutls are an input error" -- -r "$tls.pcap" -k "$tls.keys"
SIPSCOPE_GNUTLS=/nonexistent/libgnutls.so expect 0 "TLS records without keys" \
	"without keys gnutls is not loaded" -- -r "$tls.pcap"
unset SIPSCOPE_GNUTLS	# sh may keep an assignment made before a function

# Every machine-readable media output of every sample parses: each JSON
# line is one object, each CSV row has as many fields as its header.
if command -v python3 >/dev/null 2>&1; then
	bad=0
	for f in "$srcdir"/samples/*.pcap; do
		for r in calls rtp diagnose; do
			"$SIPSCOPE" -q -r "$f" --report $r -T json >>"$tmp/all.json" 2>/dev/null || bad=1
			"$SIPSCOPE" -q -r "$f" --report $r -T csv >"$tmp/one.csv" 2>/dev/null || bad=1
			python3 -c 'import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
sys.exit(any(len(r) != len(rows[0]) for r in rows))' "$tmp/one.csv" || bad=1
		done
	done
	python3 -c 'import json, sys
n = 0
for line in open(sys.argv[1]):
    assert isinstance(json.loads(line), dict)
    n += 1
print(n)' "$tmp/all.json" >"$tmp/n" 2>"$tmp/err" || bad=1
	[ $bad -eq 0 ] && check ok "calls/rtp/diagnose JSON and CSV of every sample parse ($(cat "$tmp/n") JSON objects)" ||
		check no "calls/rtp/diagnose JSON and CSV of every sample parse: $(head -3 "$tmp/err")"
fi

# stats and registrations keep no message records or leg links
# (ss_corr_keep); with a report that reads them added, what they print
# must not change. The lean output is the start of the full one, whose
# flow section follows it.
bad=0 n=0
for f in "$srcdir"/samples/*.pcap*; do
	n=$((n + 1))
	for fmt in text json csv; do
		"$SIPSCOPE" -q -r "$f" -T $fmt --report stats,registrations \
			>"$tmp/lean" 2>&1 &&
		"$SIPSCOPE" -q -r "$f" -T $fmt --report stats,registrations,flow \
			>"$tmp/full" 2>&1 &&
		cmp -s -n "$(wc -c <"$tmp/lean")" "$tmp/lean" "$tmp/full" || {
			bad=1
			echo "  differs: $f -T $fmt"
		}
	done
done
[ $bad -eq 0 ] && check ok "stats and registrations the same without records and links ($n samples, 3 formats)" ||
	check no "stats and registrations the same without records and links"

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
