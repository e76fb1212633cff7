/*
 * registration.h - registrations per address of record (RFC 3261 section
 * 10): attempts, challenges, successes, failures, the bindings the
 * registrar confirmed, and where the registrar saw the UA come from.
 *
 * Ownership: struct ss_regs is owned by the correlation context
 * (dialog.h), which feeds it every REGISTER and every response to one;
 * the records and their strings are owned by it and live until
 * ss_regs_free. Registrations are not evicted by --limit: there is one
 * per account, not one per message exchange.
 */
#ifndef SS_REGISTRATION_H
#define SS_REGISTRATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dialog.h"
#include "pipeline.h"

/* A binding the registrar confirmed in its 2xx (RFC 3261 10.3 step 8). */
struct ss_contact {
	char *uri;		/* owned */
	int64_t expires_s;	/* Contact expires param, else Expires
				 * header; -1 when neither */
};

struct ss_reg {
	char *aor;		/* owned: scheme:user@host, no port/params */
	char *user_agent;	/* owned; NULL when never seen */
	char source[64];	/* ip:port as the registrar saw it: top Via
				 * received/rport of its response, else the
				 * packet source of the REGISTER */
	char sent_by[64];	/* ip:port the UA wrote in its Via */
	bool nat;		/* received/rport differ from sent-by */
	uint32_t attempts;	/* REGISTER requests, retransmissions not
				 * counted */
	uint32_t challenges;	/* 401/407 */
	uint32_t successes;	/* 2xx */
	uint32_t failures;	/* other finals >= 300 */
	uint8_t auth_run;	/* challenges since the last success */
	bool had_creds;		/* the latest REGISTER carried credentials */
	bool unregister;	/* the latest REGISTER removes bindings */
	uint64_t req_contact_h;	/* hash of the latest REGISTER's first
				 * Contact URI: whose expiry to report */
	int last_code;		/* 0 while none */
	int64_t expires_s;	/* of the binding the UA asked for, as the
				 * 2xx confirmed it; -1 when none */
	int64_t last_attempt;	/* ns; -1 when none */
	int64_t last_success;	/* ns; -1 when none */
	enum ss_call_state state;	/* PENDING, REGISTERED, UNREGISTERED,
					 * AUTH_FAILED, FAILED */
	struct ss_contact *contacts;	/* owned, from the last 2xx */
	size_t ncontacts;
	/* internal: the packet source last formatted and its text (a UA
	 * registers from the same address again and again) */
	bool src_fmt_ok_;
	struct ss_addr src_fmt_;
	char src_fmt_s_[64];
};

struct ss_regs *ss_regs_new(void);
void ss_regs_free(struct ss_regs *r);

/* Account a REGISTER or a response to one (CSeq method REGISTER).
 * retrans: the correlation core found it to be a retransmission, so it
 * counts as no new attempt and changes nothing else. */
void ss_regs_add(struct ss_regs *r, const struct ss_sip_event *ev, bool retrans);

/* Registrations in the order their AoR was first seen. */
size_t ss_regs_count(const struct ss_regs *r);
const struct ss_reg *ss_regs_at(const struct ss_regs *r, size_t i);
/* The record of an AoR given as ss_reg.aor spells it; NULL if none. */
const struct ss_reg *ss_regs_find(const struct ss_regs *r, const char *aor);
/* Milliseconds from the last success to now_ns; -1 when none. */
int64_t ss_reg_since_success_ms(const struct ss_reg *g, int64_t now_ns);

/*
 * The state after one final response to a REGISTER (shared by the
 * per-AoR record and the REGISTER call). *auth_run counts challenges
 * since the last success:
 *   2xx                  -> REGISTERED (UNREGISTERED when the request
 *                           removed bindings: Expires 0, Contact *)
 *   403                  -> AUTH_FAILED (credentials refused outright)
 *   401/407              -> AUTH_FAILED once SS_AUTH_LOOP challenges come
 *                           in a row, or two in a row where the second
 *                           answered a request that already carried
 *                           credentials and is not "stale=true" (RFC 2617
 *                           3.2.1: stale only means "retry with the new
 *                           nonce"); else PENDING, or cur when cur is
 *                           REGISTERED (a challenged refresh, routine)
 *   other >= 300         -> FAILED
 */
#define SS_AUTH_LOOP 3
enum ss_call_state ss_reg_outcome(uint8_t *auth_run, int code, bool had_creds,
				  bool stale, bool unregister,
				  enum ss_call_state cur);

/* Helpers on REGISTER messages (also used by the REGISTER call). */
bool ss_sip_has_creds(const struct sip_msg *m);
bool ss_sip_stale(const struct sip_msg *m);
/* Does this REGISTER remove bindings (Expires: 0, Contact: *, or every
 * Contact with expires=0; RFC 3261 10.2.2)? */
bool ss_sip_unregister(const struct sip_msg *m);

/* The same three for the message ss_regs_add saw last, without scanning
 * it again when it is m (the REGISTER call applies the message right
 * after the registrations did). */
bool ss_regs_msg_creds(const struct ss_regs *r, const struct sip_msg *m);
bool ss_regs_msg_stale(const struct ss_regs *r, const struct sip_msg *m);
bool ss_regs_msg_unregister(const struct ss_regs *r, const struct sip_msg *m);

#endif
