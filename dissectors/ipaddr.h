/*
 * ipaddr.h - IP address text parsing and classification, shared by the SDP
 * dissector (c=, o=, a=rtcp, a=candidate addresses) and by packet-level
 * code that wants to know whether a source address is private, CGN or
 * multicast (the one-way-audio / NAT diagnosis compares the two).
 *
 * Lives apart from ip.c so that code which only classifies addresses does
 * not pull in the packet decoder. Nothing here allocates.
 */
#ifndef SS_IPADDR_H
#define SS_IPADDR_H

#include <stdbool.h>

#include "bytes.h"
#include "packet.h"

/* Parse a textual IPv4 dotted quad or IPv6 address (RFC 4291 2.2, with
 * an embedded dotted quad allowed) of exactly the slice s. family is 4, 6,
 * or 0 for either. On success fills out->family and out->ip, sets
 * out->port to 0 and returns true; on failure leaves *out untouched. No
 * brackets, no zone index ("%eth0"), no surrounding blanks. */
bool ss_addr_parse(ss_str s, int family, struct ss_addr *out);

/* What kind of address this is, for the NAT / hold diagnosis. A single
 * class per address; where ranges nest the more specific one wins. */
enum ss_addr_class {
	SS_ADDR_PUBLIC = 0,	/* none of the below: globally routable */
	SS_ADDR_UNSET,		/* family 0: no address (e.g. an FQDN) */
	SS_ADDR_ZERO,		/* 0.0.0.0 or :: - in SDP, RFC 2543 hold */
	SS_ADDR_LOOPBACK,	/* 127/8, ::1 */
	SS_ADDR_PRIVATE,	/* RFC 1918: 10/8, 172.16/12, 192.168/16 */
	SS_ADDR_SHARED,		/* RFC 6598: 100.64/10 (carrier-grade NAT) */
	SS_ADDR_ULA,		/* RFC 4193: fc00::/7 */
	SS_ADDR_LINK_LOCAL,	/* 169.254/16, fe80::/10 */
	SS_ADDR_MULTICAST,	/* 224/4, ff00::/8 */
	SS_ADDR__COUNT
};

/* Classify a; an IPv4-mapped IPv6 address (::ffff:a.b.c.d) is classified
 * as the IPv4 address it carries. */
enum ss_addr_class ss_addr_classify(const struct ss_addr *a);

/* Stable lower-case name for reports ("public", "zero", "rfc1918",
 * "rfc6598", "ula", "link-local", "loopback", "multicast", "unset"). */
const char *ss_addr_class_name(enum ss_addr_class c);

/* True for the classes a peer on the public Internet cannot send to:
 * loopback, RFC 1918, RFC 6598, ULA and link-local. An SDP advertising
 * one of these across a NAT is the classic cause of one-way audio. */
bool ss_addr_class_is_private(enum ss_addr_class c);

#endif
