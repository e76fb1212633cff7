/*
 * hepnet.c - HEP endpoints and the --hep-listen receiver (see hepnet.h).
 *
 * UDP: one HEP packet per datagram. TCP: HEPv3 packets back to back, each
 * framed by its own total length; a stream that does not start a packet
 * with "HEP3" is closed (HEPv2 has no total length, so it is UDP only).
 */
#include "hepnet.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "xalloc.h"

#define MAX_CONNS 16
#define RX_CAP 65536		/* a HEPv3 total length fits in 16 bits */
#define HEP3_HDR 6
#define BURST 256		/* packets read per source per round */

static bool parse_port(const char *s, char out[8])
{
	size_t n = strlen(s);
	long v = 0;
	if (n == 0 || n > 5)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	if (v < 1 || v > 65535)
		return false;
	memcpy(out, s, n + 1);
	return true;
}

/* HOST part: "[v6]" or a name/IPv4 without colons. Returns where the
 * ":PORT" starts, or NULL. */
static const char *split_host(const char *s, struct ss_hep_endpoint *ep)
{
	const char *end;
	const char *h = s;
	if (*s == '[') {
		end = strchr(s, ']');
		if (!end || end[1] != ':')
			return NULL;
		h = s + 1;
	} else {
		end = strrchr(s, ':');
		if (!end || memchr(s, ':', (size_t)(end - s)))
			return NULL;
	}
	size_t n = (size_t)(end - h);
	if (n == 0 || n >= sizeof ep->host)
		return NULL;
	memcpy(ep->host, h, n);
	ep->host[n] = '\0';
	return *end == ']' ? end + 1 : end;
}

bool ss_hep_endpoint_parse(const char *spec, struct ss_hep_endpoint *ep,
			   char *err, size_t errlen)
{
	const char *s = spec;
	memset(ep, 0, sizeof *ep);
	ep->tr = SS_HEP_UDP;
	if (strncmp(s, "udp:", 4) == 0) {
		s += 4;
	} else if (strncmp(s, "tcp:", 4) == 0) {
		ep->tr = SS_HEP_TCP;
		s += 4;
	}
	const char *colon = split_host(s, ep);
	if (!colon) {
		snprintf(err, errlen, "'%s' is not [udp:|tcp:]ADDR:PORT "
			 "(IPv6 in brackets: [::1]:9060)", spec);
		return false;
	}
	if (!parse_port(colon + 1, ep->port)) {
		snprintf(err, errlen, "'%s': '%s' is not a port (1..65535)", spec,
			 colon + 1);
		return false;
	}
	return true;
}

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* bind + listen (TCP) or connect, on one resolved address. */
static int open_one(const struct addrinfo *ai, bool listen_, bool tcp)
{
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
			ai->ai_protocol);
	if (fd < 0)
		return -1;
	int one = 1, rcv = 4 << 20;
	bool ok;
	if (listen_) {
		/* TCP only: on UDP, SO_REUSEADDR would let a second listener
		 * share the port and steal half the packets. */
		if (tcp)
			(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
					 sizeof one);
		else
			(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv);
		ok = bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
		     (!tcp || listen(fd, 16) == 0) && set_nonblock(fd) == 0;
	} else {
		ok = connect(fd, ai->ai_addr, ai->ai_addrlen) == 0;
	}
	if (!ok) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int ss_hep_socket(const struct ss_hep_endpoint *ep, bool listen_, int *status,
		  char *err, size_t errlen)
{
	bool tcp = ep->tr == SS_HEP_TCP;
	struct addrinfo hints, *res = NULL;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = tcp ? SOCK_STREAM : SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICSERV | (listen_ ? AI_PASSIVE : 0);
	int rc = getaddrinfo(ep->host, ep->port, &hints, &res);
	if (rc != 0) {
		snprintf(err, errlen, "%s: bad address: %s", ep->host,
			 gai_strerror(rc));
		*status = 1;
		return -1;
	}
	int fd = -1, e = 0;
	for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
		fd = open_one(ai, listen_, tcp);
		e = errno;
	}
	freeaddrinfo(res);
	if (fd < 0) {
		snprintf(err, errlen, "%s %s:%s: %s", listen_ ? "cannot bind" :
			 "cannot connect to", ep->host, ep->port, strerror(e));
		*status = 2;
	}
	return fd;
}

/* ---- the listener ---------------------------------------------------- */

