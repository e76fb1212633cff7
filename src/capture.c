/*
 * capture.c - libpcap sources merged into one stream (see capture.h).
 *
 * Every file is opened with nanosecond precision so µs and ns captures,
 * pcap and pcapng, either byte order, all come out in one time base.
 */
#include "capture.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

#include <pcap/pcap.h>

#include <stdlib.h>

#include "hepnet.h"
#include "pcapmap.h"
#include "xalloc.h"

/* The largest record the mapping hands out; libpcap's limit for most link
 * types, and larger ones are libpcap's to judge. */
#define SS_MAP_MAXCAP 262144u

struct source {
	pcap_t *p;
	char *name;
	bool live;
	bool done;
	bool pending;		/* hdr/data hold an unread frame */
	struct pcap_pkthdr *hdr;
	const u_char *data;
	struct ss_pcapmap *map;	/* owned; records read from a mapping, until
				 * the first one libpcap must read */
	struct pcap_pkthdr own;	/* hdr points here for a mapped record */
	uint64_t frames;
	int dlt;
	struct ss_hep_listener *hep;	/* owned; a --hep-listen source */
};

struct ss_capture {
	struct source *src;
	size_t n, cap;
	ss_warn_cb warn;
	void *user;
	volatile sig_atomic_t *stop;
	bool damaged;
	bool no_map;		/* every file through libpcap (tests) */
	long last;		/* source whose frame was handed out last */
	ss_hep_packet_cb on_hep;	/* receives what HEP sources read */
	void *hep_user;
};

struct ss_capture *ss_capture_new(ss_warn_cb warn, void *user,
				  volatile sig_atomic_t *stop)
{
	struct ss_capture *c = xcalloc(1, sizeof *c);
	c->warn = warn;
	c->user = user;
	c->stop = stop;
	c->last = -1;
	return c;
}

void ss_capture_free(struct ss_capture *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		ss_pcapmap_close(c->src[i].map);
		if (c->src[i].p)
			pcap_close(c->src[i].p);
		ss_hep_listener_close(c->src[i].hep);
		free(c->src[i].name);
	}
	free(c->src);
	free(c);
}

static struct source *push_source(struct ss_capture *c, pcap_t *p,
				  const char *name, bool live)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 4;
		c->src = xreallocarray(c->src, c->cap, sizeof *c->src);
	}
	struct source *s = &c->src[c->n++];
	memset(s, 0, sizeof *s);
	s->p = p;
	s->name = xstrdup(name);
	s->live = live;
	s->dlt = p ? pcap_datalink(p) : -1;
	return s;
}

