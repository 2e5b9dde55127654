/*
 * The spreadsheet template (import.h, web/meeting-template.csv): one row a
 * meeting, the first row naming the columns with Meeting Guide's field
 * names. Quoting is RFC 4180's (quoted fields may hold commas, doubled
 * quotes and line breaks); lines may end in CRLF or LF; a UTF-8 byte order
 * mark is skipped; a spreadsheet saved with ';' or tabs between fields is
 * read too. Each row becomes a JSON object with the column names as keys and
 * goes through import_mg_record(), so a CSV file and a JSON feed holding the
 * same meetings give the same result. Row numbers are the spreadsheet's:
 * the header is row 1.
 */
#include "dynbuf.h"
#include "import.h"
#include "import_norm.h"
#include "utf8.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CSV_COLUMNS_MAX 256    /* more columns than this are not read */
#define CSV_HEADER_NAME_MAX 64 /* characters of a header cell that are read */
#define CSV_HEADER_NAME_BYTES (4 * CSV_HEADER_NAME_MAX + 1)

/* The columns the template may have: Meeting Guide field names. */
static const char *const csv_columns[] = {
	"name",
	"slug",
	"day",
	"time",
	"end_time",
	"timezone",
	"types",
	"notes",
	"group",
	"group_notes",
	"location",
	"location_notes",
	"address",
	"city",
	"state",
	"postal_code",
	"country",
	"formatted_address",
	"region",
	"sub_region",
	"latitude",
	"longitude",
	"approximate",
	"conference_url",
	"conference_url_notes",
	"conference_phone",
	"conference_phone_notes",
	"url",
	"updated",
	"fellowship",
	"attendance_option",
	"email",
	"phone",
	"website",
	"venmo",
	"paypal",
	"square",
	"feedback_emails",
	"feedback_url",
	"contact_1_name",
	"contact_1_email",
	"contact_1_phone",
	"contact_2_name",
	"contact_2_email",
	"contact_2_phone",
	"contact_3_name",
	"contact_3_email",
	"contact_3_phone",
	NULL,
};

struct csv_reader {
	const char *p, *end;
	char delim;
};

/* One row: the text of its fields back to back, and where each starts.
 * The text is capped at the file's own limit: a row is never longer. */
struct csv_row {
	struct dynbuf text;
	size_t starts[CSV_COLUMNS_MAX], lens[CSV_COLUMNS_MAX];
	size_t n;
};

/* Within the cap, only memory can run out. */
static void put(struct csv_row *row, const char *s, size_t n)
{
	if (dynbuf_append(&row->text, s, n) != 0)
		import_batch_out_of_memory();
}

static int at_line_end(const struct csv_reader *rd)
{
	return rd->p == rd->end || *rd->p == '\n' || *rd->p == '\r';
}

/* Reads one field into row's text. Text after a closing quote is kept as
 * written ("a"b -> ab), as spreadsheets do. Returns -1 when a quoted field
 * runs to the end of the file. */
static int read_field(struct csv_reader *rd, struct csv_row *row)
{
	const char *start;

	if (rd->p < rd->end && *rd->p == '"') {
		for (rd->p++;;) {
			const char *quote = memchr(rd->p, '"', (size_t)(rd->end - rd->p));

			if (quote == NULL)
				return -1;
			put(row, rd->p, (size_t)(quote - rd->p));
			rd->p = quote + 1;
			if (rd->p == rd->end || *rd->p != '"')
				break;
			put(row, "\"", 1); /* "" inside quotes is one quote */
			rd->p++;
		}
	}
	for (start = rd->p; !at_line_end(rd) && *rd->p != rd->delim; rd->p++)
		;
	put(row, start, (size_t)(rd->p - start));
	return 0;
}

/* Reads the next row: 1, or 0 at the end of the file, or -1 when a quoted
 * field never ends. Fields past CSV_COLUMNS_MAX are read and dropped. */
