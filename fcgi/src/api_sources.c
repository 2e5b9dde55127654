#include "api_sources.h"

#include <string.h>

#include "pg_json.h"
#include "reply.h"
#include "request.h"

/* Sources change with an import, a few times a day at most. */
#define SOURCES_CACHE_CONTROL "public, max-age=300"

/* Columns of sql/queries/sources.sql: the source, the counts of its last
 * import's report in the order of report_keys, then the sync's state, then
 * its data's terms. */
enum {
	COL_SLUG,
	COL_NAME,
	COL_FORMAT,
	COL_FELLOWSHIP,
	COL_TIMEZONE,
	COL_DEMO,
	COL_CONTACTS_PUBLIC,
	COL_MEETINGS,
	COL_SERVICES,
	COL_LAST_IMPORT_AT,
	COL_IMPORTED,
	COL_REPORT,
	COL_URL = COL_REPORT + 10,
	COL_STATUS,
	COL_ERROR,
	COL_LAST_CHECK_AT,
	COL_LAST_CHANGE_AT,
	COL_LAST_SUCCESS_AT,
	COL_NEXT_SYNC_AT,
	COL_EXPIRED_AT,
	COL_STALE,
	COL_LICENSE,
	COL_LICENSE_URL,
	COL_ATTRIBUTION
};

static const char *const report_keys[] = {"inserted", "updated",  "unchanged", "deactivated",
					  "rejected", "unmapped", "geocoded",  "warnings",
					  "rows",     "seconds"};

/* The last import's counts, or NULL (JSON null) when there was none. */
static json_object *report_json(const PGresult *res, int row)
{
	json_object *report;

	if (strcmp(PQgetvalue(res, row, COL_IMPORTED), "t") != 0)
		return NULL;
	report = json_object_new_object();
	for (size_t i = 0; report != NULL && i < sizeof(report_keys) / sizeof(report_keys[0]); i++)
		json_object_object_add(report, report_keys[i],
				       pg_json_number(res, row, COL_REPORT + (int)i));
	return report;
}

static json_object *source_json(const PGresult *res, int row)
{
	json_object *s = json_object_new_object();

	if (s == NULL)
		return NULL;
	json_object_object_add(s, "slug", pg_json_text(res, row, COL_SLUG));
	json_object_object_add(s, "name", pg_json_text(res, row, COL_NAME));
	json_object_object_add(s, "format", pg_json_text(res, row, COL_FORMAT));
	json_object_object_add(s, "fellowship", pg_json_text(res, row, COL_FELLOWSHIP));
	json_object_object_add(s, "default_timezone", pg_json_text(res, row, COL_TIMEZONE));
	json_object_object_add(s, "demo", pg_json_bool(res, row, COL_DEMO));
	json_object_object_add(s, "contacts_public", pg_json_bool(res, row, COL_CONTACTS_PUBLIC));
	json_object_object_add(s, "meetings", pg_json_int(res, row, COL_MEETINGS));
	json_object_object_add(s, "services", pg_json_int(res, row, COL_SERVICES));
	json_object_object_add(s, "last_import_at", pg_json_text(res, row, COL_LAST_IMPORT_AT));
	json_object_object_add(s, "last_import", report_json(res, row));
	json_object_object_add(s, "url", pg_json_text(res, row, COL_URL));
	json_object_object_add(s, "status", pg_json_text(res, row, COL_STATUS));
	json_object_object_add(s, "error", pg_json_text(res, row, COL_ERROR));
	json_object_object_add(s, "last_check_at", pg_json_text(res, row, COL_LAST_CHECK_AT));
	json_object_object_add(s, "last_change_at", pg_json_text(res, row, COL_LAST_CHANGE_AT));
	json_object_object_add(s, "last_success_at", pg_json_text(res, row, COL_LAST_SUCCESS_AT));
	json_object_object_add(s, "next_sync_at", pg_json_text(res, row, COL_NEXT_SYNC_AT));
	json_object_object_add(s, "expired_at", pg_json_text(res, row, COL_EXPIRED_AT));
	json_object_object_add(s, "stale", pg_json_bool(res, row, COL_STALE));
	json_object_object_add(s, "license", pg_json_text(res, row, COL_LICENSE));
	json_object_object_add(s, "license_url", pg_json_text(res, row, COL_LICENSE_URL));
	json_object_object_add(s, "attribution", pg_json_text(res, row, COL_ATTRIBUTION));
	return s;
}

int api_sources_list(struct request *req)
{
	struct api_error err;

	req->result = db_exec(req->db, DB_SOURCES, NULL, &err);
	if (req->result == NULL)
		return reply_error(req, &err);
	req->cache_control = SOURCES_CACHE_CONTROL;
	return reply_json(req, 200, pg_json_rows(req->result, "sources", source_json));
}
