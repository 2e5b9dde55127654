/*
 * `finder import`: reads a meeting feed (Meeting Guide JSON, BMLT
 * GetSearchResults or the CSV template), settles what every format shares,
 * and merges it into one source's meetings in one transaction. With
 * --format hsds it reads a services directory instead (import_hsds.c) and
 * merges it with hsds_import_apply() (sql/migrations/015_hsds_import.sql),
 * the same way: staged by COPY, applied and reported in one transaction.
 * This file is the command: its options and the order of the steps; the
 * steps live in import_read.c (the file), import_settle.c (settling),
 * import_copy.c (COPY lines), import_db.c (the source, the staging and the
 * merge, its SQL in sql/queries/import_*.sql) and import_report.c.
 *
 *   1. read the file (at most IMPORT_MAX_BYTES)
 *   2. connect, create or update the source, and look up the known time
 *      zones and fellowships
 *   3. parse it (import_*.c); the parser hands its meetings over in
 *      chunks, and each is settled (import_settle.c: the feed's slug kept
 *      as written and unique in the feed, the finder's slug beside it;
 *      approximate, closed and attendance; here: fellowship and zone; what
 *      cannot be a meeting rejected with the reason) and sent by COPY into
 *      a temporary table
 *      while the parser reads on; a file unusable as a whole aborts here
 *   4. call import_apply()
 *      (sql/migrations/012_imports.sql), which inserts, updates, leaves
 *      alone and deactivates, and records the report on the source
 *   5. commit, and print the report
 *   6. when FINDER_FEEDS_DIR names the Meeting Guide feed's files, bring
 *      them up to date (feeds.c): the source's file and the file of all
 *      sources
 *
 * Any failure after step 2 rolls the whole import back: the database is as
 * it was. A failure in step 6 is a warning only: the import stands, the
 * files that could be stale are removed, and the handler serves the feed
 * from the database until the next run. Exit status: 0 imported (rows may
 * have been rejected), 1 the file or the database failed, 2 bad usage, 3
 * held: with --max-drop, the merge would have taken away more of the
 * source's active listings than allowed, and was rolled back (`finder
 * sync` holds such a feed until someone confirms it).
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <libpq-fe.h>

#include "db_open.h"
#include "feeds.h"
#include "import.h"
#include "import_db.h"
#include "import_hsds.h"
#include "import_norm.h"
#include "import_read.h"
#include "import_report.h"
#include "number.h"

static int usage(FILE *out)
{
	fputs("usage: finder import --format FORMAT --source SLUG [options] FILE|-\n"
	      "\n"
	      "  --format meeting-guide|bmlt|csv|hsds\n"
	      "                       hsds: HSDS JSON (a service, an organization with its\n"
	      "                       services, a service_at_location, a location, a Page\n"
	      "                       or a list of them, or the tabular package as JSON),\n"
	      "                       or a CSV package (its directory or its\n"
	      "                       datapackage.json; HSDS 3.0 or the older Ohana form)\n"
	      "  --source SLUG        the source the meetings belong to (created on first import)\n"
	      "  --name TEXT          the source's name (default: its slug)\n"
	      "  --timezone ZONE      IANA zone of meetings that give none (needed the first time)\n"
	      "  --fellowship SLUG    fellowship of meetings that give none (needed the first time)\n"
	      "  --language CODE      language of meetings with no language type (default en)\n"
	      "  --formats FILE       bmlt: a GetFormats response, to map formats to type codes\n"
	      "  --contacts-public    the source publishes its contacts (default: kept private)\n"
	      "  --contacts-private   stop publishing them\n"
	      "  --max-drop PERCENT   roll back (exit status 3) when the merge would take away\n"
	      "                       more than PERCENT of the source's active listings\n"
	      "  --feedback-url URL   where the source's steward takes corrections (http or\n"
	      "                       https), for meetings whose feed gives no feedback_url;\n"
	      "                       \"\" removes it\n"
	      "  --feedback-email ADDRESS\n"
	      "                       the steward's address for corrections; \"\" removes it\n"
	      "  --license ID|TEXT    the terms the source publishes its data under: an SPDX\n"
	      "                       identifier (CC-BY-4.0, ODbL-1.0) or its own words;\n"
	      "                       \"\" removes it (and its URL). hsds: a package's\n"
	      "                       datapackage.json licence is taken when neither\n"
	      "                       --license nor --license-url is given\n"
	      "  --license-url URL    the licence's text (with --license)\n"
	      "  --attribution TEXT   whom to credit (\"Data: Central Texas Intergroup\");\n"
	      "                       \"\" removes it\n"
	      "  --dry-run            read, check and merge, then roll back\n"
	      "  --json               print the report as JSON\n"
	      "  --quiet              print only the counts\n"
	      "\n"
	      "The database is FINDER_IMPORT_DATABASE (default \"dbname=finder user=finder_importer\").\n"
	      "One import is one transaction: a file that cannot be read changes nothing.\n"
	      "After an import (not --dry-run), the Meeting Guide feed's files in\n"
	      "FINDER_FEEDS_DIR are brought up to date, their links made from\n"
	      "FINDER_PUBLIC_URL (finder feeds --help); unset, no files are written.\n",
	      out);
	return out == stdout ? 0 : 2;
}

/* "1" to "100", optionally followed by '%'. */
static int parse_percent(const char *s, int *out)
{
	size_t len = strlen(s);
	long long v;

	if (len > 0 && s[len - 1] == '%')
		len--;
	if (number_integer(s, len, NUMBER_STRICT, 1, 100, &v) != 0)
		return -1;
	*out = (int)v;
	return 0;
}

