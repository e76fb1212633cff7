// sip-ws.js - one SIP call over WebSocket (RFC 7118) between a real
// WebSocket server and client (the npm "ws" package), for
// samples/make-websocket.sh and (over TLS) samples/make-wss.sh.
//
//   node sip-ws.js server PORT     accept one connection (subprotocol "sip"),
//                                  answer INVITE with 100/180/200, BYE with 200
//   node sip-ws.js client PORT     INVITE, then ACK sent as two fragments with
//                                  a ping between them, BYE, then a close
//   ... server PORT --tls CERT KEY the same over TLS (an https server with the
//   ... client PORT --tls          PEM certificate and key; the client connects
//                                  to wss:// and accepts any certificate); the
//                                  Via then says SIP/2.0/WSS, transport=wss.
//                                  Run node with --tls-keylog=FILE to log the
//                                  TLS secrets.
//
// Every SIP message is one text message; the client's frames are masked
// (RFC 6455 5.3), the server's are not. permessage-deflate is off so the
// payloads stay readable.
'use strict';
const WebSocket = require('ws');

const [role, portArg, tlsFlag, certFile, keyFile] = process.argv.slice(2);
const port = Number(portArg || 8080);
const tls = tlsFlag === '--tls';
if (tlsFlag !== undefined && !tls) {
  console.error('unknown option ' + tlsFlag);
  process.exit(1);
}
const tr = tls ? 'wss' : 'ws';
const host = '127.0.0.1';
const callId = 'ws-call-1@sipscope.invalid';
const ruri = 'sip:bob@' + host + ':' + port;

function msg(start, headers, body = '') {
  return start + '\r\n' + headers.join('\r\n') +
    '\r\nContent-Length: ' + Buffer.byteLength(body) + '\r\n\r\n' + body;
}

function common(branch, cseq, toTag) {
  return [
    'Via: SIP/2.0/' + tr.toUpperCase() + ' df7jal23ls0d.invalid;branch=' + branch,
    'From: "Alice" <sip:alice@' + host + '>;tag=alice1',
    'To: <sip:bob@' + host + '>' + (toTag ? ';tag=' + toTag : ''),
    'Call-ID: ' + callId,
    'CSeq: ' + cseq,
  ];
}

const sdp = 'v=0\r\no=alice 1 1 IN IP4 ' + host + '\r\ns=-\r\nc=IN IP4 ' + host +
  '\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';

function fail(why) {
  console.error(role + ': ' + why);
  process.exit(1);
}
setTimeout(() => fail('timed out'), 15000).unref();

function server() {
  const opts = {
    perMessageDeflate: false,
    handleProtocols: (protos) => (protos.has('sip') ? 'sip' : false),
  };
  let https = null;
  if (tls) {
    const fs = require('fs');
    if (!certFile || !keyFile) fail('--tls needs CERT and KEY');
    https = require('https').createServer({
      cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile),
    });
    opts.server = https;
  } else {
    opts.host = host;
    opts.port = port;
  }
  const wss = new WebSocket.Server(opts);
  wss.on('listening', () => console.log('listening'));
  wss.on('connection', (ws) => {
    ws.on('ping', () => console.log('got ping'));
    ws.on('message', (data, isBinary) => {
      const text = data.toString();
      const first = text.split('\r\n', 1)[0];
      const via = (text.match(/^Via: .*$/m) || [''])[0];
      const cseq = (text.match(/^CSeq: (.*)$/m) || ['', ''])[1];
      console.log('got ' + first + (isBinary ? ' (binary)' : ''));
      const reply = (code, extra = [], body = '') => ws.send(msg('SIP/2.0 ' + code, [
        via, 'From: "Alice" <sip:alice@' + host + '>;tag=alice1',
        'To: <sip:bob@' + host + '>' + (code.startsWith('100') ? '' : ';tag=bob1'),
        'Call-ID: ' + callId, 'CSeq: ' + cseq, ...extra], body));
      if (first.startsWith('INVITE')) {
        reply('100 Trying');
        setTimeout(() => reply('180 Ringing'), 50);
        setTimeout(() => reply('200 OK', ['Contact: <sip:bob@' + host +
          ';transport=' + tr + '>', 'Content-Type: application/sdp'], sdp), 100);
      } else if (first.startsWith('BYE')) {
        reply('200 OK');
      }
    });
    ws.on('close', () => { wss.close(); });
  });
  wss.on('close', () => process.exit(0));
  if (https) https.listen(port, host);
}

function client() {
  const ws = new WebSocket(tr + '://' + host + ':' + port + '/', 'sip',
                           { perMessageDeflate: false, rejectUnauthorized: false });
  ws.on('open', () => {
    if (ws.protocol !== 'sip') fail('server chose no "sip" subprotocol');
    ws.send(msg('INVITE ' + ruri + ' SIP/2.0', [...common('z9hG4bK-ws-1', '1 INVITE'),
      'Max-Forwards: 70', 'Contact: <sip:alice@df7jal23ls0d.invalid;transport=' + tr + '>',
      'Content-Type: application/sdp'], sdp));
  });
  ws.on('message', (data) => {
    const text = data.toString();
    const first = text.split('\r\n', 1)[0];
    console.log('got ' + first);
    if (first !== 'SIP/2.0 200 OK') return;
    if (/^CSeq: 1 INVITE/m.test(text)) {
      // The ACK in two fragments (RFC 6455 5.4) with a ping between them.
      const ack = msg('ACK ' + ruri + ' SIP/2.0', [
        ...common('z9hG4bK-ws-2', '1 ACK', 'bob1'), 'Max-Forwards: 70']);
      const cut = 40;
      ws.send(ack.slice(0, cut), { fin: false });
      ws.ping();
      setTimeout(() => ws.send(ack.slice(cut), { fin: true }), 30);
      setTimeout(() => ws.send(msg('BYE ' + ruri + ' SIP/2.0', [
        ...common('z9hG4bK-ws-3', '2 BYE', 'bob1'), 'Max-Forwards: 70'])), 150);
    } else {
      ws.close(1000, 'call ended');
    }
  });
  ws.on('close', () => process.exit(0));
  ws.on('error', (e) => fail(e.message));
}

if (role === 'server') server();
else if (role === 'client') client();
else fail('usage: node sip-ws.js server|client PORT [--tls [CERT KEY]]');
