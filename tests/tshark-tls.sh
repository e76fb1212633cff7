#!/bin/sh
# SIP over TLS against tshark: for every samples/tls-*.pcap, and for
# samples/wss.pcap (SIP over WebSocket over TLS), decrypted with its key
# log (-k tls-X.keys; tshark -o tls.keylog_file:tls-X.keys), the
# SIP messages per Call-ID that sipscope reports, and the frames that
# complete them, must equal what `tshark -Y sip` finds. The TLS_RSA sample
# (the one with a .key.pem) is compared once more with --rsa-key alone
# (tshark: the rsa_keys table). Skips (exit 77) when tshark is absent.
srcdir=${top_srcdir:-.}
SIPSCOPE=${SIPSCOPE:-$PWD/sipscope}
TSHARK=${TSHARK:-$(command -v tshark)}
if [ -z "$TSHARK" ] || [ ! -x "$TSHARK" ]; then
	echo "SKIP: tshark is not installed"
	exit 77
fi
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0 msgs=0
soh=$(printf '\001')

# compare NAME TSHARK-OPTION SIPSCOPE-OPTIONS...
compare() {
	name=$1 topt=$2
	shift 2
	"$TSHARK" -n -r "$f" -o "$topt" -Y sip -T fields -E aggregator="$soh" \
		-e frame.number -e sip.Call-ID 2>/dev/null |
		awk -F'\t' -v s="$soh" '{ n = split($2, c, s);
			for (i = 1; i <= n; i++) if (c[i] != "") print $1 "\t" c[i] }' |
		LC_ALL=C sort | uniq -c >"$tmp/tshark"
	"$SIPSCOPE" -r "$f" "$@" --report messages -T json 2>"$tmp/err" |
		perl -ne 'next unless /"frame":(\d+),.*"call_id":"((?:[^"\\]|\\.)*)"/;
			print "$1\t$2\n"' |
		LC_ALL=C sort | uniq -c >"$tmp/ours"
	n=$(awk '{ s += $1 } END { print s + 0 }' "$tmp/tshark")
	if [ "$n" -gt 0 ] && [ ! -s "$tmp/err" ] && cmp -s "$tmp/tshark" "$tmp/ours"; then
		pass=$((pass + 1))
		msgs=$((msgs + n))
		echo "ok   $name ($n messages, $(cut -f2 "$tmp/tshark" | sort -u | wc -l) Call-IDs)"
	else
		fail=$((fail + 1))
		echo "FAIL $name: SIP messages differ (< tshark, > sipscope), or stderr:"
		diff -a "$tmp/tshark" "$tmp/ours" | head -20
		head -5 "$tmp/err"
	fi
}

for f in "$srcdir"/samples/tls-*.pcap "$srcdir"/samples/wss.pcap; do
	[ -f "$f" ] || continue
	base=$(basename "$f" .pcap)
	keys=$srcdir/samples/$base.keys
	compare "$base" "tls.keylog_file:$keys" -k "$keys"
	pem=$srcdir/samples/$base.key.pem
	if [ -f "$pem" ]; then
		compare "$base --rsa-key" "uat:rsa_keys:\"$pem\",\"\"" --rsa-key "$pem"
	fi
done
echo
echo "tshark-tls: $pass passed ($msgs SIP messages), $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
