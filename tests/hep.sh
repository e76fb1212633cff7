#!/bin/bash
# HEP (Homer Encapsulation Protocol), on 127.0.0.1 and ::1 only:
#  - the two HEP corpus captures give the SIP messages MANIFEST.tsv lists
#    (tshark 4.0 has no HEP dissector, so tshark-compare.sh cannot);
#  - sipscope -> sipscope: --hep-send over UDP, TCP and IPv6 into
#    --hep-listen gives the same messages per Call-ID as reading the file;
#    --hep-password drops packets without the key and says so;
#  - bad --hep-listen address: exit 1; bind failure: exit 2;
#  - interop: sipscope -> sngrep -L, sngrep -H -> sipscope, Kamailio
#    siptrace (HEPv3) -> sipscope, sipscope -> Kamailio sipcapture. Each
#    peer that is not installed is skipped with a message.
srcdir=${top_srcdir:-.}
SIPSCOPE=${SIPSCOPE:-$PWD/sipscope}
corpus=${SIPSCOPE_CORPUS:-$srcdir/../shared/corpus}
sample=$srcdir/samples/basic-call.pcap
tmp=$(mktemp -d) || exit 99
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
pass=0 fail=0 skip=0

ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }
skipped() { echo "SKIP $1"; skip=$((skip + 1)); }

free_port() {
	local p
	for _ in $(seq 1 50); do
		p=$((20000 + RANDOM % 30000))
		if ! (echo >/dev/tcp/127.0.0.1/$p) 2>/dev/null; then
			echo "$p"
			return
		fi
	done
	echo 39060
}

# The messages of a --report messages -T json output, one per line:
# Call-ID, start line, addresses, transport, time and text, sorted.
summary() {
	perl -ne 'my %f; for my $k (qw(call_id method code src dst transport time text)) {
		$f{$k} = /"$k":("(?:[^"\\]|\\.)*"|[^,}]*)/ ? $1 : "?" }
		print join("\t", @f{qw(call_id method code src dst transport time text)}), "\n"' "$1" |
		LC_ALL=C sort
}

# Start a sipscope listener; waits until the socket is bound.
listen_start() { # out err args...
	local out=$1 err=$2
	shift 2
	"$SIPSCOPE" "$@" --report messages -T json -o "$out" 2>"$err" &
	lpid=$!
	pids+=("$lpid")
	sleep 0.5
}

# SIGINT the listener (it must stop as -i does) and check its exit status.
listen_stop() {
	local i
	sleep 0.5
	kill -INT "$lpid" 2>/dev/null
	for i in $(seq 1 25); do kill -0 "$lpid" 2>/dev/null || break; sleep 0.2; done
	if kill -0 "$lpid" 2>/dev/null; then
		echo "listener did not stop on SIGINT"
		kill -KILL "$lpid"
		return 1
	fi
	wait "$lpid"
}

# ---------------------------------------------------------------- corpus
count_by() { # file -> "method-or-code count" lines
	perl -ne 'if (/"method":"([A-Z]+)"/) { print "$1\n" } elsif (/"code":(\d+)/) { print "$1\n" }' "$1" |
		sort | uniq -c | awk '{ printf "%s:%s ", $2, $1 }'
}

corpus_check() { # capture expected-counts expected-callids
	local f=$corpus/captures/$1
	"$SIPSCOPE" -q -r "$f" --report messages -T json >"$tmp/c.json" 2>"$tmp/c.err"
	local got ids
	got=$(count_by "$tmp/c.json")
	ids=$(perl -ne 'print "$1\n" if /"call_id":"([^"]*)"/' "$tmp/c.json" | sort -u | wc -l)
	if [ "$got" = "$2" ] && [ "$ids" -eq "$3" ]; then
		ok "corpus $1: $got($ids Call-ID)"
	else
		bad "corpus $1: got '$got' ($ids Call-IDs), want '$2' ($3)"
	fi
}

if [ -d "$corpus/captures" ]; then
	# MANIFEST.tsv: INVITE:1 100/INVITE:1 407/INVITE:1 OPTIONS:1
	# 200/OPTIONS:1 PUBLISH:1, HEP types 5 and 100 not SIP.
	corpus_check hepws__pcap__hep.pcap \
		"100:1 200:1 407:1 INVITE:1 OPTIONS:1 PUBLISH:1 " 1
	# REGISTER:12 401/REGISTER:6 200/REGISTER:3, compressed payloads.
	corpus_check hepws__pcap__hep3_compressed.pcap.pcapng \
		"200:3 401:6 REGISTER:12 " 1
	n=$("$SIPSCOPE" -q -r "$corpus/captures/hepws__pcap__hep.pcap" --hep-port 0 \
		--report messages -T json | wc -l)
	if [ "$n" -eq 0 ]; then ok "--hep-port 0 turns HEP decoding off"
	else bad "--hep-port 0 still decoded $n messages"; fi
