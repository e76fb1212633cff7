/*
 * cli.c - option parsing (tcpdump/tshark/sngrep conventions, SPEC).
 *
 * Options the contract names but this version does not implement yet are
 * recognised and refused with a clear message, never silently ignored.
 */
#include "cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose.h"
#include "hepnet.h"
#include "xalloc.h"

enum {
	OPT_REPORT = 256, OPT_STRICT, OPT_SIP_PORT, OPT_NOT_YET, OPT_LIMIT,
	OPT_CALL, OPT_LEGS, OPT_INVERT, OPT_ASCII, OPT_WIDTH, OPT_MERGE,
	OPT_SPOOL,
	OPT_HEP_LISTEN, OPT_HEP_SEND, OPT_HEP_ID, OPT_HEP_PASSWORD, OPT_HEP_PORT,
	OPT_RSA_KEY, OPT_THRESHOLD,
};

static const struct option longopts[] = {
	{ "read", required_argument, NULL, 'r' },
	{ "interface", required_argument, NULL, 'i' },
	{ "list-interfaces", no_argument, NULL, 'D' },
	{ "buffer-size", required_argument, NULL, 'B' },
	{ "snaplen", required_argument, NULL, 's' },
	{ "report", required_argument, NULL, OPT_REPORT },
	{ "format", required_argument, NULL, 'T' },
	{ "output", required_argument, NULL, 'o' },
	{ "no-tui", no_argument, NULL, 'N' },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "sip-port", required_argument, NULL, OPT_SIP_PORT },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "version", no_argument, NULL, 'V' },
	{ "help", no_argument, NULL, 'h' },
	/* In the contract, not in this version yet. */
	{ "match", required_argument, NULL, 'm' },
	{ "filter", required_argument, NULL, 'f' },
	{ "calls-only", no_argument, NULL, 'c' },
	{ "limit", required_argument, NULL, OPT_LIMIT },
	{ "call", required_argument, NULL, OPT_CALL },
	{ "legs", no_argument, NULL, OPT_LEGS },
	{ "write", required_argument, NULL, 'w' },
	{ "split", required_argument, NULL, OPT_NOT_YET },
	{ "keylog", required_argument, NULL, 'k' },
	{ "rsa-key", required_argument, NULL, OPT_RSA_KEY },
	{ "hep-listen", required_argument, NULL, OPT_HEP_LISTEN },
	{ "hep-send", required_argument, NULL, OPT_HEP_SEND },
	{ "hep-id", required_argument, NULL, OPT_HEP_ID },
	{ "hep-password", required_argument, NULL, OPT_HEP_PASSWORD },
	{ "hep-port", required_argument, NULL, OPT_HEP_PORT },
	{ "invert", no_argument, NULL, OPT_INVERT },
	{ "color", optional_argument, NULL, OPT_NOT_YET },
	{ "ascii", no_argument, NULL, OPT_ASCII },
	{ "width", required_argument, NULL, OPT_WIDTH },
	{ "merge-hosts", no_argument, NULL, OPT_MERGE },
	{ "spool-size", required_argument, NULL, OPT_SPOOL },
	{ "threshold", required_argument, NULL, OPT_THRESHOLD },
	{ NULL, 0, NULL, 0 },
};

static const char shortopts[] = "r:i:DB:s:T:o:NqvVhm:f:cIw:k:";

