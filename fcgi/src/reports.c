/*
 * `finder reports`: what visitors reported with "Report a problem"
 * (POST /api/v1/feedback), for the people who run the finder.
 *
 *   finder reports [--source SLUG] [--since DATE] [--format text|json|csv] [--all]
 *   finder reports resolve ID...
 *   finder reports deliver [--public-url URL] [--quiet]
 *
 * The listing shows the reporter's contact: it is for the operators, and
 * goes nowhere else (the stewards' webhooks get the report without it:
 * reports_deliver.c). Everything connects as the importer
 * (FINDER_IMPORT_DATABASE), which may read the reports and write only
 * whether they were resolved or delivered (sql/roles.sql). Exit status: 0
 * done, 1 the database failed or an id or a source is unknown, 2 bad usage.
 */
#include "reports.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "db_open.h"
#include "fetch.h"
#include "origin.h"
#include "params.h"
#include "patterns.h"
#include "queries.h"
#include "reports_format.h"

#define WHO "finder reports"
#define SLUG_MAX 64
#define ID_DIGITS_MAX 20 /* of a bigint, in the array literal */

enum list_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_CSV };

struct list_options {
	const char *source; /* NULL: every source */
	const char *since;  /* NULL: ever */
	enum list_format format;
	bool all; /* resolved reports too */
};

/* Columns of sql/queries/reports_list.sql; CSV has all but the last. */
enum {
	COL_ID,
	COL_CREATED,
	COL_KIND,
	COL_TARGET_ID,
	COL_TARGET_NAME,
	COL_SOURCE,
	COL_MESSAGE,
	COL_CONTACT,
	COL_RESOLVED,
	COL_DELIVERY,
	COL_DELIVERED,
	COL_ATTEMPTS,
	COL_NEXT,
	COL_ERROR,
	COL_JSON,
	COL__MAX
};

static int db_fail(PGconn *conn, const char *what)
{
	fprintf(stderr, WHO ": %s: %s", what, PQerrorMessage(conn));
	return -1;
}

static int exec_ok(PGconn *conn, const char *sql)
{
	PGresult *res = PQexec(conn, sql);
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK;

	PQclear(res);
	return ok ? 0 : db_fail(conn, sql);
}

/* A connection as the importer, its times in UTC (a --since without an
 * offset is UTC), or NULL (said). The caller PQfinishes it. */
static PGconn *connect_db(void)
{
	PGconn *conn = db_open(WHO, DB_OPEN_IMPORTER);

	if (conn == NULL)
		return NULL;
	if (exec_ok(conn, "SET TIME ZONE 'UTC'") != 0) {
		PQfinish(conn);
		return NULL;
	}
	return conn;
}

/* ---- The listing ----------------------------------------------------------- */

static const char *col(const PGresult *res, int c)
{
	return PQgetisnull(res, 0, c) ? NULL : PQgetvalue(res, 0, c);
}

/* The state of the steward's copy, for a person (see reports_list.sql). */
static void print_delivery(const PGresult *res)
{
	const char *state = col(res, COL_DELIVERY), *attempts = col(res, COL_ATTEMPTS);

	if (strcmp(state, "delivered") == 0) {
		printf("delivered %s", col(res, COL_DELIVERED));
	} else if (strcmp(state, "retrying") == 0 || strcmp(state, "gave_up") == 0) {
		if (strcmp(state, "retrying") == 0)
			printf("%s failed attempt%s, next at %s (", attempts,
			       strcmp(attempts, "1") == 0 ? "" : "s", col(res, COL_NEXT));
		else
			printf("given up after %s failed attempts (", attempts);
		reports_text(stdout, col(res, COL_ERROR), "");
		putchar(')');
	} else if (strcmp(state, "pending") == 0) {
		fputs("waiting for the next delivery", stdout);
	} else if (strcmp(state, "no_webhook") == 0) {
		fputs("not sent: the source has no webhook", stdout);
	} else if (strcmp(state, "not_sent") == 0) {
		fputs("not sent: resolved first", stdout);
	} else {
		fputs("not sent: no source", stdout);
	}
	putchar('\n');
}

