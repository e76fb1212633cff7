#!/usr/bin/env bash
# make-rtp-rtcp.sh - samples/rtp-rtcp.pcap: a call between two baresip user agents,
# PCMU RTP both ways with real RTCP (sender reports with report blocks, SDES, APP
# "PING", BYE), 11 s.
#
# How it is made (real peers, nothing synthesized):
#   namespaces  ssc-rtp-rtcp-<pid>-uac and ...-uas, joined by a veth pair
#               uac: veth0 10.99.31.1/24   <->   uas: veth0 10.99.31.2/24
#   peers       baresip 1.0.0 (Debian package baresip-core), one per namespace, each with
#               its own config directory (written by this script, see baresip_conf):
#               sip_listen IP:5060, account <sip:USER@IP>;regint=0;answermode=auto;
#               audio_codecs=PCMU;ptime=20, audio source ausine (a 440 Hz / 660 Hz sine
#               made at 48 kHz stereo, resampled by baresip to 8 kHz mono), audio
#               player aubridge (discards), rtp_ports 10000-10002 (uac) and
#               20000-20002 (uas) so RTP is on 10000/20000 and RTCP on 10001/20001,
#               rtcp_mux no, modules g711 ausine aubridge account menu.
#   UAS         baresip -f CONF-bob -t 16  (answers automatically with 200 "Answering")
#   UAC         baresip -f CONF-alice -t 11 -e "/dial sip:bob@10.99.31.2"
#               (-t 11: quits after 11 s, hanging up the call with a BYE)
#   capture     tcpdump -n -U --immediate-mode -s 0 -i veth0 -w F 'udp or icmp' (in the uac)
# baresip's RTCP: an APP "PING" at the start, a compound SR+SDES every 5 s with one
# report block about the peer's stream (fraction lost, cumulative lost, jitter, LSR,
# DLSR), and BYE+SDES when the call ends.  Figures: samples/README (rtp-rtcp).
set -euo pipefail
SAMPLE=rtp-rtcp
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/media.sh"
need_root
need_tools baresip tcpdump tshark capinfos ip timeout

# baresip_conf DIR IP USER TONE-HZ RTP-PORT-BASE
baresip_conf() {
    mkdir -p "$1"
    cat > "$1/config" <<EOC
poll_method		epoll
sip_listen		$2:5060
sip_trans_def		udp
call_local_timeout	120
call_max_calls		1
audio_player		aubridge,sink-$3
audio_source		ausine,$4
audio_alert		aubridge,alert-$3
ausrc_srate		48000
auplay_srate		8000
ausrc_channels		2
auplay_channels		1
audio_level		no
rtp_tos			0
rtp_ports		$5-$(($5 + 2))
rtcp_mux		no
jitter_buffer_delay	5-10
rtp_stats		yes
net_interface		veth0
module_path		/usr/lib/baresip/modules
module			g711.so
module			ausine.so
module			aubridge.so
module_app		account.so
module_app		menu.so
EOC
    echo "<sip:$3@$2>;regint=0;answermode=auto;audio_codecs=PCMU;ptime=20" > "$1/accounts"
    : > "$1/contacts"
}

ns_add uac
ns_add uas
veth_pair uac veth0 uas veth0
in_ns uac ip addr add 10.99.31.1/24 dev veth0
in_ns uas ip addr add 10.99.31.2/24 dev veth0
baresip_conf "$WORK/conf-alice" 10.99.31.1 alice 440 10000
baresip_conf "$WORK/conf-bob" 10.99.31.2 bob 660 20000

capture_start uac veth0 'udp or icmp'
bg uas timeout 30 ip netns exec "$(ns uas)" baresip -f "$WORK/conf-bob" -t 16
sleep 1
bg uac timeout 30 ip netns exec "$(ns uac)" baresip -f "$WORK/conf-alice" -t 11 \
    -e "/dial sip:bob@10.99.31.2"
wait_pid uac || die "baresip (caller) failed"
sleep 0.5
kill -TERM "${_PIDS[uas]}"
wait_pid uas || true
capture_stop

F=$WORK/capture.pcap
expect_sip "$F" '^Request: INVITE' 1
expect_sip "$F" '^Status: 200 .*\(INVITE\)' 1
expect_sip "$F" '^Request: ACK' 1
expect_sip "$F" '^Request: BYE' 1
expect_sip "$F" '^Status: 200 OK \(BYE\)' 1
expect_rtp "$F" 'ip.src==10.99.31.1 && udp.srcport==10000 && rtp.p_type==0' 540 560
expect_rtp "$F" 'ip.src==10.99.31.2 && udp.srcport==20000 && rtp.p_type==0' 540 560
[ "$(udp_count "$F" 'rtcp.pt==200 && ip.src==10.99.31.1')" -ge 2 ] || die "caller sent < 2 RTCP SR"
[ "$(udp_count "$F" 'rtcp.pt==200 && ip.src==10.99.31.2')" -ge 2 ] || die "callee sent < 2 RTCP SR"
[ "$(udp_count "$F" 'rtcp.pt==203 && !icmp')" -eq 2 ] || die "expected one RTCP BYE each way"
expect_good_checksums "$F"
summary "$F"
rtp_streams "$F"
tshark -r "$F" -Y rtcp 2>/dev/null
publish rtp-rtcp.pcap
