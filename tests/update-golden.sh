#!/bin/sh
# Rewrite expected outputs from the current build, on purpose. Usage:
#   tests/update-golden.sh [name ...]     (default: every TESTLIST entry)
# Review the diff (git diff tests/expected) before committing it.
srcdir=$(cd "$(dirname "$0")/.." && pwd)
SIPSCOPE=${SIPSCOPE:-$srcdir/sipscope}
while read -r name capture expected opts; do
	case $name in '' | '#'*) continue ;; esac
	if [ $# -gt 0 ]; then
		case " $* " in *" $name "*) ;; *) continue ;; esac
	fi
	# shellcheck disable=SC2086
	(cd "$srcdir/samples" && "$SIPSCOPE" -r "$capture" $opts) \
		>"$srcdir/tests/expected/$expected" 2>"$srcdir/tests/expected/$name.stderr"
	rc=$?
	[ -s "$srcdir/tests/expected/$name.stderr" ] || rm -f "$srcdir/tests/expected/$name.stderr"
	if [ $rc -ne 0 ]; then echo $rc >"$srcdir/tests/expected/$name.rc"; else rm -f "$srcdir/tests/expected/$name.rc"; fi
	echo "updated $name (exit $rc)"
done <"$srcdir/tests/TESTLIST"