static bool set_filter(pcap_t *p, const char *bpf, bool live, char *err,
		       size_t errlen)
{
	struct bpf_program prog;
	if (!bpf || !*bpf)
		return true;
	/* On files the netmask is unknown; PCAP_NETMASK_UNKNOWN makes only
	 * "ip broadcast" fail, as in tcpdump. */
	if (pcap_compile(p, &prog, bpf, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		snprintf(err, errlen, "bad filter '%s': %s", bpf, pcap_geterr(p));
		return false;
	}
	int rc = pcap_setfilter(p, &prog);
	pcap_freecode(&prog);
	if (rc != 0) {
		snprintf(err, errlen, "cannot apply filter '%s': %s", bpf,
			 pcap_geterr(p));
		return false;
	}
	(void)live;
	return true;
}

bool ss_capture_add_file(struct ss_capture *c, const char *path,
			 const char *bpf, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = pcap_open_offline_with_tstamp_precision(
		path, PCAP_TSTAMP_PRECISION_NANO, ebuf);
	if (!p) {
		/* libpcap says "unknown file format" for anything that is not
		 * pcap/pcapng; say it in the user's words. */
		if (strstr(ebuf, "unknown file format"))
			snprintf(err, errlen, "%s: not a pcap or pcapng capture (%s)",
				 path, ebuf);
		else
			snprintf(err, errlen, "%s: %s", path, ebuf);
		return false;
	}
	char ferr[512];
	if (!set_filter(p, bpf, false, ferr, sizeof ferr)) {
		snprintf(err, errlen, "%s: %s", path, ferr);
		pcap_close(p);
		return false;
	}
	struct source *s = push_source(c, p, path, false);
	/* A BPF filter or standard input: libpcap reads everything. */
	if (!c->no_map && (!bpf || !*bpf) && strcmp(path, "-") != 0)
		s->map = ss_pcapmap_open(fileno(pcap_file(p)),
					 (uint32_t)pcap_snapshot(p), SS_MAP_MAXCAP);
	return true;
}

void ss_capture_set_mmap(struct ss_capture *c, bool on)
{
	c->no_map = !on;
}

static bool activate_live(pcap_t *p, const char *ifname, char *err,
			  size_t errlen)
{
	int rc = pcap_activate(p);
	if (rc < 0) {
		const char *why = pcap_geterr(p);
		if (rc == PCAP_ERROR_PERM_DENIED)
			why = "permission denied (run as root or grant CAP_NET_RAW)";
		else if (rc == PCAP_ERROR_NO_SUCH_DEVICE)
			why = "no such interface (see -D)";
		snprintf(err, errlen, "%s: %s", ifname, why);
		return false;
	}
	return true;
}

bool ss_capture_add_live(struct ss_capture *c, const char *ifname,
			 const struct ss_live_opts *o, const char *bpf,
			 char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = pcap_create(ifname, ebuf);
	if (!p) {
		snprintf(err, errlen, "%s: %s", ifname, ebuf);
		return false;
	}
	pcap_set_snaplen(p, o->snaplen > 0 ? o->snaplen : 262144);
	pcap_set_promisc(p, o->promisc);
	pcap_set_timeout(p, 100);
	pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO);
	if (o->buffer_mib > 0)
		pcap_set_buffer_size(p, o->buffer_mib * 1024 * 1024);
	char ferr[512];
	if (!activate_live(p, ifname, err, errlen) ||
	    !set_filter(p, bpf, true, ferr, sizeof ferr)) {
		if (!err[0] || strncmp(err, ifname, strlen(ifname)) != 0)
			snprintf(err, errlen, "%s: %s", ifname, ferr);
		pcap_close(p);
		return false;
	}
	if (pcap_setnonblock(p, 1, ebuf) != 0) {
		snprintf(err, errlen, "%s: %s", ifname, ebuf);
		pcap_close(p);
		return false;
	}
	push_source(c, p, ifname, true);
	return true;
}

void ss_capture_add_hep(struct ss_capture *c, struct ss_hep_listener *l,
			const char *name)
{
	push_source(c, NULL, name, true)->hep = l;
}

void ss_capture_on_hep(struct ss_capture *c, ss_hep_packet_cb cb, void *user)
{
	c->on_hep = cb;
	c->hep_user = user;
}

/* A HEP source: hand what arrived to the callback, then say what to poll. */
static size_t hep_round(struct ss_capture *c, struct source *s,
			struct pollfd *pfd, size_t room)
{
	if (c->on_hep)
		ss_hep_listener_service(s->hep, c->on_hep, c->hep_user);
	return ss_hep_listener_pollfds(s->hep, pfd, room);
}

/* The next record from the mapping; at the first one it does not take,
 * libpcap goes on from there with its own stream (its state between
 * records is only the stream position), and the mapping goes. */
static bool next_mapped(struct ss_capture *c, struct source *s)
{
	struct ss_pcapmap_rec r;
	if (ss_pcapmap_next(s->map, &r)) {
		s->own.ts.tv_sec = (time_t)r.ts_sec;
		s->own.ts.tv_usec = (suseconds_t)r.ts_ns;
		s->own.caplen = r.caplen;
		s->own.len = r.len;
		s->hdr = &s->own;
		s->data = r.data;
		s->pending = true;
		s->frames++;
		return true;
	}
	off_t at = (off_t)ss_pcapmap_offset(s->map);
	ss_pcapmap_close(s->map);
	s->map = NULL;
	if (fseeko(pcap_file(s->p), at, SEEK_SET) != 0) {
		s->done = true;	/* a regular file: should not happen */
		c->damaged = true;
		c->warn(c->user, "%s: cannot seek after %llu packets: %s",
			s->name, (unsigned long long)s->frames, strerror(errno));
		return true;
	}
	return false;
}

