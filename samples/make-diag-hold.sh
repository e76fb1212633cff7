#!/usr/bin/env bash
# make-diag-hold.sh [zero] - samples/diag-hold.pcap (or diag-hold-zero.pcap): a call
# with RTP both ways that the caller puts on hold with a re-INVITE; from then on only
# the caller sends (its "music on hold"); BYE.
#
# How it is made (real peers, nothing synthesized):
#   namespaces  ssc-diag-hold-<pid>-uac and ...-uas, joined by a veth pair
#               uac: veth0 10.99.24.1/24   <->   uas: veth0 10.99.24.2/24
#               (diag-hold-zero: 10.99.26.1 / 10.99.26.2)
#   UAS         sipp -sf scenarios/uas-hold.xml (uas-hold-zero.xml) -i/-mi 10.99.24.2
#               answers PCMU sendrecv, on the ACK streams a 660 Hz PCMU tone (rtp_stream);
#               on the re-INVITE stops (rtp_stream="pause") and answers 200 OK with
#               a=recvonly (zero: its ordinary sendrecv SDP)
#   UAC         sipp -sf scenarios/uac-hold.xml (uac-hold-zero.xml) -i/-mi 10.99.24.1
#               streams a 440 Hz PCMU tone from the ACK on; after 2 s re-INVITE with
#               a=sendonly (zero: c=IN IP4 0.0.0.0, no direction attribute), ACK, keeps
#               streaming, BYE 3 s later
#   capture     tcpdump -n -U --immediate-mode -s 0 -i veth0 -w F 'udp or icmp' (in the uac)
# Expected diagnosis: HOLD (zero: HOLD and ZERO_ADDRESS); never ONE_WAY_AUDIO.
# Verified (tshark 4.0.17): see samples/README (diag-hold, diag-hold-zero).
set -euo pipefail
MODE=${1:-sendonly}
case $MODE in
    sendonly) SAMPLE=diag-hold NET=10.99.24 SUF= ;;
    zero)     SAMPLE=diag-hold-zero NET=10.99.26 SUF=-zero ;;
    *) echo "usage: $0 [zero]" >&2; exit 1 ;;
esac
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/media.sh"
need_root
need_tools sipp tcpdump tshark capinfos ip timeout
media_setup

two_party $NET "-sf $SCEN_DIR/uas-hold$SUF.xml" "-sf $SCEN_DIR/uac-hold$SUF.xml"

F=$WORK/capture.pcap
expect_sip "$F" '^Request: INVITE' 2
expect_sip "$F" '^Status: 200 OK \(INVITE\)' 2
expect_sip "$F" '^Request: ACK' 2
expect_sip "$F" '^Request: BYE' 1
expect_sip "$F" '^Status: 200 OK \(BYE\)' 1
# the re-INVITE and its answer
reinv=$(tshark -r "$F" -Y 'sip.CSeq == "2 INVITE" && sip.Method == "INVITE"' -T fields -e frame.time_relative 2>/dev/null)
[ -n "$reinv" ] || die "no re-INVITE"
if [ "$MODE" = zero ]; then
    [ "$(udp_count "$F" 'sdp.connection_info.address == 0.0.0.0')" -eq 1 ] || die "no c=0.0.0.0"
else
    [ "$(udp_count "$F" 'sdp.media_attr == "sendonly"')" -eq 1 ] || die "no a=sendonly"
    [ "$(udp_count "$F" 'sdp.media_attr == "recvonly"')" -eq 1 ] || die "no a=recvonly"
fi
expect_rtp "$F" "ip.src==$NET.1" 240 252
expect_rtp "$F" "ip.src==$NET.2 && frame.time_relative < $reinv" 80 102
expect_rtp "$F" "ip.src==$NET.2 && frame.time_relative > $reinv + 0.05" 0 0
expect_good_checksums "$F"
summary "$F"
rtp_streams "$F"
echo "re-INVITE at $reinv s"
publish "$SAMPLE.pcap"
