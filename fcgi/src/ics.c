#include "ics.h"

#include <stdlib.h>
#include <string.h>

#define ICS_MAX_SIZE (256 * 1024)

static void put(struct ics *ics, const char *s, size_t n)
{
	if (ics->failed)
		return;
	if (ics->len + n + 1 > ics->cap) {
		size_t cap = ics->cap ? ics->cap * 2 : 1024;
		char *grown;

		while (cap < ics->len + n + 1)
			cap *= 2;
		if (cap > ICS_MAX_SIZE || (grown = realloc(ics->buf, cap)) == NULL) {
			ics->failed = 1;
			return;
		}
		ics->buf = grown;
		ics->cap = cap;
	}
	memcpy(ics->buf + ics->len, s, n);
	ics->len += n;
	ics->buf[ics->len] = '\0';
}

/* Writes one logical line (without its CRLF), folding before any octet that
 * would make a physical line longer than 75, at a character boundary. */
static void put_folded(struct ics *ics, const char *line, size_t n)
{
	size_t col = 0;

	for (size_t i = 0; i < n;) {
		size_t k = 1;

		while (i + k < n && ((unsigned char)line[i + k] & 0xC0) == 0x80)
			k++;
		if (col + k > 75) {
			put(ics, "\r\n ", 3);
			col = 1;
		}
		put(ics, line + i, k);
		col += k;
		i += k;
	}
	put(ics, "\r\n", 2);
}

void ics_line(struct ics *ics, const char *name, const char *value)
{
	size_t nn = strlen(name), nv = strlen(value);
	char *line = malloc(nn + nv + 2);

	if (line == NULL) {
		ics->failed = 1;
		return;
	}
	memcpy(line, name, nn);
	line[nn] = ':';
	memcpy(line + nn + 1, value, nv + 1);
	put_folded(ics, line, nn + 1 + nv);
	free(line);
}

void ics_text(struct ics *ics, const char *name, const char *value)
{
	size_t n = strlen(value), k = 0;
	char *escaped = malloc(2 * n + 1);

	if (escaped == NULL) {
		ics->failed = 1;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char c = value[i];

		if (c == '\r')
			continue;
		if (c == '\\' || c == ';' || c == ',') {
			escaped[k++] = '\\';
			escaped[k++] = c;
		} else if (c == '\n') {
			escaped[k++] = '\\';
			escaped[k++] = 'n';
		} else if ((unsigned char)c < 0x20 || c == 0x7F) {
			escaped[k++] = ' '; /* controls are not allowed in TEXT */
		} else {
			escaped[k++] = c;
		}
	}
	escaped[k] = '\0';
	ics_line(ics, name, escaped);
	free(escaped);
}

void ics_raw(struct ics *ics, const char *text)
{
	put(ics, text, strlen(text));
}

int ics_failed(const struct ics *ics)
{
	return ics->failed || ics->buf == NULL;
}

void ics_free(struct ics *ics)
{
	free(ics->buf);
	ics->buf = NULL;
	ics->len = ics->cap = 0;
}
