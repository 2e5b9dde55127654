#include "db.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "queries.h"

/* Reconnecting after a failure: a quarter second, then doubling up to a
 * second, so that a database that comes back is in use within a second (an
 * attempt at a stopped server is refused at once, and costs it nothing). */
#define DB_BACKOFF_MIN 0.25
#define DB_BACKOFF_MAX 1.0
/* A reader that prefers a standby but got the primary (the standbys were
 * down) tries again for a standby this often. */
#define DB_STANDBY_RECHECK 10.0

struct statement {
	const char *name;
	const char *const *sql;
	int nparams;
};

/* Each statement's count is its SQL's (QUERY_*_NPARAMS, counted by
 * scripts/sql2c.sh); the searches' are their enums' (db.h), which must say
 * the same. */
#define SAME_COUNT(name, max) _Static_assert((name) == (max), #name " is not " #max)
SAME_COUNT(QUERY_MEETINGS_NEAR_NPARAMS, MP_NEAR__MAX);
SAME_COUNT(QUERY_MEETINGS_NEAR_PAGE_NPARAMS, MP_NEAR_PAGE__MAX);
SAME_COUNT(QUERY_MEETINGS_NEAR_SOONEST_NPARAMS, MP_NEAR_PAGE__MAX);
SAME_COUNT(QUERY_MEETINGS_ALL_NPARAMS, MP_ALL__MAX);
SAME_COUNT(QUERY_MEETINGS_ALL_SOONEST_NPARAMS, MP_ALL_STEP__MAX);
SAME_COUNT(QUERY_MEETINGS_ALL_NEXT_NPARAMS, MP_ALL_STEP__MAX);
SAME_COUNT(QUERY_MEETINGS_FACETS_NEAR_NPARAMS, MP_FACETS_NEAR__MAX);
SAME_COUNT(QUERY_MEETINGS_FACETS_ALL_NPARAMS, MP_FACETS_ALL__MAX);
SAME_COUNT(QUERY_SERVICES_NEAR_NPARAMS, SP_NEAR__MAX);
SAME_COUNT(QUERY_SERVICES_NEAR_PAGE_NPARAMS, SP_NEAR_PAGE__MAX);
SAME_COUNT(QUERY_SERVICES_ALL_NPARAMS, SP_ALL__MAX);
SAME_COUNT(QUERY_SERVICES_FACETS_NEAR_NPARAMS, SP_FACETS_NEAR__MAX);
SAME_COUNT(QUERY_SERVICES_FACETS_ALL_NPARAMS, SP_FACETS_ALL__MAX);

