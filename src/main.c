/*
 * main.c - sipscope's entry point: options, the checks that need no input,
 * then app_run() (reports.c).
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "capture.h"
#include "keylog.h"

/* Set by SIGINT/SIGTERM; the UI layer is the one place a global may live. */
static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
	(void)sig;
	g_stop = 1;
}

static int finish(struct app *a, int rc)
{
	if (a->out && a->out != stdout && fclose(a->out) != 0 && rc == 0) {
		fprintf(stderr, "sipscope: %s: %s\n", a->opt.output, strerror(errno));
		rc = 2;
	} else if (a->out == stdout && (fflush(stdout) != 0 || ferror(stdout)) &&
		   rc == 0) {
		fprintf(stderr, "sipscope: write error: %s\n", strerror(errno));
		rc = 2;
	}
	ss_match_free(a->match);
	ss_filter_free(a->filter);
	ss_keylog_free(a->keylog);
	ss_keylog_crypto_end();
	ss_cli_free(&a->opt);
	return rc;
}

/* Compile -m and -f before reading anything: a typo must not cost a pass
 * over a 10 GB capture. A bad regex is an input error (2, SPEC); a filter
 * that does not parse is a usage error (1). */
static int compile_selection(struct app *a)
{
	char err[512];
	if (a->opt.match &&
	    !(a->match = ss_match_new(a->opt.match,
				      a->opt.match_icase ? SS_MATCH_ICASE : 0,
				      err, sizeof err))) {
		fprintf(stderr, "sipscope: -m: %s\n", err);
		return 2;
	}
	if (a->opt.filter &&
	    !(a->filter = ss_filter_compile(a->opt.filter, err, sizeof err))) {
		fprintf(stderr, "sipscope: -f: %s\n", err);
		return 1;
	}
	if ((a->opt.match_icase || a->opt.match_invert) && !a->opt.match) {
		fputs("sipscope: -I and --invert need -m REGEX\n", stderr);
		return 1;
	}
	if (a->opt.legs && !a->opt.ncalls) {
		fputs("sipscope: --legs needs --call CALL-ID\n", stderr);
		return 1;
	}
	return 0;
}

/* -k and --rsa-key are read before any input: a bad key log is an input
 * error (2), said with the line that is wrong. */
static int load_keys(struct app *a)
{
	if (!a->opt.keylog && !a->opt.rsa_key)
		return 0;
	char err[256];
	if (!ss_keylog_crypto(err, sizeof err)) {
		fprintf(stderr, "sipscope: %s: %s\n",
			a->opt.keylog ? a->opt.keylog : a->opt.rsa_key, err);
		return 2;
	}
	a->keylog = ss_keylog_new();
	if (a->opt.keylog) {
		size_t bad = 0;
		errno = 0;
		int rc = ss_keylog_load(a->keylog, a->opt.keylog, &bad);
		if (rc == -1) {
			fprintf(stderr, "sipscope: %s: bad key log at line %zu\n",
				a->opt.keylog, bad);
			return 2;
		}
		if (rc != 0) {
			fprintf(stderr, "sipscope: %s: cannot read: %s\n",
				a->opt.keylog,
				errno ? strerror(errno) : "read error or too large");
			return 2;
		}
	}
	if (a->opt.rsa_key) {
		FILE *f = fopen(a->opt.rsa_key, "rb");
		if (!f) {
			fprintf(stderr, "sipscope: %s: cannot read: %s\n",
				a->opt.rsa_key, strerror(errno));
			return 2;
		}
		fclose(f);
		if (ss_keylog_load_rsa_key(a->keylog, a->opt.rsa_key) != 0) {
			fprintf(stderr, "sipscope: %s: not an RSA private key "
				"(PEM or DER, unencrypted)\n", a->opt.rsa_key);
			return 2;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct app a;
	/* First thing: a background job starts with SIGINT ignored, and a
	 * signal sent while we start up must still stop a live capture. */
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	memset(&a, 0, sizeof a);
	if (ss_cli_parse(&a.opt, argc, argv) != 0)
		return finish(&a, 1);
	if (a.opt.want_help) {
		ss_cli_usage(stdout);
		return finish(&a, 0);
	}
	if (a.opt.want_version) {
		printf("sipscope %s\n", PACKAGE_VERSION);
		return finish(&a, 0);
	}
	if (a.opt.list_ifaces) {
		char err[512];
		bool ok = ss_capture_list_interfaces(stdout, err, sizeof err);
		if (!ok)
			fprintf(stderr, "sipscope: %s\n", err);
		return finish(&a, ok ? 0 : 2);
	}
	if (a.opt.nfiles == 0 && a.opt.nifaces == 0 && a.opt.nhep_listen == 0) {
		fputs("sipscope: no input: give -r FILE, -i INTERFACE or --hep-listen\n"
		      "Try 'sipscope --help'.\n", stderr);
		return finish(&a, 1);
	}
	int rc = compile_selection(&a);
	if (!rc)
		rc = load_keys(&a);
	if (rc)
		return finish(&a, rc);
	/* No --report: the call list (the TUI, when stdout is a terminal,
	 * arrives in a later version). */
	if (!a.opt.reports)
		a.opt.reports = REPORT_CALLS;
	a.quiet = a.opt.verbose < 0;
	a.stop = &g_stop;
	a.out = stdout;
	if (a.opt.output && !(a.out = fopen(a.opt.output, "w"))) {
		fprintf(stderr, "sipscope: %s: %s\n", a.opt.output, strerror(errno));
		return finish(&a, 2);
	}
	return finish(&a, app_run(&a));
}