else
	skipped "corpus HEP captures: corpus not found at $corpus"
fi

# ---------------------------------------------------------------- round trips
"$SIPSCOPE" -q -r "$sample" --report messages -T json >"$tmp/direct.json"
summary "$tmp/direct.json" >"$tmp/direct.sum"
ndirect=$(wc -l <"$tmp/direct.sum")

round_trip() { # name listen-spec send-spec [listener password] [sender password]
	local name=$1 lspec=$2 sspec=$3 lpw=$4 spw=$5 largs=() sargs=()
	[ -n "$lpw" ] && largs=(--hep-password "$lpw")
	[ -n "$spw" ] && sargs=(--hep-password "$spw")
	listen_start "$tmp/rt.json" "$tmp/rt.err" --hep-listen "$lspec" "${largs[@]}"
	"$SIPSCOPE" -q -r "$sample" --hep-send "$sspec" --hep-id 2001 "${sargs[@]}" \
		--report stats >/dev/null 2>"$tmp/send.err"
	local src=$?
	listen_stop
	local lrc=$?
	summary "$tmp/rt.json" >"$tmp/rt.sum"
	if [ "$src" -ne 0 ] || [ "$lrc" -ne 0 ]; then
		bad "$name: sender exit $src, listener exit $lrc"
		cat "$tmp/send.err" "$tmp/rt.err"
		return 1
	fi
	return 0
}

port=$(free_port)
if round_trip "UDP round trip" "udp:127.0.0.1:$port" "udp:127.0.0.1:$port"; then
	if cmp -s "$tmp/direct.sum" "$tmp/rt.sum"; then
		ok "UDP round trip: $ndirect messages equal to the file read directly"
	else
		bad "UDP round trip differs (< direct, > via HEP)"
		diff "$tmp/direct.sum" "$tmp/rt.sum" | head -10
	fi
fi

port=$(free_port)
if round_trip "TCP round trip" "tcp:127.0.0.1:$port" "tcp:127.0.0.1:$port"; then
	if cmp -s "$tmp/direct.sum" "$tmp/rt.sum"; then
		ok "TCP round trip: $ndirect messages equal"
	else
		bad "TCP round trip differs"
		diff "$tmp/direct.sum" "$tmp/rt.sum" | head -10
	fi
fi

port=$(free_port)
if ! (echo >/dev/udp/::1/9) 2>/dev/null; then
	skipped "IPv6 round trip: no ::1 here"
elif round_trip "IPv6 round trip" "udp:[::1]:$port" "[::1]:$port"; then
	if cmp -s "$tmp/direct.sum" "$tmp/rt.sum"; then
		ok "IPv6 (::1) round trip: $ndirect messages equal"
	else
		bad "IPv6 round trip differs"
	fi
fi

port=$(free_port)
if round_trip "password" "udp:127.0.0.1:$port" "udp:127.0.0.1:$port" s3cret s3cret &&
	cmp -s "$tmp/direct.sum" "$tmp/rt.sum"; then
	ok "--hep-password on both sides: all messages pass"
else
	bad "--hep-password on both sides"
fi
port=$(free_port)
if round_trip "wrong password" "udp:127.0.0.1:$port" "udp:127.0.0.1:$port" s3cret other &&
	[ ! -s "$tmp/rt.sum" ] &&
	grep -q "$ndirect HEP packets dropped" "$tmp/rt.err"; then
	ok "wrong --hep-password: $ndirect packets dropped and reported"
else
	bad "wrong --hep-password: $(wc -l <"$tmp/rt.sum") messages passed; $(cat "$tmp/rt.err")"
fi

# ---------------------------------------------------------------- errors
"$SIPSCOPE" --hep-listen udp:127.0.0.1 >/dev/null 2>"$tmp/e1"
rc=$?
if [ $rc -eq 1 ] && grep -q 'not \[udp:|tcp:\]ADDR:PORT' "$tmp/e1"; then
	ok "bad --hep-listen address: exit 1 ($(head -1 "$tmp/e1"))"
else
	bad "bad --hep-listen address: exit $rc: $(cat "$tmp/e1")"
