#!/bin/sh
# --report stats must count what `tshark -q -z sip,stat` counts on every
# corpus capture: SIP messages, resent messages, requests per method and
# responses per code. (Setup times differ by definition: SPEC's setup_ms
# runs INVITE to 200, tshark's to the ACK; they are not compared.)
# Captures in tests/tshark-exceptions.txt are skipped with their reason.
srcdir=${top_srcdir:-.}
SIPSCOPE=${SIPSCOPE:-$PWD/sipscope}
corpus=${SIPSCOPE_CORPUS:-$srcdir/../shared/corpus}
if [ ! -d "$corpus/captures" ]; then
	echo "SKIP: corpus not found at $corpus (set SIPSCOPE_CORPUS)"
	exit 77
fi
TSHARK=${TSHARK:-$(command -v tshark)}
if [ -z "$TSHARK" ] || [ ! -x "$TSHARK" ]; then
	echo "SKIP: tshark is not installed"
	exit 77
fi
exceptions=$srcdir/tests/tshark-exceptions.txt
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0 skip=0
for f in "$corpus"/captures/*; do
	base=$(basename "$f")
	reason=$(awk -F'\t' -v b="$base" '$1 == b { print $2 }' "$exceptions")
	if [ -n "$reason" ]; then
		echo "EXCEPTION $base: $reason"
		skip=$((skip + 1))
		continue
	fi
	topts=$(awk -F'\t' -v b="$base" '$1 == b { print $18 }' "$corpus/MANIFEST.tsv" |
		sed -n 's/.*tshark options used: \(-d [^ ;]*\).*/\1/p')
	# shellcheck disable=SC2086
	"$TSHARK" -n -q -r "$f" $topts -z sip,stat 2>/dev/null | awk '
		/Number of SIP messages:/ { print "messages " $NF }
		/Number of resent SIP messages:/ { print "resent " $NF }
		/^  SIP [0-9][0-9][0-9] / { print "response " $2 " " $(NF - 1) }
		/^  [A-Za-z-]+ +: +[0-9]+ Packets/ { print "request " $1 " " $3 }
	' | LC_ALL=C sort >"$tmp/tshark"
	"$SIPSCOPE" -q -r "$f" --report stats -T csv 2>/dev/null | tr -d '\r' | awk -F, '
		$1 == "total" && ($2 == "messages" || $2 == "resent") { print $2 " " $3 }
		$1 == "request" { print "request " $2 " " $3 }
		$1 == "response" { print "response " $2 " " $3 }
	' | LC_ALL=C sort >"$tmp/ours"
	# A capture without SIP: tshark prints zero counts only.
	grep -v ' 0$' "$tmp/tshark" >"$tmp/t2"
	grep -v ' 0$' "$tmp/ours" >"$tmp/o2"
	if cmp -s "$tmp/t2" "$tmp/o2"; then
		pass=$((pass + 1))
		echo "ok   $base ($(sed -n 's/^messages //p' "$tmp/ours") messages, $(sed -n 's/^resent //p' "$tmp/ours") resent)"
	else
		fail=$((fail + 1))
		echo "FAIL $base: counts differ (< tshark, > sipscope):"
		diff "$tmp/t2" "$tmp/o2" | head -20
	fi
done
echo
echo "tshark-stats: $pass passed, $fail failed, $skip exceptions"
[ "$fail" -eq 0 ]