static void print_text(const PGresult *res)
{
	const char *resolved = col(res, COL_RESOLVED);

	printf("#%s  %s  %s %s  ", col(res, COL_ID), col(res, COL_CREATED), col(res, COL_KIND),
	       col(res, COL_TARGET_ID));
	reports_text(stdout, col(res, COL_TARGET_NAME), "");
	fputs("\n  source:   ", stdout);
	reports_text(stdout, col(res, COL_SOURCE), "");
	fputs("\n  message:  ", stdout);
	reports_text(stdout, col(res, COL_MESSAGE), "            ");
	fputs("\n  contact:  ", stdout);
	reports_text(stdout, col(res, COL_CONTACT), "");
	printf("\n  status:   %s%s\n  delivery: ", resolved ? "resolved " : "open",
	       resolved ? resolved : "");
	print_delivery(res);
	putchar('\n');
}

static void print_csv_row(const PGresult *res, bool names)
{
	for (int c = 0; c < COL_JSON; c++) {
		if (c > 0)
			putchar(',');
		reports_csv_field(stdout, names ? PQfname(res, c) : col(res, c));
	}
	fputs("\r\n", stdout);
}

/* Prints what comes before the first row; res has the columns (a row, or
 * none). */
static void print_head(const struct list_options *o, const PGresult *res)
{
	if (o->format == FORMAT_CSV)
		print_csv_row(res, true);
	else if (o->format == FORMAT_JSON)
		putchar('[');
}

static void print_row(const struct list_options *o, const PGresult *res, long n)
{
	if (o->format == FORMAT_TEXT)
		print_text(res);
	else if (o->format == FORMAT_CSV)
		print_csv_row(res, false);
	else
		printf("%s\n%s", n > 0 ? "," : "", col(res, COL_JSON));
}

static void print_tail(const struct list_options *o, long n)
{
	if (o->format == FORMAT_JSON)
		fputs(n > 0 ? "\n]\n" : "]\n", stdout);
	else if (o->format == FORMAT_TEXT)
		printf("%ld %sreport%s.\n", n, o->all ? "" : "open ", n == 1 ? "" : "s");
}

/* Whether the source named by --source exists: 0, or -1 (said). */
static int check_source(PGconn *conn, const char *slug)
{
	const char *values[1] = {slug};
	PGresult *res = PQexecParams(conn, query_reports_source, QUERY_REPORTS_SOURCE_NPARAMS, NULL,
				     values, NULL, NULL, 0);
	int status = -1;

	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		db_fail(conn, "looking up the source");
	else if (strcmp(PQgetvalue(res, 0, 0), "t") != 0)
		fprintf(stderr, WHO ": --source: there is no source \"%s\"\n", slug);
	else
		status = 0;
	PQclear(res);
	return status;
}

/* Streams the listing to stdout, a row at a time. 0, or -1 (said). */
static int list_reports(PGconn *conn, const struct list_options *o)
{
	const char *values[3] = {o->source, o->since, o->all ? "true" : "false"};
	PGresult *res;
	long n = 0;
	int status = -1;

	if (!PQsendQueryParams(conn, query_reports_list, 3, NULL, values, NULL, NULL, 0) ||
	    !PQsetSingleRowMode(conn))
		return db_fail(conn, "listing the reports");
	while ((res = PQgetResult(conn)) != NULL) {
		ExecStatusType st = PQresultStatus(res);

		if ((st == PGRES_SINGLE_TUPLE || st == PGRES_TUPLES_OK) && n == 0)
			print_head(o, res);
		if (st == PGRES_SINGLE_TUPLE)
			print_row(o, res, n++);
		else if (st == PGRES_TUPLES_OK)
			status = 0;
		else
			db_fail(conn, "listing the reports");
		PQclear(res);
	}
	if (status == 0)
		print_tail(o, n);
	return status;
}

