/*
 * hepsend.h - --hep-send: every SIP message seen, forwarded as HEPv3 to a
 * collector (Homer, Kamailio sipcapture, sngrep -L) over UDP or TCP.
 *
 * Each message goes in one HEPv3 packet with the addresses, ports,
 * transport and capture time it was seen with, proto type 1 (SIP), the
 * capture id (--hep-id), the auth key chunk 0x0e (--hep-password) and the
 * correlation chunk 0x11 set to the Call-ID. The payload is never
 * compressed (chunk 0x10): collectors do not decode it.
 */
#ifndef SS_HEPSEND_H
#define SS_HEPSEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pipeline.h"

struct ss_hep_sender;

struct ss_hep_send_stats {
	uint64_t sent;
	uint64_t failed;	/* not sent: collector unreachable, send error */
	uint64_t too_big;	/* larger than a HEPv3 packet can be */
	uint64_t reconnects;	/* TCP connections re-established */
};

/* Resolve spec ("[udp:|tcp:]HOST:PORT") and connect. A TCP collector that
 * is not up yet is not an error: the connection is retried, at most once
 * a second, as messages come. NULL with err and *status (1 = bad address,
 * 2 = socket error) on failure. password may be NULL. */
struct ss_hep_sender *ss_hep_sender_open(const char *spec, uint32_t id,
					 const char *password, int *status,
					 char *err, size_t errlen);
/* Send one SIP message (best effort; failures are counted). */
void ss_hep_sender_sip(struct ss_hep_sender *s, const struct ss_sip_event *ev);
const struct ss_hep_send_stats *ss_hep_sender_stats(const struct ss_hep_sender *s);
void ss_hep_sender_close(struct ss_hep_sender *s);

#endif