static const struct statement statements[DB_STATEMENT__MAX] = {
	[DB_MEETINGS_NEAR] = {"meetings_near", &query_meetings_near, MP_NEAR__MAX},
	[DB_MEETINGS_NEAR_PAGE] = {"meetings_near_page", &query_meetings_near_page,
				   MP_NEAR_PAGE__MAX},
	[DB_MEETINGS_NEAR_SOONEST] = {"meetings_near_soonest", &query_meetings_near_soonest,
				      MP_NEAR_PAGE__MAX},
	[DB_MEETINGS_ALL] = {"meetings_all", &query_meetings_all, MP_ALL__MAX},
	[DB_MEETINGS_ALL_SOONEST] = {"meetings_all_soonest", &query_meetings_all_soonest,
				     MP_ALL_STEP__MAX},
	[DB_MEETINGS_ALL_NEXT] = {"meetings_all_next", &query_meetings_all_next, MP_ALL_STEP__MAX},
	[DB_MEETINGS_FACETS_NEAR] = {"meetings_facets_near", &query_meetings_facets_near,
				     MP_FACETS_NEAR__MAX},
	[DB_MEETINGS_FACETS_ALL] = {"meetings_facets_all", &query_meetings_facets_all,
				    MP_FACETS_ALL__MAX},
	[DB_MEETING_BY_ID] = {"meeting_by_id", &query_meeting_by_id, QUERY_MEETING_BY_ID_NPARAMS},
	[DB_MEETINGS_AT_LOCATION] = {"meetings_at_location", &query_meetings_at_location,
				     QUERY_MEETINGS_AT_LOCATION_NPARAMS},
	[DB_MEETING_ICS] = {"meeting_ics", &query_meeting_ics, QUERY_MEETING_ICS_NPARAMS},
	[DB_HEALTH] = {"health", &query_health, QUERY_HEALTH_NPARAMS},
	[DB_FELLOWSHIPS] = {"fellowships", &query_fellowships, QUERY_FELLOWSHIPS_NPARAMS},
	[DB_TYPES] = {"types", &query_types, QUERY_TYPES_NPARAMS},
	[DB_PLACES_SEARCH] = {"places_search", &query_places_search, QUERY_PLACES_SEARCH_NPARAMS},
	[DB_PLACE_RESOLVE] = {"place_resolve", &query_place_resolve, QUERY_PLACE_RESOLVE_NPARAMS},
	[DB_PLACE_SUGGEST] = {"place_suggest", &query_place_suggest, QUERY_PLACE_SUGGEST_NPARAMS},
	[DB_FEED_STATE] = {"feed_state", &query_feed_state, QUERY_FEED_STATE_NPARAMS},
	[DB_FEED_DECLARE] = {"feed_declare", &query_feed_declare, QUERY_FEED_DECLARE_NPARAMS},
	[DB_FEED_FETCH] = {"feed_fetch", &query_feed_fetch, QUERY_FEED_FETCH_NPARAMS},
	[DB_SOURCES] = {"sources", &query_sources, QUERY_SOURCES_NPARAMS},
	[DB_VOCAB_UNKNOWN] = {"vocab_unknown", &query_vocab_unknown, QUERY_VOCAB_UNKNOWN_NPARAMS},
	/* services: api_services.c */
	[DB_SERVICES_NEAR] = {"services_near", &query_services_near, SP_NEAR__MAX},
	[DB_SERVICES_NEAR_PAGE] = {"services_near_page", &query_services_near_page,
				   SP_NEAR_PAGE__MAX},
	[DB_SERVICES_ALL] = {"services_all", &query_services_all, SP_ALL__MAX},
	[DB_SERVICES_FACETS_NEAR] = {"services_facets_near", &query_services_facets_near,
				     SP_FACETS_NEAR__MAX},
	[DB_SERVICES_FACETS_ALL] = {"services_facets_all", &query_services_facets_all,
				    SP_FACETS_ALL__MAX},
	[DB_SERVICE_BY_ID] = {"service_by_id", &query_service_by_id, QUERY_SERVICE_BY_ID_NPARAMS},
	[DB_CATEGORIES] = {"categories", &query_categories, QUERY_CATEGORIES_NPARAMS},
	/* end services */
	/* hsds: api_hsds.c */
	[DB_HSDS_SERVICES] = {"hsds_services", &query_hsds_services, QUERY_HSDS_SERVICES_NPARAMS},
	[DB_HSDS_SERVICE] = {"hsds_service", &query_hsds_service, QUERY_HSDS_SERVICE_NPARAMS},
	/* end hsds */
	/* feedback: api_feedback.c */
	[DB_FEEDBACK_TARGET] = {"feedback_target", &query_feedback_target,
				QUERY_FEEDBACK_TARGET_NPARAMS},
	[DB_FEEDBACK_INSERT] = {"feedback_insert", &query_feedback_insert,
				QUERY_FEEDBACK_INSERT_NPARAMS},
	[DB_FEEDBACK_READY] = {"feedback_ready", &query_feedback_ready,
			       QUERY_FEEDBACK_READY_NPARAMS},
	/* end feedback */
};

