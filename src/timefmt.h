/* timefmt.h - the one timestamp format of machine output (SPEC). */
#ifndef SS_TIMEFMT_H
#define SS_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

#define SS_TIME_BUFLEN 40

/* Write ts_ns (ns since the Unix epoch, may be negative) as RFC 3339 UTC
 * with microseconds, "2024-05-01T10:00:00.123456Z", truncating (never
 * rounding) the nanoseconds so a time never moves into the next second.
 * buf must hold SS_TIME_BUFLEN bytes; returns the length written. */
size_t ss_time_rfc3339(int64_t ts_ns, char *buf, size_t buflen);

#endif