/* Read the next frame of a file source into s->hdr/s->data. */
static void fill(struct ss_capture *c, struct source *s)
{
	if (s->done || s->pending)
		return;
	if (s->map && next_mapped(c, s))
		return;
	int rc = pcap_next_ex(s->p, &s->hdr, &s->data);
	if (rc == 1) {
		s->pending = true;
		s->frames++;
		return;
	}
	s->done = true;
	if (rc == PCAP_ERROR) {
		c->damaged = true;
		c->warn(c->user, "%s: damaged capture after %llu packets: %s",
			s->name, (unsigned long long)s->frames,
			pcap_geterr(s->p));
	}
}

static int64_t ts_of(const struct source *s)
{
	/* Opened with nanosecond precision, so tv_usec holds ns. */
	return (int64_t)s->hdr->ts.tv_sec * 1000000000 + s->hdr->ts.tv_usec;
}

static void hand_out(struct ss_capture *c, size_t i, struct ss_frame *f)
{
	struct source *s = &c->src[i];
	f->data = s->data;
	f->caplen = s->hdr->caplen;
	f->wirelen = s->hdr->len;
	f->ts_ns = ts_of(s);
	f->dlt = s->dlt;
	f->source = (uint32_t)i;
	s->pending = false;
	c->last = (long)i;
}

static int next_file_frame(struct ss_capture *c, struct ss_frame *f)
{
	long best = -1;
	/* One file, the usual run: no earliest to pick, and a mapped
	 * record goes straight into *f, as fill() and hand_out() would
	 * pass it on. */
	if (c->n == 1 && !c->src[0].live) {
		struct source *s = &c->src[0];
		struct ss_pcapmap_rec r;
		if (s->map && !s->pending && !s->done &&
		    ss_pcapmap_next(s->map, &r)) {
			s->frames++;
			f->data = r.data;
			f->caplen = r.caplen;
			f->wirelen = r.len;
			f->ts_ns = (int64_t)(time_t)r.ts_sec * 1000000000 +
				   (suseconds_t)r.ts_ns;
			f->dlt = s->dlt;
			f->source = 0;
			c->last = 0;
			return 1;
		}
		fill(c, s);
		if (!c->src[0].pending)
			return 0;
		hand_out(c, 0, f);
		return 1;
	}
	for (size_t i = 0; i < c->n; i++) {
		struct source *s = &c->src[i];
		if (s->live)
			continue;
		fill(c, s);
		if (s->pending && (best < 0 || ts_of(s) < ts_of(&c->src[best])))
			best = (long)i;
	}
	if (best < 0)
		return 0;
	hand_out(c, (size_t)best, f);
	return 1;
}

/* Poll every live source until one has a frame, all are done or stop is
 * raised. Round-robin so one busy interface cannot starve another. */
static int next_live_frame(struct ss_capture *c, struct ss_frame *f)
{
	struct pollfd pfd[64];
	for (;;) {
		size_t nl = 0, start = (size_t)(c->last + 1);
		for (size_t k = 0; k < c->n; k++) {
			size_t i = (start + k) % c->n;
			struct source *s = &c->src[i];
			if (!s->live || s->done)
				continue;
			if (s->hep) {
				nl += hep_round(c, s, pfd + nl, 64 - nl);
				continue;
			}
			int rc = pcap_next_ex(s->p, &s->hdr, &s->data);
			if (rc == 1) {
				s->frames++;
				hand_out(c, i, f);
				return 1;
			}
			if (rc < 0) {
				s->done = true;
				c->damaged = true;
				c->warn(c->user, "%s: capture stopped: %s", s->name,
					pcap_geterr(s->p));
				continue;
			}
			int fd = pcap_get_selectable_fd(s->p);
			if (fd >= 0 && nl < 64)
				pfd[nl++] = (struct pollfd){ .fd = fd, .events = POLLIN };
		}
		if (nl == 0 || (c->stop && *c->stop))
			return 0;
		if (poll(pfd, nl, 100) < 0 && errno != EINTR)
			return 0;
		if (c->stop && *c->stop)
			return 0;
	}
}

