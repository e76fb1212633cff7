/*
 * gen-idle-tcp.c - write a capture with many idle SIP-over-TCP flows, for
 * tests/tcp-caps.sh (memory stays within the reassembler's caps).
 *
 *   gen-idle-tcp N SECONDS OUT.pcap
 *
 * N client directions (10.a.b.c:40000 -> 192.0.2.1:5060, one address each)
 * each send a SYN and then the start of an INVITE whose header block never
 * ends, and nothing more: the reassembler must hold the bytes (the
 * consumer waits for the blank line) until the flow times out (120 s of
 * capture time by default) or is evicted. Their SYNs are spread evenly
 * over SECONDS seconds, so how many are live at once depends on N and
 * SECONDS. Among them run COMPLETE (10) whole calls, each a connection
 * of its own (SYN both ways, INVITE, 200 OK, FIN both ways, the INVITE
 * cut over two segments), at even intervals; the last one runs 130 s
 * after the last idle flow, so every idle flow still held has timed out
 * by then. Every call's two messages must be reported: 2 * COMPLETE
 * messages, the Call-IDs "complete-<k>@gen".
 *
 * Frames are Ethernet/IPv4/TCP in a microsecond pcap (the file is
 * written in host byte order, as libpcap does).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COMPLETE 10
#define HDRS (14 + 20 + 20)

static FILE *out;
static int64_t now_us;
static const uint8_t server[4] = { 192, 0, 2, 1 };

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static void write_or_die(const void *p, size_t n)
{
	if (fwrite(p, 1, n, out) != n) {
		perror("gen-idle-tcp: write");
		exit(1);
	}
}

/* One segment from a:ap to b:bp at now_us. */
static void segment(const uint8_t a[4], uint16_t ap, const uint8_t b[4],
		    uint16_t bp, uint32_t seq, uint32_t ack, uint8_t flags,
		    const char *payload)
{
	uint8_t fr[HDRS + 2048];
	size_t n = payload ? strlen(payload) : 0;
	if (n > sizeof fr - HDRS)
		abort();
	memset(fr, 0, HDRS);
	memcpy(fr, "\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00", 14);
	uint8_t *ip = fr + 14, *tcp = fr + 34;
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(40 + n));
	ip[6] = 0x40;		/* DF */
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, a, 4);
	memcpy(ip + 16, b, 4);
	put16(tcp, ap);
	put16(tcp + 2, bp);
	put32(tcp + 4, seq);
	put32(tcp + 8, ack);
	tcp[12] = 5 << 4;
	tcp[13] = flags;
	put16(tcp + 14, 65535);
	if (n)
		memcpy(fr + HDRS, payload, n);
	uint32_t rec[4] = { (uint32_t)(now_us / 1000000),
			    (uint32_t)(now_us % 1000000),
			    (uint32_t)(HDRS + n), (uint32_t)(HDRS + n) };
	write_or_die(rec, sizeof rec);
	write_or_die(fr, HDRS + n);
}

#define SYN 0x02
#define FIN 0x01
#define ACK 0x10
#define PSH 0x08

/* Time moves only forward: a step to t never goes back. */
static void at(int64_t t)
{
	if (t > now_us)
		now_us = t;
}

static void idle_flow(uint32_t i, int64_t gap_us)
{
	uint8_t cli[4] = { 10, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i };
	char msg[256];
	uint32_t isn = 1000u + i * 7919u;
	segment(cli, 40000, server, 5060, isn, 0, SYN, NULL);
	snprintf(msg, sizeof msg,
		 "INVITE sip:user%u@example.com SIP/2.0\r\n"
		 "Via: SIP/2.0/TCP 10.%u.%u.%u:40000;branch=z9hG4bK%u\r\n"
		 "Call-ID: idle-%u@gen\r\n",
		 i, (i >> 16) & 255, (i >> 8) & 255, i & 255, i, i);
	now_us += gap_us;
	segment(cli, 40000, server, 5060, isn + 1, 1, ACK | PSH, msg);
}

