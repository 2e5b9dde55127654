/*
 * HSDS imports (import_hsds.c): Open Referral service directories read into
 * staged records for hsds_import_apply() (sql/migrations/015_hsds_import.sql).
 *
 * Three inputs, told apart by looking at them:
 *   - HSDS 3.0 JSON as the API shapes it: one record, a bare array of
 *     them or a Page of them (`contents`), each record a full service, an
 *     organization with its services nested in it (`services`), a
 *     service_at_location with its service, or a location; also the
 *     tabular package written as JSON ({"services.csv": [rows], ...});
 *   - the HSDS 3.0 CSV tabular package (services.csv, organizations.csv,
 *     locations.csv, service_at_location.csv and the child tables);
 *   - the older Ohana / HSDS 1.0 CSV form (services with location_id, comma
 *     lists, regular_schedules.csv with weekday/opens_at/closes_at).
 * HSDS 1.x schedules (`regular_schedule(s)`, `holiday_schedule(s)`, a
 * weekday by name or number) are read into 3.0's, in JSON and CSV alike.
 *
 * Each service becomes three kinds of record: its organization, its
 * locations and itself, each a JSON document in the staged form (the HSDS
 * field names of the finder's tables, every value already normal: times
 * "HH:MM", byday codes, ISO 639-1 languages, dates "YYYY-MM-DD", numbers as
 * text, a location's `point` saying whether latitude/longitude are a place,
 * a service area's country/region/geojson). An organization or location
 * shared by several services is staged once per service; the apply keeps
 * the first. Records that cannot be stored are rejected with the reason,
 * in batch->issues like the meeting parsers' rows.
 */
#ifndef FINDER_IMPORT_HSDS_H
#define FINDER_IMPORT_HSDS_H

#include <stddef.h>

#include "import.h"

struct json_object;

enum hsds_kind { HSDS_ORGANIZATION, HSDS_LOCATION, HSDS_SERVICE, HSDS_KIND__MAX };

/* The kind's name as the staging table's `kind` column writes it. */
extern const char *const import_hsds_kind_names[HSDS_KIND__MAX];

struct hsds_record {
	int row; /* the service's 1-based position in the input */
	enum hsds_kind kind;
	char *key;               /* the source's id of the record */
	struct json_object *doc; /* owned: the staged document */
	/* A service: the country its locations' addresses give (or its
	 * organization's), as written ("US", "USA"); NULL when none does.
	 * It tells a state from a country of the same name in its areas. */
	char *country;
};

struct hsds_batch {
	struct hsds_record *records;
	size_t count, cap;
	size_t services; /* service records among them */
	/* Rejects, warnings and the whole-file error (its meetings unused). */
	struct import_batch issues;
};

/* One CSV file of a tabular package: its table name ("services") and
 * bytes (need not end in NUL). */
struct hsds_table {
	const char *name;
	const char *data;
	size_t len;
};

/* The tables a package may have, NULL-terminated: HSDS 3.0's, then the
 * Ohana form's own. import_read.c reads the ones present in the directory. */
extern const char *const import_hsds_table_names[];

/* Parsers: 0 when the input was read (records may still be rejected), -1
 * when it is unusable as a whole (batch->issues.error says why). */
int import_hsds_parse_json(const char *data, size_t len, struct hsds_batch *batch);
int import_hsds_parse_tables(const struct hsds_table *tables, size_t ntables,
			     struct hsds_batch *batch);
void import_hsds_batch_free(struct hsds_batch *batch);

/* A staged service area that says where it is by its name only
 * ("Georgia", "State of Texas"), or by a country's code and a name: the
 * importer asks the gazetteer for the region of that name. */
struct hsds_area_ref {
	struct json_object *area;          /* the staged area (the batch owns it) */
	const struct hsds_record *service; /* its service, for the warnings */
};

/* The staged service areas without a polygon or a region that have a name
 * (or a text extent): a new JSON array the caller must put, of
 * {"name", "country", "near"} (country: the area's own, when it gave one;
 * near: where its service is, else where most of the input's services
 * are, when known), for hsds.import_area_places()
 * (sql/migrations/026_hsds_fidelity.sql), and in *refs (the caller frees
 * it) the n areas in the same order. */
struct json_object *import_hsds_areas_unplaced(const struct hsds_batch *batch,
					       struct hsds_area_ref **refs, size_t *n);

/* What the gazetteer made of ref's name: `how` "region" (country and
 * region), "country" (a country's name: country only), "guess" (a region,
 * though the name is also a country's, and nothing said which), or NULL
 * (nothing). Writes it into the staged area, with a warning when the area
 * had named another extent, when it was a guess, or when nothing was
 * found (the area then stays what it was: a whole country it gave, or a
 * name no search by place reaches). */
void import_hsds_area_placed(struct hsds_batch *batch, const struct hsds_area_ref *ref,
			     const char *country, const char *region, const char *how);

/* Normalising, exposed for the unit tests. */

/* The ISO 639-1 code of a language given by name ("Spanish", "Chinese
 * (Cantonese)") or by an ISO 639-1/2/3 code ("es", "spa", "eng"), in any
 * case; NULL when it is not known. The string is static. */
const char *import_hsds_language_code(const char *given);

/* An RRULE byday list ("TH,FR", "2MO", "-1fr", "Monday, tue") in its
 * normal form ("TH,FR") written to out; 0, or -1 when an entry is none of
 * these (out is then empty). */
int import_hsds_byday(const char *given, char *out, size_t size);

/* An HSDS 1.x weekday in the normal byday form: a number (1 Monday ... 7
 * Sunday, as HSDS 1.1 and Ohana write it; 0 is Sunday too), a day's name,
 * or a comma list of them ("1,3", "Mon, 5"); 0, or -1 when an entry is
 * none of these (out is then empty). */
int import_hsds_weekday(const char *given, char *out, size_t size);

/* A time of day as HSDS 1.x may write it ("09:00", "9am", "09:00-05:00",
 * "2000-01-01T09:00:00.000Z") in minutes after midnight; `offset` gets
 * the UTC offset it named ("-05:00"), else "" (also for "Z", which the
 * Ohana API put on every local time). -1 when it is no time. */
int import_hsds_clock(const char *given, char offset[7]);

/* A date "YYYY-MM-DD" (or any form import_norm_updated() reads) into out (11
 * bytes); -1 when it is not a real date. */
int import_hsds_date(const char *given, char out[11]);

/* A service area's extent of type iso3166-1 ("US") or iso3166-2 ("US-MO")
 * split into country and region (region "" for a country); -1 when it is
 * not of that form. */
int import_hsds_iso3166(const char *extent, char country[3], char region[4]);

#endif