fi
"$SIPSCOPE" --hep-listen udp:no.such.host.invalid:9060 >/dev/null 2>"$tmp/e1"
rc=$?
if [ $rc -eq 1 ] && grep -q 'bad address' "$tmp/e1"; then
	ok "unresolvable --hep-listen address: exit 1"
else
	bad "unresolvable --hep-listen address: exit $rc: $(cat "$tmp/e1")"
fi
"$SIPSCOPE" --hep-listen udp:192.0.2.1:9060 >/dev/null 2>"$tmp/e2"
rc=$?
if [ $rc -eq 2 ] && grep -q 'cannot bind' "$tmp/e2"; then
	ok "bind failure: exit 2 ($(head -1 "$tmp/e2"))"
else
	bad "bind failure: exit $rc: $(cat "$tmp/e2")"
fi

# ---------------------------------------------------------------- sngrep
# Call-IDs with their message counts, from JSON messages or a log.
callids() { perl -ne 'print "$1\n" if /"call_id":"([^"]*)"/' "$1" | sort | uniq -c; }

if ! command -v sngrep >/dev/null 2>&1; then
	skipped "sngrep interop: sngrep is not installed (apt-get install sngrep)"
else
	port=$(free_port)
	sngrep -N -q -L "udp:127.0.0.1:$port" -O "$tmp/sngrep.pcap" >/dev/null 2>&1 &
	spid=$!
	pids+=("$spid")
	sleep 1
	"$SIPSCOPE" -q -r "$sample" --hep-send "udp:127.0.0.1:$port" --hep-id 7 \
		--report stats >/dev/null
	sleep 1
	kill -INT "$spid"
	wait "$spid" 2>/dev/null
	"$SIPSCOPE" -q -r "$tmp/sngrep.pcap" --report messages -T json >"$tmp/sng.json" 2>/dev/null
	summary "$tmp/sng.json" | cut -f1-5 >"$tmp/sng.sum"
	cut -f1-5 "$tmp/direct.sum" >"$tmp/direct5.sum"
	if cmp -s "$tmp/direct5.sum" "$tmp/sng.sum"; then
		ok "sipscope --hep-send -> sngrep -L: sngrep saved all $ndirect messages"
	else
		bad "sipscope -> sngrep -L: sngrep saved $(wc -l <"$tmp/sng.sum") of $ndirect"
	fi
	port=$(free_port)
	listen_start "$tmp/sh.json" "$tmp/sh.err" --hep-listen "udp:127.0.0.1:$port"
	sngrep -N -q -I "$sample" -H "udp:127.0.0.1:$port" >/dev/null 2>&1
	listen_stop
	summary "$tmp/sh.json" >"$tmp/sh.sum"
	if cmp -s "$tmp/direct.sum" "$tmp/sh.sum"; then
		ok "sngrep -H -> sipscope --hep-listen: $ndirect messages equal"
	else
		bad "sngrep -H -> sipscope differs"
		diff "$tmp/direct.sum" "$tmp/sh.sum" | head -6
	fi
fi

# ---------------------------------------------------------------- Kamailio
kmods=/usr/lib/x86_64-linux-gnu/kamailio/modules
kam_start() { # cfg sip-port log
	kamailio -f "$1" -DD -E -l "udp:127.0.0.1:$2" -Y "$tmp" -w "$tmp" >"$3" 2>&1 &
	kpid=$!
	pids+=("$kpid")
	sleep 1.5
}
kam_stop() { kill -TERM "$kpid" 2>/dev/null; wait "$kpid" 2>/dev/null; }

