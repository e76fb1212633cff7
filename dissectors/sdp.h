/*
 * sdp.h - zero-copy SDP parser (RFC 8866, which obsoletes RFC 4566) with
 * the attributes an offer/answer (RFC 3264) analysis needs: rtpmap, fmtp,
 * ptime, direction, rtcp (RFC 3605), rtcp-mux (RFC 5761), crypto (RFC
 * 4568), fingerprint/setup (RFC 8122, RFC 5763), ICE (RFC 8839), mid (RFC
 * 5888), and the RFC 3551 static payload types.
 *
 * Contract (the same as sip.h): input is (buf, len), no NUL needed; every
 * string out is a slice into buf; the caller owns struct sdp_desc, whose
 * arrays have fixed capacities; what does not fit is counted and flagged,
 * never written past. Nothing is allocated.
 *
 * Real SDPs are sloppy, so a description that breaks the grammar is still
 * parsed as far as it goes, and every oddity sets a bit in ->bad (grammar
 * broken) or ->notes (legal but worth knowing, or our capacity exceeded).
 * Only input that is no SDP at all is rejected.
 */
#ifndef SS_SDP_H
#define SS_SDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bytes.h"
#include "ipaddr.h"
#include "packet.h"

#define SDP_MAX_MEDIA 8		/* m= sections kept */
#define SDP_MAX_FMT 16		/* formats kept per m= line */
#define SDP_MAX_CAND 4		/* a=candidate slices kept per section */

/* Why a description breaks the grammar (bits of sdp_desc.bad and of
 * sdp_media.bad). sdp_bad_name() gives each a short phrase. */
#define SDP_BAD_NO_VERSION	0x0001u	/* no v= line (tolerated) */
#define SDP_BAD_VERSION		0x0002u	/* v= other than 0 */
#define SDP_BAD_ORIGIN		0x0004u	/* o= missing or not 6 fields */
#define SDP_BAD_LINE		0x0008u	/* a line not of the form "x=..." */
#define SDP_BAD_NUL		0x0010u	/* NUL byte: parsing stopped there */
#define SDP_BAD_CONN		0x0020u	/* c= unparseable */
#define SDP_BAD_MEDIA		0x0040u	/* m= unparseable (port, proto, fmt) */
#define SDP_BAD_ATTR		0x0080u	/* rtpmap/fmtp/rtcp/ptime/... value */
#define SDP_BAD_NO_CONN		0x0100u	/* active stream without any c= */
#define SDP_BAD_DYN_NO_RTPMAP	0x0200u	/* dynamic pt (96-127) without rtpmap */
#define SDP_BAD_NO_SESSION_NAME	0x0400u	/* no s= line */
#define SDP_BAD_ORDER		0x0800u	/* session-only line after m= */

/* Legal but notable, or beyond our capacities (sdp_desc.notes). */
#define SDP_NOTE_TOO_MANY_MEDIA	0x0001u	/* more than SDP_MAX_MEDIA m= */
#define SDP_NOTE_TOO_MANY_FMT	0x0002u	/* a m= with more than SDP_MAX_FMT */
#define SDP_NOTE_TOO_MANY_CAND	0x0004u	/* more than SDP_MAX_CAND candidates
					 * in a section (use sdp_attr_next) */
#define SDP_NOTE_UNLISTED_PT	0x0008u	/* rtpmap/fmtp for a format not in m= */
#define SDP_NOTE_LF_ONLY	0x0010u	/* some line ends are not CRLF */
#define SDP_NOTE_NO_FINAL_EOL	0x0020u	/* last line not terminated */
#define SDP_NOTE_DUP_RTPMAP	0x0040u	/* a second rtpmap for one pt (first
					 * kept) */
#define SDP_NOTE_IPV6_BRACKETS	0x0080u	/* IP6 address written "[...]" (read
					 * without the brackets) */

/* Short static phrase for one SDP_BAD_* bit (the lowest set bit if more
 * are given); "" for 0. */