void ss_cli_usage(FILE *out)
{
	fputs("Usage: sipscope [OPTIONS] [BPF-FILTER ...]\n"
	      "\n"
	      "Input (several may be combined; files are merged in time order):\n"
	      "  -r, --read FILE         pcap or pcapng file; '-' reads standard input\n"
	      "  -i, --interface NAME    live capture ('any' allowed); repeatable\n"
	      "  -D, --list-interfaces   list interfaces and exit\n"
	      "  -B, --buffer-size MIB   kernel capture buffer for -i\n"
	      "  -s, --snaplen N         bytes captured per packet for -i\n"
	      "      --sip-port PORT     treat this UDP port as SIP even when a payload\n"
	      "                          does not look like SIP (repeatable)\n"
	      "      --hep-listen [udp:|tcp:]ADDR:PORT\n"
	      "                          receive HEPv3/HEPv2 (IPv6 as [::1]:9060)\n"
	      "      --hep-port PORT     HEP inside captures on this UDP port\n"
	      "                          (default 9060; 0 = off)\n"
	      "  -k, --keylog FILE       TLS key log (SSLKEYLOGFILE format): decrypt\n"
	      "                          SIP over TLS\n"
	      "      --rsa-key FILE      server RSA private key (PEM/DER) for TLS_RSA\n"
	      "\n"
	      "Selection (a selected dialog is shown whole):\n"
	      "  -m, --match REGEX       PCRE2 over each message's text\n"
	      "  -I                      -m ignores case\n"
	      "      --invert            select the dialogs -m does not match\n"
	      "  -f, --filter EXPR       dialog filter, e.g. 'method=INVITE and code>=400'\n"
	      "  -c, --calls-only        INVITE dialogs only\n"
	      "      --call CALL-ID      this dialog only (repeatable)\n"
	      "      --legs              with --call, add the linked legs (X-Call-ID, ...)\n"
	      "      --limit N           hold at most N finished dialogs (oldest evicted)\n"
	      "      --spool-size MIB    messages kept to re-show from stdin/live input\n"
	      "                          (default 64)\n"
	      "\n"
	      "Output:\n"
	      "      --report KIND       calls, flow, messages, stats, rtp,\n"
	      "                          registrations, diagnose (comma list);\n"
	      "                          default: calls\n"
	      "      --threshold NAME=V  diagnosis threshold: loss (%, 2), jitter\n"
	      "                          (ms, 30), mos (3.6), late (ms, 2000), pdd\n"
	      "                          (ms, 5000), retrans (3), packets (50),\n"
	      "                          wait (ms a call must last for NO_MEDIA, 1000)\n"
	      "      --width N           ladder width (default 80)\n"
	      "      --ascii             ASCII ladder instead of Unicode box drawing\n"
	      "      --merge-hosts       one ladder column per host, not per ip:port\n"
	      "  -T, --format FMT        text (default), json (NDJSON), csv\n"
	      "  -o, --output FILE       write the report to FILE (default stdout)\n"
	      "  -w, --write FILE        write the packets of the selected dialogs\n"
	      "                          (SIP, RTP and RTCP) to a pcap\n"
	      "      --hep-send [udp:|tcp:]HOST:PORT\n"
	      "                          forward every SIP message as HEPv3\n"
	      "      --hep-id N          HEP capture agent id (default 0)\n"
	      "      --hep-password S    HEP auth key: sent, and required on --hep-listen\n"
	      "  -N, --no-tui            never start the interactive interface\n"
	      "      --strict            a damaged capture is an error (exit 2)\n"
	      "  -q, --quiet             no warnings on stderr\n"
	      "  -v, --verbose           decoding statistics on stderr\n"
	      "  -V, --version           print the version\n"
	      "  -h, --help              this help\n"
	      "\n"
	      "Exit status: 0 success, 1 usage error, 2 input error.\n"
	      "See sipscope(1) for details.\n", out);
}

__attribute__((format(printf, 1, 2)))
static int usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("sipscope: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'sipscope --help'.\n", stderr);
	return 1;
}

