#!/usr/bin/env bash
# make-rtp-impaired.sh [jitter|loss] - samples/rtp-impaired.pcap: a call whose
# caller -> callee RTP crosses a seeded user-space impairment bridge (delay, jitter,
# loss with bursts, reordering, duplicates); the callee -> caller RTP and all SIP
# cross it untouched.
#   jitter  samples/diag-high-jitter.pcap (10.99.34.x): jitter only, no loss:
#           --seed 42 --delay 270 --jitter 250 --loss 0 --burst 0 --reorder 0 --dup 0
#           (delay 20..520 ms, FIFO, so late packets hold up the ones behind them)
#   loss    samples/diag-high-loss.pcap (10.99.35.x): heavy loss only:
#           --seed 42 --delay 20 --jitter 2 --loss 0.15 --burst 0.02 --burst-min 2
#           --burst-max 5 --reorder 0 --dup 0  (57 of 300 lost with this seed)
# (make-diag-high-jitter.sh and make-diag-high-loss.sh run this script so.)
# Below, the default mode (rtp-impaired); the others differ only as said above.
#
# How it is made (real peers; the impairment is done to the real packets in flight):
#   namespaces  ssc-rtp-impaired-<pid>-uac, ...-mid, ...-uas
#     uac veth0 10.99.28.1/24 -- ia [mid: lib/impairbridge.py] ib -- veth0 10.99.28.2/24 uas
#     (one Ethernet segment; mid has no addresses, IPv6 off, both ports promiscuous)
#   bridge  python3 lib/impairbridge.py --a ia --b ib --port 6000 --seed 71 --delay 20
#           --jitter 15 --loss 0.012 --burst 0.005 --burst-min 2 --burst-max 5
#           --reorder 0.01 --reorder-ms 45 --dup 0.008
#           i.e. frames ia -> ib to UDP port 6000 (the caller's RTP to the callee): base
#           delay 20 ms + uniform +-15 ms jitter (FIFO, no overtaking), 1.2% single
#           losses plus bursts of 2-5 lost packets started with probability 0.5%
#           (about 3% loss in all), 1% of packets held 45 ms more so the next ones
#           overtake them, 0.8% sent twice (1 ms apart).  Seed 71 (not 42) because with
#           these probabilities it gives a typical 300-packet pattern: 8 lost (2.7%,
#           bursts of 4 and 2), 3 reordered, 2 duplicated.  One random.Random(71) drawn
#           in a fixed order per packet, so the pattern depends only on the packet's
#           position in the stream.  Everything else is forwarded at once.
#   UAS     sipp -sf scenarios/uas-rtp-6s.xml -i/-mi 10.99.28.2 (PCMU, 6 s 660 Hz)
#   UAC     sipp -sf scenarios/uac-rtp-6s.xml 10.99.28.2:5060 -i/-mi 10.99.28.1
#           (PCMU, 6 s 440 Hz = 300 packets, BYE after 6.2 s)
#   capture tcpdump -n -U --immediate-mode -s 0 -i veth0 -w F 'udp or icmp' in the uas,
#           i.e. on the receiving side of the impaired direction, after the bridge
# The bridge's own report (which packets it dropped, reordered, duplicated) is printed
# by this script.  Observed figures: samples/README (rtp-impaired).
set -euo pipefail
MODE=${1:-impaired}
case $MODE in
    impaired) SAMPLE=rtp-impaired NET=10.99.28 RX_MIN=270 RX_MAX=300
              BRIDGE_ARGS="--seed 71 --delay 20 --jitter 15 --loss 0.012 --burst 0.005
                  --burst-min 2 --burst-max 5 --reorder 0.01 --reorder-ms 45 --dup 0.008" ;;
    jitter)   SAMPLE=diag-high-jitter NET=10.99.34 RX_MIN=300 RX_MAX=300
              BRIDGE_ARGS="--seed 42 --delay 270 --jitter 250 --loss 0 --burst 0 --reorder 0
                  --dup 0" ;;
    loss)     SAMPLE=diag-high-loss NET=10.99.35 RX_MIN=243 RX_MAX=243
              BRIDGE_ARGS="--seed 42 --delay 20 --jitter 2 --loss 0.15 --burst 0.02
                  --burst-min 2 --burst-max 5 --reorder 0 --dup 0" ;;
    *) echo "usage: $0 [jitter|loss]" >&2; exit 1 ;;
esac
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
in_ns uac ip addr add $NET.1/24 dev veth0
in_ns uas ip addr add $NET.2/24 dev veth0

bg bridge timeout 40 ip netns exec "$(ns mid)" python3 -u "$SAMPLES_DIR/lib/impairbridge.py" \
    --a ia --b ib --port 6000 $BRIDGE_ARGS --timeout 35
for _ in $(seq 1 50); do
    grep -q '^ready' "$WORK/bridge.log" 2>/dev/null && break
    sleep 0.1
done
grep -q '^ready' "$WORK/bridge.log" || die "impairbridge did not start"

capture_start uas veth0 'udp or icmp'
bg uas timeout 40 ip netns exec "$(ns uas)" sipp -sf "$SCEN_DIR/uas-rtp-6s.xml" \
    -i $NET.2 -mi $NET.2 -p 5060 -m 1 -nostdin -timeout 30s -timeout_error
sleep 0.5
bg uac timeout 40 ip netns exec "$(ns uac)" sipp -sf "$SCEN_DIR/uac-rtp-6s.xml" $NET.2:5060 \
    -i $NET.1 -mi $NET.1 -p 5060 -m 1 -nostdin -timeout 30s -timeout_error
wait_pid uac || die "sipp uac failed"
wait_pid uas || die "sipp uas failed"
capture_stop
kill -TERM "${_PIDS[bridge]}"
wait_pid bridge || true
report=$(tail -n 1 "$WORK/bridge.log")
log "bridge: $report"

F=$WORK/capture.pcap
expect_basic_call "$F"
expect_rtp "$F" "ip.src==$NET.2" 295 300
expect_rtp "$F" "ip.src==$NET.1" $RX_MIN $RX_MAX
expect_good_checksums "$F"
summary "$F"
rtp_streams "$F"
publish "$SAMPLE.pcap"
