/*
 * libFuzzer driver for the import parsers. The first byte picks the parser
 * (0 Meeting Guide JSON, 1 CSV, 2 BMLT, 3 HSDS JSON, 4 HSDS CSV tables;
 * taken modulo 5), the rest is the file. For BMLT a NUL byte splits the
 * rest into the GetSearchResults body and the GetFormats body; for the HSDS
 * tables NUL bytes split it into the files of import_hsds_table_names in
 * order. ASan and UBSan watch for reads past the input, overflows and leaks;
 * the checks below assert what must hold of any batch a parser returns.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "import.h"
#include "import_hsds.h"
#include "import_norm.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every string a parser returns is clean UTF-8 text. */
static void check_text(const char *s, size_t max_chars, int one_line)
{
	if (s == NULL)
		return;
	if (!s[0] || !utf8_valid(s, strlen(s)) || import_norm_length(s) > max_chars)
		abort();
	for (const char *p = s; *p; p++) {
		if ((unsigned char)*p < 0x20 && (*p != '\n' || one_line))
			abort();
		if (*p == 0x7F)
			abort();
	}
}

static void check_list(char **items, size_t n, size_t max)
{
	if (n > max || (n > 0 && items == NULL))
		abort();
	for (size_t i = 0; i < n; i++) {
		if (items[i] == NULL)
			abort();
		check_text(items[i], IMPORT_TEXT_MAX, 1);
	}
}

static void check_meeting(const struct import_meeting *m, int same_rules_as_mg)
{
	if (m->name == NULL || m->day < -1 || m->day > 6 || m->start_min < -1 ||
	    m->start_min > 1439 || m->end_min < -1 || m->end_min > 1439 || m->row < 1)
		abort();
	if (same_rules_as_mg &&
	    ((m->day < 0) != (m->start_min < 0) || (m->start_min < 0 && m->end_min >= 0)))
		abort();
	if (m->has_point && !(fabs(m->lat) <= 90 && fabs(m->lng) <= 180))
		abort();
	if ((unsigned)m->attendance > ATTEND_INACTIVE)
		abort();
	check_text(m->name, IMPORT_NAME_MAX, 1);
	/* The feed's slug as written: any UTF-8 text (settled below). */
	if (m->key != NULL && (!m->key[0] || !utf8_valid(m->key, strlen(m->key))))
		abort();
	check_text(m->notes, IMPORT_TEXT_MAX, 0);
	check_text(m->group_notes, IMPORT_TEXT_MAX, 0);
	check_text(m->location_notes, IMPORT_TEXT_MAX, 0);
	check_text(m->conference_url, 2000, 1);
	check_text(m->conference_phone, 64, 1);
	check_text(m->address, IMPORT_TEXT_MAX, 1);
	check_text(m->city, IMPORT_TEXT_MAX, 1);
	check_text(m->formatted_address, IMPORT_TEXT_MAX, 1);
	check_text(m->url, 2000, 1);
	check_text(m->feedback_url, 2000, 1);
	check_text(m->venmo, IMPORT_HANDLE_MAX, 1);
	check_text(m->paypal, IMPORT_HANDLE_MAX, 1);
	check_text(m->square, IMPORT_HANDLE_MAX, 1);
	if (m->updated != NULL && strlen(m->updated) != 19)
		abort();
	check_list(m->types, m->ntypes, IMPORT_TYPES_MAX);
	check_list(m->regions, m->nregions, 64);
}

/* An issue goes into the report and the database: valid UTF-8 only. */
static void check_issues(const struct import_issue *issues, size_t n, int same_rules_as_mg)
{
	for (size_t i = 0; i < n; i++) {
		const char *key = issues[i].key, *message = issues[i].message;

		if (message == NULL)
			abort();
		if (same_rules_as_mg && (!utf8_valid(message, strlen(message)) ||
					 (key != NULL && !utf8_valid(key, strlen(key)))))
			abort();
	}
}

/* What import.c sends to the database, settled (import_settle.c): a key of
 * clean one-line text of at most IMPORT_KEY_MAX characters, unique; a
 * slug-shaped slug of at most 64; an attendance or a reason, and closed
 * only with a place. */