# siptrace (HEPv3 and v2) duplicates what Kamailio receives and sends.
kam_trace() { # hep-version
	local hp sp
	hp=$(free_port)
	sp=$(free_port)
	sed -e "s/@HEPPORT@/$hp/; s/@HEPVERSION@/$1/; s|@MPATH@|$kmods/|" \
		>"$tmp/trace.cfg" <<'CFG'
#!KAMAILIO
debug=2
log_stderror=yes
children=1
auto_aliases=no
dns=no
rev_dns=no
disable_tcp=yes
mpath="@MPATH@"
loadmodule "sl.so"
loadmodule "tm.so"
loadmodule "pv.so"
loadmodule "siptrace.so"
modparam("siptrace", "duplicate_uri", "sip:127.0.0.1:@HEPPORT@")
modparam("siptrace", "hep_mode_on", 1)
modparam("siptrace", "hep_version", @HEPVERSION@)
modparam("siptrace", "hep_capture_id", 4242)
modparam("siptrace", "trace_to_database", 0)
modparam("siptrace", "trace_on", 1)
modparam("siptrace", "trace_flag", 22)
request_route {
    setflag(22);
    sip_trace();
    sl_send_reply("200", "OK");
    exit;
}
CFG
	listen_start "$tmp/kt.json" "$tmp/kt.err" --hep-listen "udp:127.0.0.1:$hp"
	kam_start "$tmp/trace.cfg" "$sp" "$tmp/kt.log"
	local m
	printf -v m 'OPTIONS sip:probe@127.0.0.1:%s SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-kt%s\r\nFrom: <sip:t@127.0.0.1>;tag=1\r\nTo: <sip:probe@127.0.0.1>\r\nCall-ID: kam-trace-%s@127.0.0.1\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n' "$sp" "$1" "$1"
	echo -n "$m" >/dev/udp/127.0.0.1/"$sp"
	sleep 1
	kam_stop
	listen_stop
	local req rep
	req=$(grep -c "\"call_id\":\"kam-trace-$1@127.0.0.1\",\"method\":\"OPTIONS\"" "$tmp/kt.json")
	rep=$(grep -c "\"call_id\":\"kam-trace-$1@127.0.0.1\",\"method\":null,\"code\":200" "$tmp/kt.json")
	if [ "$req" -eq 1 ] && [ "$rep" -eq 1 ]; then
		ok "Kamailio siptrace hep_version $1 -> sipscope --hep-listen: OPTIONS and its 200"
	else
		bad "Kamailio siptrace HEPv$1: $req requests, $rep replies received"
		tail -5 "$tmp/kt.log"
	fi
}

# sipcapture decodes our HEPv3 and runs the SIP inside through its routes.
kam_capture() {
	local hp
	hp=$(free_port)
	mkdir -p "$tmp/db"
	sed -e "s|@MPATH@|$kmods/|; s|@DB@|$tmp/db|" >"$tmp/cap.cfg" <<'CFG'
#!KAMAILIO
debug=2
log_stderror=yes
children=1
auto_aliases=no
dns=no
rev_dns=no
disable_tcp=yes
mpath="@MPATH@"
loadmodule "pv.so"
loadmodule "xlog.so"
loadmodule "db_text.so"
loadmodule "sipcapture.so"
modparam("sipcapture", "db_url", "text://@DB@")
modparam("sipcapture", "hep_capture_on", 1)
modparam("sipcapture", "capture_on", 0)
request_route {
    xlog("L_NOTICE", "HEPCAP $ci $rm\n");
    drop;
}
onreply_route {
    xlog("L_NOTICE", "HEPCAP $ci $rs\n");
    drop;
}
CFG
	kam_start "$tmp/cap.cfg" "$hp" "$tmp/kc.log"
	"$SIPSCOPE" -q -r "$sample" --hep-send "udp:127.0.0.1:$hp" --hep-id 2001 \
		--hep-password pw --report stats >/dev/null
	sleep 1
	kam_stop
	perl -ne 'print "$1 $2\n" if /HEPCAP (\S+) (\S+)/' "$tmp/kc.log" | sort >"$tmp/kc.got"
	perl -ne 'print "$1 ", ($2 ne "null" ? $2 : $3), "\n"
		if /"call_id":"([^"]*)","method":"?([^",]*)"?,"code":([^,]*)/' \
		"$tmp/direct.json" | sort >"$tmp/kc.want"
	if [ -s "$tmp/kc.want" ] && cmp -s "$tmp/kc.want" "$tmp/kc.got"; then
		ok "sipscope --hep-send -> Kamailio sipcapture: $ndirect messages routed"
	else
		bad "sipscope -> Kamailio sipcapture: got $(wc -l <"$tmp/kc.got") of $ndirect"
		diff "$tmp/kc.want" "$tmp/kc.got" | head -6
		grep ERROR "$tmp/kc.log" | head -5
	fi
}

if ! command -v kamailio >/dev/null 2>&1; then
	skipped "Kamailio interop: kamailio is not installed (apt-get install kamailio)"
elif [ ! -f "$kmods/siptrace.so" ] || [ ! -f "$kmods/sipcapture.so" ]; then
	skipped "Kamailio interop: siptrace/sipcapture modules not in $kmods"
else
	kam_trace 3
	kam_trace 2
	kam_capture
fi

echo "hep: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] || exit 1
exit 0
