#!/usr/bin/env bash
# make-wss.sh - samples/wss.pcap + wss.keys: one SIP call over secure WebSocket
# (RFC 7118, WebSocket over TLS) between a real WebSocket server and client, with
# the NSS key log that decrypts it.
#
# How it is made (real peers, nothing synthesized):
#   stack       node + the npm "ws" package (version pinned by samples/ws/
#               package-lock.json), installed with `npm ci` into a temporary
#               directory; node_modules is never written into samples/
#   key         openssl req -x509 -newkey rsa:2048 -nodes (throwaway, made per run
#               in the temporary directory, never kept)
#   namespace   ssc-wss-<pid>-ws (its own loopback, so nothing else is captured and
#               several runs do not collide)
#   server      ip netns exec ... node --tls-keylog=server.keys samples/ws/sip-ws.js
#               server 443 --tls cert.pem key.pem (an https server; accepts
#               subprotocol "sip"; answers INVITE 100/180/200, BYE 200)
#   client      ip netns exec ... node --tls-keylog=client.keys samples/ws/sip-ws.js
#               client 443 --tls (wss://, rejectUnauthorized: false; HTTP/1.1
#               upgrade with Sec-WebSocket-Protocol: sip; INVITE, ACK in two
#               fragments with a ping between them, BYE, close)
#   capture     ip netns exec ... tcpdump -n -U --immediate-mode -s 0 -i lo
#               -w F 'tcp port 443' (started first, waited for, stopped with
#               SIGINT after both peers exit)
#   keys        the client's key log is published as wss.keys; the server's must
#               hold the same secrets (checked)
# The call is the one of make-websocket.sh, with Via SIP/2.0/WSS and
# transport=wss. Port 443 so tshark decodes the TLS payload as HTTP/WebSocket
# without -d options.
#
# Checked: tshark -o tls.keylog_file:wss.keys -Y sip shows the 7 SIP messages
# (INVITE, 100, 180, 200, ACK, BYE, 200), one continuation and one ping frame;
# without the key log it shows no SIP at all.
#
# Exit 77 (skip) when not root, a tool is missing, or npm cannot install ws.
set -euo pipefail
SAMPLE=wss
. "$(dirname "$0")/lib/common.sh"
need_root
need_tools node npm openssl tcpdump tshark capinfos ip timeout

mkdir "$WORK/ws"
cp "$SAMPLES_DIR/ws/package.json" "$SAMPLES_DIR/ws/package-lock.json" \
    "$SAMPLES_DIR/ws/sip-ws.js" "$WORK/ws/"
(cd "$WORK/ws" && timeout 120 npm ci --no-audit --no-fund >"$WORK/npm.log" 2>&1) ||
    skip "npm ci could not install the ws package (offline?): $(tail -n 3 "$WORK/npm.log")"

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=sipscope-wss-sample \
    -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>"$WORK/req.log"

ns_add ws
capture_start ws lo 'tcp port 443'

bg server timeout 30 ip netns exec "$(ns ws)" node --tls-keylog="$WORK/server.keys" \
    "$WORK/ws/sip-ws.js" server 443 --tls "$WORK/cert.pem" "$WORK/key.pem"
for _ in $(seq 1 100); do
    grep -q listening "$WORK/server.log" 2>/dev/null && break
    sleep 0.1
done
grep -q listening "$WORK/server.log" || die "server did not start"
bg client timeout 30 ip netns exec "$(ns ws)" node --tls-keylog="$WORK/client.keys" \
    "$WORK/ws/sip-ws.js" client 443 --tls
wait_pid client || die "client failed"
wait_pid server || die "server failed"
capture_stop
grep -q 'got ping' "$WORK/server.log" || die "the server saw no ping"
[ -s "$WORK/client.keys" ] || die "node wrote no client key log"
# both ends logged the same secrets
cmp -s <(sort "$WORK/client.keys") <(sort "$WORK/server.keys") ||
    die "the client's and the server's key logs differ"

F=$WORK/capture.pcap K=$WORK/client.keys
expect_sip "$F" '^Request: INVITE' 1 -o "tls.keylog_file:$K"
expect_sip "$F" '^Status: 100' 1 -o "tls.keylog_file:$K"
expect_sip "$F" '^Status: 180' 1 -o "tls.keylog_file:$K"
expect_sip "$F" '^Status: 200 OK \(INVITE\)' 1 -o "tls.keylog_file:$K"
expect_sip "$F" '^Request: ACK' 1 -o "tls.keylog_file:$K"
expect_sip "$F" '^Request: BYE' 1 -o "tls.keylog_file:$K"
expect_sip "$F" '^Status: 200 OK \(BYE\)' 1 -o "tls.keylog_file:$K"
expect_sip "$F" '.' 0
[ "$(tshark -r "$F" -o "tls.keylog_file:$K" -Y 'websocket.opcode == 0' 2>/dev/null | wc -l)" -eq 1 ] ||
    die "expected one continuation frame"
[ "$(tshark -r "$F" -o "tls.keylog_file:$K" -Y 'websocket.opcode == 9' 2>/dev/null | wc -l)" -eq 1 ] ||
    die "expected one ping frame"
summary "$F" -o "tls.keylog_file:$K"
install -m 0644 "$K" "$SAMPLES_DIR/wss.keys"
publish wss.pcap
