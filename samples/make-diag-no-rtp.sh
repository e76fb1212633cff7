#!/usr/bin/env bash
# make-diag-no-rtp.sh - samples/diag-no-rtp.pcap: an answered call in which nobody
# sends any RTP; BYE about 3 s after the ACK.
#
# How it is made (real peers, nothing synthesized):
#   namespaces  ssc-diag-no-rtp-<pid>-uac 10.99.21.1/24 <-> ...-uas 10.99.21.2/24 (veth)
#   UAS         sipp -sf scenarios/uas-basic.xml (offer/answer PCMU, m=audio 6000)
#   UAC         sipp -sn uac -d 3000 (sipp's built-in uac: SDP offer PCMU, m=audio 6000,
#               pauses 3 s between ACK and BYE); neither side plays any media
#   capture     tcpdump -n -U --immediate-mode -s 0 -i veth0 -w F 'udp or icmp' (in the uac)
# Expected diagnosis: NO_MEDIA (both SDPs announce audio, 0 RTP packets either way).
# Verified (tshark 4.0.17): see samples/README (diag-no-rtp).
set -euo pipefail
SAMPLE=diag-no-rtp
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/media.sh"
need_root
need_tools sipp tcpdump tshark capinfos ip timeout

two_party 10.99.21 "-sf $SCEN_DIR/uas-basic.xml" "-sn uac -d 3000"

F=$WORK/capture.pcap
expect_basic_call "$F"
expect_rtp "$F" 'udp' 0 0
[ "$(udp_count "$F" '!sip')" -eq 0 ] || die "frames other than SIP in the capture"
expect_good_checksums "$F"
summary "$F"
publish diag-no-rtp.pcap
