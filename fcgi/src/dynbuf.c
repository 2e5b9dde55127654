/*
 * The growable buffer the importers and the calendar writer share
 * (dynbuf.h). Growth doubles, from 256 bytes, but never past what the cap
 * allows, so the cap bounds the memory as well as the text.
 */
#include "dynbuf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DYNBUF_FIRST 256

void dynbuf_init(struct dynbuf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
	b->error = 0;
}

void dynbuf_free(struct dynbuf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void dynbuf_truncate(struct dynbuf *b, size_t len)
{
	if (b->data != NULL && len < b->len) {
		b->len = len;
		b->data[len] = '\0';
	}
}

void dynbuf_reset(struct dynbuf *b)
{
	b->len = 0;
	b->error = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

char *dynbuf_take(struct dynbuf *b)
{
	char *data = b->error ? NULL : b->data;

	if (b->error)
		free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	return data;
}

/* Fails the buffer: frees it and remembers why. */
static int fail(struct dynbuf *b, int why)
{
	dynbuf_free(b);
	b->error = why;
	return -1;
}

/* Makes room for n more bytes and the NUL; -1 past the cap or when memory
 * runs out. */
static int reserve(struct dynbuf *b, size_t n)
{
	size_t want, cap;
	char *grown;

	if (b->error)
		return -1;
	if (n > b->max || b->len > b->max - n)
		return fail(b, E2BIG);
	want = b->len + n + 1;
	if (want <= b->cap)
		return 0;
	cap = b->cap ? b->cap : DYNBUF_FIRST;
	while (cap < want)
		cap = cap > SIZE_MAX / 2 ? SIZE_MAX : cap * 2;
	if (b->max < SIZE_MAX && cap > b->max + 1)
		cap = b->max + 1;
	grown = realloc(b->data, cap);
	if (grown == NULL)
		return fail(b, ENOMEM);
	b->data = grown;
	b->cap = cap;
	return 0;
}

int dynbuf_append(struct dynbuf *b, const void *s, size_t n)
{
	if (reserve(b, n) != 0)
		return -1;
	if (n)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int dynbuf_appends(struct dynbuf *b, const char *s)
{
	return dynbuf_append(b, s, strlen(s));
}

int dynbuf_appendf(struct dynbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->error)
		return -1;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return fail(b, EINVAL);
	if (reserve(b, (size_t)n) != 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}
