#!/usr/bin/env bash
# make-diag-no-ack.sh - samples/diag-no-ack.pcap: an answered call whose 200 OK is
# never acknowledged: the callee retransmits it (0.5, 1, 2 s apart), both sides send
# RTP meanwhile, and after 7.5 s without an ACK the callee ends it with a BYE.
#
# How it is made (real peers, nothing synthesized):
#   namespaces  ssc-diag-no-ack-<pid>-uac and ...-uas, joined by a veth pair
#               uac: veth0 10.99.33.1/24   <->   uas: veth0 10.99.33.2/24
#   UAS         sipp -sf scenarios/uas-no-ack.xml -i/-mi 10.99.33.2: 100, 180, 200 OK
#               (SDP PCMU), streams a 660 Hz tone from the 200 on, sends the same 200
#               again after 0.5, 1 and 2 s without an ACK, waits 4 s more, then BYE
#               (Reason: SIP;cause=408;text="no ACK received") to the caller's Contact
#   UAC         sipp -sf scenarios/uac-no-ack.xml 10.99.33.2:5060 -i/-mi 10.99.33.1:
#               offers PCMU, never sends an ACK, streams a 440 Hz tone from the 200 on,
#               answers the BYE with 200 OK and stops its RTP
#   capture     tcpdump -n -U --immediate-mode -s 0 -i veth0 -w F 'udp or icmp' (in the uac)
# Expected diagnosis: NO_ACK (and RETRANSMISSIONS of the 200), see samples/README.
# Verified (tshark 4.0.17): see samples/README (diag-no-ack).
# Exit 77 (skip) when not root or sipp/tcpdump/tshark is missing.
set -euo pipefail
SAMPLE=diag-no-ack
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/media.sh"
need_root
need_tools sipp tcpdump tshark capinfos ip timeout
media_setup

two_party 10.99.33 "-sf $SCEN_DIR/uas-no-ack.xml" "-sf $SCEN_DIR/uac-no-ack.xml"

F=$WORK/capture.pcap
expect_sip "$F" '^Request: INVITE' 1
expect_sip "$F" '^Status: 200 OK \(INVITE\)' 4
expect_sip "$F" '^Request: ACK' 0
expect_sip "$F" '^Request: BYE' 1
expect_sip "$F" '^Status: 200 OK \(BYE\)' 1
expect_rtp "$F" 'ip.src==10.99.33.1 && rtp.p_type==0' 360 380
expect_rtp "$F" 'ip.src==10.99.33.2 && rtp.p_type==0' 360 380
expect_good_checksums "$F"
summary "$F"
rtp_streams "$F"
publish diag-no-ack.pcap
