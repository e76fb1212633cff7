#!/usr/bin/env bash
# make-rtp-call.sh - samples/rtp-call.pcap: a complete call with PCMU RTP both ways.
#
# How it is made (real peers, nothing synthesized):
#   namespaces  ssc-rtp-call-<pid>-uac and ...-uas, joined by a veth pair
#               uac: veth0 10.99.20.1/24   <->   uas: veth0 10.99.20.2/24
#   UAS         sipp -sf scenarios/uas-rtp.xml -i 10.99.20.2 -mi 10.99.20.2 -p 5060 -m 1
#               answers PCMU, on the ACK sends 4 x media/tone660-pcmu.raw (1 s of a
#               660 Hz tone each) with <exec rtp_stream="tone660-pcmu.raw,4,0"/>
#   UAC         sipp -sf scenarios/uac-rtp.xml 10.99.20.2:5060 -i 10.99.20.1 -mi 10.99.20.1
#               offers PCMU, after the ACK sends 4 x media/tone440-pcmu.raw, BYE after 4.2 s
#   capture     tcpdump -n -U --immediate-mode -s 0 -i veth0 -w F 'udp or icmp' (in the uac)
# Each sipp sends RTP from its rtpstream port ([rtpstream_audio_port] in its SDP) to
# the c=/m= address of the peer's SDP: 20 ms packets of 160 bytes, pt 0.
# No RTCP: sipp 3.6.1's rtp_stream sends none, and no other peer here does.
#
# Verified (tshark 4.0.17): see samples/README (rtp-call).
# Exit 77 (skip) when not root or sipp/tcpdump/tshark is missing.
set -euo pipefail
SAMPLE=rtp-call
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/media.sh"
need_root
need_tools sipp tcpdump tshark capinfos ip timeout
media_setup

two_party 10.99.20 "-sf $SCEN_DIR/uas-rtp.xml" "-sf $SCEN_DIR/uac-rtp.xml"

F=$WORK/capture.pcap
expect_basic_call "$F"
expect_rtp "$F" 'ip.src==10.99.20.1 && rtp.p_type==0' 190 200
expect_rtp "$F" 'ip.src==10.99.20.2 && rtp.p_type==0' 190 200
expect_good_checksums "$F"
summary "$F"
rtp_streams "$F"
publish rtp-call.pcap
