/*
 * `finder sync`: fetches each due source from its URL (fetch.c, guarded)
 * and imports it when it changed; takes the listings of sources that went
 * quiet for too long out of search.
 *
 * Each source in a process of its own (--jobs at once, each with its own
 * connection), so that a slow or failing server holds up only its source:
 *
 *   1. its row (sql/queries/sync_source.sql) and a session advisory lock,
 *      so that two passes never sync one source at once
 *   2. the fetch, into a file in a private temporary directory:
 *      conditional (ETag, Last-Modified) unless the source's listings
 *      expired or a held drop was confirmed; a BMLT source is its server's
 *      GetSearchResults for its service bodies, and GetFormats
 *   3. what came back: 304 or the same body as last time is "unchanged";
 *      a failure, another status, an empty body or an HTML page where JSON
 *      belongs is "failed"; anything else goes to `finder import` in a
 *      child process (this same program), with --max-drop from the source,
 *      so that a crash or a bad feed stays in its child: exit 0 is
 *      "changed" (or "unchanged" when the merge changed nothing), 3 "held"
 *   4. the attempt recorded and the source's state moved on
 *      (sql/queries/sync_record.sql): validators, status, error, back-off
 *
 * A failure of one source is recorded and the pass goes on to the next.
 * Then the expiry: a synced source not confirmed for its expire_after has
 * its listings withdrawn (source_withdraw), and says so on stderr. Last,
 * the reports due to the sources' webhooks are delivered (reports_deliver,
 * reports_deliver.c), with links under FINDER_PUBLIC_URL.
 *
 * --loop runs a pass every --interval seconds until SIGTERM or SIGINT: the
 * scheduler `make run` starts. Exit status (one pass): 0 when no source
 * failed, 1 when one did (the others were synced all the same), 2 bad
 * usage.
 */
#include "sync.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>
#include <libpq-fe.h>

#include "db_open.h"
#include "feeds.h"
#include "fetch.h"
#include "import.h"
#include "number.h"
#include "origin.h"
#include "queries.h"
#include "reports.h"
#include "utf8.h"

#define LOCK_CLASS 7141 /* pg_try_advisory_lock(LOCK_CLASS, source id) */
#define REPORT_MAX (4u * 1024 * 1024)
#define REJECTS_KEPT 20

struct settings {
	const char *now; /* --now: the pass's clock (tests), or NULL */
	int force;       /* import even an unchanged body */
	int quiet;       /* only failures and changes */
	int loop;
	long interval_s;
	char origin[ORIGIN_MAX]; /* FINDER_PUBLIC_URL, for the reports' links; "" none */
	long timeout_s;
	long jobs;           /* sources synced at once */
	size_t max_bytes;    /* the most a fetch reads */
	const char *pidfile; /* --loop: where to write its pid */
	char exe[4096];      /* this program, for the child imports */
};

/* Columns of sql/queries/sync_source.sql. */
enum {
	S_ID,
	S_FORMAT,
	S_URL,
	S_SERVICES,
	S_ETAG,
	S_LAST_MODIFIED,
	S_DIGEST,
	S_EXPIRED,
	S_CONFIRMED,
	S_MAX_DROP,
	S_ENABLED,
	S_REMOVED,
	S__MAX
};

struct source {
	const char *slug;
	char *col[S__MAX];
};

struct attempt {
	char started[64];
	const char *outcome; /* changed, unchanged, held, failed */
	long http_status;
	long long bytes;
	char error[512];
	char *report;     /* JSON, or NULL */
	char counts[160]; /* the report's counts for a person, or "" */
	struct fetch_result fetched;
};

static volatile sig_atomic_t stopping;

