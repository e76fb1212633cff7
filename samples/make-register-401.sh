#!/usr/bin/env bash
# make-register-401.sh - samples/register-401.pcap: REGISTER with digest authentication
# against a real Kamailio registrar: REGISTER -> 401 (WWW-Authenticate, qop=auth) ->
# REGISTER with Authorization -> 200 OK carrying Contact;expires=3600.
#
# How it is made (real peers, nothing synthesized):
#   namespaces  ssc-register-401-<pid>-uac and ...-reg, joined by a veth pair
#               uac: veth0 10.99.4.1/24   <->   reg: veth0 10.99.4.2/24
#   registrar   ip netns exec ...-reg kamailio -DD -E -f kamailio/registrar.cfg
#                 -l udp:10.99.4.2:5060 -Y <tmp> -m 16 -M 4
#               (Kamailio 5.6: auth + registrar + usrloc in memory; password "secret"
#               for any user via pv_auth_check, realm "sipscope.test")
#   UAC         ip netns exec ...-uac sipp -sf scenarios/uac-register-auth.xml
#                 10.99.4.2:5060 -i 10.99.4.1 -p 5060 -s alice -au alice -ap secret -m 1
#   capture     ip netns exec ...-uac tcpdump -n -U --immediate-mode -s 0 -i veth0 -w F 'udp port 5060'
#               (started first, waited for, stopped with SIGINT after sipp exits;
#               Kamailio is then stopped with SIGTERM by pid)
#
# Verified (tshark 4.0.17):
#   File type:           Wireshark/tcpdump/... - pcap
#   File encapsulation:  Ethernet
#   Number of packets:   4
#   File size:           1981 bytes
#   protocols: 4 eth:ethertype:ip:udp:sip
#   1 10.99.4.1 10.99.4.2 Request: REGISTER sip:10.99.4.2:5060  (1 binding)
#   2 10.99.4.2 10.99.4.1 Status: 401 Unauthorized
#   3 10.99.4.1 10.99.4.2 Request: REGISTER sip:10.99.4.2:5060  (1 binding)
#   4 10.99.4.2 10.99.4.1 Status: 200 OK (REGISTER)  (1 binding)
#   2  Digest realm="sipscope.test", nonce="awFCimsBQV6RRN9LtEGWluj1tOgcfqDh", qop="auth"
#   3    Digest username="alice",realm="sipscope.test",cnonce="6b8b4567",nc=00000001,qop=auth,uri="sip:10.99.4.2:5060",nonce="awFCimsBQV6RRN9LtEGWluj1tOgcfqDh",response="eded5b777014bfe3ed1b402763a818d0",algorithm=MD5
# Exit 77 (skip) when not root or sipp/kamailio/tcpdump/tshark is missing.
set -euo pipefail
SAMPLE=register-401
. "$(dirname "$0")/lib/common.sh"
need_root
need_tools sipp kamailio tcpdump tshark capinfos ip timeout

ns_add uac
ns_add reg
veth_pair uac veth0 reg veth0
in_ns uac ip addr add 10.99.4.1/24 dev veth0
in_ns reg ip addr add 10.99.4.2/24 dev veth0

capture_start uac veth0 'udp port 5060'

bg kamailio timeout 40 ip netns exec "$(ns reg)" kamailio -DD -E \
    -f "$SAMPLES_DIR/kamailio/registrar.cfg" -l udp:10.99.4.2:5060 -Y "$WORK" -m 16 -M 4
for _ in $(seq 1 50); do
    grep -q "udp: 10.99.4.2" "$WORK/kamailio.log" 2>/dev/null && \
        in_ns reg ss -lun 2>/dev/null | grep -q '10.99.4.2:5060' && break
    kill -0 "${_PIDS[kamailio]}" 2>/dev/null || die "kamailio exited early"
    sleep 0.1
done
in_ns reg ss -lun | grep -q '10.99.4.2:5060' || die "kamailio is not listening"
sleep 0.3

bg uac timeout 30 ip netns exec "$(ns uac)" sipp -sf "$SCEN_DIR/uac-register-auth.xml" \
    10.99.4.2:5060 -i 10.99.4.1 -p 5060 -s alice -au alice -ap secret \
    -m 1 -nostdin -timeout 20s -timeout_error
wait_pid uac || die "sipp uac failed"
capture_stop
kill -TERM "${_PIDS[kamailio]}"
wait_pid kamailio || true

F=$WORK/capture.pcap
expect_sip "$F" '^Request: REGISTER' 2
expect_sip "$F" '^Status: 401 Unauthorized' 1
expect_sip "$F" '^Status: 200 OK \(REGISTER\)' 1
n=$(tshark -r "$F" -Y 'sip.WWW-Authenticate' 2>/dev/null | wc -l); [ "$n" -eq 1 ] || die "no WWW-Authenticate"
n=$(tshark -r "$F" -Y 'sip.Authorization' 2>/dev/null | wc -l); [ "$n" -eq 1 ] || die "no Authorization"
n=$(tshark -r "$F" -Y 'sip.Status-Code==200 && sip.Contact contains "expires="' 2>/dev/null | wc -l)
[ "$n" -eq 1 ] || die "200 OK has no Contact;expires"
expect_good_checksums "$F"
summary "$F"
tshark -r "$F" -Y 'sip.WWW-Authenticate || sip.Authorization' -T fields \
    -e frame.number -e sip.WWW-Authenticate -e sip.Authorization 2>/dev/null || true
publish register-401.pcap
