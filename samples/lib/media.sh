# shellcheck shell=bash
# samples/lib/media.sh - helpers for the media (SDP/RTP) samples, sourced after
# lib/common.sh.  Provides:
#   media_setup               copy samples/media/* into $WORK (sipp's rtp_stream and
#                             play_pcap_audio take file names relative to its cwd,
#                             which bg() sets to $WORK)
#   rtp_streams FILE          tshark -q -z rtp,streams (RTP found heuristically, so
#                             streams that no SDP announces are listed too)
#   rtp_count FILE FILTER     number of RTP packets matching a display filter
#   expect_rtp FILE FILTER MIN MAX
#                             die unless MIN <= rtp_count <= MAX
#   udp_count FILE FILTER     number of frames matching a display filter

# The capture holds exactly one INVITE, 200, ACK, BYE and 200 (BYE).
expect_basic_call() {
	expect_sip "$1" '^Request: INVITE' 1
	expect_sip "$1" '^Status: 200 OK \(INVITE\)' 1
	expect_sip "$1" '^Request: ACK' 1
	expect_sip "$1" '^Request: BYE' 1
	expect_sip "$1" '^Status: 200 OK \(BYE\)' 1
}

media_setup() {
    cp "$SAMPLES_DIR"/media/* "$WORK"/
}

TSHARK_RTP=(-o rtp.heuristic_rtp:TRUE -o rtcp.heuristic_rtcp:TRUE)

rtp_streams() {
    tshark -r "$1" "${TSHARK_RTP[@]}" -q -z rtp,streams 2>/dev/null
}

rtp_count() {
    tshark -r "$1" "${TSHARK_RTP[@]}" -Y "rtp && !rtcp && ($2)" 2>/dev/null | wc -l
}

udp_count() {
    tshark -r "$1" -Y "$2" 2>/dev/null | wc -l
}

expect_rtp() {
    local n
    n=$(rtp_count "$1" "$2")
    if [ "$n" -lt "$3" ] || [ "$n" -gt "$4" ]; then
        die "$1: expected $3..$4 RTP packets matching '$2', got $n"
    fi
    log "RTP '$2': $n packets"
}

# two_party NET UAS_ARGS UAC_ARGS : namespaces uac (NET.1) and uas (NET.2) on one veth
# pair, capture 'udp or icmp' on the uac's veth0, then sipp UAS (words of UAS_ARGS,
# e.g. "-sf $SCEN_DIR/uas-rtp.xml") and UAC (UAC_ARGS) with -i/-mi set, -m 1; both
# must succeed.  Leaves the capture in $WORK/capture.pcap.
two_party() {
    local net=$1 uas_args=$2 uac_args=$3
    ns_add uac
    ns_add uas
    veth_pair uac veth0 uas veth0
    in_ns uac ip addr add "$net.1/24" dev veth0
    in_ns uas ip addr add "$net.2/24" dev veth0
    capture_start uac veth0 'udp or icmp'
    # shellcheck disable=SC2086  # word splitting of the argument strings is wanted
    bg uas timeout 40 ip netns exec "$(ns uas)" sipp $uas_args \
        -i "$net.2" -mi "$net.2" -p 5060 -m 1 -nostdin -timeout 30s -timeout_error
    sleep 0.5
    # shellcheck disable=SC2086
    bg uac timeout 40 ip netns exec "$(ns uac)" sipp $uac_args "$net.2:5060" \
        -i "$net.1" -mi "$net.1" -p 5060 -m 1 -nostdin -timeout 30s -timeout_error
    wait_pid uac || die "sipp uac failed"
    wait_pid uas || die "sipp uas failed"
    capture_stop
}
