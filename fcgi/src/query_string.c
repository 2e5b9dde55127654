#include "query_string.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

static int hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decodes src[0..len) into dst (which has room for len + 1 bytes) and
 * NUL-terminates it. Sets *out_len to the decoded length.
 */
static enum query_string_status decode(const char *src, size_t len, char *dst, size_t *out_len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)src[i];

		if (c == '+') {
			dst[n++] = ' ';
		} else if (c == '%') {
			int hi, lo;

			if (len - i < 3)
				return QUERY_STRING_BAD_ESCAPE;
			hi = hex_value((unsigned char)src[i + 1]);
			lo = hex_value((unsigned char)src[i + 2]);
			if (hi < 0 || lo < 0)
				return QUERY_STRING_BAD_ESCAPE;
			if (hi == 0 && lo == 0)
				return QUERY_STRING_NUL;
			dst[n++] = (char)(hi * 16 + lo);
			i += 2;
		} else if (c == '\0') {
			return QUERY_STRING_NUL;
		} else {
			dst[n++] = (char)c;
		}
	}
	dst[n] = '\0';
	*out_len = n;
	return QUERY_STRING_OK;
}

/* Copies the printable-ASCII prefix of key into bad_key for error messages. */
static void copy_bad_key(const char *key, size_t len, char *bad_key)
{
	size_t n = 0;

	if (bad_key == NULL)
		return;
	while (n < len && n < QUERY_KEY_MAX_LEN && key[n] > 0x20 && key[n] < 0x7F)
		n++;
	memcpy(bad_key, key, n);
	bad_key[n] = '\0';
}

static enum query_string_status parse_pair(const char *s, size_t len, char **cursor,
					   struct query_pair *pair, char *bad_key)
{
	const char *eq = memchr(s, '=', len);
	size_t key_raw = eq ? (size_t)(eq - s) : len;
	size_t value_raw = eq ? len - key_raw - 1 : 0;
	enum query_string_status st;
	char *key = *cursor;

	copy_bad_key(s, key_raw, bad_key);
	if (key_raw == 0)
		return QUERY_STRING_EMPTY_KEY;
	st = decode(s, key_raw, key, &pair->key_len);
	if (st != QUERY_STRING_OK)
		return st;
	copy_bad_key(key, pair->key_len, bad_key);
	if (pair->key_len > QUERY_KEY_MAX_LEN)
		return QUERY_STRING_KEY_TOO_LONG;
	if (!utf8_valid(key, pair->key_len))
		return QUERY_STRING_BAD_UTF8;
	pair->key = key;
	*cursor = key + pair->key_len + 1;

	pair->value = *cursor;
	st = decode(eq ? eq + 1 : s + len, value_raw, *cursor, &pair->value_len);
	if (st != QUERY_STRING_OK)
		return st;
	if (pair->value_len > QUERY_VALUE_MAX_LEN)
		return QUERY_STRING_VALUE_TOO_LONG;
	if (!utf8_valid(pair->value, pair->value_len))
		return QUERY_STRING_BAD_UTF8;
	*cursor += pair->value_len + 1;
	return QUERY_STRING_OK;
}

enum query_string_status query_string_parse(const char *s, size_t len, struct query_string *out,
					    char *bad_key)
{
	size_t start = 0;
	char *cursor;

	memset(out, 0, sizeof(*out));
	if (bad_key != NULL)
		bad_key[0] = '\0';
	if (len > QUERY_STRING_MAX_LEN)
		return QUERY_STRING_TOO_LONG;
	if (len == 0)
		return QUERY_STRING_OK;
	/* Decoding never grows the text; each pair needs two terminators. */
	out->buf = malloc(len + 2 * QUERY_STRING_MAX_PAIRS + 2);
	if (out->buf == NULL)
		return QUERY_STRING_NO_MEMORY;
	cursor = out->buf;

	while (start <= len) {
		const char *amp = memchr(s + start, '&', len - start);
		size_t end = amp ? (size_t)(amp - s) : len;
		enum query_string_status st;

		/* A trailing '&' ends the string; an inner "&&" is an empty key. */
		if (end == start && end == len && start > 0)
			break;
		if (out->count == QUERY_STRING_MAX_PAIRS) {
			/* The whole string is at fault, not a pair. */
			if (bad_key != NULL)
				bad_key[0] = '\0';
			return QUERY_STRING_TOO_MANY;
		}
		st = parse_pair(s + start, end - start, &cursor, &out->pairs[out->count], bad_key);
		if (st != QUERY_STRING_OK)
			return st;
		out->count++;
		start = end + 1;
	}
	return QUERY_STRING_OK;
}

void query_string_free(struct query_string *qs)
{
	free(qs->buf);
	qs->buf = NULL;
	qs->count = 0;
}

const char *query_string_strerror(enum query_string_status status)
{
	static const char *const messages[QUERY_STRING__MAX] = {
		[QUERY_STRING_OK] = "ok",
		[QUERY_STRING_TOO_LONG] = "the query string is too long",
		[QUERY_STRING_TOO_MANY] = "the query string has too many parameters",
		[QUERY_STRING_BAD_ESCAPE] =
			"a percent sign must be followed by two hexadecimal digits",
		[QUERY_STRING_NUL] = "NUL bytes are not allowed",
		[QUERY_STRING_BAD_UTF8] = "the text is not valid UTF-8",
		[QUERY_STRING_KEY_TOO_LONG] = "the parameter name is too long",
		[QUERY_STRING_VALUE_TOO_LONG] = "the value is too long",
		[QUERY_STRING_EMPTY_KEY] = "a parameter has no name",
		[QUERY_STRING_NO_MEMORY] = "out of memory",
	};

	if ((unsigned)status >= QUERY_STRING__MAX)
		return "unknown error";
	return messages[status];
}
