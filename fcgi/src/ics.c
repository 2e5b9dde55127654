#include "ics.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Below the cap, as the calendar has always been: the text and its NUL
 * within ICS_MAX_SIZE. */
void ics_init(struct ics *ics)
{
	dynbuf_init(&ics->text, ICS_MAX_SIZE - 1);
}

static void put(struct ics *ics, const char *s, size_t n)
{
	dynbuf_append(&ics->text, s, n);
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
		dynbuf_free(&ics->text);
		ics->text.error = ENOMEM;
		return;
	}
	/* NOLINTNEXTLINE(bugprone-not-null-terminated-result): value's copy ends it. */
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
		dynbuf_free(&ics->text);
		ics->text.error = ENOMEM;
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
	return ics->text.error || ics->text.data == NULL;
}

char *ics_take(struct ics *ics, size_t *len)
{
	*len = ics->text.len;
	return dynbuf_take(&ics->text);
}

void ics_free(struct ics *ics)
{
	dynbuf_free(&ics->text);
}
