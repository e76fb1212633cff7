/* timefmt.c - see timefmt.h. */
#include "timefmt.h"

#include <stdio.h>
#include <time.h>

size_t ss_time_rfc3339(int64_t ts_ns, char *buf, size_t buflen)
{
	/* Floor division so that -1 ns is 1969-12-31T23:59:59.999999Z. */
	int64_t sec = ts_ns / 1000000000;
	int64_t rem = ts_ns % 1000000000;
	if (rem < 0) {
		rem += 1000000000;
		sec -= 1;
	}
	time_t t = (time_t)sec;
	struct tm tm;
	if (buflen == 0)
		return 0;
	if (!gmtime_r(&t, &tm)) {
		buf[0] = '\0';
		return 0;
	}
	int n = snprintf(buf, buflen, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			 tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(rem / 1000));
	if (n < 0)
		n = 0;
	return (size_t)n < buflen ? (size_t)n : buflen - 1;
}