/* ---- Options ------------------------------------------------------------- */

static int list_usage(FILE *out)
{
	fputs("usage: finder reports [--source SLUG] [--since DATE] [--format text|json|csv] [--all]\n"
	      "       finder reports resolve ID...\n"
	      "       finder reports deliver [--public-url URL] [--quiet]\n"
	      "\n"
	      "Lists what visitors reported with \"Report a problem\", newest first: the\n"
	      "id, time, what it is about, its source, the message, the reporter's contact\n"
	      "(for you only: it is never sent anywhere), whether it is resolved, and the\n"
	      "state of its delivery to the source's webhook.\n"
	      "\n"
	      "  --source SLUG        only the reports on this source's meetings or services\n"
	      "  --since DATE         only those made at or after DATE: 2026-03-08, or\n"
	      "                       2026-03-08T19:00[:00][Z|+01:00] (UTC without an offset)\n"
	      "  --format text|json|csv\n"
	      "                       text (default); json: an array of objects; csv: RFC\n"
	      "                       4180 with a header, a field a spreadsheet would run\n"
	      "                       as a formula prefixed with an apostrophe\n"
	      "  --all                resolved reports too (default: the open ones)\n"
	      "\n"
	      "resolve closes the reports with these ids (one already resolved stays as\n"
	      "it was; an unknown id resolves none). deliver runs one delivery pass, as\n"
	      "finder sync does each time: the open reports not yet delivered are POSTed\n"
	      "as JSON to their sources' webhooks, without the contact, and retried after\n"
	      "1, 2, 4 ... minutes (at most 6 hours) up to 12 times\n"
	      "(finder reports deliver --help).\n"
	      "\n"
	      "The database is FINDER_IMPORT_DATABASE (default\n"
	      "\"dbname=finder user=finder_importer\").\n",
	      out);
	return out == stdout ? 0 : 2;
}

static int parse_format(const char *s, enum list_format *out)
{
	static const char *const names[] = {
		[FORMAT_TEXT] = "text", [FORMAT_JSON] = "json", [FORMAT_CSV] = "csv"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (enum list_format)i;
			return 0;
		}
	fprintf(stderr, WHO ": --format is text, json or csv, not \"%s\"\n", s);
	return -1;
}

/* Checks the values given: 0, or -1 (said). */
static int check_list_options(const struct list_options *o)
{
	if (o->source != NULL && (strlen(o->source) > SLUG_MAX ||
				  !patterns_match(PATTERN_SLUG, o->source, strlen(o->source)))) {
		fprintf(stderr,
			WHO ": --source is a source's slug (lower-case letters, digits "
			    "and hyphens), not \"%s\"\n",
			o->source);
		return -1;
	}
	if (o->since != NULL && !reports_since_ok(o->since, strlen(o->since))) {
		fprintf(stderr,
			WHO ": --since is a date such as 2026-03-08 or a time such as "
			    "2026-03-08T19:00Z, not \"%s\"\n",
			o->since);
		return -1;
	}
	return 0;
}

/* Fills o: 0, 1 (help shown) or 2. */
static int parse_list_args(int argc, char **argv, struct list_options *o)
{
	static const struct option long_options[] = {
		{"source", required_argument, NULL, 's'}, {"since", required_argument, NULL, 'S'},
		{"format", required_argument, NULL, 'f'}, {"all", no_argument, NULL, 'a'},
		{"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
	};
	int c;

	memset(o, 0, sizeof(*o));
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
		switch (c) {
		case 's': o->source = optarg; break;
		case 'S': o->since = optarg; break;
		case 'f':
			if (parse_format(optarg, &o->format) != 0)
				return 2;
			break;
		case 'a': o->all = true; break;
		case 'h': return list_usage(stdout) == 0 ? 1 : 2;
		default: return list_usage(stderr);
		}
	}
	if (optind != argc) {
		fprintf(stderr, WHO ": unexpected \"%s\": the commands are resolve and deliver\n",
			argv[optind]);
		return list_usage(stderr);
	}
	return check_list_options(o) == 0 ? 0 : 2;
}

