/*
 * capture.h - packet sources: pcap/pcapng files, standard input and live
 * interfaces, merged into one stream of frames.
 *
 * Files are merged in timestamp order (ties keep the order the files were
 * given). Live interfaces are polled together and delivered as they
 * arrive, after every file has been read. A source that fails half-way
 * (truncated or damaged capture) is reported through the warn callback and
 * closed; the frames read before the damage are kept.
 */
#ifndef SS_CAPTURE_H
#define SS_CAPTURE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct ss_frame {
	const uint8_t *data;	/* valid until the next ss_capture_next() */
	size_t caplen;
	size_t wirelen;
	int64_t ts_ns;
	int dlt;
	uint32_t source;	/* index in the order sources were added */
};

struct ss_live_opts {
	int snaplen;		/* 0 = 262144 */
	int buffer_mib;		/* 0 = libpcap default */
	bool promisc;
};

typedef void (*ss_warn_cb)(void *user, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

struct ss_capture;

/* A new, empty capture. warn receives damage reports (without the
 * "sipscope: " prefix); stop, when non-NULL, is polled so a signal handler
 * can end a live capture. */
struct ss_capture *ss_capture_new(ss_warn_cb warn, void *user,
				  volatile sig_atomic_t *stop);
void ss_capture_free(struct ss_capture *c);

/* Open a capture file ("-" = standard input) and apply the BPF filter
 * (NULL or "" for none). On failure returns false and writes a message
 * ("cannot open FILE: why") to err. */
bool ss_capture_add_file(struct ss_capture *c, const char *path,
			 const char *bpf, char *err, size_t errlen);
/* Whether files added from now on may be read through a mapping
 * (pcapmap.h; the default) or only through libpcap. The frames are the
 * same either way; tests compare the two. */
void ss_capture_set_mmap(struct ss_capture *c, bool on);
/* Open a live interface ("any" allowed). */
bool ss_capture_add_live(struct ss_capture *c, const char *ifname,
			 const struct ss_live_opts *o, const char *bpf,
			 char *err, size_t errlen);

/* A HEP listener (hepnet.h) as a live source; the capture owns it. What
 * it receives is not a frame: each HEP packet goes, whole, to the callback
 * set with ss_capture_on_hep while ss_capture_next() polls the live
 * sources (without that callback nothing is read from them). */
struct ss_hep_listener;
void ss_capture_add_hep(struct ss_capture *c, struct ss_hep_listener *l,
			const char *name);
void ss_capture_on_hep(struct ss_capture *c,
		       void (*cb)(void *user, const uint8_t *p, size_t len),
		       void *user);

/* The next frame in merged order: 1 = *f filled, 0 = all sources done. */
int ss_capture_next(struct ss_capture *c, struct ss_frame *f);

/* True when some source ended early because of damage. */
bool ss_capture_damaged(const struct ss_capture *c);
/* Name of source i as the user gave it. */
const char *ss_capture_source_name(const struct ss_capture *c, uint32_t i);

size_t ss_capture_count(const struct ss_capture *c);
int ss_capture_source_dlt(const struct ss_capture *c, uint32_t i);
/* libpcap's name of a link type ("EN10MB"), or "unknown". */
const char *ss_capture_dlt_name(int dlt);

/*
 * A pcap file being written (-w). All frames must share one link type;
 * timestamps are kept to the nanosecond (the nanosecond pcap magic, which
 * tcpdump, tshark and sngrep read).
 */
struct ss_pcap_writer;
struct ss_pcap_writer *ss_pcap_writer_open(const char *path, int dlt,
					   char *err, size_t errlen);
/* false on a write error (err says why). */
bool ss_pcap_writer_put(struct ss_pcap_writer *w, const struct ss_frame *f);
/* Flush and close; false when the data did not reach the file. */
bool ss_pcap_writer_close(struct ss_pcap_writer *w, char *err, size_t errlen);

/* Print the interfaces libpcap can capture on, tcpdump -D style. Returns
 * false with a message in err when libpcap cannot list them. */
bool ss_capture_list_interfaces(FILE *out, char *err, size_t errlen);

#endif