static void on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("finder sync: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* Keeps text as the attempt's error, cut to what a->error holds on a
 * character's boundary: the database refuses half a character. */
static void keep_error(struct attempt *a, const char *text)
{
	size_t n = utf8_cut(text, strlen(text), sizeof a->error - 1);

	memcpy(a->error, text, n);
	a->error[n] = '\0';
}

static void fail_attempt(struct attempt *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void fail_attempt(struct attempt *a, const char *fmt, ...)
{
	char text[4 * sizeof a->error];
	va_list ap;

	a->outcome = "failed";
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	keep_error(a, text);
}

/* ---- The database ---------------------------------------------------------- */

static PGresult *run(PGconn *conn, const char *sql, int n, const char *const *values)
{
	PGresult *res = PQexecParams(conn, sql, n, NULL, values, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(res);

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return res;
	say("%s", PQresultErrorMessage(res)[0] ? PQresultErrorMessage(res) : PQerrorMessage(conn));
	PQclear(res);
	return NULL;
}

static int is_true(const char *s)
{
	return s != NULL && s[0] == 't';
}

/* The pass's clock: --now, or the database's. */
static void clock_now(PGconn *conn, const struct settings *s, char *out, size_t cap)
{
	PGresult *res;

	if (s->now != NULL) {
		snprintf(out, cap, "%s", s->now);
		return;
	}
	res = run(conn, "SELECT clock_timestamp()", 0, NULL);
	snprintf(out, cap, "%s", res ? PQgetvalue(res, 0, 0) : "now");
	PQclear(res);
}

static int source_load(PGconn *conn, const char *slug, struct source *src)
{
	const char *values[1] = {slug};
	PGresult *res = run(conn, query_sync_source, QUERY_SYNC_SOURCE_NPARAMS, values);

	memset(src, 0, sizeof(*src));
	src->slug = slug;
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		say("%s: there is no such source (finder source list)", slug);
		PQclear(res);
		return -1;
	}
	for (int c = 0; c < S__MAX; c++)
		src->col[c] = PQgetisnull(res, 0, c) ? NULL : strdup(PQgetvalue(res, 0, c));
	PQclear(res);
	return 0;
}

static void source_free(struct source *src)
{
	for (int c = 0; c < S__MAX; c++)
		free(src->col[c]);
}

/* Takes (lock) or gives back the source's advisory lock, which a sync
 * holds while it works on the source: 1 done, 0 when another sync holds
 * it (or, giving back, did not hold it), -1 when the database failed
 * (said, with the database's message). */
static int lock_source(PGconn *conn, const struct source *src, int lock)
{
	char cls[16];
	const char *values[2] = {cls, src->col[S_ID]};
	PGresult *res;
	int done;

	snprintf(cls, sizeof(cls), "%d", LOCK_CLASS);
	res = run(conn,
		  lock ? "SELECT pg_try_advisory_lock($1::integer, $2::integer)"
		       : "SELECT pg_advisory_unlock($1::integer, $2::integer)",
		  2, values);
	if (res == NULL)
		return -1;
	done = is_true(PQgetvalue(res, 0, 0));
	PQclear(res);
	return done;
}

/* ---- Fetching ---------------------------------------------------------------- */

/* The URLs of a BMLT source: its GetSearchResults for the service bodies
 * (with their children) and its GetFormats; a --url with a query is taken
 * as the whole GetSearchResults request, without formats. */
static void bmlt_urls(const struct source *src, char *results, char *formats, size_t cap)
{
	const char *url = src->col[S_URL], *ids = src->col[S_SERVICES];
	size_t n = strlen(url);
	char services[512] = "";

	if (strchr(url, '?') != NULL) {
		snprintf(results, cap, "%s", url);
		formats[0] = '\0';
		return;
	}
	while (n > 0 && url[n - 1] == '/')
		n--;
	for (const char *p = ids ? ids : ""; *p; p += strcspn(p, ",") + (p[strcspn(p, ",")] != 0)) {
		size_t len = strlen(services);

		snprintf(services + len, sizeof(services) - len, "&services%%5B%%5D=%.*s",
			 (int)strcspn(p, ","), p);
	}
	snprintf(results, cap,
		 "%.*s/client_interface/json/?switcher=GetSearchResults%s&recursive=1", (int)n, url,
		 services);
	snprintf(formats, cap, "%.*s/client_interface/json/?switcher=GetFormats", (int)n, url);
}

/* Fetches url into path; 0 with the response in r, -1 (said in a). */
static int fetch_to(const struct settings *s, const char *url, const char *path,
		    const struct source *src, int conditional, struct fetch_result *r,
		    struct attempt *a)
{
	struct fetch_request req = {
		.url = url,
		.etag = conditional ? src->col[S_ETAG] : NULL,
		.last_modified = conditional ? src->col[S_LAST_MODIFIED] : NULL,
		.timeout_s = s->timeout_s,
		.max_bytes = s->max_bytes,
	};
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	int rc;

	if (fd < 0 || (req.sink = fdopen(fd, "wb")) == NULL) {
		if (fd >= 0)
			close(fd);
		fail_attempt(a, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	rc = fetch(&req, r);
	if (fclose(req.sink) != 0 && rc == 0) {
		fail_attempt(a, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	if (rc != 0) {
		fail_attempt(a, "%s: %s", url, r->error);
		return -1;
	}
	return 0;
}

/* The first bytes of a file, to tell an HTML page from the feed. */
static int looks_html(const char *path, const char *content_type)
{
	char head[64] = "";
	FILE *f;
	size_t n, i = 0;

	if (content_type != NULL && strncasecmp(content_type, "text/html", 9) == 0)
		return 1;
	if ((f = fopen(path, "rb")) == NULL)
		return 0;
	n = fread(head, 1, sizeof(head) - 1, f);
	fclose(f);
	head[n] = '\0';
	while (i < n && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t'))
		i++;
	return strncasecmp(head + i, "<!doctype html", 14) == 0 ||
	       strncasecmp(head + i, "<html", 5) == 0;
}

/* Whether a 200's body in path may go to the importer; says why not. */
static int body_usable(const struct source *src, const char *url, const char *path,
		       const struct fetch_result *r, struct attempt *a)
{
	if (r->status != 200) {
		fail_attempt(a, "%s answered HTTP %ld", url, r->status);
		return 0;
	}
	if (r->len == 0) {
		fail_attempt(a, "%s sent an empty body", url);
		return 0;
	}
	if (looks_html(path, r->content_type)) {
		fail_attempt(a, "%s sent an HTML page, not the %s %s", url, src->col[S_FORMAT],
			     strcmp(src->col[S_FORMAT], "csv") == 0 ? "file" : "JSON");
		return 0;
	}
	return 1;
}

/* A file's first `max` bytes, NUL-terminated (room for what the file holds,
 * not for max), or NULL. */
static char *read_small(const char *path, size_t max)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	char *buf;
	size_t n, cap;

	if (f == NULL)
		return NULL;
	cap = fstat(fileno(f), &st) == 0 && st.st_size >= 0 && (size_t)st.st_size < max
		      ? (size_t)st.st_size
		      : max;
	buf = malloc(cap + 1);
	n = buf ? fread(buf, 1, cap, f) : 0;
	fclose(f);
	if (buf != NULL)
		buf[n] = '\0';
	return buf;
}

/* The end of the file at path: its last lines within max bytes (a line
 * cut by the limit is left out, unless it is the only one), or NULL. The
 * caller frees it. */
static char *read_tail(const char *path, size_t max)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	char *buf, *nl, *start;
	int cut;
	size_t n = 0;

	if (f == NULL)
		return NULL;
	/* When it is longer, one byte more, before the last max: whether the
	 * first line is whole. */
	cut = fstat(fileno(f), &st) == 0 && st.st_size > (off_t)max;
	buf = malloc(max + 2);
	if (buf != NULL && fseeko(f, cut ? st.st_size - (off_t)max - 1 : 0, SEEK_SET) == 0)
		n = fread(buf, 1, max + 1, f);
	fclose(f);
	if (!buf)
		return NULL;
	buf[n] = '\0';
	if (cut && n > 0) {
		nl = buf[0] == '\n' ? buf : strchr(buf, '\n');
		start = nl != NULL && nl[1] != '\0' ? nl + 1 : buf + 1;
		memmove(buf, start, strlen(start) + 1);
	}
	return buf;
}

/* ---- HSDS pages --------------------------------------------------------------- */

#define HSDS_PAGES_MAX 1000

/* Page k of an HSDS API list, its contents appended to `list`; bytes
 * counts what all pages hold, against --max-mb. */
static int hsds_page(const struct settings *s, const char *url, int64_t k, json_object *list,
		     size_t *bytes, struct attempt *a)
{
	char page_url[4200];
	struct fetch_request req = {.url = page_url, .timeout_s = s->timeout_s};
	struct fetch_result r;
	json_object *doc, *contents;
	int status = -1;

	snprintf(page_url, sizeof(page_url), "%.4000s%cpage=%lld", url,
		 strchr(url, '?') ? '&' : '?', (long long)k);
	req.max_bytes = s->max_bytes > *bytes ? s->max_bytes - *bytes : 1;
	if (fetch(&req, &r) != 0) {
		fail_attempt(a, "%s: %s", page_url, r.error);
		fetch_result_free(&r);
		return -1;
	}
	*bytes += r.len;
	doc = r.status == 200 && r.body != NULL ? json_tokener_parse(r.body) : NULL;
	if (r.status != 200)
		fail_attempt(a, "%s answered HTTP %ld", page_url, r.status);
	else if (!json_object_object_get_ex(doc, "contents", &contents) ||
		 !json_object_is_type(contents, json_type_array))
		fail_attempt(a, "%s is not a page of the list (no \"contents\")", page_url);
	else {
		for (size_t i = 0; i < json_object_array_length(contents); i++)
			json_object_array_add(
				list, json_object_get(json_object_array_get_idx(contents, i)));
		status = 0;
	}
	json_object_put(doc);
	fetch_result_free(&r);
	return status;
}

/* The pages after the first of an HSDS API's Page ({"total_pages": N,
 * "contents": [...]}) in path, fetched (URL?page=K) and their contents
 * written back to path as one list, which the importer reads whole. A
 * document that is not a Page of several pages is left as it is. 1 when
 * pages were joined, 0 when there was one, or -1 (said in a). */
static int hsds_pages(const struct settings *s, const char *url, const char *path,
		      struct attempt *a)
{
	char *text = read_small(path, s->max_bytes);
	json_object *first = text ? json_tokener_parse(text) : NULL, *list, *pages;
	int64_t total = 0;
	size_t bytes = text ? strlen(text) : 0;
	int status = 0;

	free(text);
	if (json_object_object_get_ex(first, "total_pages", &pages))
		total = json_object_get_int64(pages);
	if (total <= 1 || !json_object_object_get_ex(first, "contents", &list) ||
	    !json_object_is_type(list, json_type_array)) {
		json_object_put(first);
		return 0;
	}
	if (total > HSDS_PAGES_MAX) {
		fail_attempt(a, "%s has %lld pages, more than the %d a sync reads", url,
			     (long long)total, HSDS_PAGES_MAX);
		json_object_put(first);
		return -1;
	}
	for (int64_t k = 2; status == 0 && k <= total; k++)
		status = hsds_page(s, url, k, list, &bytes, a);
	if (status == 0 && json_object_to_file_ext(path, list, JSON_C_TO_STRING_PLAIN) != 0) {
		fail_attempt(a, "cannot write %s", path);
		status = -1;
	}
	json_object_put(first);
	return status == 0 ? 1 : -1;
}

/* ---- Importing ---------------------------------------------------------------- */


/* The import's last words on stderr, without its "finder import: ", and
 * with the fetched file's temporary name said as the URL it came from. */
static void child_error(const char *dir, const char *url, struct attempt *a, const char *fallback)
{
	char body[4200], path[4200], shown[4 * sizeof a->error], *text, *line = NULL, *p;
	size_t blen;

	/* Its last lines are enough: the line shown fits in a->error, and the
	 * "nothing was imported" after it is left out. */
	snprintf(path, sizeof(path), "%s/stderr.txt", dir);
	text = read_tail(path, 2 * sizeof(a->error));
	for (p = text; p != NULL && *p;) {
		size_t n = strcspn(p, "\n");
		int more = p[n] != '\0';

		p[n] = '\0';
		if (n > 0 && strcmp(p, "finder import: nothing was imported") != 0)
			line = p;
		p += n + more;
	}
	if (line != NULL && strncmp(line, "finder import: ", 15) == 0)
		line += 15;
	blen = (size_t)snprintf(body, sizeof(body), "%s/body", dir);
	if (line != NULL && strncmp(line, body, blen) == 0)
		snprintf(shown, sizeof(shown), "%s%s", url, line + blen);
	else
		snprintf(shown, sizeof(shown), "%s", line != NULL && *line ? line : fallback);
	keep_error(a, shown);
	free(text);
}

/* The counts of a merge that changed something. */
static const char *const change_keys[] = {"inserted", "updated", "deactivated"};

/* ": 3 inserted, 1 updated, 0 deactivated, 2 rejected; 120 active". */
static void counts_line(json_object *counts, char *out, size_t cap)
{
	static const char *const keys[] = {"inserted", "updated", "deactivated", "rejected",
					   "active"};
	size_t n = 0;
	json_object *v;

	out[0] = '\0';
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]) && n < cap; i++)
		if (json_object_object_get_ex(counts, keys[i], &v))
			n += (size_t)snprintf(out + n, cap - n, "%s%lld %s",
					      n ? (i == 4 ? "; " : ", ") : ": ",
					      (long long)json_object_get_int64(v), keys[i]);
}

/* The import's JSON report, kept short: its counts, how many rows were
 * rejected and warned about, and the first rejects with their reasons. */
static char *short_report(const char *path, long long *changes, char *line, size_t cap)
{
	char *text = read_small(path, REPORT_MAX);
	json_object *full = text ? json_tokener_parse(text) : NULL, *out, *counts, *v;
	char *result = NULL;

	free(text);
	*changes = 0;
	if (full == NULL || !json_object_object_get_ex(full, "counts", &counts)) {
		json_object_put(full);
		return NULL;
	}
	out = json_object_new_object();
	json_object_object_add(out, "counts", json_object_get(counts));
	for (size_t i = 0; i < sizeof(change_keys) / sizeof(change_keys[0]); i++)
		if (json_object_object_get_ex(counts, change_keys[i], &v))
			*changes += json_object_get_int64(v);
	counts_line(counts, line, cap);
	if (json_object_object_get_ex(full, "rejected", &v)) {
		json_object *first = json_object_new_array();

		for (size_t i = 0; i < json_object_array_length(v) && i < REJECTS_KEPT; i++)
			json_object_array_add(first,
					      json_object_get(json_object_array_get_idx(v, i)));
		json_object_object_add(out, "rejected",
				       json_object_new_int64((int64_t)json_object_array_length(v)));
		json_object_object_add(out, "first_rejected", first);
	}
	if (json_object_object_get_ex(full, "warnings", &v))
		json_object_object_add(out, "warnings",
				       json_object_new_int64((int64_t)json_object_array_length(v)));
	result = strdup(json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN));
	json_object_put(out);
	json_object_put(full);
	return result;
}

/* Runs `finder import` on the fetched file in a child process, its output
 * in dir; the child's exit status, or -1 when it could not run. */
static int child_import(const struct settings *s, const struct source *src, const char *dir,
			const char *body, const char *formats)
{
	char out[4200], err[4200], drop[16];
	const char *argv[16];
	/* execv takes char *const[] only for the sake of old callers; POSIX
	 * says it changes neither the array nor the strings, so the const
	 * strings are passed as they are, without a cast that drops const. */
	union {
		const char **strings;
		char *const *exec;
	} args = {.strings = argv};
	int n = 0, status;
	pid_t pid;

	snprintf(out, sizeof(out), "%s/report.json", dir);
	snprintf(err, sizeof(err), "%s/stderr.txt", dir);
	snprintf(drop, sizeof(drop), "%s", src->col[S_MAX_DROP]);
	argv[n++] = s->exe;
	argv[n++] = "import";
	argv[n++] = "--format";
	argv[n++] = src->col[S_FORMAT];
	argv[n++] = "--source";
	argv[n++] = src->slug;
	argv[n++] = "--json";
	if (!is_true(src->col[S_CONFIRMED])) {
		argv[n++] = "--max-drop";
		argv[n++] = drop;
	}
	if (formats != NULL) {
		argv[n++] = "--formats";
		argv[n++] = formats;
	}
	argv[n++] = body;
	argv[n] = NULL;
	fflush(NULL);
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int fe = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (fo < 0 || fe < 0 || dup2(fo, 1) < 0 || dup2(fe, 2) < 0)
			_exit(127);
		execv(s->exe, args.exec);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void import_fetched(const struct settings *s, const struct source *src, const char *dir,
			   const char *url, const char *body, const char *formats,
			   struct attempt *a)
{
	char path[4200];
	long long changes = 0;
	int rc = child_import(s, src, dir, body, formats);

	snprintf(path, sizeof(path), "%s/report.json", dir);
	if (rc == 0) {
		a->report = short_report(path, &changes, a->counts, sizeof(a->counts));
		a->outcome = changes > 0 ? "changed" : "unchanged";
	} else if (rc == 3) {
		a->outcome = "held";
		child_error(dir, url, a, "the feed takes away too much");
		if (strncmp(a->error, "held: ", 6) == 0)
			memmove(a->error, a->error + 6, strlen(a->error + 6) + 1);
		snprintf(a->error + strlen(a->error), sizeof(a->error) - strlen(a->error),
			 "; if that is right: finder source confirm %s", src->slug);
	} else {
		a->outcome = "failed";
		child_error(dir, url, a,
			    rc < 0 ? "the import could not be started" : "the import failed");
	}
}

/* Steps 2 and 3 for one source, in the temporary directory dir. */
static void fetch_and_import(const struct settings *s, const struct source *src, const char *dir,
			     struct attempt *a)
{
	int bmlt = strcmp(src->col[S_FORMAT], "bmlt") == 0;
	int hsds = strcmp(src->col[S_FORMAT], "hsds") == 0;
	/* Import whatever came: forced, or the listings were withdrawn, or a
	 * held drop was confirmed. */
	int fresh = s->force || is_true(src->col[S_EXPIRED]) || is_true(src->col[S_CONFIRMED]);
	int paged = 0;
	char url[4200], formats_url[4200], body[4200], formats[4200];
	struct fetch_result fr = {0};

	snprintf(body, sizeof(body), "%s/body", dir);
	snprintf(formats, sizeof(formats), "%s/formats.json", dir);
	if (bmlt)
		bmlt_urls(src, url, formats_url, sizeof(url));
	else
		snprintf(url, sizeof(url), "%s", src->col[S_URL]);
	/* An HSDS API's later pages may change when its first does not: no
	 * conditional GET for those. */
	if (fetch_to(s, url, body, src, !fresh && !hsds, &a->fetched, a) != 0)
		return;
	a->http_status = a->fetched.status;
	a->bytes = (long long)a->fetched.len;
	if (a->fetched.status == 304 && !fresh && !hsds) {
		a->outcome = "unchanged";
		return;
	}
	if (!body_usable(src, url, body, &a->fetched, a))
		return;
	if (bmlt && formats_url[0]) {
		if (fetch_to(s, formats_url, formats, src, 0, &fr, a) != 0 ||
		    !body_usable(src, formats_url, formats, &fr, a)) {
			fetch_result_free(&fr);
			return;
		}
		/* The digest of both bodies. */
		memcpy(a->fetched.digest + 16, fr.digest, 16);
		fetch_result_free(&fr);
	}
	if (hsds && (paged = hsds_pages(s, url, body, a)) < 0)
		return;
	if (!fresh && !paged && src->col[S_DIGEST] != NULL &&
	    strcmp(src->col[S_DIGEST], a->fetched.digest) == 0) {
		a->outcome = "unchanged";
		return;
	}
	import_fetched(s, src, dir, url, body, bmlt && formats_url[0] ? formats : NULL, a);
}

/* ---- One source -------------------------------------------------------------- */

static int record(PGconn *conn, const struct settings *s, const struct source *src,
		  struct attempt *a, char *next, size_t cap)
{
	char status[16], bytes[24], finished[64];
	const char *values[11];
	PGresult *res;

	clock_now(conn, s, finished, sizeof(finished));
	snprintf(status, sizeof(status), "%ld", a->http_status);
	snprintf(bytes, sizeof(bytes), "%lld", a->bytes);
	values[0] = src->col[S_ID];
	values[1] = a->started;
	values[2] = a->outcome;
	values[3] = a->http_status ? status : NULL;
	values[4] = a->http_status ? bytes : NULL;
	values[5] = a->error[0] ? a->error : NULL;
	values[6] = a->report;
	values[7] = a->fetched.etag;
	values[8] = a->fetched.last_modified;
	values[9] = a->fetched.digest[0] ? a->fetched.digest : NULL;
	values[10] = finished;
	res = run(conn, query_sync_record, QUERY_SYNC_RECORD_NPARAMS, values);
	if (res != NULL && PQntuples(res) == 1)
		snprintf(next, cap, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return res ? 0 : -1;
}

static void report_line(const struct settings *s, const struct source *src, const struct attempt *a,
			const char *next)
{
	int failed = strcmp(a->outcome, "failed") == 0 || strcmp(a->outcome, "held") == 0;

	if (s->quiet && !failed && strcmp(a->outcome, "changed") != 0)
		return;
	if (failed)
		fprintf(stderr, "finder sync: %s: %s: %s (next attempt %s)\n", src->slug,
			a->outcome, a->error, next);
	else
		printf("%s: %s (HTTP %ld, %lld bytes)%s\n", src->slug, a->outcome, a->http_status,
		       a->bytes, a->counts);
	fflush(stdout);
}

/* Syncs one source: 0 synced (changed, unchanged or held), 1 failed (or
 * not found), -1 when the database failed to record it (the pass stops). */
static int sync_one(PGconn *conn, const struct settings *s, const char *slug)
{
	struct source src;
	struct attempt a = {.outcome = "failed"};
	char dir[] = "/tmp/finder-sync.XXXXXX", next[64] = "?";
	int made;
	int status = 1;

	if (source_load(conn, slug, &src) != 0)
		return 1;
	if (is_true(src.col[S_REMOVED]) || !is_true(src.col[S_ENABLED]) || src.col[S_URL] == NULL) {
		say("%s: %s", slug,
		    src.col[S_URL] == NULL        ? "has no url (it is imported from files)"
		    : is_true(src.col[S_REMOVED]) ? "was removed"
						  : "is disabled");
		source_free(&src);
		return 1;
	}
	switch (lock_source(conn, &src, 1)) {
	case 1: break;
	case 0:
		say("%s: another sync has it; skipped", slug);
		source_free(&src);
		return 0;
	default:
		say("%s: not synced: its lock could not be taken", slug);
		source_free(&src);
		return -1;
	}
	clock_now(conn, s, a.started, sizeof(a.started));
	made = mkdtemp(dir) != NULL;
	if (!made)
		fail_attempt(&a, "cannot make a temporary directory: %s", strerror(errno));
	else
		fetch_and_import(s, &src, dir, &a);
	if (record(conn, s, &src, &a, next, sizeof(next)) != 0)
		status = -1;
	else
		status = strcmp(a.outcome, "failed") == 0;
	report_line(s, &src, &a, next);
	lock_source(conn, &src, 0);
	/* (Not by its name: mkdtemp's letters may end in X too.) */
	if (made) {
		static const char *const files[] = {"body", "formats.json", "report.json",
						    "stderr.txt"};

		for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
			char path[64];

			snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
			unlink(path);
		}
		rmdir(dir);
	}
	free(a.report);
	fetch_result_free(&a.fetched);
	source_free(&src);
	return status;
}

/* ---- Expiry ------------------------------------------------------------------ */

static void rewrite_feeds(PGconn *conn, const char *slug)
{
	struct feeds_settings fs;

	if (feeds_settings_from_env(&fs, "finder sync") == 1) {
		fs.quiet = 1;
		feeds_write(conn, &fs, slug);
	}
}

static int expire_one(PGconn *conn, const struct settings *s, const char *slug, const char *since,
		      const char *age)
{
	char why[256];
	const char *values[3] = {slug, s->now, why};
	PGresult *res;

	snprintf(why, sizeof(why),
		 "not confirmed since %s, more than %s: its listings left "
		 "search until a sync succeeds",
		 since, age);
	PQclear(run(conn, "BEGIN", 0, NULL));
	res = run(conn, "SELECT source_withdraw($1, coalesce($2::timestamptz, now()))", 2, values);
	if (res != NULL) {
		say("%s: %s (%s listings)", slug, why, PQgetvalue(res, 0, 0));
		PQclear(res);
		res = run(conn,
			  "UPDATE sources SET expired_at = coalesce($2::timestamptz, now()), "
			  "sync_status = 'expired', sync_error = $3 WHERE slug = $1",
			  3, values);
	}
	if (res == NULL) {
		PQclear(run(conn, "ROLLBACK", 0, NULL));
		return -1;
	}
	PQclear(res);
	if ((res = run(conn, "COMMIT", 0, NULL)) == NULL)
		return -1;
	PQclear(res);
	rewrite_feeds(conn, slug);
	return 0;
}

static int expire_sources(PGconn *conn, const struct settings *s)
{
	const char *values[1] = {s->now};
	PGresult *res = run(conn, query_sync_expired, QUERY_SYNC_EXPIRED_NPARAMS, values);
	int status = 0;

	if (res == NULL)
		return -1;
	for (int r = 0; r < PQntuples(res) && status == 0; r++)
		status = expire_one(conn, s, PQgetvalue(res, r, 0), PQgetvalue(res, r, 1),
				    PQgetvalue(res, r, 2));
	PQclear(res);
	return status;
}

/* ---- A pass ------------------------------------------------------------------ */

/* Syncs one source in a child process of its own, with its own connection,
 * so that a slow server holds up only its own source; the child's exit
 * status is sync_one's (2 for a database failure). The parent's connection
 * is left alone in the child. */
static pid_t sync_child(const struct settings *s, const char *slug)
{
	PGconn *conn;
	pid_t pid;
	int rc;

	fflush(NULL);
	if ((pid = fork()) != 0)
		return pid;
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	conn = db_open("finder sync", DB_OPEN_IMPORTER);
	rc = conn ? sync_one(conn, s, slug) : -1;
	PQfinish(conn);
	fflush(NULL);
	_exit(rc < 0 ? 2 : rc);
}

/* The sources in slugs, --jobs at a time: 0, 1 when one failed, -1 when
 * the database did (no more are started). A stop lets the running ones
 * finish. */
static int sync_all(const struct settings *s, char **slugs, int n)
{
	int next = 0, running = 0, failed = 0, status;
	int db_failed = 0;
	pid_t pid;

	while ((next < n && !stopping && !db_failed) || running > 0) {
		if (next < n && !stopping && !db_failed && running < s->jobs) {
			if ((pid = sync_child(s, slugs[next])) < 0) {
				say("cannot start a process for %s: %s", slugs[next],
				    strerror(errno));
				failed = 1;
			} else
				running++;
			next++;
			continue;
		}
		if ((pid = wait(&status)) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		running--;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 2)
			db_failed = 1;
		else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			failed = 1;
	}
	return db_failed ? -1 : failed;
}

/* The named sources, or every due one, then the expiry: 0, 1 when a
 * source failed, -1 when the database did. */
static int pass(const struct settings *s, char **slugs, int nslugs)
{
	const char *values[1] = {s->now};
	PGconn *conn = db_open("finder sync", DB_OPEN_IMPORTER);
	PGresult *due = NULL;
	char **list = slugs;
	int failed = 0, rc = 0, n = nslugs;

	if (conn == NULL)
		return -1;
	if (nslugs == 0) {
		if ((due = run(conn, query_sync_due, QUERY_SYNC_DUE_NPARAMS, values)) == NULL) {
			PQfinish(conn);
			return -1;
		}
		n = PQntuples(due);
		list = calloc((size_t)n + 1, sizeof(*list));
		for (int i = 0; list != NULL && i < n; i++)
			list[i] = PQgetvalue(due, i, 0);
	}
	if (list == NULL || (failed = sync_all(s, list, n)) < 0)
		rc = -1;
	if (list != slugs)
		free(list);
	PQclear(due);
	if (rc >= 0 && nslugs == 0 && expire_sources(conn, s) != 0)
		rc = -1;
	if (rc >= 0 && nslugs == 0 && !stopping &&
	    reports_deliver(conn, s->origin[0] ? s->origin : NULL, stdout) < 0)
		rc = -1;
	PQfinish(conn);
	return rc < 0 ? -1 : failed;
}

static void sleep_interruptible(long seconds)
{
	for (long i = 0; i < seconds && !stopping; i++)
		sleep(1);
}

static int run_loop(const struct settings *s)
{
	struct sigaction sa = {.sa_handler = on_stop};

	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (s->pidfile != NULL) {
		FILE *f = fopen(s->pidfile, "w");

		if (f == NULL || fprintf(f, "%ld\n", (long)getpid()) < 0 || fclose(f) != 0) {
			say("cannot write %s: %s", s->pidfile, strerror(errno));
			return 1;
		}
	}
	printf("finder sync: checking the sources every %ld s\n", s->interval_s);
	fflush(stdout);
	while (!stopping) {
		pass(s, NULL, 0);
		sleep_interruptible(s->interval_s);
	}
	if (s->pidfile != NULL)
		unlink(s->pidfile);
	return 0;
}

/* ---- The command ------------------------------------------------------------- */

static int usage(FILE *out)
{
	fputs("usage: finder sync [options] [SLUG...]\n"
	      "\n"
	      "Fetches each source that is due (or the SLUGs named, due or not) from its URL,\n"
	      "imports it when it changed, and takes the listings of sources not confirmed\n"
	      "for their expire-after out of search; with no SLUG, then delivers the reports\n"
	      "due to the sources' webhooks (finder reports --help). Sources: finder source\n"
	      "--help.\n"
	      "\n"
	      "  --loop             a pass every --interval seconds until stopped (the\n"
	      "                     scheduler make run starts)\n"
	      "  --interval SECONDS between passes (default 60)\n"
	      "  --pidfile FILE     with --loop: write its process id there\n"
	      "  --timeout SECONDS  the most one fetch may take (default 120)\n"
	      "  --jobs N           sources synced at once, each in a process of its own\n"
	      "                     (default 4)\n"
	      "  --max-mb MB        the largest body a fetch reads (default and most: 128)\n"
	      "  --force            import every body, even one unchanged since the last sync\n"
	      "  --now TIMESTAMP    the pass's clock (ISO 8601), for tests\n"
	      "  --quiet            print only changes and failures\n"
	      "\n"
	      "The database is FINDER_IMPORT_DATABASE (default \"dbname=finder user=finder_importer\").\n"
	      "FINDER_FETCH_ALLOW lists addresses or prefixes the fetcher may reach although\n"
	      "they are loopback, private or link-local (default none). FINDER_FEEDS_DIR and\n"
	      "FINDER_PUBLIC_URL: the feed's files, brought up to date as finder import does.\n"
	      "Exit status: 0, 1 when a source failed (the others were synced), 2 bad usage.\n",
	      out);
	return out == stdout ? 0 : 2;
}

/* A whole number from 1 to max, or -1. */
static long positive(const char *s, long max)
{
	long long v;

	return number_integer(s, strlen(s), NUMBER_STRICT, 1, max, &v) == 0 ? (long)v : -1;
}

static int parse_args(int argc, char **argv, struct settings *s)
{
	static const struct option long_options[] = {
		{"loop", no_argument, NULL, 'l'},
		{"interval", required_argument, NULL, 'i'},
		{"timeout", required_argument, NULL, 't'},
		{"force", no_argument, NULL, 'f'},
		{"now", required_argument, NULL, 'n'},
		{"quiet", no_argument, NULL, 'q'},
		{"pidfile", required_argument, NULL, 'p'},
		{"max-mb", required_argument, NULL, 'm'},
		{"jobs", required_argument, NULL, 'j'},
		{"max-bytes", required_argument, NULL, 'b'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	long v;
	int c;

	s->interval_s = 60;
	s->jobs = 4;
	s->max_bytes = IMPORT_MAX_BYTES;
	s->timeout_s = 120;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
		switch (c) {
		case 'l': s->loop = 1; break;
		case 'f': s->force = 1; break;
		case 'n': s->now = optarg; break;
		case 'q': s->quiet = 1; break;
		case 'p': s->pidfile = optarg; break;
		case 'j':
			if ((s->jobs = positive(optarg, 16)) < 0) {
				say("--jobs is a whole number from 1 to 16, not \"%s\"", optarg);
				return 2;
			}
			break;
		case 'm':
		case 'b':
			if ((v = positive(optarg, c == 'm' ? 128 : 128L << 20)) < 0) {
				say("--max-mb is whole megabytes from 1 to 128, not \"%s\"",
				    optarg);
				return 2;
			}
			s->max_bytes = (size_t)v * (c == 'm' ? 1024 * 1024 : 1);
			break;
		case 'i':
			if ((s->interval_s = positive(optarg, 86400)) < 0) {
				say("--interval is whole seconds from 1 to 86400, not \"%s\"",
				    optarg);
				return 2;
			}
			break;
		case 't':
			if ((s->timeout_s = positive(optarg, 3600)) < 0) {
				say("--timeout is whole seconds from 1 to 3600, not \"%s\"",
				    optarg);
				return 2;
			}
			break;
		case 'h': usage(stdout); return 1;
		default: return usage(stderr);
		}
	}
	if (s->pidfile != NULL && !s->loop) {
		say("--pidfile goes with --loop");
		return 2;
	}
	if (s->loop && optind < argc) {
		say("--loop syncs every due source: name no SLUG");
		return 2;
	}
	return 0;
}

int sync_main(int argc, char **argv)
{
	struct settings s = {0};
	const char *url;
	ssize_t n;
	int rc = parse_args(argc, argv, &s);

	if (rc != 0)
		return rc == 1 ? 0 : rc;
	n = readlink("/proc/self/exe", s.exe, sizeof(s.exe) - 1);
	if (n <= 0) {
		say("cannot find this program (/proc/self/exe): %s", strerror(errno));
		return 1;
	}
	s.exe[n] = '\0';
	if ((url = getenv("FINDER_PUBLIC_URL")) != NULL && *url &&
	    origin_parse(url, strlen(url), s.origin, sizeof(s.origin)) != 0) {
		say("FINDER_PUBLIC_URL is the finder's origin, such as https://finder.example.org, "
		    "not \"%s\"",
		    url);
		return 2;
	}
	if (fetch_init() != 0)
		return 2;
	rc = s.loop ? run_loop(&s) : pass(&s, argv + optind, argc - optind);
	fetch_cleanup();
	return rc == 0 ? 0 : 1;
}
