/*
 * Reports delivered to the webhooks of the sources' stewards
 * (reports_deliver() in reports.h): the sync calls it on each pass, and
 * `finder reports deliver` runs it alone. Apart from reports.c because it is
 * the one part that talks to the outside, through the guarded fetcher
 * (fetch.h).
 *
 * A pass takes the due reports one at a time: claim one
 * (sql/queries/reports_claim.sql: a lease, so that passes running at once
 * never take the same), make its payload (reports_payload.sql: no contact),
 * POST it, record the outcome (reports_delivered.sql, reports_failed.sql,
 * which sets the back-off). Nothing is held open while the webhook answers:
 * each statement is its own transaction.
 */
#include "reports.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fetch.h"
#include "queries.h"

/* A webhook has 5 s to accept the connection and 10 s for the whole
 * exchange; its answer is read up to 64 KB (nothing of it is kept). */
#define DELIVER_CONNECT_TIMEOUT_S 5
#define DELIVER_TIMEOUT_S 10
#define DELIVER_REPLY_MAX (64 * 1024)
/* Reports one pass tries at most; the rest wait for the next. */
#define DELIVER_PASS_MAX 200
#define SOURCE_ID_DIGITS 11 /* an integer and its comma */

struct pass {
	PGconn *conn;
	const char *public_url;
	FILE *log;
	/* The sources whose webhook failed in this pass: their other reports
	 * wait for the next one. */
	int failed_sources[DELIVER_PASS_MAX];
	int nfailed_sources;
	int delivered, failed, given_up;
};

/* A claimed report: a row of reports_claim.sql, which the claim owns. */
struct claim {
	PGresult *res;
	const char *id, *source, *url;
	int source_id;
};

enum { CLAIM_ID, CLAIM_SOURCE_ID, CLAIM_SOURCE, CLAIM_URL };

static void say(const struct pass *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(const struct pass *p, const char *fmt, ...)
{
	va_list ap;

	if (p->log == NULL)
		return;
	fputs("finder reports: ", p->log);
	va_start(ap, fmt);
	vfprintf(p->log, fmt, ap);
	va_end(ap);
	fputc('\n', p->log);
	fflush(p->log);
}

/* A database failure ends the pass: said on the log, or stderr. */
static int db_fail(const struct pass *p, const char *what)
{
	fprintf(p->log ? p->log : stderr, "finder reports: %s: %s", what, PQerrorMessage(p->conn));
	return -1;
}

/* The pass's failed sources as an integer[] literal, in buf. */
static void failed_sources_array(const struct pass *p, char *buf, size_t cap)
{
	size_t len = 0;

	buf[len++] = '{';
	for (int i = 0; i < p->nfailed_sources; i++)
		len += (size_t)snprintf(buf + len, cap - len, "%s%d", i > 0 ? "," : "",
					p->failed_sources[i]);
	snprintf(buf + len, cap - len, "}");
}

/* Claims the next due report into c: 1, 0 when none is due, or -1. */
static int claim_next(struct pass *p, struct claim *c)
{
	char sources[DELIVER_PASS_MAX * SOURCE_ID_DIGITS + 3];
	const char *values[1] = {sources};

	failed_sources_array(p, sources, sizeof(sources));
	c->res = PQexecParams(p->conn, query_reports_claim, QUERY_REPORTS_CLAIM_NPARAMS, NULL,
			      values, NULL, NULL, 0);
	if (PQresultStatus(c->res) != PGRES_TUPLES_OK) {
		PQclear(c->res);
		c->res = NULL;
		return db_fail(p, "claiming a report to deliver");
	}
	if (PQntuples(c->res) == 0) {
		PQclear(c->res);
		c->res = NULL;
		return 0;
	}
	c->id = PQgetvalue(c->res, 0, CLAIM_ID);
	c->source_id = (int)strtol(PQgetvalue(c->res, 0, CLAIM_SOURCE_ID), NULL, 10);
	c->source = PQgetvalue(c->res, 0, CLAIM_SOURCE);
	c->url = PQgetvalue(c->res, 0, CLAIM_URL);
	return 1;
}

/* The report's payload (reports_payload.sql): a result the caller
 * PQclears, its JSON in row 0, or NULL (said). */
static PGresult *payload(const struct pass *p, const struct claim *c)
{
	const char *values[2] = {c->id, p->public_url};
	PGresult *res = PQexecParams(p->conn, query_reports_payload, QUERY_REPORTS_PAYLOAD_NPARAMS,
				     NULL, values, NULL, NULL, 0);

	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		return res;
	PQclear(res);
	db_fail(p, "reading the report to deliver");
	return NULL;
}

static int record_delivered(struct pass *p, const struct claim *c, long http_status)
{
	const char *values[1] = {c->id};
	PGresult *res = PQexecParams(p->conn, query_reports_delivered,
				     QUERY_REPORTS_DELIVERED_NPARAMS, NULL, values, NULL, NULL, 0);
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK;

	PQclear(res);
	if (!ok)
		return db_fail(p, "recording a delivery");
	p->delivered++;
	say(p, "report %s delivered to the webhook of %s (HTTP %ld)", c->id, c->source,
	    http_status);
	return 0;
}

/* Records the failure (why: for the listing) and puts the source's other
 * reports off to the next pass. */
static int record_failed(struct pass *p, const struct claim *c, const char *why)
{
	const char *values[2] = {c->id, why};
	PGresult *res = PQexecParams(p->conn, query_reports_failed, QUERY_REPORTS_FAILED_NPARAMS,
				     NULL, values, NULL, NULL, 0);

	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		PQclear(res);
		return db_fail(p, "recording a failed delivery");
	}
	if (PQgetisnull(res, 0, 1)) {
		p->given_up++;
		say(p, "report %s: the webhook of %s failed (%s); given up after %s attempts",
		    c->id, c->source, why, PQgetvalue(res, 0, 0));
	} else {
		p->failed++;
		say(p, "report %s: the webhook of %s failed (%s); attempt %s, next at %s", c->id,
		    c->source, why, PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1));
	}
	PQclear(res);
	if (p->nfailed_sources < DELIVER_PASS_MAX)
		p->failed_sources[p->nfailed_sources++] = c->source_id;
	return 0;
}