int ss_capture_next(struct ss_capture *c, struct ss_frame *f)
{
	if (c->stop && *c->stop)
		return 0;
	if (next_file_frame(c, f))
		return 1;
	return next_live_frame(c, f);
}

bool ss_capture_damaged(const struct ss_capture *c)
{
	return c->damaged;
}

const char *ss_capture_source_name(const struct ss_capture *c, uint32_t i)
{
	return i < c->n ? c->src[i].name : "?";
}

size_t ss_capture_count(const struct ss_capture *c)
{
	return c->n;
}

int ss_capture_source_dlt(const struct ss_capture *c, uint32_t i)
{
	return i < c->n ? c->src[i].dlt : -1;
}

const char *ss_capture_dlt_name(int dlt)
{
	const char *n = pcap_datalink_val_to_name(dlt);
	return n ? n : "unknown";
}

bool ss_capture_list_interfaces(FILE *out, char *err, size_t errlen)
{
	pcap_if_t *all = NULL;
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	if (pcap_findalldevs(&all, ebuf) != 0) {
		snprintf(err, errlen, "cannot list interfaces: %s", ebuf);
		return false;
	}
	int i = 1;
	for (pcap_if_t *d = all; d; d = d->next, i++) {
		fprintf(out, "%d.%s", i, d->name);
		if (d->description)
			fprintf(out, " (%s)", d->description);
		fprintf(out, " [%s%s%s]\n", (d->flags & PCAP_IF_UP) ? "Up" : "Down",
			(d->flags & PCAP_IF_RUNNING) ? ", Running" : "",
			(d->flags & PCAP_IF_LOOPBACK) ? ", Loopback" : "");
	}
	pcap_freealldevs(all);
	return true;
}

struct ss_pcap_writer {
	pcap_t *dead;
	pcap_dumper_t *d;
	int dlt;
};

struct ss_pcap_writer *ss_pcap_writer_open(const char *path, int dlt,
					   char *err, size_t errlen)
{
	struct ss_pcap_writer *w = xcalloc(1, sizeof *w);
	w->dlt = dlt;
	w->dead = pcap_open_dead_with_tstamp_precision(dlt, 262144,
						       PCAP_TSTAMP_PRECISION_NANO);
	if (w->dead)
		w->d = pcap_dump_open(w->dead, path);
	if (!w->d) {
		snprintf(err, errlen, "%s: %s", path,
			 w->dead ? pcap_geterr(w->dead) : "cannot create");
		if (w->dead)
			pcap_close(w->dead);
		free(w);
		return NULL;
	}
	return w;
}

bool ss_pcap_writer_put(struct ss_pcap_writer *w, const struct ss_frame *f)
{
	struct pcap_pkthdr h;
	int64_t sec = f->ts_ns / 1000000000, ns = f->ts_ns % 1000000000;
	if (ns < 0) {
		ns += 1000000000;
		sec--;
	}
	h.ts.tv_sec = (time_t)sec;
	h.ts.tv_usec = (suseconds_t)ns;	/* ns: the writer is in ns precision */
	h.caplen = (bpf_u_int32)f->caplen;
	h.len = (bpf_u_int32)(f->wirelen > f->caplen ? f->wirelen : f->caplen);
	pcap_dump((u_char *)w->d, &h, f->data);
	return !ferror(pcap_dump_file(w->d));
}

bool ss_pcap_writer_close(struct ss_pcap_writer *w, char *err, size_t errlen)
{
	bool ok = pcap_dump_flush(w->d) == 0 && !ferror(pcap_dump_file(w->d));
	if (!ok)
		snprintf(err, errlen, "write error: %s", strerror(errno));
	pcap_dump_close(w->d);
	pcap_close(w->dead);
	free(w);
	return ok;
}
