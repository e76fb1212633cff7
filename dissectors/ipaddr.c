/*
 * ipaddr.c - address text parsing and classification (see ipaddr.h).
 * Ranges: RFC 1918 section 3, RFC 6598 section 7, RFC 4193 section 3,
 * RFC 3927 (169.254/16), RFC 4291 section 2.4-2.5.6 (IPv6 special ranges),
 * RFC 5771 (IPv4 multicast).
 */
#include <arpa/inet.h>
#include <string.h>

#include "ipaddr.h"

bool ss_addr_parse(ss_str s, int family, struct ss_addr *out)
{
	/* inet_pton wants a C string: copy into a buffer that the longest
	 * legal text (45 characters, INET6_ADDRSTRLEN - 1) fits, after
	 * checking the length, so the copy can never overflow. */
	char buf[INET6_ADDRSTRLEN];
	uint8_t ip[16];
	if (s.len == 0 || s.len >= sizeof buf)
		return false;
	memcpy(buf, s.p, s.len);
	buf[s.len] = '\0';
	if (memchr(s.p, '\0', s.len))
		return false;
	int got = 0;
	if (family != 6 && inet_pton(AF_INET, buf, ip) == 1)
		got = 4;
	else if (family != 4 && inet_pton(AF_INET6, buf, ip) == 1)
		got = 6;
	if (!got)
		return false;
	memset(out, 0, sizeof *out);
	out->family = (uint8_t)got;
	memcpy(out->ip, ip, got == 4 ? 4 : 16);
	return true;
}

static enum ss_addr_class classify4(const uint8_t *b)
{
	if (b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] == 0)
		return SS_ADDR_ZERO;
	if (b[0] == 127)
		return SS_ADDR_LOOPBACK;
	if (b[0] == 10 || (b[0] == 172 && (b[1] & 0xF0) == 16) ||
	    (b[0] == 192 && b[1] == 168))
		return SS_ADDR_PRIVATE;
	if (b[0] == 100 && (b[1] & 0xC0) == 64)
		return SS_ADDR_SHARED;
	if (b[0] == 169 && b[1] == 254)
		return SS_ADDR_LINK_LOCAL;
	if ((b[0] & 0xF0) == 224)
		return SS_ADDR_MULTICAST;
	return SS_ADDR_PUBLIC;
}

static bool all_zero(const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

static enum ss_addr_class classify6(const uint8_t *b)
{
	if (all_zero(b, 16))
		return SS_ADDR_ZERO;
	if (all_zero(b, 15) && b[15] == 1)
		return SS_ADDR_LOOPBACK;
	/* ::ffff:0:0/96 carries an IPv4 address (RFC 4291 2.5.5.2) */
	if (all_zero(b, 10) && b[10] == 0xFF && b[11] == 0xFF)
		return classify4(b + 12);
	if ((b[0] & 0xFE) == 0xFC)
		return SS_ADDR_ULA;
	if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80)
		return SS_ADDR_LINK_LOCAL;
	if (b[0] == 0xFF)
		return SS_ADDR_MULTICAST;
	return SS_ADDR_PUBLIC;
}

enum ss_addr_class ss_addr_classify(const struct ss_addr *a)
{
	if (a->family == 4)
		return classify4(a->ip);
	if (a->family == 6)
		return classify6(a->ip);
	return SS_ADDR_UNSET;
}

const char *ss_addr_class_name(enum ss_addr_class c)
{
	static const char *const names[SS_ADDR__COUNT] = {
		[SS_ADDR_PUBLIC] = "public",
		[SS_ADDR_UNSET] = "unset",
		[SS_ADDR_ZERO] = "zero",
		[SS_ADDR_LOOPBACK] = "loopback",
		[SS_ADDR_PRIVATE] = "rfc1918",
		[SS_ADDR_SHARED] = "rfc6598",
		[SS_ADDR_ULA] = "ula",
		[SS_ADDR_LINK_LOCAL] = "link-local",
		[SS_ADDR_MULTICAST] = "multicast",
	};
	return (unsigned)c < SS_ADDR__COUNT ? names[c] : "?";
}

bool ss_addr_class_is_private(enum ss_addr_class c)
{
	return c == SS_ADDR_LOOPBACK || c == SS_ADDR_PRIVATE ||
	       c == SS_ADDR_SHARED || c == SS_ADDR_ULA ||
	       c == SS_ADDR_LINK_LOCAL;
}
