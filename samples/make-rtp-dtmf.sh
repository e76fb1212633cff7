#!/usr/bin/env bash
# make-rtp-dtmf.sh - samples/rtp-dtmf.pcap: a PCMU call in which the caller sends an
# RFC 4733 telephone-event (digit 1, pt 101) between its audio packets.
#
# How it is made (real peers, nothing synthesized):
#   namespaces  ssc-rtp-dtmf-<pid>-uac and ...-uas, joined by a veth pair
#               uac: veth0 10.99.27.1/24   <->   uas: veth0 10.99.27.2/24
#   UAS         sipp -sf scenarios/uas-rtp-dtmf.xml -i/-mi 10.99.27.2: answers
#               "m=audio 6000 RTP/AVP 0 101" (telephone-event/8000, fmtp 0-16) and
#               streams 4 s of a 660 Hz PCMU tone (rtp_stream)
#   UAC         sipp -sf scenarios/uac-rtp-dtmf.xml 10.99.27.2:5060 -i/-mi 10.99.27.1 -mp 6000:
#               offers the same, streams a 440 Hz PCMU tone; at 1 s pauses it
#               (rtp_stream="pause"), replays media/dtmf_2833_1.pcap (SIPp's recording
#               of digit 1: 10 RTP packets, pt 101) with play_pcap_audio, resumes the
#               audio 400 ms later, BYE at ~4.4 s.  play_pcap_audio sends from
#               [media_port] (-mp 6000), which is why this offer's m= line uses
#               [media_port] rather than [rtpstream_audio_port] (both are 6000): sipp
#               only sets play_pcap_audio's source port when the scenario uses
#               [media_port], else it sends from port 0.
#   capture     tcpdump -n -U --immediate-mode -s 0 -i veth0 -w F 'udp or icmp' (in the uac)
# Expected: no problem codes, one DTMF digit 1.
# Verified (tshark 4.0.17): see samples/README (rtp-dtmf).
# Exit 77 (skip) when not root or sipp/tcpdump/tshark is missing.
set -euo pipefail
SAMPLE=rtp-dtmf
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/media.sh"
need_root
need_tools sipp tcpdump tshark capinfos ip timeout
media_setup

two_party 10.99.27 "-sf $SCEN_DIR/uas-rtp-dtmf.xml" "-sf $SCEN_DIR/uac-rtp-dtmf.xml -mp 6000"

F=$WORK/capture.pcap
expect_basic_call "$F"
expect_rtp "$F" 'ip.src==10.99.27.1 && rtp.p_type==0' 150 200
expect_rtp "$F" 'ip.src==10.99.27.1 && rtp.p_type==101' 10 10
expect_rtp "$F" 'ip.src==10.99.27.2 && rtp.p_type==0' 190 200
expect_good_checksums "$F"
summary "$F"
rtp_streams "$F"
publish rtp-dtmf.pcap
