/*
 * sdp_int.h - what sdp.c shares with sdp_util.c and no one else needs.
 */
#ifndef SS_SDP_INT_H
#define SS_SDP_INT_H

#include "bytes.h"

enum sdp_eol { EOL_NONE, EOL_CRLF, EOL_OTHER, EOL_NUL };

/* The next line of [*p, end): its content without the line end; a line
 * ends at LF, CRLF, a lone CR or a NUL (then *p moves to end: nothing
 * after a NUL is read). *eol says which. Call only with *p < end. */
ss_str sdp_next_line(const char **p, const char *end, enum sdp_eol *eol);

/* Split off the next blank-separated (SP/HTAB) token of *s; an empty
 * slice at the end. */
ss_str sdp_tok(ss_str *s);

#endif
