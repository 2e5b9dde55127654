/*
 * `finder source`: the sources the sync fetches from their URLs (sync.c).
 *
 *   finder source add SLUG --url URL --format FORMAT [options]
 *   finder source list [--json]
 *   finder source remove SLUG     its listings leave search; reports stay
 *   finder source disable SLUG    no more fetches (listings stay)
 *   finder source enable SLUG
 *   finder source confirm SLUG    apply the sync that was held
 *
 * Each command is one transaction on FINDER_IMPORT_DATABASE, as the
 * importer. Exit status: 0 done, 1 the database refused, 2 bad usage.
 */
#include "source.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <libpq-fe.h>

#include "db_open.h"
#include "number.h"
#include "queries.h"
#include "utf8.h"

#define URL_MAX 2000

struct add_options {
	const char *slug, *name, *format, *url, *timezone, *fellowship, *language;
	const char *feedback_url, *feedback_email, *webhook;
	struct source_terms terms;
	char services[256]; /* "{1,2}" for integer[], or "" */
	char every[32], stale_after[32], expire_after[32];
	char max_drop[16]; /* a fraction, or "" */
	int no_webhook;
};

static int usage(FILE *out)
{
	fputs("usage: finder source add SLUG --url URL --format FORMAT [options]\n"
	      "       finder source list [--json]\n"
	      "       finder source remove|disable|enable|confirm SLUG\n"
	      "\n"
	      "add (again: change) a source that `finder sync` fetches from its URL:\n"
	      "  --url URL              the feed (http or https); bmlt: the server's root\n"
	      "  --format meeting-guide|bmlt|csv|hsds\n"
	      "  --every INTERVAL       how often to fetch it: 30m, 6h, 1d (default 6h)\n"
	      "  --name TEXT            its name (default: its slug)\n"
	      "  --timezone ZONE        IANA zone of meetings that give none (a new source)\n"
	      "  --fellowship SLUG      fellowship of meetings that give none (a new meeting\n"
	      "                         source)\n"
	      "  --language CODE        language of meetings with no language type (en)\n"
	      "  --service-body IDS     bmlt: the service bodies to fetch, comma-separated\n"
	      "                         (their children too)\n"
	      "  --max-drop PERCENT     hold a sync that would take away more of the source's\n"
	      "                         active listings (default 50)\n"
	      "  --stale-after INTERVAL listings not confirmed for this long are shown as\n"
	      "                         stale (default 30d)\n"
	      "  --expire-after INTERVAL  ... and leave search (default 90d)\n"
	      "  --feedback-url URL, --feedback-email ADDRESS\n"
	      "                         where the source takes corrections (\"Suggest a change\")\n"
	      "  --webhook URL          POST each new report on its listings there (JSON)\n"
	      "  --no-webhook           stop doing so\n"
	      "  --license ID|TEXT      the terms its data is published under: an SPDX\n"
	      "                         identifier (CC-BY-4.0, ODbL-1.0) or the publisher's\n"
	      "                         words; \"\" removes it (and its URL)\n"
	      "  --license-url URL      the licence's text (with --license)\n"
	      "  --attribution TEXT     whom to credit (\"Data: Central Texas Intergroup\");\n"
	      "                         \"\" removes it\n"
	      "\n"
	      "remove: its listings leave search and it is fetched no more (its reports stay;\n"
	      "add brings it back). disable/enable: stop or resume fetching. confirm: apply a\n"
	      "sync that was held because it took away too much.\n"
	      "The database is FINDER_IMPORT_DATABASE (default \"dbname=finder user=finder_importer\").\n",
	      out);
	return out == stdout ? 0 : 2;
}

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
	va_list ap;

	fputs("finder source: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 2;
}

/* ---- Checking what was given ------------------------------------------- */

static int is_slug(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 32 || s[0] == '-' || s[n - 1] == '-' || strstr(s, "--") != NULL)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return 0;
	return 1;
}

int source_url_ok(const char *url)
{
	size_t n = strlen(url);

	if (n > URL_MAX || !(strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0))
		return 0;
	if (url[strcspn(url, "://") + 3] == '\0')
		return 0;
	for (; *url; url++)
		if ((unsigned char)*url <= ' ' || *url == 0x7f)
			return 0;
	return 1;
}