/* Whether s holds no space or control character. */
static int one_word(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

/* A plain address: one @ between a local part and a domain with a dot, no
 * spaces, no name or brackets around it ("Pat <pat@x.org>" is not one). */
static int plain_email(const char *s)
{
	const char *at = strchr(s, '@');

	return at != NULL && at > s && strchr(at + 1, '@') == NULL && strchr(at + 1, '.') != NULL &&
	       at[1] != '.' && s[strlen(s) - 1] != '.' && strlen(s) <= 254 && one_word(s) &&
	       strpbrk(s, "<>()[],;:\"\\") == NULL;
}

/* --feedback-url and --feedback-email: "" (remove) or well formed, as the
 * sources table checks them; -1 after saying why. */
static int check_feedback(const struct import_args *o)
{
	const char *url = o->feedback_url;
	char *normal = url != NULL && *url ? import_norm_url(url) : NULL;
	int url_ok = url == NULL || !*url ||
		     (normal != NULL &&
		      (strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0) &&
		      one_word(url) && strlen(url) <= 2000);

	free(normal);
	if (!url_ok) {
		fprintf(stderr,
			"finder import: --feedback-url is an http:// or https:// link such as "
			"https://example.org/meetings/feedback, not \"%.200s\"\n",
			url);
		return -1;
	}
	if (o->feedback_email != NULL && *o->feedback_email && !plain_email(o->feedback_email)) {
		fprintf(stderr,
			"finder import: --feedback-email is a plain address such as "
			"meetings@example.org, not \"%.200s\"\n",
			o->feedback_email);
		return -1;
	}
	return 0;
}

/* --license, --license-url and --attribution, as the sources table checks
 * them; -1 after saying why. */
static int check_terms(const struct import_args *o)
{
	char why[512];

	if (source_terms_check(&o->terms, why, sizeof(why)) == 0)
		return 0;
	fprintf(stderr, "finder import: %s\n", why);
	return -1;
}

/* An HSDS package's own licence (its datapackage.json), when the command
 * names none: the publisher's word on its data, taken with its link (or
 * none) and said in the report. One the sources table would refuse is
 * left, with a warning. */
static void package_terms(struct import_args *o, const struct hsds_input *hsds,
			  struct import_batch *issues)
{
	if (hsds->license == NULL || o->terms.license != NULL || o->terms.license_url != NULL)
		return;
	if (!source_line_ok(hsds->license, SOURCE_LICENSE_MAX) ||
	    (hsds->license_url != NULL && !source_url_ok(hsds->license_url))) {
		import_batch_warn(
			issues, 0, "datapackage.json",
			"its licence (\"%.200s\", %.200s) is not "
			"one line of at most %d characters with an http(s) link: not taken; "
			"give --license",
			hsds->license, hsds->license_url != NULL ? hsds->license_url : "no link",
			SOURCE_LICENSE_MAX);
		return;
	}
	o->terms.license = hsds->license;
	o->terms.license_url = hsds->license_url != NULL ? hsds->license_url : "";
	import_batch_warn(issues, 0, "datapackage.json",
			  "the source's licence is the package's: %s%s%s "
			  "(--license overrides it)",
			  hsds->license, hsds->license_url != NULL ? ", " : "",
			  hsds->license_url != NULL ? hsds->license_url : "");
}

/* --source: already in slug form, at most 32 characters; -1 after saying
 * why. */
static int check_source(const char *source)
{
	char *slug = import_norm_slug(source, 32);
	int ok = slug != NULL && strcmp(slug, source) == 0;

	free(slug);
	if (!ok) {
		fprintf(stderr,
			"finder import: --source is a slug of at most 32 lower-case letters, "
			"digits and hyphens, not \"%s\"\n",
			source);
		return -1;
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct import_args *o)
{
	static const struct option long_options[] = {
		{"format", required_argument, NULL, 'f'},
		{"source", required_argument, NULL, 's'},
		{"name", required_argument, NULL, 'n'},
		{"timezone", required_argument, NULL, 't'},
		{"fellowship", required_argument, NULL, 'F'},
		{"language", required_argument, NULL, 'l'},
		{"formats", required_argument, NULL, 'm'},
		{"contacts-public", no_argument, NULL, 'P'},
		{"contacts-private", no_argument, NULL, 'p'},
		{"max-drop", required_argument, NULL, 'D'},
		{"feedback-url", required_argument, NULL, 'U'},
		{"feedback-email", required_argument, NULL, 'E'},
		{"license", required_argument, NULL, 'L'},
		{"license-url", required_argument, NULL, 'K'},
		{"attribution", required_argument, NULL, 'A'},
		{"dry-run", no_argument, NULL, 'd'},
		{"json", no_argument, NULL, 'j'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	memset(o, 0, sizeof(*o));
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
		switch (c) {
		case 'f': o->format_name = optarg; break;
		case 's': o->source = optarg; break;
		case 'n': o->name = optarg; break;
		case 't': o->timezone = optarg; break;
		case 'F': o->fellowship = optarg; break;
		case 'l': o->language = optarg; break;
		case 'm': o->formats_path = optarg; break;
		case 'P': o->contacts_public = "true"; break;
		case 'p': o->contacts_public = "false"; break;
		case 'D':
			if (parse_percent(optarg, &o->max_drop) != 0) {
				fprintf(stderr,
					"finder import: --max-drop is a whole percentage "
					"from 1 to 100, not \"%s\"\n",
					optarg);
				return 2;
			}
			break;
		case 'U': o->feedback_url = optarg; break;
		case 'E': o->feedback_email = optarg; break;
		case 'L': o->terms.license = optarg; break;
		case 'K': o->terms.license_url = optarg; break;
		case 'A': o->terms.attribution = optarg; break;
		case 'd': o->dry_run = 1; break;
		case 'j': o->json = 1; break;
		case 'q': o->quiet = 1; break;
		case 'h': return usage(stdout) == 0 ? 1 : 2;
		default: return usage(stderr);
		}
	}
	if (optind != argc - 1 || o->format_name == NULL || o->source == NULL) {
		fputs("finder import: give --format, --source and one FILE (or -)\n", stderr);
		return usage(stderr);
	}
	o->path = argv[optind];
	if (strcmp(o->format_name, "meeting-guide") == 0)
		o->format = IMPORT_MEETING_GUIDE;
	else if (strcmp(o->format_name, "bmlt") == 0)
		o->format = IMPORT_BMLT;
	else if (strcmp(o->format_name, "csv") == 0)
		o->format = IMPORT_CSV;
	else if (strcmp(o->format_name, "hsds") == 0)
		o->format = IMPORT_HSDS;
	else {
		fprintf(stderr,
			"finder import: --format is meeting-guide, bmlt or csv (meetings) or hsds "
			"(services), not \"%s\"\n",
			o->format_name);
		return 2;
	}
	if (o->format == IMPORT_HSDS &&
	    (o->fellowship != NULL || o->language != NULL || o->contacts_public != NULL)) {
		fputs("finder import: --fellowship, --language and --contacts-* are for meetings, "
		      "not --format hsds\n",
		      stderr);
		return 2;
	}
	if (o->formats_path != NULL && o->format != IMPORT_BMLT) {
		fputs("finder import: --formats goes with --format bmlt\n", stderr);
		return 2;
	}
	if (check_source(o->source) != 0 || check_feedback(o) != 0 || check_terms(o) != 0)
		return 2;
	if (o->language != NULL &&
	    !(strlen(o->language) == 2 && o->language[0] >= 'a' && o->language[0] <= 'z' &&
	      o->language[1] >= 'a' && o->language[1] <= 'z')) {
		fprintf(stderr,
			"finder import: --language is a two-letter code such as en or es\n");
		return 2;
	}
	return 0;
}

/* The file as read, for the meeting parsers. */
struct feed {
	const char *data;
	size_t len;
	const char *formats; /* --formats (bmlt), or NULL */
	size_t formats_len;
};

/* The meeting parser of the format (import_db_stage_meetings() calls it). */
static int parse_feed(const struct import_args *o, const void *ctx, struct import_batch *batch)
{
	const struct feed *feed = ctx;
	struct import_options options = {
		.formats_json = feed->formats,
		.formats_len = feed->formats_len,
	};

	switch (o->format) {
	case IMPORT_MEETING_GUIDE: return import_mg_parse(feed->data, feed->len, &options, batch);
	case IMPORT_BMLT: return import_bmlt_parse(feed->data, feed->len, &options, batch);
	case IMPORT_CSV: return import_csv_parse(feed->data, feed->len, &options, batch);
	case IMPORT_HSDS: break;
	}
	return -1;
}

/* With --max-drop: whether the merge's report (counts) takes away more than
 * that share of the `before` active listings; says so when it does. */
static int drop_held(const struct import_args *o, long before, const char *counts)
{
	json_object *report = json_tokener_parse(counts), *v;
	int64_t gone = 0;

	if (report != NULL && json_object_object_get_ex(report, "deactivated", &v))
		gone = json_object_get_int64(v);
	json_object_put(report);
	if (o->max_drop == 0 || before <= 0 || gone * 100 <= (int64_t)o->max_drop * before)
		return 0;
	fprintf(stderr,
		"finder import: held: the feed would take away %lld of the source's %ld active "
		"listings (%lld%%), more than --max-drop %d%%; nothing was changed\n",
		(long long)gone, before, (long long)(gone * 100 / before), o->max_drop);
	return 1;
}

/* The source, then the file's rows staged: -1 when either failed (the
 * reason printed). */
static int stage(PGconn *conn, const struct import_args *o, const struct feed *feed,
		 struct hsds_input *hsds, struct import_batch *batch,
		 const struct import_names *zones, const struct import_names *fellowships,
		 struct import_source *source)
{
	if (o->format == IMPORT_HSDS) {
		if (import_db_open_source(conn, o, source) != 0)
			return -1;
		return import_db_stage_hsds(conn, o, feed->data, feed->len, hsds);
	}
	if (o->fellowship != NULL && !import_settle_names_has(fellowships, o->fellowship)) {
		fprintf(stderr,
			"finder import: --fellowship \"%s\" is not known (GET /api/v1/fellowships lists them)\n",
			o->fellowship);
		return -1;
	}
	if (import_db_open_source(conn, o, source) != 0)
		return -1;
	return import_db_stage_meetings(conn, o, source, zones, fellowships, parse_feed, feed,
					batch);
}

/* Everything after reading the file, in one transaction: -1 when it was
 * rolled back (the reason printed), 3 when it was held (--max-drop). The
 * file is parsed here, with the rows streaming into the database as they
 * are read; a file that turns out unusable aborts the COPY, and nothing is
 * changed. */
static int run_import(PGconn *conn, const struct import_args *o, const struct feed *feed,
		      struct hsds_input *hsds, struct import_batch *batch, char **counts)
{
	struct import_names zones = {0}, fellowships = {0};
	struct import_source source = {0};
	int status = -1;
	long before = -1;

	if (import_db_session(conn) != 0 || import_db_exec(conn, "BEGIN") != 0 ||
	    import_db_transaction(conn) != 0 || import_db_names(conn, &zones, &fellowships) != 0)
		goto done;
	if (o->timezone != NULL && !import_settle_names_has(&zones, o->timezone)) {
		fprintf(stderr, "finder import: --timezone \"%s\" is not an IANA time zone\n",
			o->timezone);
		goto done;
	}
	if (stage(conn, o, feed, hsds, batch, &zones, &fellowships, &source) != 0)
		goto done;
	if (o->max_drop && (before = import_db_active(conn, o)) < 0)
		goto done;
	if (import_db_apply(conn, o, batch, counts) != 0)
		goto done;
	if (drop_held(o, before, *counts)) {
		status = 3;
		goto done;
	}
	if (import_db_exec(conn, o->dry_run ? "ROLLBACK" : "COMMIT") != 0)
		goto done;
	status = 0;
done:
	if (status != 0) {
		PQclear(PQexec(conn, "ROLLBACK"));
		free(*counts);
		*counts = NULL;
	}
	free(source.timezone);
	free(source.fellowship);
	import_settle_names_free(&zones);
	import_settle_names_free(&fellowships);
	return status;
}

/* After a committed import: the feed's files. Their failure does not fail
 * the import (feeds_write says why and removes what could be stale). */
static void write_feeds(PGconn *conn, const struct import_args *o, struct feeds_settings *s)
{
	s->quiet = o->quiet;
	if (feeds_write(conn, s, o->source) != 0)
		fprintf(stderr,
			"finder import: warning: the import stands, but the feed's files "
			"were not brought up to date; the handler serves the feed meanwhile\n");
}

int import_main(int argc, char **argv)
{
	struct import_args o;
	struct import_batch batch = {0};
	struct hsds_input hsds = {0};
	struct import_batch *issues = &batch;
	struct feeds_settings feeds;
	int feeds_wanted;
	struct feed feed;
	char *data = NULL, *formats = NULL, *counts = NULL;
	size_t len = 0, formats_len = 0;
	char error[512];
	PGconn *conn = NULL;
	int status = 1;
	int rc;

	/* Before the options: some are checked with its patterns. */
	if (import_norm_init() != 0)
		return 1;
	rc = parse_args(argc, argv, &o);
	if (rc != 0) {
		import_norm_free();
		return rc == 1 ? 0 : rc;
	}
	/* Settings that cannot work are refused before anything changes. */
	feeds_wanted = o.dry_run ? 0 : feeds_settings_from_env(&feeds, "finder import");
	if (feeds_wanted < 0) {
		import_norm_free();
		return 2;
	}
	if (o.format == IMPORT_HSDS) {
		/* The batch's issues are the report's rejects and warnings. */
		issues = &hsds.batch.issues;
		rc = import_read_package(o.path, &hsds, error, sizeof(error));
	}
	if (rc < 0 ||
	    (hsds.ntables == 0 &&
	     import_read_all(o.path, &data, &len, error, sizeof(error)) != 0) ||
	    (o.formats_path != NULL &&
	     import_read_all(o.formats_path, &formats, &formats_len, error, sizeof(error)) != 0)) {
		fprintf(stderr, "finder import: %s; nothing was imported\n", error);
		goto done;
	}
	package_terms(&o, &hsds, issues);
	conn = db_open("finder import", DB_OPEN_IMPORTER);
	if (conn == NULL)
		goto done;
	feed = (struct feed){data, len, formats, formats_len};
	rc = run_import(conn, &o, &feed, &hsds, issues, &counts);
	if (rc != 0) {
		if (rc == 3)
			status = 3;
		else
			fprintf(stderr, "finder import: nothing was imported\n");
		goto done;
	}
	import_report_print(&o, counts, issues);
	status = 0;
	fflush(stdout);
	if (feeds_wanted)
		write_feeds(conn, &o, &feeds);
done:
	if (conn != NULL)
		PQfinish(conn);
	free(counts);
	free(data);
	free(formats);
	import_batch_free(&batch);
	import_read_hsds_input_free(&hsds);
	import_norm_free();
	return status;
}
