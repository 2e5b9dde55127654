/*
 * COPY encoding for `finder import` (import_copy.h): each settled meeting
 * as one line of COPY's text format, in the column order of
 * sql/queries/import_copy.sql, with FNV-1a digests of its fields and of
 * its place's, by which import_apply() (sql/migrations/012_imports.sql)
 * knows an unchanged row and a place it has already.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_copy.h"

void import_copy_digest(const char *s, size_t n, char out[17])
{
	uint64_t h = 14695981039346656037ull;

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* One byte of a value: backslash, tab, newline and carriage return
 * escaped. */
static void copy_char(struct dynbuf *b, char c)
{
	switch (c) {
	case '\\': dynbuf_append(b, "\\\\", 2); break;
	case '\t': dynbuf_append(b, "\\t", 2); break;
	case '\n': dynbuf_append(b, "\\n", 2); break;
	case '\r': dynbuf_append(b, "\\r", 2); break;
	default: dynbuf_append(b, &c, 1); break;
	}
}

void import_copy_text(struct dynbuf *b, const char *s)
{
	if (s == NULL) {
		dynbuf_append(b, "\\N", 2);
		return;
	}
	for (; *s; s++)
		copy_char(b, *s);
}

/* A text[] literal, each element double-quoted, then escaped for COPY
 * byte by byte as it is written. */
static void copy_array(struct dynbuf *b, char **items, size_t n)
{
	copy_char(b, '{');
	for (size_t i = 0; i < n; i++) {
		if (i)
			copy_char(b, ',');
		copy_char(b, '"');
		for (const char *s = items[i]; *s; s++) {
			if (*s == '"' || *s == '\\')
				copy_char(b, '\\');
			copy_char(b, *s);
		}
		copy_char(b, '"');
	}
	copy_char(b, '}');
}

static void copy_time(struct dynbuf *b, int minutes)
{
	if (minutes < 0)
		dynbuf_append(b, "\\N", 2);
	else
		dynbuf_appendf(b, "%02d:%02d", minutes / 60, minutes % 60);
}

/* The meeting's fields, tab-separated, each with a leading tab. */
static void copy_meeting_fields(struct dynbuf *b, const struct import_meeting *m,
				const char *attendance)
{
	char updated[40];
	const char *text[] = {
		m->notes,
		m->group_name,
		m->group_notes,
		m->conference_url,
		m->conference_url_notes,
		m->conference_phone,
		m->conference_phone_notes,
		m->url,
		m->feedback_url,
		m->venmo,
		m->paypal,
		m->square,
	};
	int appointment = m->day < 0 || m->start_min < 0;

	dynbuf_append(b, "\t", 1);
	import_copy_text(b, m->name);
	if (appointment)
		dynbuf_appends(b, "\t\\N\t\\N\t\\N\t");
	else {
		dynbuf_appendf(b, "\t%d\t", m->day);
		copy_time(b, m->start_min);
		dynbuf_append(b, "\t", 1);
		copy_time(b, m->end_min);
		dynbuf_append(b, "\t", 1);
	}
	import_copy_text(b, m->timezone);
	dynbuf_appendf(b, "\t%s\t%s\t", attendance, m->closed ? "t" : "f");
	copy_array(b, m->types, m->ntypes);
	dynbuf_append(b, "\t", 1);
	import_copy_text(b, m->fellowship);
	for (size_t i = 0; i < sizeof(text) / sizeof(*text); i++) {
		dynbuf_append(b, "\t", 1);
		import_copy_text(b, text[i]);
	}
	dynbuf_append(b, "\t", 1);
	if (m->updated != NULL) {
		snprintf(updated, sizeof(updated), "%s+00", m->updated);
		import_copy_text(b, updated);
	} else
		import_copy_text(b, NULL);
	dynbuf_append(b, "\t", 1);
	import_copy_text(b, m->contacts);
}

/* The place's fields, the same way. */
static void copy_place_fields(struct dynbuf *b, const struct import_meeting *m)
{
	const char *text[] = {
		m->location_name, m->location_notes, m->address, m->city,
		m->region,        m->postal_code,    m->country, m->formatted_address,
	};

	for (size_t i = 0; i < sizeof(text) / sizeof(*text); i++) {
		dynbuf_append(b, "\t", 1);
		import_copy_text(b, text[i]);
	}
	dynbuf_append(b, "\t", 1);
	copy_array(b, m->regions, m->nregions);
	if (m->has_point)
		dynbuf_appendf(b, "\t%.8f\t%.8f", m->lat, m->lng);
	else
		dynbuf_appends(b, "\t\\N\t\\N");
	dynbuf_appendf(b, "\t%s",
		       m->approximate == APPROX_YES  ? "t"
		       : m->approximate == APPROX_NO ? "f"
						     : "\\N");
}

int import_copy_row(struct dynbuf *b, struct dynbuf *scratch, const struct import_meeting *m,
		    const char *attendance)
{
	char row_digest[17], place_digest[17];
	size_t place_at;

	dynbuf_reset(scratch);
	copy_meeting_fields(scratch, m, attendance);
	place_at = scratch->len;
	copy_place_fields(scratch, m);
	if (scratch->error)
		return -1;
	import_copy_digest(scratch->data, scratch->len, row_digest);
	import_copy_digest(scratch->data + place_at, scratch->len - place_at, place_digest);
	dynbuf_appendf(b, "%d\t", m->row);
	import_copy_text(b, m->key);
	dynbuf_append(b, "\t", 1);
	import_copy_text(b, m->slug);
	dynbuf_appendf(b, "\t%s\t", row_digest);
	if (import_settle_has_place(m))
		dynbuf_append(b, place_digest, 16);
	else
		dynbuf_appends(b, "\\N");
	dynbuf_append(b, scratch->data, scratch->len);
	return dynbuf_append(b, "\n", 1);
}
