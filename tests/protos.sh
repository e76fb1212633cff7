#!/bin/sh
# protos.sh - run the PROTOS c07-sip INVITE cases (4527 malformed messages)
# through the SIP parser; see tests/protos_run.c. The corpus lives outside
# the project ($SIPSCOPE_CORPUS, else $top_srcdir/../shared/corpus); when
# it is absent the test is skipped (exit 77, automake's SKIP).
set -u

top_srcdir=${top_srcdir:-.}
corpus=${SIPSCOPE_CORPUS:-$top_srcdir/../shared/corpus}
tarball=$corpus/torture/protos-c07-sip.tar.gz
runner=${top_builddir:-.}/tests/protos_run

if [ ! -f "$tarball" ]; then
	echo "protos.sh: $tarball not found: skipping" >&2
	exit 77
fi
if [ ! -x "$runner" ]; then
	echo "protos.sh: $runner not built" >&2
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sipscope-protos.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

if ! gzip -dc "$tarball" | (cd "$tmp" && tar xf -); then
	echo "protos.sh: cannot extract $tarball" >&2
	exit 1
fi
dir=$tmp/protos-c07-sip
[ -d "$dir" ] || dir=$tmp

"$runner" "$dir"
