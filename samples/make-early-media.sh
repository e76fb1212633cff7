#!/usr/bin/env bash
# make-early-media.sh - samples/early-media.pcap: the callee answers 183 Session
# Progress with SDP and sends early media (RTP) for 2 s before its 200 OK.
#
# How it is made (real peers, nothing synthesized):
#   namespaces  ssc-early-media-<pid>-uac and ...-uas, joined by a veth pair
#               uac: veth0 10.99.30.1/24   <->   uas: veth0 10.99.30.2/24
#   UAS         sipp -sf scenarios/uas-early-media.xml -i/-mi 10.99.30.2: 100, 183 with
#               SDP (PCMU), starts a 660 Hz PCMU tone (rtp_stream, 5 s) right away,
#               200 OK (same SDP) 2 s later; the stream goes on after the ACK
#   UAC         sipp -sf scenarios/uac-early-media.xml 10.99.30.2:5060 -i/-mi 10.99.30.1:
#               offers PCMU, sends its own 440 Hz tone (3 s) from the ACK on, BYE at 3.2 s
#   capture     tcpdump -n -U --immediate-mode -s 0 -i veth0 -w F 'udp or icmp' (in the uac)
# Expected diagnosis: no problem (early media is normal), see samples/README.
set -euo pipefail
SAMPLE=early-media
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/media.sh"
need_root
need_tools sipp tcpdump tshark capinfos ip timeout
media_setup

two_party 10.99.30 "-sf $SCEN_DIR/uas-early-media.xml" "-sf $SCEN_DIR/uac-early-media.xml"

F=$WORK/capture.pcap
expect_sip "$F" '^Request: INVITE' 1
expect_sip "$F" '^Status: 183' 1
expect_sip "$F" '^Status: 200 OK \(INVITE\)' 1
expect_sip "$F" '^Request: ACK' 1
expect_sip "$F" '^Request: BYE' 1
expect_sip "$F" '^Status: 200 OK \(BYE\)' 1
ok=$(tshark -r "$F" -Y 'sip.Status-Code == 200 && sip.CSeq.method == "INVITE"' -T fields -e frame.time_relative 2>/dev/null)
expect_rtp "$F" "ip.src==10.99.30.2 && frame.time_relative < $ok" 90 101
expect_rtp "$F" "ip.src==10.99.30.1 && frame.time_relative < $ok" 0 0
expect_rtp "$F" 'ip.src==10.99.30.1' 145 150
expect_good_checksums "$F"
summary "$F"
rtp_streams "$F"
echo "200 OK at $ok s"
publish early-media.pcap
