#!/usr/bin/env bash
# make-diag-one-way.sh - samples/diag-one-way.pcap: an answered call in which only the
# caller sends RTP; the callee (which has a socket on its SDP port and receives it)
# never sends any.
#
# How it is made (real peers, nothing synthesized):
#   namespaces  ssc-diag-one-way-<pid>-uac and ...-uas, joined by a veth pair
#               uac: veth0 10.99.22.1/24   <->   uas: veth0 10.99.22.2/24
#   UAS         sipp -sf scenarios/uas-rtp-silent.xml -i 10.99.22.2 -mi 10.99.22.2 -p 5060 -m 1
#               answers PCMU (m=audio = its rtpstream port), sends no RTP
#   UAC         sipp -sf scenarios/uac-rtp.xml 10.99.22.2:5060 -i 10.99.22.1 -mi 10.99.22.1
#               offers PCMU, after the ACK sends 4 x media/tone440-pcmu.raw (4 s, 20 ms,
#               pt 0) with rtp_stream, BYE after 4.2 s
#   capture     tcpdump -n -U --immediate-mode -s 0 -i veth0 -w F 'udp or icmp' (in the uac)
# Expected diagnosis: ONE_WAY_AUDIO, callee (10.99.22.2) -> caller (10.99.22.1:6000)
# missing.  No ICMP: the callee's port is open.
# Verified (tshark 4.0.17): see samples/README (diag-one-way).
# Exit 77 (skip) when not root or sipp/tcpdump/tshark is missing.
set -euo pipefail
SAMPLE=diag-one-way
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/media.sh"
need_root
need_tools sipp tcpdump tshark capinfos ip timeout
media_setup

two_party 10.99.22 "-sf $SCEN_DIR/uas-rtp-silent.xml" "-sf $SCEN_DIR/uac-rtp.xml"

F=$WORK/capture.pcap
expect_basic_call "$F"
expect_rtp "$F" 'ip.src==10.99.22.1 && rtp.p_type==0' 190 200
expect_rtp "$F" 'ip.src==10.99.22.2' 0 0
[ "$(udp_count "$F" 'icmp')" -eq 0 ] || die "ICMP in the capture (callee not listening?)"
expect_good_checksums "$F"
summary "$F"
rtp_streams "$F"
publish diag-one-way.pcap