/* "30m", "6h", "1d", "2w" (a whole number and a unit) as a PostgreSQL
 * interval in `out`; -1 when it is not one, or less than `min_minutes`. */
int source_interval(const char *s, long min_minutes, char *out, size_t cap)
{
	static const struct {
		char unit;
		long minutes;
		const char *name;
	} units[] = {{'m', 1, "minutes"},
		     {'h', 60, "hours"},
		     {'d', 1440, "days"},
		     {'w', 10080, "weeks"}};
	size_t len = strlen(s);
	const char *end = s + len - 1; /* the unit */
	long long v;

	if (len < 2 || number_integer(s, len - 1, NUMBER_STRICT, 1, 100000, &v) != 0)
		return -1;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (units[i].unit == *end) {
			if (v * units[i].minutes < min_minutes)
				return -1;
			snprintf(out, cap, "%lld %.*s", v, (int)strlen(units[i].name) - (v == 1),
				 units[i].name);
			return 0;
		}
	return -1;
}

/* "1" to "100", optionally followed by '%' (as finder import's --max-drop). */
static int percent(const char *s, long long *out)
{
	size_t len = strlen(s);

	if (len > 0 && s[len - 1] == '%')
		len--;
	return number_integer(s, len, NUMBER_STRICT, 1, 100, out);
}

/* "12,34" as "{12,34}"; -1 unless positive whole numbers. */
static int parse_ids(const char *s, char *out, size_t cap)
{
	size_t n = 0;

	if (*s == '\0' || strlen(s) + 3 > cap)
		return -1;
	out[n++] = '{';
	for (const char *p = s; *p; p++) {
		if (*p == ',' ? (p == s || p[1] == '\0' || p[1] == ',') : !(*p >= '0' && *p <= '9'))
			return -1;
		out[n++] = *p;
	}
	out[n++] = '}';
	out[n] = '\0';
	return 0;
}

static int is_email(const char *s)
{
	const char *at = strchr(s, '@');

	if (at == NULL || at == s || at[1] == '\0' || strchr(at + 1, '@') != NULL ||
	    strlen(s) > 254)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return 0;
	return 1;
}

int source_line_ok(const char *s, size_t max)
{
	size_t len = strlen(s), chars = 0, n;

	if (len == 0 || !utf8_valid(s, len) || s[0] == ' ' || s[len - 1] == ' ')
		return 0;
	for (size_t i = 0; i < len; i += n, chars++) {
		long cp = utf8_decode((const unsigned char *)s + i, len - i, &n);

		/* C0, DEL and C1: a line break or a tab has no place in one line. */
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			return 0;
	}
	return chars <= max;
}

int source_terms_check(const struct source_terms *t, char *why, size_t cap)
{
	if (t->license != NULL && *t->license && !source_line_ok(t->license, SOURCE_LICENSE_MAX))
		snprintf(why, cap,
			 "--license is an SPDX identifier such as CC-BY-4.0, or one line "
			 "of at most %d characters without control characters or spaces at "
			 "either end, not \"%.200s\"",
			 SOURCE_LICENSE_MAX, t->license);
	else if (t->license_url != NULL && *t->license_url && !source_url_ok(t->license_url))
		snprintf(why, cap,
			 "--license-url is an http:// or https:// URL of at most 2000 "
			 "characters without spaces, not \"%.200s\"",
			 t->license_url);
	else if (t->license_url != NULL && *t->license_url && !(t->license != NULL && *t->license))
		snprintf(why, cap,
			 "--license-url goes with --license: the licence whose text "
			 "it is (\"\" removes both)");
	else if (t->attribution != NULL && *t->attribution &&
		 !source_line_ok(t->attribution, SOURCE_ATTRIBUTION_MAX))
		snprintf(why, cap,
			 "--attribution is whom to credit, one line of at most %d "
			 "characters without control characters or spaces at either end "
			 "(\"Data: Central Texas Intergroup\"), not \"%.200s\"",
			 SOURCE_ATTRIBUTION_MAX, t->attribution);
	else
		return 0;
	return -1;
}

