#ifndef FINDER_QUERY_STRING_H
#define FINDER_QUERY_STRING_H

#include <stddef.h>

/* Limits on what a query string may hold; past them a request is refused. */
#define QUERY_STRING_MAX_LEN 2048
#define QUERY_STRING_MAX_PAIRS 32
#define QUERY_KEY_MAX_LEN 32
#define QUERY_VALUE_MAX_LEN 512

struct query_pair {
	const char *key; /* decoded, NUL-terminated, valid UTF-8 */
	size_t key_len;
	const char *value; /* decoded, NUL-terminated, valid UTF-8, may be "" */
	size_t value_len;
};

/*
 * A decoded query string. The pairs point into buf, which the struct owns:
 * query_string_free() releases it, after which no pair may be used.
 */
struct query_string {
	struct query_pair pairs[QUERY_STRING_MAX_PAIRS];
	size_t count;
	char *buf;
};

enum query_string_status {
	QUERY_STRING_OK,
	QUERY_STRING_TOO_LONG,   /* the whole string is over the cap */
	QUERY_STRING_TOO_MANY,   /* more pairs than QUERY_STRING_MAX_PAIRS */
	QUERY_STRING_BAD_ESCAPE, /* '%' not followed by two hex digits */
	QUERY_STRING_NUL,        /* %00 */
	QUERY_STRING_BAD_UTF8,   /* decoded bytes are not valid UTF-8 */
	QUERY_STRING_KEY_TOO_LONG,
	QUERY_STRING_VALUE_TOO_LONG,
	QUERY_STRING_EMPTY_KEY, /* "=x" or "&&" */
	QUERY_STRING_NO_MEMORY,
	QUERY_STRING__MAX
};

/*
 * Splits s (len bytes, not necessarily NUL-terminated) on '&' and '=',
 * decodes '+' and %XX, and checks every key and value. On failure returns the
 * reason and, when it concerns one pair, copies that pair's key into bad_key
 * (which must hold QUERY_KEY_MAX_LEN + 1 bytes, or be NULL): the decoded key
 * when the key decodes, else its raw text, in both cases cut at the first
 * byte that is not printable ASCII; empty when no pair is at fault. The
 * caller frees out with query_string_free() whatever the result.
 */
enum query_string_status query_string_parse(const char *s, size_t len, struct query_string *out,
					    char *bad_key);
void query_string_free(struct query_string *qs);

/* A sentence for a status, for error messages. */
const char *query_string_strerror(enum query_string_status status);


#endif