/* POSTs the report to its webhook and records the outcome: 0, or -1 when
 * the database failed. */
static int deliver_one(struct pass *p, const struct claim *c)
{
	PGresult *body = payload(p, c);
	struct fetch_request req = {
		.url = c->url,
		.content_type = "application/json",
		.max_bytes = DELIVER_REPLY_MAX,
		.timeout_s = DELIVER_TIMEOUT_S,
		.connect_timeout_s = DELIVER_CONNECT_TIMEOUT_S,
	};
	struct fetch_result result;
	char why[sizeof(result.error) + 32];
	int status;

	if (body == NULL)
		return -1;
	memset(&result, 0, sizeof(result));
	req.body = PQgetvalue(body, 0, 0);
	req.body_len = (size_t)PQgetlength(body, 0, 0);
	if (fetch(&req, &result) == 0 && result.status >= 200 && result.status <= 299) {
		status = record_delivered(p, c, result.status);
	} else {
		if (result.error[0] != '\0')
			snprintf(why, sizeof(why), "%s", result.error);
		else
			snprintf(why, sizeof(why), "HTTP %ld", result.status);
		status = record_failed(p, c, why);
	}
	fetch_result_free(&result);
	PQclear(body);
	return status;
}

int reports_deliver(PGconn *conn, const char *public_url, FILE *log)
{
	struct pass p = {.conn = conn, .public_url = public_url, .log = log};
	struct claim c = {0};
	int rc = 0, tried;

	for (tried = 0; tried < DELIVER_PASS_MAX; tried++) {
		rc = claim_next(&p, &c);
		if (rc <= 0)
			break;
		rc = deliver_one(&p, &c);
		PQclear(c.res);
		c.res = NULL;
		if (rc != 0)
			break;
	}
	if (p.delivered + p.failed + p.given_up > 0)
		say(&p, "%d delivered, %d failed (to be tried again), %d given up", p.delivered,
		    p.failed, p.given_up);
	return rc < 0 ? -1 : p.delivered;
}