const char *sdp_bad_name(uint32_t bad);

enum sdp_dir {
	SDP_DIR_UNSET = 0,	/* no direction attribute at this level */
	SDP_DIR_SENDRECV,
	SDP_DIR_SENDONLY,
	SDP_DIR_RECVONLY,
	SDP_DIR_INACTIVE,
};
const char *sdp_dir_name(enum sdp_dir d);	/* "sendrecv", ..., "" */

enum sdp_media_type {
	SDP_MT_OTHER = 0, SDP_MT_AUDIO, SDP_MT_VIDEO, SDP_MT_IMAGE,
	SDP_MT_APPLICATION, SDP_MT_TEXT, SDP_MT_MESSAGE,
};

enum sdp_proto {
	SDP_P_OTHER = 0,
	SDP_P_RTP_AVP,		/* RTP/AVP */
	SDP_P_RTP_SAVP,		/* RTP/SAVP (SDES-SRTP) */
	SDP_P_RTP_AVPF,		/* RTP/AVPF */
	SDP_P_RTP_SAVPF,	/* RTP/SAVPF */
	SDP_P_DTLS_SAVP,	/* UDP/TLS/RTP/SAVP */
	SDP_P_DTLS_SAVPF,	/* UDP/TLS/RTP/SAVPF (WebRTC) */
	SDP_P_TCP_RTP,		/* TCP/RTP/AVP and friends (RFC 4571) */
	SDP_P_UDPTL,		/* udptl: T.38 fax */
	SDP_P_UDP,		/* udp */
	SDP_P_TCP,		/* TCP, TCP/MSRP, TCP/TLS, TCP/BFCP, ... */
	SDP_P_DTLS_SCTP,	/* UDP/DTLS/SCTP, DTLS/SCTP (data channels) */
};
/* Does this proto carry RTP (so formats are payload type numbers)? */
bool sdp_proto_is_rtp(enum sdp_proto p);

/* Where a section's effective c= came from. */
enum sdp_level { SDP_LVL_NONE = 0, SDP_LVL_SESSION, SDP_LVL_MEDIA };

/* One c= line (RFC 8866 5.7). */
struct sdp_conn {
	ss_str line;		/* the whole line, "c=IN IP4 ...", for evidence */
	ss_str addr;		/* connection-address without /ttl/num */
	struct ss_addr ip;	/* family 0 when addr is an FQDN */
	uint8_t ttl;		/* IPv4 multicast /ttl, else 0 */
	uint16_t naddr;		/* multicast /number of addresses, else 0 */
	bool present;
};

/* One format of a m= line with what a=rtpmap / a=fmtp said about it. */
struct sdp_fmt {
	ss_str token;		/* as written in m=: "0", "101", "t38", ... */
	int16_t pt;		/* 0..127 for RTP media, else -1 */
	uint16_t channels;	/* rtpmap encoding parameters, 0 if absent */
	uint32_t clock;		/* rtpmap clock rate, 0 without rtpmap */
	ss_str enc;		/* rtpmap encoding name, empty without rtpmap */
	ss_str fmtp;		/* a=fmtp parameters, empty if none */
};

/*
 * One media section. Memory (x86-64): 1328 bytes, of which the 16
 * formats take 896 (56 each); struct sdp_desc is 11000 bytes. Parse into
 * one scratch object per thread (or the stack) and copy out what a
 * dialog needs to keep (addresses, ports, direction, the chosen codec);
 * never keep a whole sdp_desc per message. Slices point into the parsed
 * buffer and live exactly as long as it does.
 */
