#!/usr/bin/env bash
# make-diag-late-media.sh - samples/diag-late-media.pcap: an answered call in which the
# caller's RTP starts at once but the callee's starts 2.5 s after the 200 OK / ACK.
#
# How it is made (real peers, nothing synthesized):
#   namespaces  ssc-diag-late-media-<pid>-uac and ...-uas, joined by a veth pair
#               uac: veth0 10.99.29.1/24   <->   uas: veth0 10.99.29.2/24
#   UAS         sipp -sf scenarios/uas-late-media.xml -i/-mi 10.99.29.2: answers PCMU,
#               waits 2.5 s after the ACK, then streams 3 s of a 660 Hz PCMU tone
#   UAC         sipp -sf scenarios/uac-rtp-6s.xml 10.99.29.2:5060 -i/-mi 10.99.29.1:
#               offers PCMU, streams 6 s of a 440 Hz tone from the ACK on, BYE at 6.2 s
#   capture     tcpdump -n -U --immediate-mode -s 0 -i veth0 -w F 'udp or icmp' (in the uac)
# Expected diagnosis: LATE_MEDIA (callee -> caller), see samples/README.
set -euo pipefail
SAMPLE=diag-late-media
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/media.sh"
need_root
need_tools sipp tcpdump tshark capinfos ip timeout
media_setup

two_party 10.99.29 "-sf $SCEN_DIR/uas-late-media.xml" "-sf $SCEN_DIR/uac-rtp-6s.xml"

F=$WORK/capture.pcap
expect_basic_call "$F"
ack=$(tshark -r "$F" -Y 'sip.Method == "ACK"' -T fields -e frame.time_relative 2>/dev/null)
expect_rtp "$F" 'ip.src==10.99.29.1' 295 300
expect_rtp "$F" 'ip.src==10.99.29.2' 148 150
expect_rtp "$F" "ip.src==10.99.29.2 && frame.time_relative < $ack + 2.4" 0 0
expect_good_checksums "$F"
summary "$F"
rtp_streams "$F"
publish diag-late-media.pcap