static int list_main(int argc, char **argv)
{
	struct list_options o;
	PGconn *conn;
	int rc = parse_list_args(argc, argv, &o), status = 1;

	if (rc != 0)
		return rc == 1 ? 0 : rc;
	conn = connect_db();
	if (conn == NULL)
		return 1;
	if ((o.source == NULL || check_source(conn, o.source) == 0) && list_reports(conn, &o) == 0)
		status = 0;
	PQfinish(conn);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, WHO ": cannot write the listing\n");
		status = 1;
	}
	return status;
}

/* ---- Resolving -------------------------------------------------------------- */

/* The ids argv[1..argc) as a bigint[] literal, malloc'd, or NULL (said:
 * the first that is not a report id). */
static char *id_array(int argc, char **argv)
{
	size_t cap = (size_t)argc * (ID_DIGITS_MAX + 1) + 3, len = 0;
	char *lit = malloc(cap);

	if (lit == NULL) {
		fputs(WHO ": out of memory\n", stderr);
		return NULL;
	}
	lit[len++] = '{';
	for (int i = 1; i < argc; i++) {
		long long id;

		if (params_integer(argv[i], strlen(argv[i]), 1, INT64_MAX, &id) != 0) {
			fprintf(stderr,
				WHO " resolve: \"%s\" is not a report id (a whole number "
				    "from 1)\n",
				argv[i]);
			free(lit);
			return NULL;
		}
		len += (size_t)snprintf(lit + len, cap - len, "%s%lld", i > 1 ? "," : "", id);
	}
	snprintf(lit + len, cap - len, "}");
	return lit;
}

/* Says which ids of the result are unknown; returns how many. */
static int report_unknown(const PGresult *res)
{
	int unknown = 0;

	for (int i = 0; i < PQntuples(res); i++)
		if (strcmp(PQgetvalue(res, i, 1), "f") == 0) {
			fprintf(stderr, WHO " resolve: there is no report %s\n",
				PQgetvalue(res, i, 0));
			unknown++;
		}
	return unknown;
}

static void print_resolved(const PGresult *res)
{
	for (int i = 0; i < PQntuples(res); i++) {
		if (strcmp(PQgetvalue(res, i, 2), "t") == 0)
			printf("resolved %s\n", PQgetvalue(res, i, 0));
		else
			printf("%s was resolved already (%s)\n", PQgetvalue(res, i, 0),
			       PQgetvalue(res, i, 3));
	}
}

/* Resolves the reports in ids (a bigint[] literal) in one transaction:
 * all of them, or none when one is unknown. 0, or -1 (said). */
static int resolve_reports(PGconn *conn, const char *ids)
{
	const char *values[1] = {ids};
	PGresult *res = NULL;
	int status = -1;

	if (exec_ok(conn, "BEGIN") != 0)
		return -1;
	res = PQexecParams(conn, query_reports_resolve, QUERY_REPORTS_RESOLVE_NPARAMS, NULL, values,
			   NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		db_fail(conn, "resolving the reports");
		goto done;
	}
	if (report_unknown(res) > 0) {
		fputs(WHO " resolve: nothing was resolved\n", stderr);
		goto done;
	}
	if (exec_ok(conn, "COMMIT") != 0)
		goto done;
	print_resolved(res);
	status = 0;
done:
	if (status != 0)
		PQclear(PQexec(conn, "ROLLBACK"));
	PQclear(res);
	return status;
}

