#!/usr/bin/env bash
# make-tls.sh - samples/tls-<SUITE>.pcap + .keys: SIP over TLS (port 5061), one
# INVITE and its 200 OK, one capture per cipher suite, with the NSS key log that
# decrypts it.
#
# How it is made (real peers, nothing synthesized):
#   key         openssl req -x509 -newkey rsa:2048 -nodes (throwaway, made per run);
#               for the RSA key exchange suite it is kept as tls-<SUITE>.key.pem so
#               the capture can be decrypted with --rsa-key as well
#   namespaces  ssc-tls-<pid>-cli and ...-srv, joined by a veth pair
#               cli: veth0 10.99.61.1/24   <->   srv: veth0 10.99.61.2/24
#               (not 127.0.0.1: a private namespace cannot collide with anything
#               else on port 5061, and TX checksum offload is off on the veth so
#               the TCP checksums in the capture are complete)
#   server      openssl s_server -accept 5061 -naccept 1 -quiet -cert -key
#               -keylogfile + the suite options; its stdin answers "SIP/2.0 200 OK"
#               once the INVITE shows up in its output
#   client      openssl s_client -connect 10.99.61.2:5061 -keylogfile + the suite
#               options; its stdin sends the INVITE, then stays open until the
#               200 OK arrived, and its EOF closes the connection (close_notify)
#   capture     tcpdump -n -U --immediate-mode -s 0 -i veth0 -w F 'tcp port 5061'
#
# Suites: TLS 1.2 ECDHE-RSA-AES128-GCM-SHA256 ECDHE-RSA-AES256-GCM-SHA384
#   ECDHE-RSA-CHACHA20-POLY1305 ECDHE-RSA-AES128-SHA ECDHE-RSA-AES128-SHA256
#   ECDHE-RSA-AES256-SHA384 AES128-GCM-SHA256 (RSA key exchange); TLS 1.3
#   TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 TLS_CHACHA20_POLY1305_SHA256.
#   Variants: ECDHE-RSA-AES128-SHA:noetm (-no_etm: MAC-then-encrypt CBC),
#   ECDHE-RSA-AES128-GCM-SHA256:resume (two connections, the second resumes the
#   first with -sess_out/-sess_in: session ticket), ...:resume-sid (-no_ticket:
#   session id), TLS_AES_128_GCM_SHA256:resume (TLS 1.3 PSK),
#   TLS_AES_128_GCM_SHA256:keyupdate (KeyUpdate after the 200 OK, then an ACK
#   under the new keys); file names use '-'.
#   ./make-tls.sh SUITE[:VARIANT]... makes only those.
# Each capture is checked: tshark -o tls.keylog_file:F.keys -Y sip shows exactly
# the INVITE(s) and the 200 OK(s); without the key log it shows no SIP at all;
# for TLS_RSA, tshark -o uat:rsa_keys:"KEY","" (no key log) shows the INVITE.
# Exit 77 (skip) when not root or openssl/tcpdump/tshark is missing.
set -euo pipefail
SAMPLE=tls
. "$(dirname "$0")/lib/common.sh"
need_root
need_tools openssl tcpdump tshark capinfos ip timeout

TLS12="ECDHE-RSA-AES128-GCM-SHA256 ECDHE-RSA-AES256-GCM-SHA384
ECDHE-RSA-CHACHA20-POLY1305 ECDHE-RSA-AES128-SHA ECDHE-RSA-AES128-SHA256
ECDHE-RSA-AES256-SHA384 AES128-GCM-SHA256"
TLS13="TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 TLS_CHACHA20_POLY1305_SHA256"
VARIANTS="ECDHE-RSA-AES128-SHA:noetm ECDHE-RSA-AES128-GCM-SHA256:resume
ECDHE-RSA-AES128-GCM-SHA256:resume-sid TLS_AES_128_GCM_SHA256:resume
TLS_AES_128_GCM_SHA256:keyupdate"
SUITES="$*"
[ -n "$SUITES" ] || SUITES="$TLS12 $TLS13 $VARIANTS"

ns_add cli
ns_add srv
veth_pair cli veth0 srv veth0
in_ns cli ip addr add 10.99.61.1/24 dev veth0
in_ns srv ip addr add 10.99.61.2/24 dev veth0

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=sipscope-tls-sample \
    -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>"$WORK/req.log"

CRLF=$'\r\n'
INVITE="INVITE sip:bob@10.99.61.2:5061;transport=tls SIP/2.0${CRLF}\
Via: SIP/2.0/TLS 10.99.61.1:5061;branch=z9hG4bK-tls-1${CRLF}\
Max-Forwards: 70${CRLF}\
From: <sip:alice@10.99.61.1>;tag=tls-a1${CRLF}\
To: <sip:bob@10.99.61.2>${CRLF}\
Call-ID: tls-sample-1@10.99.61.1${CRLF}\
CSeq: 1 INVITE${CRLF}\
Contact: <sip:alice@10.99.61.1:5061;transport=tls>${CRLF}\
Content-Length: 0${CRLF}${CRLF}"
OK="SIP/2.0 200 OK${CRLF}\
Via: SIP/2.0/TLS 10.99.61.1:5061;branch=z9hG4bK-tls-1${CRLF}\
From: <sip:alice@10.99.61.1>;tag=tls-a1${CRLF}\
To: <sip:bob@10.99.61.2>;tag=tls-b1${CRLF}\
Call-ID: tls-sample-1@10.99.61.1${CRLF}\
CSeq: 1 INVITE${CRLF}\
Contact: <sip:bob@10.99.61.2:5061;transport=tls>${CRLF}\
Content-Length: 0${CRLF}${CRLF}"
ACK="ACK sip:bob@10.99.61.2:5061;transport=tls SIP/2.0${CRLF}\
Via: SIP/2.0/TLS 10.99.61.1:5061;branch=z9hG4bK-tls-2${CRLF}\
Max-Forwards: 70${CRLF}\
From: <sip:alice@10.99.61.1>;tag=tls-a1${CRLF}\
To: <sip:bob@10.99.61.2>;tag=tls-b1${CRLF}\
Call-ID: tls-sample-1@10.99.61.1${CRLF}\
CSeq: 1 ACK${CRLF}\
Content-Length: 0${CRLF}${CRLF}"
export INVITE OK ACK