static enum db_role statement_role(enum db_statement st)
{
	return st == DB_FEEDBACK_INSERT || st == DB_FEEDBACK_READY ? DB_ROLE_FEEDBACK
								   : DB_ROLE_READER;
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void db_init(struct db *db, enum db_role role, const char *conninfo, int statement_timeout_ms)
{
	memset(db, 0, sizeof(*db));
	db->role = role;
	db->conninfo = conninfo;
	db->statement_timeout_ms = statement_timeout_ms;
	db->backoff = DB_BACKOFF_MIN;
}

static void schedule_retry(struct db *db)
{
	db->next_attempt = now_seconds() + db->backoff;
	db->backoff = fmin(db->backoff * 2, DB_BACKOFF_MAX);
}

static int prepare_all(struct db *db)
{
	for (int i = 0; i < DB_STATEMENT__MAX; i++) {
		PGresult *res;
		int ok;

		if (statement_role((enum db_statement)i) != db->role)
			continue;
		res = PQprepare(db->conn, statements[i].name, *statements[i].sql,
				statements[i].nparams, NULL);
		ok = PQresultStatus(res) == PGRES_COMMAND_OK;

		if (!ok)
			log_error("preparing %s: %s", statements[i].name, PQerrorMessage(db->conn));
		PQclear(res);
		if (!ok)
			return -1;
	}
	return 0;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_zones(struct db *db)
{
	for (size_t i = 0; i < db->nzones; i++)
		free(db->zones[i]);
	free(db->zones);
	db->zones = NULL;
	db->nzones = 0;
}

/* Loads the server's time zone names, so that tz= is checked before any
 * query can fail on it. */
static int load_zones(struct db *db)
{
	PGresult *res = PQexec(db->conn, "SELECT name FROM pg_timezone_names ORDER BY name");
	int n, ok = PQresultStatus(res) == PGRES_TUPLES_OK;

	free_zones(db);
	n = ok ? PQntuples(res) : 0;
	db->zones = ok ? calloc((size_t)n + 1, sizeof(char *)) : NULL;
	for (int i = 0; db->zones != NULL && i < n; i++) {
		db->zones[i] = strdup(PQgetvalue(res, i, 0));
		if (db->zones[i] == NULL)
			break;
		db->nzones++;
	}
	PQclear(res);
	if (!ok || db->zones == NULL || db->nzones != (size_t)n) {
		log_error("loading time zone names failed");
		free_zones(db);
		return -1;
	}
	qsort(db->zones, db->nzones, sizeof(char *), compare_names);
	return 0;
}

int db_timezone_known(const struct db *db, const char *name)
{
	if (db->conn == NULL || db->zones == NULL)
		return -1;
	return bsearch(&name, db->zones, db->nzones, sizeof(char *), compare_names) != NULL;
}

/* Whether the connection string lists several servers and prefers a
 * standby (target_session_attrs=prefer-standby): a reader that got the
 * primary should then look for a standby again later. */
static int prefers_standby(PGconn *conn)
{
	PQconninfoOption *opts = PQconninfo(conn);
	int attrs = 0, hosts = 0;

	for (PQconninfoOption *o = opts; o != NULL && o->keyword != NULL; o++) {
		if (o->val == NULL)
			continue;
		if (strcmp(o->keyword, "target_session_attrs") == 0)
			attrs = strcmp(o->val, "prefer-standby") == 0;
		else if (strcmp(o->keyword, "host") == 0 || strcmp(o->keyword, "hostaddr") == 0)
			hosts |= strchr(o->val, ',') != NULL;
	}
	PQconninfoFree(opts);
	return attrs && hosts;
}

/* Whether the server is a standby, as it reports (in_hot_standby, from
 * PostgreSQL 14). */
static int on_standby(PGconn *conn)
{
	const char *v = PQparameterStatus(conn, "in_hot_standby");

	return v != NULL && strcmp(v, "on") == 0;
}

int db_connect(struct db *db)
{
	char options[256];
	const char *keys[] = {"dbname", "connect_timeout", "options", NULL};
	const char *values[] = {db->conninfo, "3", options, NULL};

	db_close(db);
	/* Custom plans: a NULL filter folds away and the right index is used.
	 * No JIT: its compiling costs 100 ms and more, on searches that
	 * take milliseconds, whenever a plan's cost estimate is high. No
	 * parallel workers: the workers of the handler already keep every
	 * core busy, and starting two processes for a search that reads a
	 * thousand rows costs more than it saves. */
	snprintf(options, sizeof(options),
		 "-c statement_timeout=%d -c plan_cache_mode=force_custom_plan "
		 "-c default_transaction_read_only=%s -c jit=off "
		 "-c max_parallel_workers_per_gather=0",
		 db->statement_timeout_ms, db->role == DB_ROLE_READER ? "on" : "off");
	db->conn = PQconnectdbParams(keys, values, 1);
	if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK) {
		log_error("database connection failed: %s",
			  db->conn ? PQerrorMessage(db->conn) : "out of memory");
		goto fail;
	}
	if (prepare_all(db) != 0 || (db->role == DB_ROLE_READER && load_zones(db) != 0))
		goto fail;
	db->backoff = DB_BACKOFF_MIN;
	db->next_attempt = 0;
	db->recheck_at = db->role == DB_ROLE_READER && !on_standby(db->conn) &&
					 prefers_standby(db->conn)
				 ? now_seconds() + DB_STANDBY_RECHECK
				 : 0;
	return 0;
fail:
	db_close(db);
	schedule_retry(db);
	return -1;
}

void db_close(struct db *db)
{
	if (db->conn != NULL)
		PQfinish(db->conn);
	db->conn = NULL;
	free_zones(db);
}

static void set_unavailable(const struct db *db, struct api_error *err)
{
	double wait = db->next_attempt - now_seconds();

	if (db->role == DB_ROLE_FEEDBACK)
		api_error_set(err, 503, "database_unavailable", NULL,
			      "Reports cannot be stored just now; try again in a moment.");
	else
		api_error_set(err, 503, "database_unavailable", NULL,
			      "The meeting database is unavailable; try again shortly.");
	err->retry_after = wait < 1 ? 1 : (int)ceil(wait);
}

/* Makes sure db has a connection before a statement or a transaction: a
 * new one when there is none and the backoff allows, or when a reader that
 * prefers a standby has had the primary for DB_STANDBY_RECHECK seconds (the
 * standby may be back). Returns 0, or -1 with err set. */
static int ensure_connected(struct db *db, struct api_error *err)
{
	if (db->conn != NULL && db->recheck_at > 0 && now_seconds() >= db->recheck_at &&
	    PQtransactionStatus(db->conn) == PQTRANS_IDLE)
		db_connect(db);
	if (db->conn == NULL && (now_seconds() < db->next_attempt || db_connect(db) != 0)) {
		set_unavailable(db, err);
		return -1;
	}
	return 0;
}

/* Whether a failed statement's SQLSTATE is a conflict with a standby's
 * recovery (40001: the standby replayed a change, a vacuum say, that a
 * running query still needed): worth running again at once. */
static int recovery_conflict(const PGresult *res)
{
	const char *sqlstate = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

	return sqlstate != NULL && strcmp(sqlstate, "40001") == 0;
}

static PGresult *exec_once(struct db *db, enum db_statement st, const char *const *values)
{
	return PQexecPrepared(db->conn, statements[st].name, statements[st].nparams, values, NULL,
			      NULL, 0);
}

/* Runs st and returns its result when its status is want; else NULL with
 * err set (see db_exec). */
static PGresult *exec_expect(struct db *db, enum db_statement st, const char *const *values,
			     ExecStatusType want, struct api_error *err)
{
	PGresult *res;
	const char *sqlstate;
	int in_transaction, retried = 0;

	if (ensure_connected(db, err) != 0)
		return NULL;
	/* Run again once at most, and never inside a transaction: a lost
	 * connection ended it and a cancelled statement aborted it, so only
	 * its caller can begin it again. */
	in_transaction = PQtransactionStatus(db->conn) == PQTRANS_INTRANS ||
			 PQtransactionStatus(db->conn) == PQTRANS_INERROR;
	res = exec_once(db, st, values);
	while (PQresultStatus(res) != want && !retried && !in_transaction) {
		if (PQstatus(db->conn) == CONNECTION_BAD) {
			/* The server went away (a restart, say): one fresh
			 * connection now, and backoff if that fails too. */
			PQclear(res);
			log_error("database connection lost; reconnecting");
			if (db_connect(db) != 0) {
				set_unavailable(db, err);
				return NULL;
			}
		} else if (recovery_conflict(res)) {
			/* A standby cancelled it to replay its primary's
			 * changes: run again, it will likely pass now. */
			PQclear(res);
		} else {
			break;
		}
		retried = 1;
		res = exec_once(db, st, values);
	}
	if (PQresultStatus(res) == want)
		return res;
	sqlstate = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	if (sqlstate != NULL && strcmp(sqlstate, "57014") == 0) {
		api_error_set(err, 503, "timeout", NULL,
			      "The search took too long; try a smaller area or more filters.");
		err->retry_after = 1;
	} else if (recovery_conflict(res)) {
		api_error_set(err, 503, "busy", NULL,
			      "The database was busy with an update; try again.");
		err->retry_after = 1;
	} else if (db->conn == NULL || PQstatus(db->conn) == CONNECTION_BAD) {
		db_close(db);
		schedule_retry(db);
		set_unavailable(db, err);
	} else {
		log_error("%s failed: %s", statements[st].name, PQerrorMessage(db->conn));
		api_error_set(err, 500, "internal_error", NULL,
			      "Something went wrong on our side.");
	}
	PQclear(res);
	return NULL;
}

PGresult *db_exec(struct db *db, enum db_statement st, const char *const *values,
		  struct api_error *err)
{
	return exec_expect(db, st, values, PGRES_TUPLES_OK, err);
}

int db_command(struct db *db, enum db_statement st, const char *const *values,
	       struct api_error *err)
{
	PGresult *res = exec_expect(db, st, values, PGRES_COMMAND_OK, err);