struct sdp_media {
	ss_str line;		/* the whole m= line */
	ss_str section;		/* m= line to the end of the section (for
				 * sdp_attr_next) */
	ss_str type;		/* "audio", "video", ... as written */
	enum sdp_media_type mtype;
	uint16_t port;		/* 0 = stream rejected/disabled (RFC 3264 6) */
	uint16_t nports;	/* m=audio 5000/2 -> 2; 1 when absent */
	ss_str proto;
	enum sdp_proto proto_id;
	uint16_t nfmt;		/* formats stored in fmt[] */
	uint16_t nfmt_total;	/* formats on the m= line */
	struct sdp_fmt fmt[SDP_MAX_FMT];

	struct sdp_conn conn;	/* effective c=: media level, else session */
	enum sdp_level conn_level;
	enum sdp_dir dir;	/* direction attribute at media level */
	ss_str dir_line;	/* that attribute line, for evidence */
	uint32_t ptime;		/* ms, 0 if absent */
	uint32_t maxptime;	/* ms, 0 if absent */

	bool rtcp_present;	/* a=rtcp (RFC 3605) */
	bool rtcp_mux;		/* a=rtcp-mux (RFC 5761) */
	uint16_t rtcp_port;
	struct sdp_conn rtcp_conn;	/* optional address of a=rtcp */

	bool srtp;		/* at least one a=crypto (SDES, RFC 4568) */
	bool dtls;		/* a=fingerprint or a=setup here or at session
				 * level (DTLS-SRTP, RFC 5763) */
	uint16_t ncrypto;
	ss_str crypto_suite;	/* suite of the first a=crypto */
	ss_str setup;		/* a=setup value (media, else session) */
	ss_str fingerprint;	/* a=fingerprint value (media, else session) */

	uint16_t ncand;		/* a=candidate lines in this section */
	ss_str cand[SDP_MAX_CAND];	/* values (after "candidate:") */
	ss_str ice_ufrag;	/* media level, else session level */
	ss_str ice_pwd;
	ss_str mid;		/* a=mid (RFC 5888), empty if absent */

	int16_t te_pt;		/* telephone-event (RFC 4733) pt, -1 none */
	int16_t cn_pt;		/* comfort noise (RFC 3389) pt, -1 none */
	uint32_t bad;		/* SDP_BAD_* bits found in this section */
};

struct sdp_origin {
	ss_str line;
	ss_str user, sess_id, sess_version, addr;
	uint64_t version;	/* sess_version as a number when it fits */
	struct ss_addr ip;	/* family 0 for an FQDN */
	bool present;
};

struct sdp_desc {
	uint32_t bad;		/* SDP_BAD_*: every reason found */
	uint32_t notes;		/* SDP_NOTE_* */
	ss_str text;		/* the bytes parsed as SDP: from the first
				 * line to the last good one */
	unsigned version;	/* v= value (0) */
	struct sdp_origin origin;
	ss_str session_name;	/* s= */
	struct sdp_conn conn;	/* session-level c= */
	enum sdp_dir dir;	/* session-level direction attribute */
	ss_str dir_line;
	ss_str ice_ufrag, ice_pwd, ice_options;	/* session level */
	bool ice_lite;
	ss_str fingerprint, setup;	/* session level */
	ss_str group;		/* a=group value, e.g. "BUNDLE 0 1" */
	ss_str session;		/* session-level lines (up to the first m=) */
	uint16_t nmedia;	/* sections stored in media[] */
	uint16_t nmedia_total;	/* m= lines seen */
	struct sdp_media media[SDP_MAX_MEDIA];
};

#define SDP_OK		0
#define SDP_NOT_SDP	(-1)	/* no SDP at all: *out holds nothing useful */

/*
 * Parse the SDP in buf[0..len). Line ends may be CRLF, LF or a lone CR;
 * blank lines are skipped; parsing stops at a NUL (SDP_BAD_NUL). Input
 * whose first non-blank line is not "<lower-case letter>=", or that has
 * none of v=, o=, s=, c= and m=, is SDP_NOT_SDP. Otherwise returns SDP_OK
 * with every field of *out set (reasons in out->bad / out->notes), and
 * each section's effective c= and ICE credentials resolved.
 */
