/* stats.c - see stats.h. */
#include "stats.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void ss_stats_init(struct ss_stats *s)
{
	memset(s, 0, sizeof *s);
}

void ss_stats_free(struct ss_stats *s)
{
	for (size_t i = 0; i < s->next; i++)
		free(s->ext[i].name);
	memset(s, 0, sizeof *s);
}

/* Extension methods are few in real traffic; a hostile capture with
 * thousands of invented ones is capped, and the rest counted together. */
void ss_stats_ext_(struct ss_stats *s, ss_str name)
{
	for (size_t i = 0; i < s->next; i++)
		if (strlen(s->ext[i].name) == name.len &&
		    memcmp(s->ext[i].name, name.p, name.len) == 0) {
			s->ext[i].n++;
			return;
		}
	if (s->next == SS_STATS_MAX_EXT) {
		s->ext_other++;
		return;
	}
	s->ext[s->next].name = xmemdup(name.p, name.len);
	s->ext[s->next++].n = 1;
}

void ss_stats_setup(struct ss_stats *s, double ms)
{
	if (s->setup_n == 0 || ms < s->setup_min)
		s->setup_min = ms;
	if (s->setup_n == 0 || ms > s->setup_max)
		s->setup_max = ms;
	s->setup_sum += ms;
	s->setup_n++;
}
