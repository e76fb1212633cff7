#!/usr/bin/env bash
# make-diag-wrong-port.sh - samples/diag-wrong-port.pcap: the callee's RTP reaches the
# caller on the wrong port: a middlebox (a "broken ALG") rewrites its destination port
# 6000 -> 6010, so the caller, whose SDP says 6000, rejects it with ICMP.
#
# How it is made (real peers; the rewrite is done to the real packets in flight):
#   namespaces  ssc-diag-wrong-port-<pid>-uac, ...-mid, ...-uas
#     uac veth0 10.99.32.1/24 -- ia [mid: lib/impairbridge.py] ib -- veth0 10.99.32.2/24 uas
#     (one Ethernet segment; mid has no addresses, IPv6 off, both ports promiscuous)
#   bridge  python3 lib/impairbridge.py --a ib --b ia --port 6000 --set-dport 6010
#           --delay 0 --jitter 0 --loss 0 --burst 0 --reorder 0 --dup 0
#           i.e. frames from the callee's side to UDP port 6000 (its RTP to the caller)
#           get destination port 6010 (UDP checksum updated), nothing else changes;
#           the caller's RTP and all SIP pass untouched
#   UAS     sipp -sf scenarios/uas-rtp.xml -i/-mi 10.99.32.2 (PCMU, 4 s 660 Hz to the
#           offer's 10.99.32.1:6000)
#   UAC     sipp -sf scenarios/uac-rtp.xml 10.99.32.2:5060 -i/-mi 10.99.32.1 (offers
#           c=10.99.32.1 m=audio 6000, streams 4 s 440 Hz, BYE at 4.2 s)
#   capture tcpdump -n -U --immediate-mode -s 0 -i veth0 -w F 'udp or icmp' in the uac,
#           after the rewrite
# Expected diagnosis: MEDIA_TO_WRONG_ADDRESS (callee -> caller goes to
# 10.99.32.1:6010, the caller's SDP says 6000), see samples/README.
set -euo pipefail
SAMPLE=diag-wrong-port
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/media.sh"
need_root
need_tools sipp tcpdump tshark capinfos ip timeout sysctl
media_setup

for n in uac mid uas; do ns_add $n; done
in_ns mid sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
veth_pair uac veth0 mid ia
veth_pair mid ib uas veth0
in_ns mid ip link set ia promisc on
in_ns mid ip link set ib promisc on
in_ns uac ip addr add 10.99.32.1/24 dev veth0
in_ns uas ip addr add 10.99.32.2/24 dev veth0

bg bridge timeout 40 ip netns exec "$(ns mid)" python3 -u "$SAMPLES_DIR/lib/impairbridge.py" \
    --a ib --b ia --port 6000 --set-dport 6010 --delay 0 --jitter 0 --loss 0 --burst 0 \
    --reorder 0 --dup 0 --timeout 35
for _ in $(seq 1 50); do
    grep -q '^ready' "$WORK/bridge.log" 2>/dev/null && break
    sleep 0.1
done
grep -q '^ready' "$WORK/bridge.log" || die "impairbridge did not start"

capture_start uac veth0 'udp or icmp'
bg uas timeout 40 ip netns exec "$(ns uas)" sipp -sf "$SCEN_DIR/uas-rtp.xml" \
    -i 10.99.32.2 -mi 10.99.32.2 -p 5060 -m 1 -nostdin -timeout 30s -timeout_error
sleep 0.5
bg uac timeout 40 ip netns exec "$(ns uac)" sipp -sf "$SCEN_DIR/uac-rtp.xml" 10.99.32.2:5060 \
    -i 10.99.32.1 -mi 10.99.32.1 -p 5060 -m 1 -nostdin -timeout 30s -timeout_error
wait_pid uac || die "sipp uac failed"
wait_pid uas || die "sipp uas failed"
capture_stop
kill -TERM "${_PIDS[bridge]}"
wait_pid bridge || true
log "bridge: $(tail -n 1 "$WORK/bridge.log")"

F=$WORK/capture.pcap
expect_basic_call "$F"
expect_rtp "$F" 'ip.src==10.99.32.1 && udp.dstport==6000 && !icmp' 190 200
expect_rtp "$F" 'ip.src==10.99.32.2 && udp.dstport==6010 && !icmp' 190 200
expect_rtp "$F" 'ip.src==10.99.32.2 && udp.dstport==6000 && !icmp' 0 0
icmp=$(udp_count "$F" 'icmp.type==3 && icmp.code==3')
[ "$icmp" -ge 1 ] || die "no ICMP port unreachable from the caller"
log "ICMP port unreachable: $icmp"
expect_good_checksums "$F"
summary "$F"
rtp_streams "$F"
publish diag-wrong-port.pcap
