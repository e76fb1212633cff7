# shellcheck shell=bash
# samples/lib/common.sh - helpers shared by samples/make-*.sh.
#
# Sourced, never run.  Provides:
#   need_root, need_tools TOOL...     exit 77 (skip) when not root / tool missing
#   ns_add NAME                       create a network namespace (lo up), deleted on exit
#   veth_pair NS_A IF_A NS_B IF_B     veth pair, one end in each namespace (no name in
#                                     the root namespace ever exists), TX checksum
#                                     offload off so captured checksums are complete
#   bg NAME CMD...                    start CMD in the background, remember its pid
#   capture_start NS IFACE FILTER [TCPDUMP-ARGS...]
#                                     tcpdump -U -s 0 -w $WORK/capture.pcap in NS, waits
#                                     until tcpdump says "listening on"
#   capture_stop                      SIGINT to tcpdump (by pid), wait for it to exit
#   wait_pid NAME                     wait for a background job, return its status
#   publish NAME.EXT                  move the finished capture into samples/
#   summary FILE                      print capinfos/tshark summary (used in headers)
#
# Everything temporary lives in $WORK (mktemp -d) and is removed on exit; only the
# final capture is written into samples/.  Debugging: SIPSCOPE_KEEP_FAILED=/tmp/x.pcap
# keeps the capture of a failed run there.  Only processes this script started are
# killed, each by its pid.  Namespaces are named ssc-<sample>-<pid>-<x>, so several
# scripts (or several copies of one) can run at the same time.

set -euo pipefail

SAMPLES_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SCEN_DIR="$SAMPLES_DIR/scenarios"  # used by the make-*.sh scripts
export SCEN_DIR
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sipscope-sample.XXXXXX")
declare -a _NETNS=()
declare -A _PIDS=()
_TCPDUMP_PID=

skip() { echo "SKIP: $*" >&2; exit 77; }
die() { echo "ERROR: $*" >&2; exit 1; }
log() { echo "== $*" >&2; }

need_root() {
    [ "$(id -u)" -eq 0 ] || skip "must run as root (network namespaces, tcpdump)"
}

need_tools() {
    local t
    for t in python3 "$@"; do
        command -v "$t" >/dev/null 2>&1 || skip "needed tool '$t' not found"
    done
}

