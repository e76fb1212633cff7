/* bytes.c - slice helpers shared by every dissector (see bytes.h). */
#include "bytes.h"

static inline unsigned char lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

bool ss_str_ieq(ss_str s, const char *lit)
{
	size_t n = strlen(lit);
	if (s.len != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (lower((unsigned char)s.p[i]) != lower((unsigned char)lit[i]))
			return false;
	return true;
}

long ss_str_ifind(ss_str s, const char *lit)
{
	size_t n = strlen(lit);
	if (n == 0)
		return 0;
	if (s.len < n)
		return -1;
	for (size_t i = 0; i + n <= s.len; i++) {
		size_t j = 0;
		while (j < n && lower((unsigned char)s.p[i + j]) ==
				lower((unsigned char)lit[j]))
			j++;
		if (j == n)
			return (long)i;
	}
	return -1;
}

static inline bool is_lws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

ss_str ss_str_trim(ss_str s)
{
	while (s.len && is_lws(s.p[0])) {
		s.p++;
		s.len--;
	}
	while (s.len && is_lws(s.p[s.len - 1]))
		s.len--;
	return s;
}

/* The general case of ss_str_to_u64() (bytes.h): any length, checked
 * digit by digit against max. */
bool ss_str_to_u64_long(ss_str s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	if (s.len == 0)
		return false;
	for (size_t i = 0; i < s.len; i++) {
		unsigned d = (unsigned char)s.p[i] - '0';
		if (d > 9)
			return false;
		if (d > max || v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}