	PQclear(res);
	return res != NULL ? 0 : -1;
}

/* Runs a fixed transaction command (no input in it); returns whether it
 * worked. */
static int transaction_command(struct db *db, const char *sql)
{
	PGresult *res = PQexec(db->conn, sql);
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK;

	PQclear(res);
	return ok;
}

int db_begin(struct db *db, struct api_error *err)
{
	static const char begin[] = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

	if (ensure_connected(db, err) != 0)
		return -1;
	if (transaction_command(db, begin))
		return 0;
	if (PQstatus(db->conn) == CONNECTION_BAD) {
		log_error("database connection lost; reconnecting");
		if (db_connect(db) == 0 && transaction_command(db, begin))
			return 0;
		if (db->conn == NULL || PQstatus(db->conn) == CONNECTION_BAD) {
			db_close(db);
			schedule_retry(db);
			set_unavailable(db, err);
			return -1;
		}
	}
	log_error("BEGIN failed: %s", PQerrorMessage(db->conn));
	api_error_set(err, 500, "internal_error", NULL, "Something went wrong on our side.");
	return -1;
}

void db_end(struct db *db, int commit)
{
	if (db->conn == NULL || PQstatus(db->conn) == CONNECTION_BAD)
		return; /* the transaction went with the connection */
	if (!transaction_command(db, commit ? "COMMIT" : "ROLLBACK")) {
		/* A connection left inside a transaction would fail every later
		 * request: start afresh instead. */
		log_error("ending a transaction failed: %s", PQerrorMessage(db->conn));
		db_close(db);
	}
}