_cleanup() {
    local rc=$? p
    set +e
    if [ -n "$_TCPDUMP_PID" ] && kill -0 "$_TCPDUMP_PID" 2>/dev/null; then
        kill -INT "$_TCPDUMP_PID" 2>/dev/null
        sleep 0.3
        kill -KILL "$_TCPDUMP_PID" 2>/dev/null
    fi
    for p in "${_PIDS[@]}"; do
        kill -0 "$p" 2>/dev/null && kill -TERM "$p" 2>/dev/null
    done
    sleep 0.2
    for p in "${_PIDS[@]}"; do
        kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null
    done
    wait 2>/dev/null
    for p in "${_NETNS[@]}"; do
        ip netns del "$p" 2>/dev/null
    done
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ] && [ -d "$WORK" ]; then
        echo "---- logs from $WORK (failed with status $rc) ----" >&2
        if [ -n "${SIPSCOPE_KEEP_FAILED:-}" ] && [ -f "$WORK/capture.pcap" ]; then
            cp "$WORK/capture.pcap" "$SIPSCOPE_KEEP_FAILED" && echo "kept capture in $SIPSCOPE_KEEP_FAILED" >&2
        fi
        for p in "$WORK"/*.log; do
            [ -f "$p" ] || continue
            echo "---- $(basename "$p")" >&2
            tail -n 40 "$p" >&2
        done
    fi
    rm -rf "$WORK"
    exit "$rc"
}
trap _cleanup EXIT
trap 'exit 130' INT TERM

SAMPLE_TAG="ssc-${SAMPLE:-x}-$$"

# ns_add SUFFIX -> prints nothing; the namespace is "$SAMPLE_TAG-SUFFIX"
ns() { echo "$SAMPLE_TAG-$1"; }
ns_add() {
    local n
    n=$(ns "$1")
    ip netns add "$n"
    _NETNS+=("$n")
    ip -n "$n" link set lo up
}

# veth_pair A IFA B IFB : veth IFA in namespace A <-> IFB in namespace B (both up)
veth_pair() {
    ip -n "$(ns "$1")" link add "$2" type veth peer name "$4" netns "$(ns "$3")"
    ip -n "$(ns "$1")" link set "$2" up
    ip -n "$(ns "$3")" link set "$4" up
    # complete UDP/TCP checksums in the capture (no partial checksum offload)
    in_ns "$1" python3 "$SAMPLES_DIR/lib/txcsum_off.py" "$2"
    in_ns "$3" python3 "$SAMPLES_DIR/lib/txcsum_off.py" "$4"
}

# in NS CMD... : run CMD inside namespace NS (suffix)
in_ns() { local n; n=$(ns "$1"); shift; ip netns exec "$n" "$@"; }

# bg NAME CMD... : background job with stdin from /dev/null, log in $WORK/NAME.log
bg() {
    local name=$1; shift
    ( cd "$WORK" && exec "$@" </dev/null >"$WORK/$name.log" 2>&1 ) &
    _PIDS[$name]=$!
}

# wait_pid NAME : wait for a job started by bg, return its exit status
wait_pid() {
    local rc=0
    wait "${_PIDS[$1]}" || rc=$?
    unset "_PIDS[$1]"
    return "$rc"
}

# capture_start NS IFACE FILTER [extra tcpdump args...]
capture_start() {
    local n=$1 ifc=$2 filter=$3; shift 3
    ip netns exec "$(ns "$n")" timeout -s INT 120 \
        tcpdump -n -U --immediate-mode -s 0 -i "$ifc" "$@" -w "$WORK/capture.pcap" "$filter" \
        </dev/null >"$WORK/tcpdump.log" 2>&1 &
    _TCPDUMP_PID=$!
    for _ in $(seq 1 100); do
        grep -q "listening on" "$WORK/tcpdump.log" 2>/dev/null && { sleep 0.2; return 0; }
        kill -0 "$_TCPDUMP_PID" 2>/dev/null || die "tcpdump exited: $(cat "$WORK/tcpdump.log")"
        sleep 0.1
    done
    die "tcpdump did not become ready"
}

capture_stop() {
    sleep 0.3   # let the last frames reach the capture
    kill -INT "$_TCPDUMP_PID" 2>/dev/null || true
    wait "$_TCPDUMP_PID" || true
    _TCPDUMP_PID=
    cat "$WORK/tcpdump.log" >&2
}

# publish NAME.EXT : move the capture into samples/
publish() {
    mv -f "$WORK/capture.pcap" "$SAMPLES_DIR/$1"
    chmod 0644 "$SAMPLES_DIR/$1"
    log "wrote $SAMPLES_DIR/$1 ($(stat -c %s "$SAMPLES_DIR/$1") bytes)"
}

# sip_lines FILE [tshark args...] : one line per SIP message: frame src dst summary
sip_lines() {
    local f=$1; shift
    tshark -r "$f" "$@" -Y sip -T fields -E separator=' ' \
        -e frame.number -e _ws.col.Source -e _ws.col.Destination -e _ws.col.Info 2>/dev/null | sed 's/ | *$//'
}

# summary FILE [tshark args...] : what the header comments quote
summary() {
    local f=$1; shift
    capinfos -t -E -c -s "$f" | sed 1d
    echo "protocols: $(tshark -r "$f" "$@" -T fields -e frame.protocols 2>/dev/null | sort | uniq -c | sed 's/^ *//' | paste -sd';' -)"
    sip_lines "$f" "$@"
}

# expect_sip FILE PATTERN COUNT [tshark args...] : exactly COUNT SIP messages whose
# Info column matches the extended regexp PATTERN
expect_sip() {
    local f=$1 pat=$2 want=$3 got; shift 3
    got=$(tshark -r "$f" "$@" -Y sip -T fields -e _ws.col.Info 2>/dev/null | grep -cE "$pat" || true)
    [ "$got" -eq "$want" ] || die "$f: expected $want SIP message(s) matching /$pat/, got $got"
}

# expect_good_checksums FILE : no IPv4/UDP/TCP checksum that tshark finds bad
expect_good_checksums() {
    local bad
    bad=$(tshark -r "$1" -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE \
        -o tcp.check_checksum:TRUE \
        -Y 'ip.checksum.status==0 || udp.checksum.status==0 || tcp.checksum.status==0' \
        2>/dev/null | wc -l)
    [ "$bad" -eq 0 ] || die "$1: $bad frame(s) with bad checksums"
}
