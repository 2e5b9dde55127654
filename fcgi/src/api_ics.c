#include "api_ics.h"

#include <stdio.h>
#include <string.h>

#include "ics.h"
#include "reply.h"
#include "request.h"

/* Columns of sql/queries/meeting_ics.sql. */
enum {
	COL_ID,
	COL_SLUG,
	COL_NAME,
	COL_FELLOWSHIP,
	COL_DAY,
	COL_TIMEZONE,
	COL_DURATION,
	COL_DTSTART,
	COL_BYDAY,
	COL_VTIMEZONE,
	COL_PLACE,
	COL_URL,
	COL_PHONE,
	COL_NOTES,
	COL_DTSTAMP,
	COL__MAX
};

static const char *value(const PGresult *res, int col)
{
	return PQgetisnull(res, 0, col) ? NULL : PQgetvalue(res, 0, col);
}

/* The description: fellowship, how to join, the notes, and that it is
 * taken from the finder. */
static void description(struct ics *ics, const PGresult *res)
{
	char text[4096];
	const char *url = value(res, COL_URL), *phone = value(res, COL_PHONE);
	const char *notes = value(res, COL_NOTES);

	snprintf(text, sizeof(text), "%s%s%s%s%s%s%s", value(res, COL_FELLOWSHIP),
		 url ? "\nJoin online: " : "", url ? url : "", phone ? "\nBy phone: " : "",
		 phone ? phone : "", notes ? "\n\n" : "", notes ? notes : "");
	ics_text(ics, "DESCRIPTION", text);
}

static void build(struct ics *ics, const PGresult *res)
{
	char line[160];
	const char *place = value(res, COL_PLACE), *url = value(res, COL_URL);

	ics_raw(ics, "BEGIN:VCALENDAR\r\n");
	ics_line(ics, "VERSION", "2.0");
	ics_line(ics, "PRODID", "-//Recovery Finder//Meetings//EN");
	ics_line(ics, "CALSCALE", "GREGORIAN");
	ics_line(ics, "METHOD", "PUBLISH");
	ics_raw(ics, value(res, COL_VTIMEZONE));
	ics_raw(ics, "BEGIN:VEVENT\r\n");
	/* Stable across exports: the meeting's id never changes. */
	snprintf(line, sizeof(line), "meeting-%s@recovery-finder", value(res, COL_ID));
	ics_line(ics, "UID", line);
	ics_line(ics, "DTSTAMP", value(res, COL_DTSTAMP));
	snprintf(line, sizeof(line), "DTSTART;TZID=%s", value(res, COL_TIMEZONE));
	ics_line(ics, line, value(res, COL_DTSTART));
	snprintf(line, sizeof(line), "PT%sM", value(res, COL_DURATION));
	ics_line(ics, "DURATION", line);
	snprintf(line, sizeof(line), "FREQ=WEEKLY;BYDAY=%s", value(res, COL_BYDAY));
	ics_line(ics, "RRULE", line);
	ics_text(ics, "SUMMARY", value(res, COL_NAME));
	if (place != NULL && place[0] != '\0')
		ics_text(ics, "LOCATION", place);
	else if (url != NULL)
		ics_text(ics, "LOCATION", url);
	if (url != NULL)
		ics_line(ics, "URL", url);
	description(ics, res);
	ics_raw(ics, "END:VEVENT\r\nEND:VCALENDAR\r\n");
}

int api_ics_get(struct request *req)
{
	const char *values[1] = {req->id};
	struct api_error err;
	struct ics ics;
	char *text;
	size_t len;

	req->result = db_exec(req->db, DB_MEETING_ICS, values, &err);
	if (req->result == NULL)
		return reply_error(req, &err);
	if (PQntuples(req->result) == 0) {
		api_error_set(&err, 404, "not_found", NULL, "There is no meeting with that id.");
		return reply_error(req, &err);
	}
	if (PQgetisnull(req->result, 0, COL_DAY)) {
		api_error_set(
			&err, 404, "no_schedule", NULL,
			"This meeting is by appointment: it has no weekly time for a calendar.");
		return reply_error(req, &err);
	}
	ics_init(&ics);
	build(&ics, req->result);
	if (ics_failed(&ics)) {
		ics_free(&ics);
		api_error_set(&err, 500, "internal_error", NULL,
			      "Something went wrong on our side.");
		return reply_error(req, &err);
	}
	snprintf(req->disposition, sizeof(req->disposition), "attachment; filename=\"%s.ics\"",
		 PQgetvalue(req->result, 0, COL_SLUG));
	text = ics_take(&ics, &len);
	return reply_raw(req, 200, "text/calendar; charset=utf-8", text, len);
}
