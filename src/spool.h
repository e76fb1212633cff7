/*
 * spool.h - a bounded copy of recent messages, for inputs that cannot be
 * read twice (standard input, live capture, HEP listener). Files are read
 * again instead, so nothing is spooled for them.
 *
 * Each entry keeps what re-showing a message needs: its packet info, the
 * message text, the parser's reason if it was flagged, and (for -w) the
 * frame. When the byte cap is reached the oldest entries go first and are
 * counted, so the caller can say how many messages could not be shown.
 * Cost per message: about 120 bytes of bookkeeping plus its text (and its
 * frame when frames are kept).
 */
#ifndef SS_SPOOL_H
#define SS_SPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pipeline.h"

struct ss_spool;

/* cap_bytes bounds text + frames + bookkeeping; keep_frames for -w. */
struct ss_spool *ss_spool_new(size_t cap_bytes, bool keep_frames);
void ss_spool_free(struct ss_spool *s);

/* Copy message number index (the caller's counter). */
void ss_spool_add(struct ss_spool *s, uint64_t index, const struct ss_sip_event *ev);

/* Replay the spooled messages in order: want(index) says which ones;
 * each is parsed again from its copy and given to cb, with frame (NULL
 * when frames are not kept). Returns how many wanted messages were no
 * longer in the spool, judged by the indexes the caller asks about:
 * want is called for every index from first_index up. */
typedef bool (*ss_spool_want)(void *user, uint64_t index);
typedef void (*ss_spool_cb)(void *user, uint64_t index, const struct ss_sip_event *ev,
			    const uint8_t *frame, size_t frame_len, int dlt);
uint64_t ss_spool_replay(struct ss_spool *s, uint64_t first_index, uint64_t last_index,
			 ss_spool_want want, ss_spool_cb cb, void *user);

uint64_t ss_spool_evicted(const struct ss_spool *s);

#endif
