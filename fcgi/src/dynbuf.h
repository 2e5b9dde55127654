#ifndef FINDER_DYNBUF_H
#define FINDER_DYNBUF_H

#include <stddef.h>

/*
 * A growable text buffer with a mandatory cap, after curl's dynbuf: every
 * append checks that the text stays within `max` bytes (the terminating
 * NUL not counted). An append that would pass the cap, or that cannot
 * allocate, fails cleanly: the buffer is freed, `error` says why (E2BIG,
 * ENOMEM, or EINVAL for a format vsnprintf refuses), and every later
 * append fails too until dynbuf_reset(). So a writer can append a whole
 * record and look once at the end.
 *
 * The struct owns data; dynbuf_free() releases it. data is NUL-terminated
 * after any successful append, and NULL before the first one.
 */
struct dynbuf {
	char *data;
	size_t len, cap;
	size_t max;
	int error; /* 0, E2BIG (past max), ENOMEM or EINVAL */
};

/* An empty buffer that will hold at most `max` bytes (max > 0). */
void dynbuf_init(struct dynbuf *b, size_t max);

/* Each returns 0, or -1 (and sets b->error) when the buffer has failed. */
int dynbuf_append(struct dynbuf *b, const void *s, size_t n);
int dynbuf_appends(struct dynbuf *b, const char *s);
int dynbuf_appendf(struct dynbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Cuts the text back to its first len bytes (len <= b->len). */
void dynbuf_truncate(struct dynbuf *b, size_t len);

/* Empties the buffer, keeping its memory, and clears a failure. */
void dynbuf_reset(struct dynbuf *b);

/* Releases the memory; the buffer is empty and keeps its cap. */
void dynbuf_free(struct dynbuf *b);

/* Hands the text over to the caller (NULL when nothing was appended or the
 * buffer failed) and leaves the buffer empty. */
char *dynbuf_take(struct dynbuf *b);

#endif
