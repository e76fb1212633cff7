#!/bin/sh
# Quick start, step 1: build sipscope on a Debian machine and show what it
# finds in a bundled sample capture (its call list and its ladder).
#   [PGO=no] ./build.sh [configure options...]
# As root, missing Debian build dependencies are installed first (apt-get,
# non-interactive); as another user the missing ones are listed instead.
set -e
cd "$(dirname "$0")"

PKGS="build-essential autoconf automake libtool pkg-config libpcap-dev \
libpcre2-dev libncurses-dev libgnutls28-dev zlib1g-dev libcmocka-dev"
missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" -eq 0 ]; then
		echo "build.sh: installing:$missing"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		# shellcheck disable=SC2086
		apt-get install -y -qq --no-install-recommends $missing
	else
		echo "build.sh: missing Debian packages:$missing" >&2
		echo "build.sh: run me as root, or: sudo apt-get install$missing" >&2
		exit 1
	fi
fi

[ -x configure ] && [ configure -nt configure.ac ] && [ configure -nt Makefile.am ] || ./autogen.sh
if [ ! -f Makefile ] || [ $# -gt 0 ] || [ config.status -ot configure ]; then
	./configure -q "$@"
fi
jobs=-j"$(nproc 2>/dev/null || echo 2)"
# A build without sanitizers is profile-guided (`make pgo`: built, trained
# on a generated capture and the samples, built again; ~1 min more), when
# something changed since the last one. PGO=no skips that.
case " $* " in *" --enable-sanitizers "*) PGO=no ;; esac
if [ "${PGO:-yes}" = no ]; then
	make "$jobs"
elif [ ! -x sipscope ] || [ -n "$(find src dissectors render bench/pgo-train.sh \
	Makefile -newer sipscope 2>/dev/null | head -1)" ]; then
	make "$jobs" pgo >/dev/null
fi

echo
echo "== ./sipscope -r samples/rtp-call.pcap               (the call list)"
./sipscope -r samples/rtp-call.pcap
echo
echo "== ./sipscope -r samples/rtp-call.pcap --report flow --merge-hosts"
./sipscope -r samples/rtp-call.pcap --report flow --merge-hosts
echo
echo "== ./sipscope -r samples/diag-nat.pcap --report diagnose   (why one side hears nothing)"
./sipscope -r samples/diag-nat.pcap --report diagnose
