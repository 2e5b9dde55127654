#ifndef FINDER_ICS_H
#define FINDER_ICS_H

#include <stddef.h>

#include "dynbuf.h"

/*
 * A growing iCalendar (RFC 5545) text: content lines end in CRLF and are
 * folded at 75 octets without splitting a UTF-8 character. The text is a
 * dynbuf capped at ICS_MAX_SIZE: past it, or after an allocation failure,
 * every call does nothing and ics_failed() is true. ics_init() starts one;
 * ics_take() hands the text over, ics_free() releases it.
 */
#define ICS_MAX_SIZE (256 * 1024)

struct ics {
	struct dynbuf text;
};

void ics_init(struct ics *ics);

/* Appends "NAME:VALUE" with VALUE escaped as TEXT (backslash, semicolon,
 * comma, newlines), folded. */
void ics_text(struct ics *ics, const char *name, const char *value);

/* Appends "NAME:VALUE" (or "NAME;PARAMS:VALUE") unescaped, folded. */
void ics_line(struct ics *ics, const char *name, const char *value);

/* Appends text that is already content lines (a VTIMEZONE from SQL). */
void ics_raw(struct ics *ics, const char *text);

int ics_failed(const struct ics *ics);
/* The text (the caller frees it) and its length; the ics is left empty. */
char *ics_take(struct ics *ics, size_t *len);
void ics_free(struct ics *ics);

#endif
