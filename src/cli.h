/*
 * cli.h - the command line (SPEC "Command line"), parsed into one struct.
 */
#ifndef SS_CLI_H
#define SS_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum ss_format { FMT_TEXT, FMT_JSON, FMT_CSV, FMT_HTML };

enum ss_report {
	REPORT_CALLS = 1 << 0,
	REPORT_FLOW = 1 << 1,
	REPORT_MESSAGES = 1 << 2,
	REPORT_STATS = 1 << 3,
	REPORT_RTP = 1 << 4,
	REPORT_REGISTRATIONS = 1 << 5,
	REPORT_DIAGNOSE = 1 << 6,
};

#define SS_MAX_SIP_PORTS 32

struct ss_opts {
	const char **files;	/* argv pointers, not owned strings */
	size_t nfiles;
	const char **ifaces;
	size_t nifaces;
	bool list_ifaces;
	int buffer_mib;
	int snaplen;
	unsigned reports;	/* enum ss_report bits; 0 = default view */
	enum ss_format format;
	const char *output;	/* NULL = stdout */
	const char *write;	/* -w: pcap of the selected dialogs */
	bool no_tui;
	bool strict;
	int verbose;		/* -v count; -q sets -1 */
	uint16_t sip_ports[SS_MAX_SIP_PORTS];
	size_t nsip_ports;
	char *bpf;		/* owned: trailing words joined */
	const char *match;	/* -m */
	bool match_icase;	/* -I */
	bool match_invert;	/* --invert */
	const char *filter;	/* -f */
	bool calls_only;	/* -c */
	const char **calls;	/* --call, argv pointers */
	size_t ncalls;
	bool legs;
	size_t limit;		/* --limit; 0 = none */
	size_t spool_mib;	/* --spool-size; 0 = default */
	int width;		/* --width; 0 = default */
	bool ascii;
	bool merge_hosts;
	bool want_help;
	bool want_version;
	const char **hep_listen;	/* --hep-listen, argv pointers */
	size_t nhep_listen;
	const char *hep_send;	/* --hep-send */
	uint32_t hep_id;	/* --hep-id */
	const char *hep_password;	/* --hep-password */
	int hep_port;		/* --hep-port; -1 = default (9060), 0 = off */
	const char *keylog;	/* -k: TLS key log */
	const char *rsa_key;	/* --rsa-key: RSA private key for TLS_RSA */
	const char **thresholds;	/* --threshold NAME=VALUE, checked */
	size_t nthresholds;
};

/* Parse argv. Returns 0 on success, 1 on a usage error (message already
 * printed to stderr as "sipscope: ..."). */
int ss_cli_parse(struct ss_opts *o, int argc, char **argv);
void ss_cli_free(struct ss_opts *o);
void ss_cli_usage(FILE *out);

#endif
