#!/usr/bin/env bash
# make-diag-nat.sh - samples/diag-nat.pcap: caller in a private network behind a NAT
# router (iptables MASQUERADE) that puts its private address in its SDP; captured on
# the router's public interface.
#
# How it is made (real peers, nothing synthesized; the NAT is the Linux kernel's):
#   namespaces  ssc-diag-nat-<pid>-uac, ...-nat (router), ...-uas
#     uac  veth0 10.99.25.2/24, default via 10.99.25.1           (private side)
#     nat  in0 10.99.25.1/24 <-> uac;  out0 203.0.113.1/24 <-> uas; ip_forward=1
#          iptables -t nat -A POSTROUTING -o out0 -p udp --sport 5060 -j MASQUERADE --to-ports 35060
#          iptables -t nat -A POSTROUTING -o out0 -p udp --sport 6000 -j MASQUERADE --to-ports 36000
#          iptables -t nat -A POSTROUTING -o out0 -j MASQUERADE
#          iptables -A FORWARD -i out0 -d 10.0.0.0/8 -m conntrack --ctstate NEW,INVALID -j DROP
#          (the fixed --to-ports make the run deterministic; a real NAT picks ports of its
#          own.  The FORWARD rule is "the internet does not route 10/8": packets from the
#          public side to a private address are dropped unless they are replies of a
#          translated flow, which the NAT has already rewritten)
#     uas  veth0 203.0.113.2/24, default via 203.0.113.1           (public side)
#   UAS  sipp -sf scenarios/uas-rtp.xml -i/-mi 203.0.113.2 (answers PCMU, c=203.0.113.2,
#        m=audio 6000; streams 4 s of a 660 Hz tone to the offer's address 10.99.25.2:6000)
#   UAC  sipp -sf scenarios/uac-rtp.xml 203.0.113.2:5060 -i/-mi 10.99.25.2 (offers
#        c=IN IP4 10.99.25.2 m=audio 6000, streams 4 s of a 440 Hz tone, BYE after 4.2 s)
#   capture  tcpdump -n -U --immediate-mode -s 0 -i out0 -w F 'udp or icmp' (in the router)
# So the capture shows the caller's SIP from 203.0.113.1:35060 and its RTP from
# 203.0.113.1:36000 (not the SDP's 10.99.25.2:6000), and the callee's RTP going to
# 10.99.25.2:6000, which the router drops (it never reaches the caller).
# Expected diagnosis: SDP_PRIVATE_ADDRESS, NAT_ADDRESS_MISMATCH (see samples/README).
set -euo pipefail
SAMPLE=diag-nat
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/media.sh"
need_root
need_tools sipp tcpdump tshark capinfos ip timeout iptables
media_setup

ns_add uac
ns_add nat
ns_add uas
veth_pair uac veth0 nat in0
veth_pair nat out0 uas veth0
in_ns uac ip addr add 10.99.25.2/24 dev veth0
in_ns uac ip route add default via 10.99.25.1
in_ns nat ip addr add 10.99.25.1/24 dev in0
in_ns nat ip addr add 203.0.113.1/24 dev out0
in_ns nat sysctl -qw net.ipv4.ip_forward=1
in_ns uas ip addr add 203.0.113.2/24 dev veth0
in_ns uas ip route add default via 203.0.113.1
in_ns nat iptables -t nat -A POSTROUTING -o out0 -p udp --sport 5060 -j MASQUERADE --to-ports 35060
in_ns nat iptables -t nat -A POSTROUTING -o out0 -p udp --sport 6000 -j MASQUERADE --to-ports 36000
in_ns nat iptables -t nat -A POSTROUTING -o out0 -j MASQUERADE
in_ns nat iptables -A FORWARD -i out0 -d 10.0.0.0/8 -m conntrack --ctstate NEW,INVALID -j DROP

capture_start nat out0 'udp or icmp'
bg uas timeout 40 ip netns exec "$(ns uas)" sipp -sf "$SCEN_DIR/uas-rtp.xml" \
    -i 203.0.113.2 -mi 203.0.113.2 -p 5060 -m 1 -nostdin -timeout 30s -timeout_error
sleep 0.5
bg uac timeout 40 ip netns exec "$(ns uac)" sipp -sf "$SCEN_DIR/uac-rtp.xml" 203.0.113.2:5060 \
    -i 10.99.25.2 -mi 10.99.25.2 -p 5060 -m 1 -nostdin -timeout 30s -timeout_error
wait_pid uac || die "sipp uac failed"
wait_pid uas || die "sipp uas failed"
capture_stop
dropped=$(in_ns nat iptables -L FORWARD -v -n -x | awk '$3=="DROP"{print $1}')
log "router dropped $dropped packets (public side -> 10/8)"

F=$WORK/capture.pcap
expect_basic_call "$F"
[ "$(udp_count "$F" 'sip && ip.src==203.0.113.1 && udp.srcport==35060')" -eq 3 ] \
    || die "caller's SIP not from 203.0.113.1:35060"
[ "$(udp_count "$F" 'sdp.connection_info.address == 10.99.25.2')" -eq 1 ] || die "no private c= line"
expect_rtp "$F" 'ip.src==203.0.113.1 && udp.srcport==36000 && ip.dst==203.0.113.2' 190 200
expect_rtp "$F" 'ip.src==203.0.113.2 && ip.dst==10.99.25.2 && udp.dstport==6000' 190 200
[ "$(udp_count "$F" 'ip.addr==10.99.25.2 && !(ip.dst==10.99.25.2 && ip.src==203.0.113.2 && rtp)')" -eq 0 ] \
    || die "unexpected packets to/from the private address"
[ "$dropped" -ge 190 ] || die "router dropped only $dropped packets"
expect_good_checksums "$F"
summary "$F"
rtp_streams "$F"
publish diag-nat.pcap
