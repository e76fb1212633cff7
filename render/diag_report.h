/*
 * diag_report.h - --report diagnose: the problems ss_diagnose() found,
 * one object per problem in JSON (SPEC: call_id, code, severity, summary,
 * evidence), one row in CSV, grouped by call in text.
 */
#ifndef SS_DIAG_REPORT_H
#define SS_DIAG_REPORT_H

#include <stdio.h>

#include "diagnose.h"

void render_problem_json(FILE *out, const struct ss_problem *p);
void render_problems_json(FILE *out, const struct ss_problems *ps);
void render_problems_csv(FILE *out, const struct ss_problems *ps);
/* ncalls: calls examined, for the closing line. */
void render_problems_text(FILE *out, const struct ss_problems *ps, size_t ncalls);

#endif
