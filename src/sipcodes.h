/*
 * sipcodes.h - SIP response codes by the IANA "Session Initiation Protocol
 * (SIP) Parameters / Response Codes" registry, so a report names a code
 * the same way whatever reason phrase the message itself carried.
 */
#ifndef SS_SIPCODES_H
#define SS_SIPCODES_H

/* The registry's name of code, or NULL when the code is not registered. */
const char *ss_sipcode_name(int code);
/* "1xx".."6xx" for 100..699, else "other". */
const char *ss_sipcode_class(int code);

#endif
