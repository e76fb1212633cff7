#!/usr/bin/env bash
# make-diag-codec-mismatch.sh - samples/diag-codec-mismatch.pcap: the offer lists PCMU
# and PCMA (0 8), the answer selects PCMA only (8), the callee sends PCMA but the caller
# keeps sending PCMU (pt 0), which the answer did not accept.
#
# How it is made (real peers, nothing synthesized):
#   namespaces  ssc-diag-codec-mismatch-<pid>-uac and ...-uas, joined by a veth pair
#               uac: veth0 10.99.23.1/24   <->   uas: veth0 10.99.23.2/24
#   UAS         sipp -sf scenarios/uas-pcma.xml -i 10.99.23.2 -mi 10.99.23.2 -p 5060 -m 1
#               answers "m=audio 6000 RTP/AVP 8", on the ACK sends 4 x
#               media/tone660-pcma.raw with <exec rtp_stream="tone660-pcma.raw,4,8"/>
#   UAC         sipp -sf scenarios/uac-codec-mismatch.xml 10.99.23.2:5060 -i 10.99.23.1 ...
#               offers "RTP/AVP 0 8", after the ACK sends 4 x media/tone440-pcmu.raw as
#               pt 0, BYE after 4.2 s
#   capture     tcpdump -n -U --immediate-mode -s 0 -i veth0 -w F 'udp or icmp' (in the uac)
# Expected diagnosis: CODEC_MISMATCH (caller -> callee pt 0 PCMU, not in the answer).
# Verified (tshark 4.0.17): see samples/README (diag-codec-mismatch).
# Exit 77 (skip) when not root or sipp/tcpdump/tshark is missing.
set -euo pipefail
SAMPLE=diag-codec-mismatch
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/media.sh"
need_root
need_tools sipp tcpdump tshark capinfos ip timeout
media_setup

two_party 10.99.23 "-sf $SCEN_DIR/uas-pcma.xml" "-sf $SCEN_DIR/uac-codec-mismatch.xml"

F=$WORK/capture.pcap
expect_basic_call "$F"
expect_rtp "$F" 'ip.src==10.99.23.1 && rtp.p_type==0' 190 200
expect_rtp "$F" 'ip.src==10.99.23.2 && rtp.p_type==8' 190 200
expect_good_checksums "$F"
summary "$F"
rtp_streams "$F"
publish diag-codec-mismatch.pcap
