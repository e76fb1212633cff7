#!/usr/bin/env bash
# make-websocket.sh - samples/websocket.pcap: one SIP call over WebSocket
# (RFC 7118) between a real WebSocket server and client.
#
# How it is made (real peers, nothing synthesized):
#   stack       node + the npm "ws" package (version pinned by samples/ws/
#               package-lock.json), installed with `npm ci` into a temporary
#               directory; node_modules is never written into samples/
#   namespace   ssc-websocket-<pid>-ws (its own loopback, so nothing else is
#               captured and several runs do not collide)
#   server      ip netns exec ... node samples/ws/sip-ws.js server 8080
#               (accepts subprotocol "sip"; answers INVITE 100/180/200, BYE 200)
#   client      ip netns exec ... node samples/ws/sip-ws.js client 8080
#               (HTTP/1.1 upgrade with Sec-WebSocket-Protocol: sip; INVITE,
#               ACK in two fragments with a ping between them, BYE, close)
#   capture     ip netns exec ... tcpdump -n -U --immediate-mode -s 0 -i lo
#               -w F 'tcp port 8080' (started first, waited for, stopped with
#               SIGINT after both peers exit)
# Every SIP message is one text message; the client's frames are masked.
#
# Verified (tshark 4.0.17):
#   File type:           Wireshark/tcpdump/... - pcap
#   File encapsulation:  Ethernet
#   Number of packets:   28
#   File size:           4862 bytes
#   protocols: 14 eth:ethertype:ip:tcp;2 eth:ethertype:ip:tcp:http;
#              5 eth:ethertype:ip:tcp:http:websocket;
#              5 eth:ethertype:ip:tcp:http:websocket:sip;
#              2 eth:ethertype:ip:tcp:http:websocket:sip:sdp
#   8 127.0.0.1 127.0.0.1 Request: INVITE sip:bob@127.0.0.1:8080
#   9 127.0.0.1 127.0.0.1 Status: 100 Trying
#   11 127.0.0.1 127.0.0.1 Status: 180 Ringing
#   13 127.0.0.1 127.0.0.1 Status: 200 OK (INVITE)
#   19 127.0.0.1 127.0.0.1 Request: ACK sip:bob@127.0.0.1:8080
#      (frame 15: first fragment, masked; 16: ping; 18: the server's pong)
#   21 127.0.0.1 127.0.0.1 Request: BYE sip:bob@127.0.0.1:8080
#   23 127.0.0.1 127.0.0.1 Status: 200 OK (BYE)
#   24, 25: close frames
# Exit 77 (skip) when not root, a tool is missing, or npm cannot install ws.
set -euo pipefail
SAMPLE=websocket
. "$(dirname "$0")/lib/common.sh"
need_root
need_tools node npm tcpdump tshark capinfos ip timeout

mkdir "$WORK/ws"
cp "$SAMPLES_DIR/ws/package.json" "$SAMPLES_DIR/ws/package-lock.json" \
    "$SAMPLES_DIR/ws/sip-ws.js" "$WORK/ws/"
(cd "$WORK/ws" && timeout 120 npm ci --no-audit --no-fund >"$WORK/npm.log" 2>&1) ||
    skip "npm ci could not install the ws package (offline?): $(tail -n 3 "$WORK/npm.log")"

ns_add ws
capture_start ws lo 'tcp port 8080'

bg server timeout 30 ip netns exec "$(ns ws)" node "$WORK/ws/sip-ws.js" server 8080
for _ in $(seq 1 100); do
    grep -q listening "$WORK/server.log" 2>/dev/null && break
    sleep 0.1
done
grep -q listening "$WORK/server.log" || die "server did not start"
bg client timeout 30 ip netns exec "$(ns ws)" node "$WORK/ws/sip-ws.js" client 8080
wait_pid client || die "client failed"
wait_pid server || die "server failed"
capture_stop
grep -q 'got ping' "$WORK/server.log" || die "the server saw no ping"

F=$WORK/capture.pcap
expect_sip "$F" '^Request: INVITE' 1
expect_sip "$F" '^Status: 100' 1
expect_sip "$F" '^Status: 180' 1
expect_sip "$F" '^Status: 200 OK \(INVITE\)' 1
expect_sip "$F" '^Request: ACK' 1
expect_sip "$F" '^Request: BYE' 1
expect_sip "$F" '^Status: 200 OK \(BYE\)' 1
[ "$(tshark -r "$F" -Y 'websocket.opcode == 0' 2>/dev/null | wc -l)" -eq 1 ] ||
    die "expected one continuation frame"
[ "$(tshark -r "$F" -Y 'websocket.opcode == 9' 2>/dev/null | wc -l)" -eq 1 ] ||
    die "expected one ping frame"
summary "$F"
publish websocket.pcap
