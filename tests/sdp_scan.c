/*
 * sdp_scan.c - parse every SDP body of some captures and say which ones
 * the SDP parser flags.
 *   sdp_scan [-q|-v] [-w DIR] FILE...
 *
 * Each capture goes through the real pipeline (TCP, TLS without keys,
 * WebSocket, HEP, fragments); every SIP message whose Content-Type is
 * application/sdp, or multipart/<any> with an SDP part, has that SDP
 * parsed. A body the parser flags is printed (file, frame, reasons; -v
 * adds the SDP text); -q prints only the summary; -w writes each body
 * to DIR/sdp-body-N (fuzz seeds). Exit 1 when any body is flagged malformed or
 * is not SDP at all, so tests/sdp-scan.sh fails if a real-world SDP from
 * the samples or the corpus stops parsing cleanly.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline.h"
#include "sdp.h"

struct scan {
	const char *file;
	bool quiet, verbose;
	const char *dir;
	unsigned long bodies, bad, not_sdp, media, notes;
};

static bool ct_is(ss_str ct, const char *lit)
{
	size_t n = strlen(lit);
	return ct.len >= n && ss_str_ieq(ss_str_make(ct.p, n), lit);
}

static void save(const struct scan *s, ss_str sdp)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/sdp-body-%lu", s->dir, s->bodies);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(sdp.p, 1, sdp.len, f) != sdp.len)
		fprintf(stderr, "sdp_scan: cannot write %s\n", path);
	if (f)
		fclose(f);
}

static void on_sip(void *user, const struct ss_sip_event *ev)
{
	struct scan *s = user;
	const struct sip_msg *m = ev->msg;
	ss_str sdp = m->body;
	static struct sdp_desc d;
	if (!m->body.len)
		return;
	if (ct_is(m->content_type, "multipart/")) {
		if (!sdp_find_in_multipart(m->body, m->content_type, &sdp))
			return;
	} else if (!ct_is(m->content_type, "application/sdp")) {
		return;
	}
	s->bodies++;
	if (s->dir)
		save(s, sdp);
	int rc = sdp_parse(sdp.p, sdp.len, &d);
	if (rc == SDP_NOT_SDP) {
		s->not_sdp++;
		printf("%s: frame %llu: not SDP\n", s->file,
		       (unsigned long long)ev->pi->frame);
		return;
	}
	s->media += d.nmedia;
	if (d.notes)
		s->notes++;
	if (d.bad)
		s->bad++;
	if ((d.bad || d.notes) && !s->quiet)
		printf("%s: frame %llu: bad 0x%x (%s) notes 0x%x\n", s->file,
		       (unsigned long long)ev->pi->frame, d.bad,
		       sdp_bad_name(d.bad), d.notes);
	if ((d.bad || d.notes) && s->verbose)
		printf("%.*s\n----\n", (int)sdp.len, sdp.p);
}

static void warn(void *user, const char *fmt, ...)
{
	va_list ap;
	(void)user;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static bool scan_file(struct scan *s, const char *path)
{
	char err[256];
	struct ss_capture *cap = ss_capture_new(warn, NULL, NULL);
	if (!ss_capture_add_file(cap, path, NULL, err, sizeof err)) {
		fprintf(stderr, "sdp_scan: %s\n", err);
		ss_capture_free(cap);
		return false;
	}
	struct ss_pipeline pl;
	struct ss_frame f;
	uint64_t n = 0;
	s->file = path;
	ss_pipeline_init(&pl, on_sip, s);
	while (ss_capture_next(cap, &f) == 1)
		ss_pipeline_frame(&pl, &f, ++n);
	ss_pipeline_finish(&pl);
	ss_pipeline_free(&pl);
	ss_capture_free(cap);
	return true;
}

int main(int argc, char **argv)
{
	struct scan s = { 0 };
	int files = 0, i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "-q") == 0)
			s.quiet = true;
		else if (strcmp(argv[i], "-v") == 0)
			s.verbose = true;
		else if (strcmp(argv[i], "-w") == 0 && i + 1 < argc)
			s.dir = argv[++i];
		else
			break;
	}
	for (; i < argc; i++) {
		if (!scan_file(&s, argv[i]))
			return 2;
		files++;
	}
	printf("sdp_scan: %d captures, %lu SDP bodies, %lu media sections, "
	       "%lu flagged malformed, %lu not SDP, %lu with notes\n", files,
	       s.bodies, s.media, s.bad, s.not_sdp, s.notes);
	return s.bad || s.not_sdp ? 1 : 0;
}
