/*
 * sip_msgs.h - building blocks for SIP messages in the parser tests
 * (test_sip.c, test_sip_framing.c): string literals, so a test table row
 * reads as the message it is.
 */
#ifndef SS_TEST_SIP_MSGS_H
#define SS_TEST_SIP_MSGS_H

#define CRLF "\r\n"
#define VIA "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1" CRLF
#define FROM "From: <sip:alice@example.com>;tag=a1" CRLF
#define TO "To: <sip:bob@example.com>" CRLF
#define CID "Call-ID: c1@example.com" CRLF
#define BASE VIA FROM TO CID
#define RL(m) m " sip:bob@example.com SIP/2.0" CRLF
/* a request with extra header lines, Content-Length 0 */
#define REQ(m, extra) RL(m) BASE "CSeq: 1 " m CRLF extra "Content-Length: 0" CRLF CRLF
/* INVITE with extra lines and no Content-Length */
#define INVNC(extra) RL("INVITE") BASE "CSeq: 1 INVITE" CRLF extra CRLF
#define INV(extra) REQ("INVITE", extra)
#define RESP(sl, extra) sl CRLF BASE "CSeq: 1 INVITE" CRLF extra "Content-Length: 0" CRLF CRLF

/* a 5-byte body */
#define BODY5 "hello"

#endif
