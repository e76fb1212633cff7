#!/bin/bash
# TCP reassembly memory stays within its caps on a capture with thousands
# of idle flows (dissectors/tcp.h: 65,536 flows, 64 MiB, 120 s idle).
#
# tests/gen-idle-tcp writes N client directions that each send a SYN and
# the start of an INVITE whose header block never ends, their SYNs spread
# over 300 s, among them 10 whole calls (INVITE + 200 OK each, the last
# one 130 s after the last idle flow). Every idle flow holds a 2 KiB
# buffer plus its struct (~2.2 KiB accounted), so:
#  - 20,000 flows: ~8,000 live at once (120 s of 300 s), ~17 MiB: nothing
#    is evicted, every idle flow times out (the last call's segment
#    expires those still open);
#  - 200,000 flows: ~80,000 would be live at once, ~175 MiB: the memory
#    cap evicts the oldest (at ~30,000 flows, before the flow cap), and
#    those left at the end time out.
# Asserted: exit 0; the 20 messages of the calls reported (each Call-ID
# twice) and nothing of the idle flows; on stderr (-v) every idle flow
# ended exactly once (timed out + evicted = N, incomplete messages = N),
# evicted = 0 for 20k, > 0 with the limits warning for 200k; and peak
# RSS (/usr/bin/time -f %M) for 200k below 64 MiB + 40 MiB. The 40 MiB
# cover the program itself (~6 MiB measured for 10 flows), malloc
# headers and rounding (~1 % on 2 KiB chunks), the hash table (256 KiB at
# 30k flows), the pcap reader and stdio; a table that ignored the memory
# cap would need ~145 MiB at the flow cap, ~175 MiB without it. Under
# AddressSanitizer (detected with ASAN_OPTIONS=help=1) the quarantine is
# turned off so RSS measures live memory, and the cap's share is counted
# 1.5 times for redzones and shadow (measured: 106 MiB at 200k, 14 MiB
# for 10 flows). Without /usr/bin/time the RSS check is skipped, with a
# message.
srcdir=${top_srcdir:-.}
builddir=${top_builddir:-.}
SIPSCOPE=${SIPSCOPE:-$PWD/sipscope}
GEN=$builddir/tests/gen-idle-tcp
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0

ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }

asan=0
if ASAN_OPTIONS=help=1 "$SIPSCOPE" -V 2>&1 | grep -q quarantine_size_mb; then
	asan=1
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0"
	export ASAN_OPTIONS
fi
timer=
if [ -x /usr/bin/time ] && /usr/bin/time -f %M -o "$tmp/t" true 2>/dev/null; then
	timer=/usr/bin/time
else
	echo "SKIP peak RSS: no GNU /usr/bin/time (-f %M)"
fi

cap_kib=$((64 * 1024))
if [ $asan = 1 ]; then
	bound_kib=$((cap_kib * 3 / 2 + 40 * 1024))
else
	bound_kib=$((cap_kib + 40 * 1024))
fi

# run N: generate, read with -v, check; sets rss (KiB, or empty)
run() {
	local n=$1 pcap=$tmp/idle.pcap
	rss=
	if ! "$GEN" "$n" 300 "$pcap"; then
		bad "$n: gen-idle-tcp failed"
		return
	fi
	local rc
	if [ -n "$timer" ]; then
		$timer -f %M -o "$tmp/rss" "$SIPSCOPE" -v --report messages -T json \
			-r "$pcap" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		rss=$(tail -n 1 "$tmp/rss")
	else
		"$SIPSCOPE" -v --report messages -T json -r "$pcap" >"$tmp/out" \
			2>"$tmp/err"
		rc=$?
	fi
	rm -f "$pcap"
	[ $rc = 0 ] && ok "$n: exit 0" || { bad "$n: exit $rc"; cat "$tmp/err"; }

	local calls missing=0
	for k in 0 1 2 3 4 5 6 7 8 9; do
		calls=$(grep -c "\"call_id\":\"complete-$k@gen\"" "$tmp/out")
		[ "$calls" = 2 ] || missing=$((missing + 1))
	done
	if [ $missing = 0 ] && [ "$(wc -l <"$tmp/out")" -eq 20 ] &&
	   ! grep -q '"call_id":"idle-' "$tmp/out"; then
		ok "$n: the 20 messages of the 10 calls reported, none of the idle flows"
	else
		bad "$n: $missing calls without both messages; $(wc -l <"$tmp/out") messages"
	fi

	local line
	line=$(grep '^sipscope: TCP:' "$tmp/err")
	to=$(sed -n 's/.* \([0-9]*\) timed out, \([0-9]*\) evicted, .*/\1/p' <<<"$line")
	ev=$(sed -n 's/.* \([0-9]*\) timed out, \([0-9]*\) evicted, .*/\2/p' <<<"$line")
	inc=$(sed -n 's/^sipscope: \([0-9]*\) SIP messages over TCP were incomplete.*/\1/p' \
		"$tmp/err")
	echo "     $n flows: $to timed out, $ev evicted, $inc incomplete${rss:+, peak RSS $rss KiB}"
	if [ -n "$to" ] && [ -n "$ev" ] && [ $((to + ev)) = "$n" ] && [ "$inc" = "$n" ]; then
		ok "$n: every idle flow ended once (timed out + evicted = incomplete = N)"
	else
		bad "$n: counters: '$line' incomplete '$inc'"
	fi
}

run 20000
if [ "$ev" = 0 ] && [ "${to:-0}" -gt 0 ]; then
	ok "20000: idle timeout ends the flows, no eviction"
else
	bad "20000: $to timed out, $ev evicted (want > 0 and 0)"
fi

run 200000
if [ "${ev:-0}" -gt 0 ] && [ "${to:-0}" -gt 0 ] &&
   grep -q "TCP reassembly limits: $ev flows evicted" "$tmp/err"; then
	ok "200000: the memory cap evicts ($ev) and says so; $to time out"
else
	bad "200000: $to timed out, $ev evicted (want both > 0, and the warning)"
fi
if [ -n "$rss" ]; then
	if [ "$rss" -lt "$bound_kib" ]; then
		ok "200000: peak RSS $rss KiB < $bound_kib KiB"
	else
		bad "200000: peak RSS $rss KiB >= $bound_kib KiB"
	fi
fi

echo "tcp-caps: $pass passed, $fail failed"
[ $fail = 0 ]
