#!/bin/sh
# For every capture of the public corpus (../shared/corpus/captures) and
# every sample of ours (samples/*.pcap; the TLS ones are in
# tests/tshark-tls.sh, which gives tshark the keys), the SIP messages per
# Call-ID that sipscope reports must equal what `tshark -Y sip` finds.
# Captures listed in tests/tshark-exceptions.txt are skipped with the
# reason given there. Skips (exit 77) when tshark is absent; without the
# corpus (a user's machine) only the samples are compared.
srcdir=${top_srcdir:-.}
SIPSCOPE=${SIPSCOPE:-$PWD/sipscope}
corpus=${SIPSCOPE_CORPUS:-$srcdir/../shared/corpus}
if [ ! -d "$corpus/captures" ]; then
	echo "note: corpus not found at $corpus (set SIPSCOPE_CORPUS): samples only"
fi
TSHARK=${TSHARK:-$(command -v tshark)}
if [ -z "$TSHARK" ] || [ ! -x "$TSHARK" ]; then
	echo "SKIP: tshark is not installed"
	exit 77
fi
exceptions=$srcdir/tests/tshark-exceptions.txt
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0 skip=0 msgs=0
soh=$(printf '\001')
for f in "$corpus"/captures/* "$srcdir"/samples/*.pcap; do
	[ -f "$f" ] || continue
	base=$(basename "$f")
	case $base in tls-*|wss*) continue ;; esac
	reason=$(awk -F'\t' -v b="$base" '$1 == b { print $2 }' "$exceptions")
	if [ -n "$reason" ]; then
		echo "EXCEPTION $base: $reason"
		skip=$((skip + 1))
		continue
	fi
	# Decode-as options the manifest records (e.g. SIP on TCP port 6060).
	topts=$(awk -F'\t' -v b="$base" '$1 == b { print $18 }' "$corpus/MANIFEST.tsv" 2>/dev/null |
		sed -n 's/.*tshark options used: \(-d [^ ;]*\).*/\1/p')
	# shellcheck disable=SC2086
	# Several messages in one frame are joined with \001, not the default
	# comma, because a (damaged) Call-ID may hold a comma itself.
	"$TSHARK" -n -r "$f" $topts -Y sip -T fields -E aggregator="$soh" \
		-e sip.Call-ID 2>/dev/null |
		tr "$soh" '\n' | sed '/^$/d' | LC_ALL=C sort | uniq -c >"$tmp/tshark"
	# Undo JSON string escapes the way tshark prints strings: it cuts them
	# at a NUL and shows each byte that is not UTF-8 as U+FFFD, which
	# sipscope writes as \u00XX (see jsonw.h).
	"$SIPSCOPE" -q -r "$f" --report messages -T json 2>"$tmp/err" |
		perl -ne 'next unless /"call_id":"((?:[^"\\]|\\.)*)"/; $_ = $1;
			s/\\u0000.*//; s/\\u00([89a-f][0-9a-f])/\xef\xbf\xbd/g;
			s/\\u00([0-9a-f]{2})/chr(hex($1))/ge; s/\\(["\\\/])/$1/g;
			s/\\n/\n/g; s/\\r/\r/g; s/\\t/\t/g; print "$_\n"' |
		LC_ALL=C sort | uniq -c >"$tmp/ours"
	n=$(awk '{ s += $1 } END { print s + 0 }' "$tmp/tshark")
	if cmp -s "$tmp/tshark" "$tmp/ours"; then
		pass=$((pass + 1))
		msgs=$((msgs + n))
		echo "ok   $base ($n messages, $(wc -l <"$tmp/tshark") Call-IDs)"
	else
		fail=$((fail + 1))
		echo "FAIL $base: messages per Call-ID differ (< tshark, > sipscope):"
		diff -a "$tmp/tshark" "$tmp/ours" | head -20
		head -5 "$tmp/err"
	fi
done
echo
echo "tshark-compare: $pass captures agree ($msgs SIP messages), $skip exceptions"
echo "tshark-compare: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