static int check_add(struct add_options *o)
{
	static const char *const formats[] = {"meeting-guide", "bmlt", "csv", "hsds"};
	char why[512];
	int known = 0;

	if (o->url == NULL || o->format == NULL)
		return fail("add needs --url and --format (%s)", "finder source --help");
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		known = known || strcmp(o->format, formats[i]) == 0;
	if (!known)
		return fail("--format is meeting-guide, bmlt, csv or hsds, not \"%s\"", o->format);
	if (!source_url_ok(o->url))
		return fail("--url is an http:// or https:// URL of at most 2000 characters "
			    "without spaces, not \"%s\"",
			    o->url);
	if (strcmp(o->format, "bmlt") == 0 && !o->services[0] && strchr(o->url, '?') == NULL)
		return fail("a bmlt source needs --service-body (the ids of the service bodies "
			    "to fetch), or a --url that is a whole GetSearchResults query%s",
			    "");
	if (o->services[0] && strcmp(o->format, "bmlt") != 0)
		return fail("--service-body goes with --format bmlt%s", "");
	if (o->feedback_url != NULL && !source_url_ok(o->feedback_url))
		return fail("--feedback-url is an http:// or https:// URL, not \"%s\"",
			    o->feedback_url);
	if (o->feedback_email != NULL && !is_email(o->feedback_email))
		return fail("--feedback-email is an email address, not \"%s\"", o->feedback_email);
	if (o->webhook != NULL && !source_url_ok(o->webhook))
		return fail("--webhook is an http:// or https:// URL, not \"%s\"", o->webhook);
	if (source_terms_check(&o->terms, why, sizeof(why)) != 0)
		return fail("%s", why);
	return 0;
}