static void call(unsigned k)
{
	uint8_t cli[4] = { 198, 51, 100, (uint8_t)(1 + k) };
	char inv[1024], ok[1024];
	snprintf(inv, sizeof inv,
		 "INVITE sip:bob@example.com SIP/2.0\r\n"
		 "Via: SIP/2.0/TCP 198.51.100.%u:5070;branch=z9hG4bKc%u\r\n"
		 "Max-Forwards: 70\r\n"
		 "From: <sip:alice@example.com>;tag=a%u\r\n"
		 "To: <sip:bob@example.com>\r\n"
		 "Call-ID: complete-%u@gen\r\n"
		 "CSeq: 1 INVITE\r\n"
		 "Contact: <sip:alice@198.51.100.%u:5070;transport=tcp>\r\n"
		 "Content-Length: 0\r\n\r\n", 1 + k, k, k, k, 1 + k);
	snprintf(ok, sizeof ok,
		 "SIP/2.0 200 OK\r\n"
		 "Via: SIP/2.0/TCP 198.51.100.%u:5070;branch=z9hG4bKc%u\r\n"
		 "From: <sip:alice@example.com>;tag=a%u\r\n"
		 "To: <sip:bob@example.com>;tag=b%u\r\n"
		 "Call-ID: complete-%u@gen\r\n"
		 "CSeq: 1 INVITE\r\n"
		 "Content-Length: 0\r\n\r\n", 1 + k, k, k, k, k);
	uint32_t c = 5000, s = 9000;
	size_t half = strlen(inv) / 2, n = strlen(inv), m = strlen(ok);
	char second[1024];
	memcpy(second, inv + half, n - half + 1);
	inv[half] = 0;
	segment(cli, 5070, server, 5060, c - 1, 0, SYN, NULL);
	segment(server, 5060, cli, 5070, s - 1, c, SYN | ACK, NULL);
	now_us += 100;
	segment(cli, 5070, server, 5060, c, s, ACK, inv);
	now_us += 100;
	segment(cli, 5070, server, 5060, c + (uint32_t)half, s, ACK | PSH, second);
	now_us += 100;
	segment(server, 5060, cli, 5070, s, c + (uint32_t)n, ACK | PSH, ok);
	now_us += 100;
	segment(cli, 5070, server, 5060, c + (uint32_t)n, s + (uint32_t)m,
		ACK | FIN, NULL);
	segment(server, 5060, cli, 5070, s + (uint32_t)m, c + (uint32_t)n + 1,
		ACK | FIN, NULL);
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: gen-idle-tcp N SECONDS OUT.pcap\n");
		return 2;
	}
	uint32_t n = (uint32_t)strtoul(argv[1], NULL, 10);
	int64_t span_us = (int64_t)strtoul(argv[2], NULL, 10) * 1000000;
	if (n == 0 || n > (1u << 24) || span_us <= 0) {
		fprintf(stderr, "gen-idle-tcp: N in 1..2^24, SECONDS > 0\n");
		return 2;
	}
	out = fopen(argv[3], "wb");
	if (!out) {
		perror(argv[3]);
		return 1;
	}
	/* pcap file header: magic, version 2.4, zone, sigfigs, snaplen,
	 * link type (Ethernet) */
	const uint32_t magic = 0xa1b2c3d4;
	const uint16_t ver[2] = { 2, 4 };
	const uint32_t rest[4] = { 0, 0, 65535, 1 };
	write_or_die(&magic, sizeof magic);
	write_or_die(ver, sizeof ver);
	write_or_die(rest, sizeof rest);
	const int64_t t0 = (int64_t)1700000000 * 1000000;
	int64_t step = span_us / n, gap = step / 2 < 1000 ? step / 2 : 1000;
	unsigned done = 0;
	now_us = t0;
	for (uint32_t i = 0; i < n; i++) {
		int64_t t = span_us * i / n;
		/* the calls, at even intervals, between idle flows */
		while (done < COMPLETE - 1 &&
		       t >= span_us * (int64_t)done / (COMPLETE - 1)) {
			at(t0 + t);
			call(done++);
		}
		at(t0 + t);
		idle_flow(i, gap);
	}
	while (done < COMPLETE - 1) {
		at(t0 + span_us);
		call(done++);
	}
	at(t0 + span_us + (int64_t)130 * 1000000);
	call(done);
	if (fclose(out) != 0) {
		perror("gen-idle-tcp: close");
		return 1;
	}
	return 0;
}
