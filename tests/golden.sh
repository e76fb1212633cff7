#!/bin/sh
# Golden regression tests in tcpdump's style. Each line of tests/TESTLIST:
#     name  capture  expected-output  [options...]
# runs "sipscope -r capture options" from inside samples/ (so messages name
# the capture the same way from a tarball or a checkout) and fails on any
# byte of difference from tests/expected/<expected-output>, a non-zero exit
# (unless tests/expected/<name>.rc says which), or any stderr output (unless
# tests/expected/<name>.stderr holds it). tests/update-golden.sh rewrites the
# expected files on purpose.
srcdir=${top_srcdir:-.}
SIPSCOPE=${SIPSCOPE:-$PWD/sipscope}
case $srcdir in /*) ;; *) srcdir=$PWD/$srcdir ;; esac
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0
failed=
while read -r name capture expected opts; do
	case $name in '' | '#'*) continue ;; esac
	want_rc=0
	[ -f "$srcdir/tests/expected/$name.rc" ] && want_rc=$(cat "$srcdir/tests/expected/$name.rc")
	# shellcheck disable=SC2086 # options are words by design
	(cd "$srcdir/samples" && "$SIPSCOPE" -r "$capture" $opts) \
		>"$tmp/$name.out" 2>"$tmp/$name.err"
	rc=$?
	ok=yes
	if [ "$rc" != "$want_rc" ]; then
		echo "FAIL $name: exit status $rc, expected $want_rc"
		ok=no
	fi
	if ! cmp -s "$tmp/$name.out" "$srcdir/tests/expected/$expected"; then
		echo "FAIL $name: output differs from tests/expected/$expected:"
		diff -u "$srcdir/tests/expected/$expected" "$tmp/$name.out" | head -40
		ok=no
	fi
	if [ -f "$srcdir/tests/expected/$name.stderr" ]; then
		if ! cmp -s "$tmp/$name.err" "$srcdir/tests/expected/$name.stderr"; then
			echo "FAIL $name: stderr differs:"
			diff -u "$srcdir/tests/expected/$name.stderr" "$tmp/$name.err" | head -20
			ok=no
		fi
	elif [ -s "$tmp/$name.err" ]; then
		echo "FAIL $name: unexpected stderr:"
		head -20 "$tmp/$name.err"
		ok=no
	fi
	if [ $ok = yes ]; then
		pass=$((pass + 1))
		echo "ok   $name"
	else
		fail=$((fail + 1))
		failed="$failed $name"
	fi
done <"$srcdir/tests/TESTLIST"
echo
[ -n "$failed" ] && echo "failed:$failed"
echo "golden: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