static int parse_add(int argc, char **argv, struct add_options *o)
{
	static const struct option long_options[] = {
		{"url", required_argument, NULL, 'u'},
		{"format", required_argument, NULL, 'f'},
		{"every", required_argument, NULL, 'e'},
		{"name", required_argument, NULL, 'n'},
		{"timezone", required_argument, NULL, 't'},
		{"fellowship", required_argument, NULL, 'F'},
		{"language", required_argument, NULL, 'l'},
		{"service-body", required_argument, NULL, 'b'},
		{"max-drop", required_argument, NULL, 'D'},
		{"stale-after", required_argument, NULL, 's'},
		{"expire-after", required_argument, NULL, 'x'},
		{"feedback-url", required_argument, NULL, 'U'},
		{"feedback-email", required_argument, NULL, 'E'},
		{"webhook", required_argument, NULL, 'w'},
		{"no-webhook", no_argument, NULL, 'W'},
		{"license", required_argument, NULL, 'L'},
		{"license-url", required_argument, NULL, 'K'},
		{"attribution", required_argument, NULL, 'A'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	long long pct;
	int c;

	while ((c = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
		switch (c) {
		case 'u': o->url = optarg; break;
		case 'f': o->format = optarg; break;
		case 'n': o->name = optarg; break;
		case 't': o->timezone = optarg; break;
		case 'F': o->fellowship = optarg; break;
		case 'l': o->language = optarg; break;
		case 'U': o->feedback_url = optarg; break;
		case 'E': o->feedback_email = optarg; break;
		case 'w': o->webhook = optarg; break;
		case 'W': o->no_webhook = 1; break;
		case 'L': o->terms.license = optarg; break;
		case 'K': o->terms.license_url = optarg; break;
		case 'A': o->terms.attribution = optarg; break;
		case 'e':
			if (source_interval(optarg, 1, o->every, sizeof(o->every)) != 0)
				return fail(
					"--every is a number and m, h, d or w (30m, 6h, 1d), at "
					"least 1m, not \"%s\"",
					optarg);
			break;
		case 's':
		case 'x':
			if (source_interval(optarg, 60, c == 's' ? o->stale_after : o->expire_after,
					    sizeof(o->stale_after)) != 0)
				return fail(
					"--stale-after and --expire-after are a number and h, d "
					"or w (30d), at least 1h, not \"%s\"",
					optarg);
			break;
		case 'b':
			if (parse_ids(optarg, o->services, sizeof(o->services)) != 0)
				return fail(
					"--service-body is service body ids separated by commas "
					"(12,34), not \"%s\"",
					optarg);
			break;
		case 'D':
			if (percent(optarg, &pct) != 0)
				return fail("--max-drop is a whole percentage from 1 to 100, not "
					    "\"%s\"",
					    optarg);
			snprintf(o->max_drop, sizeof(o->max_drop), "%.2f", (double)pct / 100);
			break;
		case 'h': usage(stdout); return 1;
		default: return usage(stderr);
		}
	}
	if (optind != argc - 1)
		return fail("add takes one SLUG (%s)", "finder source --help");
	o->slug = argv[optind];
	return 0;
}

/* ---- The database ---------------------------------------------------------- */

/* Runs one statement; the result when it succeeded, else NULL (said). */
static PGresult *run(PGconn *conn, const char *sql, int n, const char *const *values)
{
	PGresult *res = PQexecParams(conn, sql, n, NULL, values, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(res);

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return res;
	fprintf(stderr, "finder source: %s",
		PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)
			? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)
			: PQerrorMessage(conn));
	fputc('\n', stderr);
	PQclear(res);
	return NULL;
}

static int run_ok(PGconn *conn, const char *sql, int n, const char *const *values)
{
	PGresult *res = run(conn, sql, n, values);

	PQclear(res);
	return res ? 0 : -1;
}

static int exists(PGconn *conn, const char *sql, const char *value)
{
	const char *values[1] = {value};
	PGresult *res = run(conn, sql, 1, values);
	int found = res != NULL && PQntuples(res) > 0;

	PQclear(res);
	return found;
}

static const char *or_null(const char *s)
{
	return s != NULL && *s ? s : NULL;
}

static int save_webhook(PGconn *conn, const struct add_options *o, const char *id)
{
	const char *values[2] = {id, o->webhook};

	if (o->webhook != NULL)
		return run_ok(conn,
			      "INSERT INTO source_webhooks (source_id, url) VALUES ($1, $2) "
			      "ON CONFLICT (source_id) DO UPDATE SET url = EXCLUDED.url",
			      2, values);
	if (o->no_webhook)
		return run_ok(conn, "DELETE FROM source_webhooks WHERE source_id = $1", 1, values);
	return 0;
}

static int save_source(PGconn *conn, const struct add_options *o)
{
	const char *values[17] = {
		o->slug,
		o->name,
		o->format,
		o->url,
		or_null(o->services),
		or_null(o->every),
		o->timezone,
		o->fellowship,
		o->language,
		or_null(o->max_drop),
		or_null(o->stale_after),
		or_null(o->expire_after),
		o->feedback_url,
		o->feedback_email,
		o->terms.license,
		o->terms.license_url,
		o->terms.attribution,
	};
	PGresult *res = run(conn, query_source_save, QUERY_SOURCE_SAVE_NPARAMS, values);
	int status = -1;

	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		fprintf(stderr,
			"finder source: \"%s\" is the demo source, which only the demo "
			"loader writes\n",
			o->slug);
	else if (PQgetisnull(res, 0, 1) && strcmp(o->format, "hsds") != 0)
		fprintf(stderr,
			"finder source: source \"%s\" has no fellowship: give "
			"--fellowship\n",
			o->slug);
	else
		status = save_webhook(conn, o, PQgetvalue(res, 0, 0));
	PQclear(res);
	return status;
}

static int check_names(PGconn *conn, const struct add_options *o)
{
	int is_new = !exists(conn, "SELECT 1 FROM sources WHERE slug = $1", o->slug);
	int meetings = strcmp(o->format, "hsds") != 0;

	if (is_new && (o->timezone == NULL || (meetings && o->fellowship == NULL))) {
		fprintf(stderr, "finder source: source \"%s\" is new: give its --timezone%s\n",
			o->slug, meetings ? " and --fellowship" : "");
		return -1;
	}
	if (o->timezone != NULL &&
	    !exists(conn, "SELECT 1 FROM pg_timezone_names WHERE name = $1", o->timezone)) {
		fprintf(stderr, "finder source: --timezone \"%s\" is not an IANA time zone\n",
			o->timezone);
		return -1;
	}
	if (o->fellowship != NULL &&
	    !exists(conn, "SELECT 1 FROM fellowships WHERE slug = $1", o->fellowship)) {
		fprintf(stderr,
			"finder source: --fellowship \"%s\" is not known (GET "
			"/api/v1/fellowships lists them)\n",
			o->fellowship);
		return -1;
	}
	return 0;
}

static int cmd_add(int argc, char **argv)
{
	struct add_options o = {0};
	PGconn *conn;
	int rc = parse_add(argc, argv, &o), status = 1;

	if (rc != 0)
		return rc == 1 ? 0 : rc;
	if (!is_slug(o.slug))
		return fail("SLUG is at most 32 lower-case letters, digits and hyphens, not "
			    "\"%s\"",
			    o.slug);
	if ((rc = check_add(&o)) != 0)
		return rc;
	if ((conn = db_open("finder source", DB_OPEN_IMPORTER)) == NULL)
		return 1;
	if (run_ok(conn, "BEGIN", 0, NULL) == 0 && check_names(conn, &o) == 0 &&
	    save_source(conn, &o) == 0 && run_ok(conn, "COMMIT", 0, NULL) == 0) {
		printf("%s: fetched from %s every %s; the next sync takes it now (make sync, or "
		       "within a minute under make run)\n",
		       o.slug, o.url, o.every[0] ? o.every : "6 hours");
		status = 0;
	}
	PQfinish(conn);
	return status;
}

/* ---- list ------------------------------------------------------------------ */

enum {
	L_SLUG,
	L_FORMAT,
	L_URL,
	L_ENABLED,
	L_STATUS,
	L_EVERY,
	L_SUCCESS,
	L_NEXT,
	L_ERROR,
	L_MEETINGS,
	L_SERVICES,
	L_EXPIRED,
	L_LICENSE,
	L_LICENSE_URL,
	L_ATTRIBUTION,
	L__MAX
};

static json_object *text_or_null(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL
					  : json_object_new_string(PQgetvalue(res, row, col));
}

static void list_json(const PGresult *res)
{
	static const char *const keys[L__MAX] = {
		"slug",     "format",          "url",          "enabled",     "status",
		"every",    "last_success_at", "next_sync_at", "error",       "meetings",
		"services", "expired_at",      "license",      "license_url", "attribution"};
	json_object *list = json_object_new_array();

	for (int r = 0; r < PQntuples(res); r++) {
		json_object *o = json_object_new_object();

		for (int c = 0; c < L__MAX; c++) {
			json_object *v;

			if (c == L_ENABLED)
				v = json_object_new_boolean(PQgetvalue(res, r, c)[0] == 't');
			else if (c == L_MEETINGS || c == L_SERVICES)
				v = json_object_new_int64(strtoll(PQgetvalue(res, r, c), NULL, 10));
			else
				v = text_or_null(res, r, c);
			json_object_object_add(o, keys[c], v);
		}
		json_object_array_add(list, o);
	}
	puts(json_object_to_json_string_ext(list, JSON_C_TO_STRING_PRETTY |
							  JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(list);
}

/* The second line of a source: its data's terms, "not stated" when unknown. */
static void list_terms(const PGresult *res, int r)
{
	printf("      licence: %s%s%s%s; credit: %s\n",
	       PQgetisnull(res, r, L_LICENSE) ? "not stated" : PQgetvalue(res, r, L_LICENSE),
	       PQgetisnull(res, r, L_LICENSE_URL) ? "" : " <", PQgetvalue(res, r, L_LICENSE_URL),
	       PQgetisnull(res, r, L_LICENSE_URL) ? "" : ">",
	       PQgetisnull(res, r, L_ATTRIBUTION) ? "not stated"
						  : PQgetvalue(res, r, L_ATTRIBUTION));
}

static void list_text(const PGresult *res)
{
	printf("%-24s %-13s %-9s %-8s %-20s %8s %8s  %s\n", "SOURCE", "FORMAT", "STATUS", "EVERY",
	       "LAST SUCCESS", "MEETINGS", "SERVICES", "URL / ERROR");
	for (int r = 0; r < PQntuples(res); r++) {
		const char *err = PQgetvalue(res, r, L_ERROR);

		printf("%-24s %-13s %-9s %-8s %-20s %8s %8s  %s%s%s\n", PQgetvalue(res, r, L_SLUG),
		       PQgetvalue(res, r, L_FORMAT), PQgetvalue(res, r, L_STATUS),
		       PQgetisnull(res, r, L_URL) ? "-" : PQgetvalue(res, r, L_EVERY),
		       PQgetisnull(res, r, L_SUCCESS) ? "-" : PQgetvalue(res, r, L_SUCCESS),
		       PQgetvalue(res, r, L_MEETINGS), PQgetvalue(res, r, L_SERVICES),
		       PQgetisnull(res, r, L_URL) ? "(imported from a file)"
						  : PQgetvalue(res, r, L_URL),
		       *err ? "\n" : "", *err ? "      error: " : "");
		if (*err)
			printf("%s\n", err);
		list_terms(res, r);
	}
}

static int cmd_list(int argc, char **argv)
{
	int json = argc == 2 && strcmp(argv[1], "--json") == 0;
	PGconn *conn;
	PGresult *res;

	if (argc > 2 || (argc == 2 && !json))
		return fail("list takes only --json%s", "");
	if ((conn = db_open("finder source", DB_OPEN_IMPORTER)) == NULL)
		return 1;
	res = run(conn, query_source_list, QUERY_SOURCE_LIST_NPARAMS, NULL);
	if (res != NULL) {
		if (json)
			list_json(res);
		else
			list_text(res);
	}
	PQclear(res);
	PQfinish(conn);
	return res ? 0 : 1;
}

/* ---- remove, disable, enable, confirm -------------------------------------- */

struct change {
	const char *name;
	const char *sql;     /* $1 slug; returns a row when it applied */
	const char *refused; /* why it did not */
	const char *done;
};

static const struct change changes[] = {
	{"remove",
	 "WITH s AS (SELECT slug FROM sources WHERE slug = $1 AND NOT demo "
	 "AND removed_at IS NULL), w AS (SELECT source_withdraw(s.slug, now()) AS n FROM s) "
	 "UPDATE sources SET enabled = false, removed_at = now(), next_sync_at = NULL "
	 "FROM w WHERE sources.slug = $1 RETURNING w.n",
	 "there is no such source to remove (or it is the demo)",
	 "removed; its listings left search, its reports are kept (add it again to bring it "
	 "back)"},
	{"disable",
	 "UPDATE sources SET enabled = false, sync_status = 'disabled' "
	 "WHERE slug = $1 AND url IS NOT NULL AND removed_at IS NULL RETURNING 1",
	 "there is no such synced source (finder source list)",
	 "disabled; no more fetches (its listings stay, and are shown stale in time)"},
	{"enable",
	 "UPDATE sources SET enabled = true, next_sync_at = now(), "
	 "sync_status = CASE WHEN sync_status = 'disabled' THEN 'new' ELSE sync_status END "
	 "WHERE slug = $1 AND url IS NOT NULL AND removed_at IS NULL RETURNING 1",
	 "there is no such synced source (finder source list)",
	 "enabled; the next sync takes it now"},
	{"confirm",
	 "UPDATE sources SET drop_confirmed = true, next_sync_at = now() "
	 "WHERE slug = $1 AND sync_status = 'held' AND removed_at IS NULL RETURNING 1",
	 "it has no held sync to confirm",
	 "confirmed; the next sync applies the feed however much it takes away"},
};

static int cmd_change(const struct change *c, int argc, char **argv)
{
	const char *values[1];
	PGconn *conn;
	PGresult *res;
	int status = 1;

	if (argc != 2)
		return fail("%s takes one SLUG", c->name);
	values[0] = argv[1];
	if ((conn = db_open("finder source", DB_OPEN_IMPORTER)) == NULL)
		return 1;
	res = run(conn, c->sql, 1, values);
	if (res != NULL && PQntuples(res) == 0) {
		fprintf(stderr, "finder source: %s: %s\n", argv[1], c->refused);
	} else if (res != NULL) {
		printf("%s: %s\n", argv[1], c->done);
		status = 0;
	}
	PQclear(res);
	PQfinish(conn);
	return status;
}

int source_main(int argc, char **argv)
{
	if (argc < 2)
		return usage(stderr);
	optind = 1;
	if (strcmp(argv[1], "add") == 0)
		return cmd_add(argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return cmd_list(argc - 1, argv + 1);
	for (size_t i = 0; i < sizeof(changes) / sizeof(changes[0]); i++)
		if (strcmp(argv[1], changes[i].name) == 0)
			return cmd_change(&changes[i], argc - 1, argv + 1);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0 ||
	    strcmp(argv[1], "-h") == 0)
		return usage(stdout);
	return usage(stderr);
}