static int resolve_main(int argc, char **argv)
{
	PGconn *conn;
	char *ids;
	int status = 1;

	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
		return list_usage(stdout);
	if (argc < 2) {
		fputs(WHO " resolve: give the ids of the reports to resolve\n", stderr);
		return 2;
	}
	ids = id_array(argc, argv);
	if (ids == NULL)
		return 2;
	conn = connect_db();
	if (conn != NULL && resolve_reports(conn, ids) == 0)
		status = 0;
	PQfinish(conn);
	free(ids);
	return status;
}

/* ---- Delivering ------------------------------------------------------------- */

static int deliver_usage(FILE *out)
{
	fputs("usage: finder reports deliver [--public-url URL] [--quiet]\n"
	      "\n"
	      "One delivery pass, as finder sync makes each time: every open report not yet\n"
	      "delivered, of a source with a webhook, and due, is POSTed to the webhook as\n"
	      "JSON: its id, created_at, kind, message, the meeting or service (id, name,\n"
	      "source_key, url) and the source's slug, never the reporter's contact. A\n"
	      "2xx answer delivers it; anything else is tried again after 1, 2, 4 ...\n"
	      "minutes (at most 6 hours), 12 times at most. A source whose webhook fails\n"
	      "waits for the next pass. Addresses on this machine or a private network\n"
	      "are refused unless FINDER_FETCH_ALLOW lists them.\n"
	      "\n"
	      "  --public-url URL  the finder's origin, which the url of what a report is\n"
	      "                    about starts with (default FINDER_PUBLIC_URL)\n"
	      "  --quiet           say nothing but errors\n"
	      "\n"
	      "The database is FINDER_IMPORT_DATABASE (default\n"
	      "\"dbname=finder user=finder_importer\").\n",
	      out);
	return out == stdout ? 0 : 2;
}

/* Fills origin (ORIGIN_MAX bytes) and *quiet: 0, 1 (help shown) or 2. */
static int parse_deliver_args(int argc, char **argv, char *origin, bool *quiet)
{
	static const struct option long_options[] = {
		{"public-url", required_argument, NULL, 'u'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *url = getenv("FINDER_PUBLIC_URL");
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
		switch (c) {
		case 'u': url = optarg; break;
		case 'q': *quiet = true; break;
		case 'h': return deliver_usage(stdout) == 0 ? 1 : 2;
		default: return deliver_usage(stderr);
		}
	}
	if (optind != argc) {
		fprintf(stderr, WHO " deliver: unexpected \"%s\"\n", argv[optind]);
		return deliver_usage(stderr);
	}
	if (url == NULL || origin_parse(url, strlen(url), origin, ORIGIN_MAX) != 0) {
		fprintf(stderr,
			WHO " deliver: --public-url (or FINDER_PUBLIC_URL) is the "
			    "finder's origin, such as https://finder.example.org, not \"%s\"\n",
			url ? url : "");
		return 2;
	}
	return 0;
}

static int deliver_main(int argc, char **argv)
{
	char origin[ORIGIN_MAX];
	bool quiet = false;
	PGconn *conn;
	int rc = parse_deliver_args(argc, argv, origin, &quiet), status = 1;

	if (rc != 0)
		return rc == 1 ? 0 : rc;
	if (fetch_init() != 0) {
		fputs(WHO " deliver: the fetcher cannot start\n", stderr);
		return 1;
	}
	conn = connect_db();
	if (conn != NULL && reports_deliver(conn, origin, quiet ? NULL : stderr) >= 0)
		status = 0;
	PQfinish(conn);
	fetch_cleanup();
	return status;
}

int reports_main(int argc, char **argv)
{
	int status;

	if (patterns_init() != 0)
		return 1;
	if (argc >= 2 && strcmp(argv[1], "resolve") == 0)
		status = resolve_main(argc - 1, argv + 1);
	else if (argc >= 2 && strcmp(argv[1], "deliver") == 0)
		status = deliver_main(argc - 1, argv + 1);
	else
		status = list_main(argc, argv);
	patterns_free();
	return status;
}
