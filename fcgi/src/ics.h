#ifndef FINDER_ICS_H
#define FINDER_ICS_H

#include <stddef.h>

/*
 * A growing iCalendar (RFC 5545) text: content lines end in CRLF and are
 * folded at 75 octets without splitting a UTF-8 character. The struct owns
 * buf; ics_free() releases it. After an allocation failure every call does
 * nothing and ics_failed() is true.
 */
struct ics {
	char *buf;
	size_t len, cap;
	int failed;
};

/* Appends "NAME:VALUE" with VALUE escaped as TEXT (backslash, semicolon,
 * comma, newlines), folded. */
void ics_text(struct ics *ics, const char *name, const char *value);

/* Appends "NAME:VALUE" (or "NAME;PARAMS:VALUE") unescaped, folded. */
void ics_line(struct ics *ics, const char *name, const char *value);

/* Appends text that is already content lines (a VTIMEZONE from SQL). */
void ics_raw(struct ics *ics, const char *text);

int ics_failed(const struct ics *ics);
void ics_free(struct ics *ics);

#endif
