/*
 * jsonw.h - the few JSON and CSV writing helpers every renderer shares.
 *
 * Packet text is untrusted: json_str() always produces valid JSON. Valid
 * UTF-8 passes through; control characters are escaped; a byte that is not
 * part of valid UTF-8 is written as the code point of the same value
 * (\u00XX), so nothing is dropped and the output stays parseable.
 */
#ifndef SS_JSONW_H
#define SS_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bytes.h"

void json_str(FILE *f, const char *p, size_t n);
/* A slice, or null when it is absent (p == NULL). */
void json_slice_or_null(FILE *f, ss_str s);
/* "key": prefix; first says whether a comma is needed before it. */
void json_key(FILE *f, const char *key, bool *first);

/* RFC 4180 field: quoted when it holds a comma, quote, CR or LF. */
void csv_field(FILE *f, const char *p, size_t n);

/* Length of the valid UTF-8 sequence at p (1..4), or 0 if invalid. */
size_t utf8_seq_len(const unsigned char *p, size_t n);

#endif