struct conn {
	int fd;
	uint8_t *buf;		/* RX_CAP bytes */
	size_t len;
};

struct ss_hep_listener {
	bool tcp;
	int fd;
	uint8_t *rx;		/* UDP datagram buffer */
	struct conn conns[MAX_CONNS];
	size_t nconns;
	struct ss_hep_listener_stats st;
};

struct ss_hep_listener *ss_hep_listener_open(const struct ss_hep_endpoint *ep,
					     int *status, char *err,
					     size_t errlen)
{
	int fd = ss_hep_socket(ep, true, status, err, errlen);
	if (fd < 0)
		return NULL;
	struct ss_hep_listener *l = xcalloc(1, sizeof *l);
	l->tcp = ep->tr == SS_HEP_TCP;
	l->fd = fd;
	if (!l->tcp)
		l->rx = xmalloc(RX_CAP);
	return l;
}

static void conn_close(struct ss_hep_listener *l, size_t i)
{
	close(l->conns[i].fd);
	free(l->conns[i].buf);
	l->conns[i] = l->conns[--l->nconns];
}

void ss_hep_listener_close(struct ss_hep_listener *l)
{
	if (!l)
		return;
	while (l->nconns)
		conn_close(l, 0);
	close(l->fd);
	free(l->rx);
	free(l);
}

static void service_udp(struct ss_hep_listener *l, ss_hep_packet_cb cb,
			void *user)
{
	for (int k = 0; k < BURST; k++) {
		ssize_t n = recv(l->fd, l->rx, RX_CAP, MSG_DONTWAIT);
		if (n <= 0)
			return;
		l->st.packets++;
		cb(user, l->rx, (size_t)n);
	}
}

static void accept_new(struct ss_hep_listener *l)
{
	for (;;) {
		int fd = accept(l->fd, NULL, NULL);
		if (fd < 0)
			return;
		if (l->nconns == MAX_CONNS || set_nonblock(fd) != 0) {
			close(fd);
			continue;
		}
		l->st.connections++;
		l->conns[l->nconns++] = (struct conn){ fd, xmalloc(RX_CAP), 0 };
	}
}

/* Deliver the complete packets at the start of the buffer; false when the
 * stream does not carry HEPv3. */
static bool deliver_frames(struct ss_hep_listener *l, struct conn *c,
			   ss_hep_packet_cb cb, void *user)
{
	size_t off = 0;
	while (c->len - off >= HEP3_HDR) {
		const uint8_t *p = c->buf + off;
		size_t total = (size_t)(p[4] << 8 | p[5]);
		if (memcmp(p, "HEP3", 4) != 0 || total < HEP3_HDR)
			return false;
		if (c->len - off < total)
			break;
		l->st.packets++;
		cb(user, p, total);
		off += total;
	}
	memmove(c->buf, c->buf + off, c->len - off);
	c->len -= off;
	return true;
}

/* Read one connection; false when it must be closed. */
static bool service_conn(struct ss_hep_listener *l, struct conn *c,
			 ss_hep_packet_cb cb, void *user)
{
	for (int k = 0; k < BURST; k++) {
		ssize_t n = recv(c->fd, c->buf + c->len, RX_CAP - c->len, 0);
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ||
			       errno == EINTR;
		if (n == 0)
			return false;
		c->len += (size_t)n;
		if (!deliver_frames(l, c, cb, user)) {
			l->st.stream_errors++;
			return false;
		}
	}
	return true;
}

void ss_hep_listener_service(struct ss_hep_listener *l, ss_hep_packet_cb cb,
			     void *user)
{
	if (!l->tcp) {
		service_udp(l, cb, user);
		return;
	}
	accept_new(l);
	for (size_t i = 0; i < l->nconns;) {
		if (service_conn(l, &l->conns[i], cb, user))
			i++;
		else
			conn_close(l, i);
	}
}

size_t ss_hep_listener_pollfds(const struct ss_hep_listener *l,
			       struct pollfd *pfd, size_t max)
{
	size_t n = 0;
	if (n < max)
		pfd[n++] = (struct pollfd){ .fd = l->fd, .events = POLLIN };
	for (size_t i = 0; i < l->nconns && n < max; i++)
		pfd[n++] = (struct pollfd){ .fd = l->conns[i].fd,
					    .events = POLLIN };
	return n;
}

const struct ss_hep_listener_stats *
ss_hep_listener_stats(const struct ss_hep_listener *l)
{
	return &l->st;
}
