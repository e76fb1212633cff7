/*
 * hepnet.h - the sockets of HEP: where to listen or send ("[udp:|tcp:]
 * ADDR:PORT", IPv6 as "[::1]:9060"), and the listener that receives HEP
 * packets for the capture layer (--hep-listen).
 *
 * This is capture-layer code: it frames HEPv3 on TCP by its header alone
 * ("HEP3" + 16-bit total length) and knows nothing of the chunks; each
 * packet goes to a callback, whole, as it arrived.
 */
#ifndef SS_HEPNET_H
#define SS_HEPNET_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ss_hep_transport { SS_HEP_UDP, SS_HEP_TCP };

struct ss_hep_endpoint {
	enum ss_hep_transport tr;	/* udp unless "tcp:" was given */
	char host[256];			/* without the IPv6 brackets */
	char port[8];
};

/* Parse "[udp:|tcp:]HOST:PORT". False with a message in err when the
 * syntax is wrong or the port is not 1..65535. */
bool ss_hep_endpoint_parse(const char *spec, struct ss_hep_endpoint *ep,
			   char *err, size_t errlen);

/* Open a socket to ep: bound to it (listen) or connected to it (send).
 * Returns the descriptor, or -1 with err set and *status = 1 when the
 * address does not resolve, 2 when the socket, bind or connect fails. */
int ss_hep_socket(const struct ss_hep_endpoint *ep, bool listen, int *status,
		  char *err, size_t errlen);

typedef void (*ss_hep_packet_cb)(void *user, const uint8_t *p, size_t len);

struct ss_hep_listener;

struct ss_hep_listener_stats {
	uint64_t packets;		/* delivered to the callback */
	uint64_t connections;		/* TCP connections accepted */
	uint64_t stream_errors;		/* TCP streams closed on non-HEP3 bytes */
};

/* Bind and (TCP) listen. NULL with err and *status as ss_hep_socket. */
struct ss_hep_listener *ss_hep_listener_open(const struct ss_hep_endpoint *ep,
					     int *status, char *err,
					     size_t errlen);
void ss_hep_listener_close(struct ss_hep_listener *l);

/* Read whatever is waiting, without blocking, and hand every complete
 * HEP packet to cb. */
void ss_hep_listener_service(struct ss_hep_listener *l, ss_hep_packet_cb cb,
			     void *user);
/* The descriptors to poll for POLLIN (at most max); returns how many. */
size_t ss_hep_listener_pollfds(const struct ss_hep_listener *l,
			       struct pollfd *pfd, size_t max);
const struct ss_hep_listener_stats *
ss_hep_listener_stats(const struct ss_hep_listener *l);

#endif
