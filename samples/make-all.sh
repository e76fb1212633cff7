#!/usr/bin/env bash
# make-all.sh - run every samples/make-*.sh in turn (each builds one capture in
# samples/; see its header).  Prints PASS/SKIP/FAIL per script; exits 1 if any
# failed, 77 if all were skipped.  Logs of failed scripts are shown.
set -uo pipefail
cd "$(dirname "$0")" || exit 1
pass=0 skip=0 fail=0
for s in make-*.sh; do
    [ "$s" = make-all.sh ] && continue
    log=$(mktemp)
    ./"$s" >"$log" 2>&1
    rc=$?
    case $rc in
        0)  echo "PASS $s"; pass=$((pass + 1)) ;;
        77) echo "SKIP $s: $(grep -m1 '^SKIP' "$log")"; skip=$((skip + 1)) ;;
        *)  echo "FAIL $s (status $rc)"; tail -n 30 "$log"; fail=$((fail + 1)) ;;
    esac
    rm -f "$log"
done
echo "passed $pass, skipped $skip, failed $fail"
[ "$fail" -eq 0 ] || exit 1
[ "$pass" -gt 0 ] || exit 77
