#ifndef FINDER_UTF8_H
#define FINDER_UTF8_H

#include <stddef.h>

/*
 * The one UTF-8 check, for the request (query_string.c) and the importers
 * (import_norm.c and the parsers): shortest form only, no surrogates,
 * nothing past U+10FFFF. NUL is a character here; callers that refuse it
 * say so themselves. And the cut of a text kept to a number of bytes, for
 * what a fixed buffer keeps (finder sync's errors), and the one encoder,
 * for feedback.c's JSON escapes and import_norm.c's character references.
 */

/* The code point that starts s[0..len) (len > 0) and its length in *n, or
 * -1 (with *n = 1) for a byte that does not start valid UTF-8. */
long utf8_decode(const unsigned char *s, size_t len, size_t *n);

/* 1 when all of s[0..len) is valid UTF-8, else 0. */
int utf8_valid(const char *s, size_t len);

/* The length of s[0..len) kept to at most max bytes without cutting a
 * character in two: len when it fits, else max less the start of a
 * character that would not (at most 3 bytes; valid UTF-8 in, valid out). */
size_t utf8_cut(const char *s, size_t len, size_t max);

/* Writes code point cp (0 to 0x10FFFF, no surrogate: the caller checks) as
 * UTF-8 to out, which has room for 4 bytes; returns the bytes written. */
size_t utf8_encode(long cp, char *out);

#endif