# wait_for FILE TEXT [COUNT] : poll (up to 15 s) until FILE has COUNT (1) lines with TEXT
wait_for() {
    local n
    for _ in $(seq 1 150); do
        n=$(grep -cF "$2" "$1" 2>/dev/null || true)
        [ "${n:-0}" -ge "${3:-1}" ] && return 0
        sleep 0.1
    done
    return 1
}

# suite_opts SUITE : the openssl version/cipher options for one suite
suite_opts() {
    case $1 in
        TLS_*) echo "-tls1_3 -ciphersuites $1" ;;
        *)     echo "-tls1_2 -cipher $1" ;;
    esac
}

# client N OPTS... : connection N of the run; sends the INVITE, waits for the 200 OK;
# with KEYUPDATE=1 it then has s_client send a KeyUpdate (its "K" command: update
# requested, so both sides update) and sends the ACK under the new keys
client() {
    local i=$1; shift
    ( printf '%s' "$INVITE"; wait_for "$WORK/client$i.log" "SIP/2.0 200 OK"; sleep 0.3
      if [ "${KEYUPDATE:-0}" = 1 ]; then printf 'K\n'; sleep 0.5; printf '%s' "$ACK"; sleep 0.3; fi
    ) |
        timeout 30 ip netns exec "$(ns cli)" openssl s_client -connect 10.99.61.2:5061 \
            -keylogfile "$WORK/client.keys" "$@" >"$WORK/client$i.log" 2>&1 ||
        die "s_client $i failed"
    grep -qF "SIP/2.0 200 OK" "$WORK/client$i.log" || die "client $i never saw the 200 OK"
}

# one_suite SUITE[:VARIANT] : VARIANT noetm (CBC with MAC-then-encrypt: -no_etm),
# resume (a second connection resuming the first one's session: -sess_out/-sess_in,
# session ticket) or resume-sid (the same by session id: -no_ticket)
one_suite() {
    local s=${1%%:*} v= opts extra=() n=1 srvlog=$WORK/server.log name
    KEYUPDATE=0
    [ "$1" = "$s" ] || v=${1#*:}
    name=$s${v:+-$v}
    # shellcheck disable=SC2207
    opts=($(suite_opts "$s"))
    case $v in
        "") ;;
        noetm) extra=(-no_etm) ;;
        resume) n=2 ;;
        resume-sid) n=2; extra=(-no_ticket) ;;
        keyupdate) KEYUPDATE=1 ;;
        *) die "unknown variant $v" ;;
    esac
    rm -f "$WORK"/*.keys "$WORK"/*.log "$WORK/sess.pem"
    log "suite $name"
    capture_start cli veth0 'tcp port 5061'
    # server: answers each INVITE once it arrived, keeps stdin open a little longer
    ( for i in $(seq 1 $n); do
          wait_for "$srvlog" "INVITE sip:" "$i" && printf '%s' "$OK"
      done; sleep 3 ) |
        timeout 40 ip netns exec "$(ns srv)" openssl s_server -accept 5061 -naccept "$n" \
            -quiet -cert "$WORK/cert.pem" -key "$WORK/key.pem" \
            -keylogfile "$WORK/server.keys" "${opts[@]}" "${extra[@]}" >"$srvlog" 2>&1 &
    _PIDS[server]=$!
    for _ in $(seq 1 50); do
        in_ns srv ss -ltn 2>/dev/null | grep -q ':5061 ' && break
        sleep 0.1
    done
    if [ "$n" -eq 1 ]; then
        client 1 "${opts[@]}" "${extra[@]}"
    else
        client 1 "${opts[@]}" "${extra[@]}" -sess_out "$WORK/sess.pem"
        client 2 "${opts[@]}" "${extra[@]}" -sess_in "$WORK/sess.pem"
        grep -q "^Reused" "$WORK/client2.log" || die "$name: session not resumed"
    fi
    wait_pid server || true
    capture_stop

    local F=$WORK/capture.pcap K=$WORK/client.keys
    expect_sip "$F" "^Request: INVITE" "$n" -o "tls.keylog_file:$K"
    expect_sip "$F" "^Status: 200 OK" "$n" -o "tls.keylog_file:$K"
    [ "${KEYUPDATE:-0}" = 1 ] && expect_sip "$F" "^Request: ACK" 1 -o "tls.keylog_file:$K"
    expect_sip "$F" "." 0
    expect_good_checksums "$F"
    summary "$F" -o "tls.keylog_file:$K"
    install -m 0644 "$K" "$SAMPLES_DIR/tls-$name.keys"
    case $s in
        AES*|RSA*)  # TLS_RSA key exchange: the private key alone decrypts it too
            expect_sip "$F" "^Request: INVITE" "$n" -o "uat:rsa_keys:\"$WORK/key.pem\",\"\""
            install -m 0644 "$WORK/key.pem" "$SAMPLES_DIR/tls-$name.key.pem" ;;
    esac
    publish "tls-$name.pcap"
}

for s in $SUITES; do
    one_suite "$s"
done