static int read_row(struct csv_reader *rd, struct csv_row *row)
{
	dynbuf_reset(&row->text);
	row->n = 0;
	if (rd->p == rd->end)
		return 0;
	for (;;) {
		size_t start = row->text.len;

		if (read_field(rd, row) != 0)
			return -1;
		if (row->n < CSV_COLUMNS_MAX) {
			row->starts[row->n] = start;
			row->lens[row->n++] = row->text.len - start;
		} else {
			dynbuf_truncate(&row->text, start);
		}
		if (rd->p == rd->end || *rd->p != rd->delim)
			break;
		rd->p++;
	}
	if (rd->p < rd->end && *rd->p == '\r')
		rd->p++;
	if (rd->p < rd->end && *rd->p == '\n')
		rd->p++;
	return 1;
}

static int blank(const char *s, size_t len);

/* Whether every field of row is blank. */
static int row_blank(const struct csv_row *row)
{
	for (size_t i = 0; i < row->n; i++) {
		if (!blank(row->text.data + row->starts[i], row->lens[i]))
			return 0;
	}
	return 1;
}

static int blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (strchr(" \t\r\n", s[i]) == NULL || s[i] == '\0')
			return 0;
	}
	return 1;
}

/* ',' unless the first line has none and has ';' or tabs instead. */
static char find_delimiter(const char *p, const char *end)
{
	size_t semicolons = 0, tabs = 0;

	for (; p < end && *p != '\n' && *p != '\r'; p++) {
		if (*p == ',')
			return ',';
		semicolons += *p == ';';
		tabs += *p == '\t';
	}
	if (semicolons > 0 || tabs > 0)
		return semicolons >= tabs ? ';' : '\t';
	return ',';
}

/* The template column a header cell names, compared without case and with
 * spaces, hyphens and underscores alike: its index in csv_columns, -1 for
 * an unknown name, -2 for an empty cell. */
static int column_index(const char *s, size_t len, char name[CSV_HEADER_NAME_BYTES])
{
	char *line = import_norm_line(s, len, CSV_HEADER_NAME_MAX, NULL);
	size_t n = 0;

	name[0] = '\0';
	if (line == NULL)
		return -2;
	for (const char *p = line; *p; p++) {
		char c = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;

		name[n++] = c == ' ' || c == '-' ? '_' : c;
	}
	name[n] = '\0';
	free(line);
	for (int i = 0; csv_columns[i] != NULL; i++) {
		if (strcmp(csv_columns[i], name) == 0)
			return i;
	}
	return -1;
}

/* Adds "name" to the list of unknown columns if it fits whole (a message
 * must not end inside a character), else notes that there are more. */
static void add_unknown(char *list, size_t cap, const char *name, size_t *n, int *more)
{
	size_t len = strlen(list);

	if (*more || len + strlen(name) + 5 > cap) {
		*more = 1;
		return;
	}
	snprintf(list + len, cap - len, "%s\"%s\"", *n > 0 ? ", " : "", name);
	++*n;
}

/* Maps the header's cells to template columns in columns[] (-1: ignored).
 * Unknown names get one warning, repeated ones one each. Returns -1 after
 * failing the batch when there is no name column. */
static int read_header(const struct csv_row *row, int number, int *columns,
		       struct import_batch *batch)
{
	char name[CSV_HEADER_NAME_BYTES], unknown[400] = "";
	int seen[sizeof(csv_columns) / sizeof(csv_columns[0])] = {0}, more = 0;
	size_t nunknown = 0;

	for (size_t i = 0; i < row->n; i++) {
		int c = column_index(row->text.data + row->starts[i], row->lens[i], name);

		columns[i] = c >= 0 && !seen[c] ? c : -1;
		if (c >= 0 && seen[c])
			import_batch_warn(batch, number, NULL,
					  "column %s appears twice; the first is read", name);
		else if (c >= 0)
			seen[c] = 1;
		else if (c == -1)
			add_unknown(unknown, sizeof(unknown), name, &nunknown, &more);
	}
	if (nunknown > 0 || more)
		import_batch_warn(batch, number, NULL, "unknown columns ignored: %s%s", unknown,
				  more ? " and more" : "");
	if (!seen[0]) {
		import_batch_fail(batch,
				  "the first row must name the columns, as the template does "
				  "(name, day, time, ...); it has no name column");
		return -1;
	}
	return 0;
}

