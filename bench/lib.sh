# bench/lib.sh - what run.sh and run-rtp.sh share; sourced after each
# defines BENCH, TOP, OUT, CC, say and die.

# SIPSCOPE: the binary under test, absolute (a build directory is
# accepted too).
resolve_sipscope() {
	SIPSCOPE=${SIPSCOPE:-$TOP/sipscope}
	[ -d "$SIPSCOPE" ] && SIPSCOPE=$SIPSCOPE/sipscope
	[ -x "$SIPSCOPE" ] || die "no sipscope at '$SIPSCOPE': build it, or set SIPSCOPE=/path/to/sipscope"
	SIPSCOPE=$(cd "$(dirname "$SIPSCOPE")" && pwd)/$(basename "$SIPSCOPE")
}

# build NAME EXTRA-LIBS...: bench/NAME.c into $OUT/bin, again when it or
# the generators' shared header changed.
build() {
	local name=$1; shift
	if [ ! -x "$OUT/bin/$name" ] || [ "$BENCH/$name.c" -nt "$OUT/bin/$name" ] ||
	   [ "$BENCH/gen_common.h" -nt "$OUT/bin/$name" ]; then
		say "building $name"
		"$CC" -std=c11 -O2 -Wall -Wextra -o "$OUT/bin/$name" "$BENCH/$name.c" "$@" ||
			die "cannot build $name"
	fi
}

ver() { "$@" 2>/dev/null | head -1; }