static bool parse_int(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static const struct { const char *name; unsigned bit; } report_names[] = {
	{ "calls", REPORT_CALLS }, { "flow", REPORT_FLOW },
	{ "messages", REPORT_MESSAGES }, { "stats", REPORT_STATS },
	{ "rtp", REPORT_RTP }, { "registrations", REPORT_REGISTRATIONS },
	{ "diagnose", REPORT_DIAGNOSE },
};

/* A comma list of report kinds; rtp and diagnose arrive with media. */
static int parse_reports(struct ss_opts *o, const char *arg)
{
	const char *p = arg;
	while (*p) {
		size_t n = strcspn(p, ",");
		unsigned bit = 0;
		for (size_t i = 0; i < sizeof report_names / sizeof report_names[0]; i++)
			if (strlen(report_names[i].name) == n &&
			    strncmp(report_names[i].name, p, n) == 0)
				bit = report_names[i].bit;
		if (!bit)
			return usage_error("--report: unknown report '%s' (calls, flow, "
					   "messages, stats, rtp, registrations, diagnose)", arg);
		o->reports |= bit;
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

static int parse_format(struct ss_opts *o, const char *arg)
{
	if (strcmp(arg, "text") == 0)
		o->format = FMT_TEXT;
	else if (strcmp(arg, "json") == 0)
		o->format = FMT_JSON;
	else if (strcmp(arg, "csv") == 0)
		o->format = FMT_CSV;
	else if (strcmp(arg, "html") == 0)
		return usage_error("-T %s: not implemented in this version", arg);
	else
		return usage_error("-T: unknown format '%s' (text, json, csv, html)", arg);
	return 0;
}

static void push(const char ***v, size_t *n, const char *s)
{
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = s;
}

static char *join_words(int argc, char **argv, int from)
{
	size_t len = 1;
	for (int i = from; i < argc; i++)
		len += strlen(argv[i]) + 1;
	char *s = xmalloc(len), *p = s;
	for (int i = from; i < argc; i++) {
		size_t l = strlen(argv[i]);
		memcpy(p, argv[i], l);
		p += l;
		*p++ = i + 1 < argc ? ' ' : '\0';
	}
	if (p == s)
		*p = '\0';
	return s;
}

static int hep_endpoint(const char *opt, const char *arg)
{
	struct ss_hep_endpoint ep;
	char err[512];
	if (!ss_hep_endpoint_parse(arg, &ep, err, sizeof err))
		return usage_error("%s: %s", opt, err);
	return 0;
}

/* The HEP options (hepnet.h, hepsend.h). */
static int handle_hep(struct ss_opts *o, int c, const char *arg)
{
	long v;
	switch (c) {
	case OPT_HEP_LISTEN:
		push(&o->hep_listen, &o->nhep_listen, arg);
		return hep_endpoint("--hep-listen", arg);
	case OPT_HEP_SEND:
		o->hep_send = arg;
		return hep_endpoint("--hep-send", arg);
	case OPT_HEP_ID:
		if (!parse_int(arg, 0, 4294967295L, &v))
			return usage_error("--hep-id: '%s' is not a capture id "
					   "(0..4294967295)", arg);
		o->hep_id = (uint32_t)v;
		return 0;
	case OPT_HEP_PASSWORD: o->hep_password = arg; return 0;
	default:
		if (!parse_int(arg, 0, 65535, &v))
			return usage_error("--hep-port: '%s' is not a port "
					   "(0..65535, 0 = off)", arg);
		o->hep_port = (int)v;
		return 0;
	}
}

static int not_yet(const char *name)
{
	return usage_error("%s: not implemented in this version", name);
}

static int handle(struct ss_opts *o, int c, const char *arg, const char *name)
{
	long v;
	switch (c) {
	case 'r': push(&o->files, &o->nfiles, arg); return 0;
	case 'i': push(&o->ifaces, &o->nifaces, arg); return 0;
	case 'D': o->list_ifaces = true; return 0;
	case 'B':
		if (!parse_int(arg, 1, 4096, &v))
			return usage_error("-B: '%s' is not a size in MiB (1..4096)", arg);
		o->buffer_mib = (int)v;
		return 0;
	case 's':
		if (!parse_int(arg, 0, 262144, &v))
			return usage_error("-s: '%s' is not a snap length (0..262144)", arg);
		o->snaplen = (int)v;
		return 0;
	case OPT_REPORT: return parse_reports(o, arg);
	case 'T': return parse_format(o, arg);
	case 'o': o->output = arg; return 0;
	case 'N': o->no_tui = true; return 0;
	case OPT_STRICT: o->strict = true; return 0;
	case OPT_SIP_PORT:
		if (!parse_int(arg, 1, 65535, &v))
			return usage_error("--sip-port: '%s' is not a port", arg);
		if (o->nsip_ports == SS_MAX_SIP_PORTS)
			return usage_error("--sip-port %s: too many ports", arg);
		o->sip_ports[o->nsip_ports++] = (uint16_t)v;
		return 0;
	case 'q': o->verbose = -1; return 0;
	case 'v': o->verbose = o->verbose < 0 ? 1 : o->verbose + 1; return 0;
	case 'V': o->want_version = true; return 0;
	case 'h': o->want_help = true; return 0;
	case OPT_NOT_YET: return not_yet(name);
	case 'm': o->match = arg; return 0;
	case 'f': o->filter = arg; return 0;
	case 'c': o->calls_only = true; return 0;
	case 'I': o->match_icase = true; return 0;
	case OPT_INVERT: o->match_invert = true; return 0;
	case OPT_LEGS: o->legs = true; return 0;
	case OPT_ASCII: o->ascii = true; return 0;
	case OPT_MERGE: o->merge_hosts = true; return 0;
	case OPT_SPOOL:
		if (!parse_int(arg, 1, 65536, &v))
			return usage_error("--spool-size: '%s' is not a size in MiB (1..65536)", arg);
		o->spool_mib = (size_t)v;
		return 0;
	case OPT_CALL: push(&o->calls, &o->ncalls, arg); return 0;
	case OPT_LIMIT:
		if (!parse_int(arg, 1, 1000000000L, &v))
			return usage_error("--limit: '%s' is not a number of dialogs", arg);
		o->limit = (size_t)v;
		return 0;
	case OPT_WIDTH:
		if (!parse_int(arg, 20, 4096, &v))
			return usage_error("--width: '%s' is not a width (20..4096)", arg);
		o->width = (int)v;
		return 0;
	case 'w': o->write = arg; return 0;
	case 'k': o->keylog = arg; return 0;
	case OPT_RSA_KEY: o->rsa_key = arg; return 0;
	case OPT_THRESHOLD: {
		struct ss_diag_thresholds t;
		char err[256];
		ss_diag_thresholds_default(&t);
		if (!ss_diag_threshold_set(&t, arg, err, sizeof err))
			return usage_error("--threshold %s", err);
		push(&o->thresholds, &o->nthresholds, arg);
		return 0;
	}
	case OPT_HEP_LISTEN: case OPT_HEP_SEND: case OPT_HEP_ID:
	case OPT_HEP_PASSWORD: case OPT_HEP_PORT:
		return handle_hep(o, c, arg);
	default: return 1;	/* getopt printed why */
	}
}

int ss_cli_parse(struct ss_opts *o, int argc, char **argv)
{
	memset(o, 0, sizeof *o);
	o->hep_port = -1;
	opterr = 1;
	for (;;) {
		int idx = -1;
		int c = getopt_long(argc, argv, shortopts, longopts, &idx);
		if (c == -1)
			break;
		char name[64];
		snprintf(name, sizeof name, "--%s",
			 idx >= 0 ? longopts[idx].name : "?");
		if (c == '?' || c == ':') {
			fputs("Try 'sipscope --help'.\n", stderr);
			return 1;
		}
		if (handle(o, c, optarg, name) != 0)
			return 1;
	}
	o->bpf = join_words(argc, argv, optind);
	return 0;
}

void ss_cli_free(struct ss_opts *o)
{
	free(o->files);
	free(o->ifaces);
	free(o->calls);
	free(o->hep_listen);
	free(o->thresholds);
	free(o->bpf);
	memset(o, 0, sizeof *o);
}