static void check_settled(struct import_batch *b)
{
	struct import_keys taken = {0};
	size_t read_warnings = b->nwarnings;

	import_settle_keys(b, &taken);
	for (size_t i = 0; i < b->count; i++) {
		struct import_meeting *m = &b->meetings[i];
		const char *why = NULL, *how;
		size_t n = m->slug ? strlen(m->slug) : 0;

		check_text(m->key, IMPORT_KEY_MAX, 1);
		if (m->key == NULL || n == 0 || n > 64 || m->slug[0] == '-' ||
		    m->slug[n - 1] == '-' || strstr(m->slug, "--") != NULL ||
		    strspn(m->slug, "abcdefghijklmnopqrstuvwxyz0123456789-") != n)
			abort();
		how = import_settle_attendance(m, &why);
		if ((how == NULL) == (why == NULL) || (m->closed && !import_settle_has_place(m)))
			abort();
	}
	if (b->nwarnings > read_warnings)
		check_issues(b->warnings + read_warnings, b->nwarnings - read_warnings, 1);
	import_settle_keys_free(&taken);
}

static void check_batch(const struct import_batch *b, int rc, int same_rules_as_mg)
{
	if (rc != 0 && rc != -1)
		abort();
	if (rc == -1 && b->error[0] == '\0')
		abort();
	for (size_t i = 0; i < b->count; i++)
		check_meeting(&b->meetings[i], same_rules_as_mg);
	check_issues(b->rejects, b->nrejects, same_rules_as_mg);
	check_issues(b->warnings, b->nwarnings, same_rules_as_mg);
}

/* Every staged record has a key of clean text and a document object;
 * every issue is valid UTF-8. */
static void check_hsds(const struct hsds_batch *b, int rc)
{
	size_t services = 0;

	if (rc != 0 && rc != -1)
		abort();
	if (rc == -1 && (b->issues.error[0] == '\0' || b->count != 0))
		abort();
	for (size_t i = 0; i < b->count; i++) {
		const struct hsds_record *r = &b->records[i];

		if ((unsigned)r->kind >= HSDS_KIND__MAX || r->key == NULL || r->doc == NULL ||
		    !json_object_is_type(r->doc, json_type_object) || r->row < 0)
			abort();
		check_text(r->key, IMPORT_TEXT_MAX, 1);
		services += r->kind == HSDS_SERVICE;
		if (r->kind == HSDS_SERVICE && !json_object_object_get_ex(r->doc, "name", NULL))
			abort();
	}
	if (services != b->services)
		abort();
	check_issues(b->issues.rejects, b->issues.nrejects, 1);
	check_issues(b->issues.warnings, b->issues.nwarnings, 1);
}

/* The rest of the input as the files of a package, split at NUL bytes. */
static int parse_tables(const char *file, size_t len, struct hsds_batch *batch)
{
	struct hsds_table tables[32];
	size_t n = 0;

	while (import_hsds_table_names[n] != NULL && n < 32) {
		const char *nul = memchr(file, '\0', len);
		size_t part = nul ? (size_t)(nul - file) : len;

		tables[n].name = import_hsds_table_names[n];
		tables[n].data = file;
		tables[n++].len = part;
		if (nul == NULL)
			break;
		file += part + 1;
		len -= part + 1;
	}
	return import_hsds_parse_tables(tables, n, batch);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct import_batch batch;
	struct import_options options = {0};
	const char *file = (const char *)data + 1;
	size_t len = size - 1;
	int rc = -1, format;

	if (!ready) {
		if (import_norm_init() != 0)
			abort();
		ready = 1;
	}
	if (size == 0)
		return 0;
	memset(&batch, 0, sizeof(batch));
	format = data[0] % 5;
	if (format >= 3) {
		struct hsds_batch hsds;

		memset(&hsds, 0, sizeof(hsds));
		rc = format == 3 ? import_hsds_parse_json(file, len, &hsds)
				 : parse_tables(file, len, &hsds);
		check_hsds(&hsds, rc);
		import_hsds_batch_free(&hsds);
		return 0;
	}
	if (format == 0) {
		rc = import_mg_parse(file, len, &options, &batch);
	} else if (format == 1) {
		rc = import_csv_parse(file, len, &options, &batch);
	} else {
		const char *nul = memchr(file, '\0', len);

		if (nul != NULL) {
			options.formats_json = nul + 1;
			options.formats_len = len - (size_t)(nul + 1 - file);
			len = (size_t)(nul - file);
		}
		rc = import_bmlt_parse(file, len, &options, &batch);
	}
	check_batch(&batch, rc, format != 2);
	check_settled(&batch);
	import_batch_free(&batch);
	return 0;
}
