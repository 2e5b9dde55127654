#ifndef FINDER_IMPORT_COPY_H
#define FINDER_IMPORT_COPY_H

#include <stddef.h>

#include "dynbuf.h"
#include "import.h"

/*
 * COPY encoding (import_copy.c): the staged rows in COPY's text format,
 * with the digests by which the merge knows an unchanged row and a place
 * it has already. Appends to a dynbuf; the caller looks at its error once
 * a row is written.
 */

/* The most one COPY buffer holds: the rows go out at 1 MB, and one row is
 * at most a whole file with every byte escaped. */
#define IMPORT_COPY_MAX ((size_t)2 * IMPORT_MAX_BYTES + ((size_t)1 << 20))

/* FNV-1a, 64 bits, of s[0..n), as 16 hex digits and a NUL. */
void import_copy_digest(const char *s, size_t n, char out[17]);

/* A value in COPY's text format (NULL: \N). */
void import_copy_text(struct dynbuf *b, const char *s);

/* Appends one meeting's COPY line, in sql/queries/import_copy.sql's
 * column order; -1 when b or `scratch` (reused from row to row, holding
 * the fields while they are digested) failed. */
int import_copy_row(struct dynbuf *b, struct dynbuf *scratch, const struct import_meeting *m,
		    const char *attendance);

#endif
