/*
 * hepsend.c - forward SIP messages as HEPv3 (see hepsend.h).
 */
#include "hepsend.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "hep.h"
#include "hepnet.h"
#include "xalloc.h"

#define PKT_CAP 65535		/* HEPv3's 16-bit total length */

struct ss_hep_sender {
	struct ss_hep_endpoint ep;
	int fd;			/* -1 while a TCP collector is away */
	uint32_t id;
	char *password;		/* owned; NULL = no auth chunk */
	int64_t last_try;	/* monotonic seconds of the last connect */
	uint8_t *pkt;		/* PKT_CAP bytes */
	struct ss_hep_send_stats st;
};

static int64_t now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec;
}

/* A stalled TCP collector must not stall the capture for long. */
static void set_send_timeout(int fd)
{
	struct timeval tv = { 1, 0 };
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

static bool try_connect(struct ss_hep_sender *s, int *status, char *err,
			size_t errlen)
{
	s->last_try = now_s();
	s->fd = ss_hep_socket(&s->ep, false, status, err, errlen);
	if (s->fd >= 0)
		set_send_timeout(s->fd);
	return s->fd >= 0;
}

struct ss_hep_sender *ss_hep_sender_open(const char *spec, uint32_t id,
					 const char *password, int *status,
					 char *err, size_t errlen)
{
	struct ss_hep_sender *s = xcalloc(1, sizeof *s);
	if (!ss_hep_endpoint_parse(spec, &s->ep, err, errlen)) {
		*status = 1;
		free(s);
		return NULL;
	}
	s->id = id;
	s->password = password ? xstrdup(password) : NULL;
	if (!try_connect(s, status, err, errlen) &&
	    (s->ep.tr != SS_HEP_TCP || *status == 1)) {
		free(s->password);
		free(s);
		return NULL;
	}
	s->pkt = xmalloc(PKT_CAP);
	return s;
}

static void fill_hep(const struct ss_hep_sender *s,
		     const struct ss_sip_event *ev, struct ss_hep *h)
{
	const struct ss_pktinfo *pi = ev->pi;
	ss_str text = ss_sip_text(ev->msg);
	int64_t ts = pi->ts_ns > 0 ? pi->ts_ns : 0;
	memset(h, 0, sizeof *h);
	h->version = 3;
	h->ip_proto = pi->l4 ? pi->l4 : SS_L4_UDP;
	h->src = pi->src;
	h->dst = pi->dst;
	h->ts_sec = (uint32_t)(ts / 1000000000);
	h->ts_usec = (uint32_t)(ts % 1000000000 / 1000);
	h->proto_type = SS_HEP_PROTO_SIP;
	h->capture_id = s->id;
	h->has_auth = s->password != NULL;
	if (s->password)
		h->auth_key = ss_str_make(s->password, strlen(s->password));
	h->payload = (const uint8_t *)text.p;
	h->payload_len = text.len;
	h->correlation = ev->msg->call_id;
}

static bool send_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* TCP: reconnect when the collector went away, at most once a second. */
static bool ready(struct ss_hep_sender *s)
{
	char err[512];
	int status;
	if (s->fd >= 0)
		return true;
	if (now_s() == s->last_try)
		return false;
	if (!try_connect(s, &status, err, sizeof err))
		return false;
	s->st.reconnects++;
	return true;
}

void ss_hep_sender_sip(struct ss_hep_sender *s, const struct ss_sip_event *ev)
{
	struct ss_hep h;
	fill_hep(s, ev, &h);
	size_t n = ss_hep_encode(&h, s->pkt, PKT_CAP);
	if (n == 0) {
		s->st.too_big++;
		return;
	}
	if (!ready(s)) {
		s->st.failed++;
		return;
	}
	bool ok = s->ep.tr == SS_HEP_TCP ? send_all(s->fd, s->pkt, n) :
		  send(s->fd, s->pkt, n, 0) == (ssize_t)n;
	if (ok) {
		s->st.sent++;
		return;
	}
	s->st.failed++;
	if (s->ep.tr == SS_HEP_TCP) {
		close(s->fd);
		s->fd = -1;
	}
}

const struct ss_hep_send_stats *ss_hep_sender_stats(const struct ss_hep_sender *s)
{
	return &s->st;
}

void ss_hep_sender_close(struct ss_hep_sender *s)
{
	if (!s)
		return;
	if (s->fd >= 0)
		close(s->fd);
	free(s->password);
	free(s->pkt);
	free(s);
}