/* A data row as a Meeting Guide object: a string for every non-empty cell
 * of a template column. NULL when the row is blank. */
static json_object *row_object(const struct csv_row *row, const int *columns, size_t ncolumns)
{
	json_object *obj = NULL, *value;

	for (size_t i = 0; i < row->n && i < ncolumns; i++) {
		const char *s = row->text.data + row->starts[i];

		if (columns[i] < 0 || blank(s, row->lens[i]))
			continue;
		if (obj == NULL && (obj = json_object_new_object()) == NULL)
			goto oom;
		if ((value = json_object_new_string_len(s, (int)row->lens[i])) == NULL ||
		    json_object_object_add(obj, csv_columns[columns[i]], value) != 0)
			goto oom;
	}
	return obj;
oom:
	import_batch_out_of_memory();
	return NULL;
}

/* Reads the header (the first row that is not blank), then every row, into
 * batch. */
static int read_rows(struct csv_reader *rd, struct import_batch *batch)
{
	struct csv_row row;
	int columns[CSV_COLUMNS_MAX];
	size_t ncolumns;
	int rc = -1, got, number = 0;

	/* A buffer from the start, so that an empty row's fields point into it. */
	dynbuf_init(&row.text, IMPORT_MAX_BYTES);
	row.n = 0;
	put(&row, "", 0);
	do {
		number++;
		got = read_row(rd, &row);
	} while (got == 1 && row_blank(&row));
	if (got != 1) {
		import_batch_fail(batch,
				  got < 0 ? "not CSV: a quoted field in the first row never ends"
					  : "the file holds no header row, only empty cells");
		goto done;
	}
	ncolumns = row.n;
	if (read_header(&row, number, columns, batch) != 0)
		goto done;
	while ((got = read_row(rd, &row)) == 1) {
		json_object *obj = row_object(&row, columns, ncolumns);

		number++;
		if (obj != NULL)
			import_mg_record(batch, number, obj);
		json_object_put(obj);
	}
	if (got < 0) {
		import_batch_fail(batch,
				  "not CSV: the quoted field that starts on row %d never ends",
				  number + 1);
		goto done;
	}
	rc = 0;
done:
	dynbuf_free(&row.text);
	return rc;
}

int import_csv_parse(const char *data, size_t len, const struct import_options *options,
		     struct import_batch *batch)
{
	struct csv_reader rd = {data, data + len, ','};

	(void)options; /* the source's defaults are import_settle.c's to apply */
	if (len > IMPORT_MAX_BYTES) {
		import_batch_fail(batch, "the file is %zu bytes; at most %u", len,
				  IMPORT_MAX_BYTES);
		return -1;
	}
	if (len >= 2 && ((data[0] == '\xFF' && data[1] == '\xFE') ||
			 (data[0] == '\xFE' && data[1] == '\xFF'))) {
		import_batch_fail(batch, "the file is UTF-16; save it as \"CSV UTF-8\"");
		return -1;
	}
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		rd.p += 3;
	if (blank(rd.p, (size_t)(rd.end - rd.p))) {
		import_batch_fail(batch, "the file is empty");
		return -1;
	}
	if (!utf8_valid(rd.p, (size_t)(rd.end - rd.p)))
		import_batch_warn(batch, 0, NULL,
				  "the file is not UTF-8, so letters such as é were dropped; "
				  "save it as \"CSV UTF-8\"");
	rd.delim = find_delimiter(rd.p, rd.end);
	return read_rows(&rd, batch);
}
