#!/bin/bash
# Live capture on the loopback interface: sipscope -i lo with a trailing
# BPF filter sees a SIP message sent to 127.0.0.1 and stops cleanly on
# SIGINT. Uses only 127.0.0.1; skips (77) without the privilege to capture.
SIPSCOPE=${SIPSCOPE:-$PWD/sipscope}
tmp=$(mktemp -d) || exit 99
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
# The probe stops itself: a background job of a non-interactive shell
# starts with SIGINT ignored, so a SIGINT sent before sipscope installs its
# handler would be lost; timeout sends it late enough, and KILLs as a last
# resort.
timeout -s INT -k 5 2 "$SIPSCOPE" -i lo --report messages -T json udp port 1 \
	>/dev/null 2>"$tmp/probe"
if grep -qi "permission\|not permitted\|no such" "$tmp/probe"; then
	echo "SKIP: cannot capture on lo here: $(head -1 "$tmp/probe")"
	exit 77
fi
port=$((20000 + RANDOM % 20000))
timeout -k 5 60 "$SIPSCOPE" -i lo -s 65535 -B 4 --report messages -T json \
	"udp port $port" >"$tmp/out" 2>"$tmp/err" &
pid=$!
msg="OPTIONS sip:probe@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:$port;branch=z9hG4bK-live\r\nFrom: <sip:t@127.0.0.1>;tag=1\r\nTo: <sip:probe@127.0.0.1>\r\nCall-ID: live-$port@127.0.0.1\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n"
# Resend until seen (the capture needs a moment to start), at most 5 s.
for _ in $(seq 1 25); do
	# One write per datagram: printf alone may write line by line.
	printf -v m "$msg"
	echo -n "$m" >/dev/udp/127.0.0.1/$port 2>/dev/null
	printf -v m 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'
	echo -n "$m" >/dev/udp/127.0.0.1/$port 2>/dev/null
	sleep 0.2
	grep -q "live-$port" "$tmp/out" && break
done
kill -INT $pid
for _ in $(seq 1 25); do kill -0 $pid 2>/dev/null || break; sleep 0.2; done
if kill -0 $pid 2>/dev/null; then
	echo "FAIL: sipscope did not stop on SIGINT"
	exit 1
fi
wait $pid
rc=$?
pid=
n=$(grep -c "\"call_id\":\"live-$port@127.0.0.1\"" "$tmp/out")
http=$(grep -c 'HTTP/1.1' "$tmp/out")
echo "live: exit $rc, $n SIP messages seen on lo, $http HTTP datagrams taken for SIP"
cat "$tmp/err"
if [ "$rc" -eq 0 ] && [ "$n" -ge 1 ] && [ "$http" -eq 0 ]; then
	echo "live: 1 passed, 0 failed"
	exit 0
fi
echo "live: 0 passed, 1 failed"
exit 1
