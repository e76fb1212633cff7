/*
 * sipcodes.c - the IANA SIP response-code registry (see sipcodes.h).
 * Sources: RFC 3261 21 and the RFCs the registry cites for the rest
 * (RFC 3265/6665 489, RFC 3329 494, RFC 3312 580, RFC 3903 412,
 * RFC 4028 422, RFC 4412 417, RFC 4474/8224 428/436/437/438, RFC 5079 433,
 * RFC 5360 470, RFC 5393 440, RFC 5626 430/439, RFC 6086 469, RFC 6228 199,
 * RFC 6442 424, RFC 8197 607, RFC 8599 555, RFC 8688 608, RFC 8876 425,
 * RFC 4538 204 via RFC 5839).
 */
#include "sipcodes.h"

#include <stddef.h>

static const struct {
	short code;
	const char *name;
} codes[] = {
	{ 100, "Trying" },
	{ 180, "Ringing" },
	{ 181, "Call Is Being Forwarded" },
	{ 182, "Queued" },
	{ 183, "Session Progress" },
	{ 199, "Early Dialog Terminated" },
	{ 200, "OK" },
	{ 202, "Accepted" },
	{ 204, "No Notification" },
	{ 300, "Multiple Choices" },
	{ 301, "Moved Permanently" },
	{ 302, "Moved Temporarily" },
	{ 305, "Use Proxy" },
	{ 380, "Alternative Service" },
	{ 400, "Bad Request" },
	{ 401, "Unauthorized" },
	{ 402, "Payment Required" },
	{ 403, "Forbidden" },
	{ 404, "Not Found" },
	{ 405, "Method Not Allowed" },
	{ 406, "Not Acceptable" },
	{ 407, "Proxy Authentication Required" },
	{ 408, "Request Timeout" },
	{ 410, "Gone" },
	{ 412, "Conditional Request Failed" },
	{ 413, "Request Entity Too Large" },
	{ 414, "Request-URI Too Long" },
	{ 415, "Unsupported Media Type" },
	{ 416, "Unsupported URI Scheme" },
	{ 417, "Unknown Resource-Priority" },
	{ 420, "Bad Extension" },
	{ 421, "Extension Required" },
	{ 422, "Session Interval Too Small" },
	{ 423, "Interval Too Brief" },
	{ 424, "Bad Location Information" },
	{ 425, "Bad Alert Message" },
	{ 428, "Use Identity Header" },
	{ 429, "Provide Referrer Identity" },
	{ 430, "Flow Failed" },
	{ 433, "Anonymity Disallowed" },
	{ 436, "Bad Identity Info" },
	{ 437, "Unsupported Credential" },
	{ 438, "Invalid Identity Header" },
	{ 439, "First Hop Lacks Outbound Support" },
	{ 440, "Max-Breadth Exceeded" },
	{ 469, "Bad Info Package" },
	{ 470, "Consent Needed" },
	{ 480, "Temporarily Unavailable" },
	{ 481, "Call/Transaction Does Not Exist" },
	{ 482, "Loop Detected" },
	{ 483, "Too Many Hops" },
	{ 484, "Address Incomplete" },
	{ 485, "Ambiguous" },
	{ 486, "Busy Here" },
	{ 487, "Request Terminated" },
	{ 488, "Not Acceptable Here" },
	{ 489, "Bad Event" },
	{ 491, "Request Pending" },
	{ 493, "Undecipherable" },
	{ 494, "Security Agreement Required" },
	{ 500, "Server Internal Error" },
	{ 501, "Not Implemented" },
	{ 502, "Bad Gateway" },
	{ 503, "Service Unavailable" },
	{ 504, "Server Time-out" },
	{ 505, "Version Not Supported" },
	{ 513, "Message Too Large" },
	{ 555, "Push Notification Service Not Supported" },
	{ 580, "Precondition Failure" },
	{ 600, "Busy Everywhere" },
	{ 603, "Decline" },
	{ 604, "Does Not Exist Anywhere" },
	{ 606, "Not Acceptable" },
	{ 607, "Unwanted" },
	{ 608, "Rejected" },
};

const char *ss_sipcode_name(int code)
{
	size_t lo = 0, hi = sizeof codes / sizeof codes[0];
	while (lo < hi) {	/* the table is sorted by code */
		size_t mid = (lo + hi) / 2;
		if (codes[mid].code == code)
			return codes[mid].name;
		if (codes[mid].code < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *ss_sipcode_class(int code)
{
	static const char *const cls[] = { "1xx", "2xx", "3xx", "4xx", "5xx", "6xx" };
	if (code < 100 || code > 699)
		return "other";
	return cls[code / 100 - 1];
}