int sdp_parse(const char *buf, size_t len, struct sdp_desc *out);

/* Effective direction of media[i] (RFC 8866 6.7): the media attribute,
 * else the session one, else sendrecv. *explicit_out (may be NULL) says
 * whether an attribute said so. Does not fold in port 0 or c=0.0.0.0:
 * see sdp_media_hold(). */
enum sdp_dir sdp_media_dir(const struct sdp_desc *d, size_t i,
			   bool *explicit_out);

/* Ways a section can say "no media this way" (RFC 3264 5.1, 6, 8.4). */
enum sdp_hold {
	SDP_HOLD_NONE = 0,
	SDP_HOLD_REJECTED,	/* port 0 */
	SDP_HOLD_ZERO_ADDR,	/* c=0.0.0.0 / :: (RFC 2543 style hold), unless
				 * ICE is in use (trickle ICE offers 0.0.0.0) */
	SDP_HOLD_INACTIVE,
	SDP_HOLD_SENDONLY,	/* we send only: the peer is on hold */
	SDP_HOLD_RECVONLY,
};
enum sdp_hold sdp_media_hold(const struct sdp_desc *d, size_t i);

/* RFC 3551 table 4 and 5: static payload type pt -> encoding name and RTP
 * clock rate (G722 is 8000 there though it samples at 16 kHz). False for
 * unassigned, reserved and dynamic numbers. */
bool sdp_static_pt(unsigned pt, const char **name, uint32_t *clock);

/* Codec of payload type pt in media section m: its rtpmap if it has one,
 * else the static table. Any output pointer may be NULL; channels is 1
 * when not given. False when neither knows pt. */
bool sdp_media_codec(const struct sdp_media *m, unsigned pt, ss_str *name,
		     uint32_t *clock, unsigned *channels);

/* Where the section asks RTP to be sent: effective c= address and the m=
 * port. False when there is no numeric address (FQDN, none). */
bool sdp_media_addr(const struct sdp_media *m, struct ss_addr *out);
/* Where RTCP goes: a=rtcp address/port if given (RFC 3605), else the RTP
 * address with the RTP port under rtcp-mux and RTP port + 1 otherwise. */
bool sdp_rtcp_addr(const struct sdp_media *m, struct ss_addr *out);

/* Iterate the a=<name> lines of a section (or of desc->session for the
 * session level): *pos starts at 0; each call stores the attribute value
 * (after "name:", empty for a flag) in *value and returns true, or returns
 * false at the end. Lets a caller see every candidate, not only the
 * first SDP_MAX_CAND. name is compared case-sensitively (RFC 8866 5.13). */
bool sdp_attr_next(ss_str section, const char *name, size_t *pos,
		   ss_str *value);

/* An a=candidate value (RFC 8839 5.1) split into its fields. */
struct sdp_cand {
	ss_str foundation, transport, type, addr_text, raddr_text;
	uint32_t component;
	uint32_t priority;
	struct ss_addr addr;	/* with port; family 0 for FQDN/mDNS names */
	struct ss_addr raddr;	/* related address, family 0 if absent */
};
bool sdp_cand_parse(ss_str value, struct sdp_cand *out);

/* Find the application/sdp part of a multipart/<any> body (RFC 2046
 * 5.1, RFC 5621) given the Content-Type value with its boundary
 * parameter (quoted or not). Parts nested one multipart inside another
 * are searched too (depth bounded). A missing close delimiter ends the
 * last part at the end of body; the preamble and epilogue are skipped.
 * On success *sdp is the part's content without the CRLF that belongs
 * to the next delimiter. */
bool sdp_find_in_multipart(ss_str body, ss_str content_type, ss_str *sdp);

/* The SDP a message body carries, given its Content-Type value: the body
 * itself for application/sdp, the application/sdp part of a multipart
 * body (RFC 5621), else false. */
bool sdp_in_body(ss_str content_type, ss_str body, ss_str *sdp);

#endif
