#ifndef FINDER_DB_H
#define FINDER_DB_H

#include <libpq-fe.h>

#include "api_error.h"

/* The prepared statements; their SQL is in sql/queries/NAME.sql. */
enum db_statement {
	DB_MEETINGS_NEAR,
	DB_MEETINGS_NEAR_PAGE,
	DB_MEETINGS_NEAR_SOONEST,
	DB_MEETINGS_ALL,
	DB_MEETINGS_ALL_SOONEST,
	DB_MEETINGS_ALL_NEXT,
	DB_MEETINGS_FACETS_NEAR,
	DB_MEETINGS_FACETS_ALL,
	DB_MEETING_BY_ID,
	DB_MEETINGS_AT_LOCATION,
	DB_MEETING_ICS,
	DB_HEALTH,
	DB_FELLOWSHIPS,
	DB_TYPES,
	DB_PLACES_SEARCH,
	DB_PLACE_RESOLVE,
	DB_PLACE_SUGGEST,
	DB_FEED_STATE,
	DB_FEED_DECLARE,
	DB_FEED_FETCH,
	DB_SOURCES,
	DB_VOCAB_UNKNOWN, /* vocab.c */
	/* services: api_services.c */
	DB_SERVICES_NEAR,
	DB_SERVICES_NEAR_PAGE,
	DB_SERVICES_ALL,
	DB_SERVICES_FACETS_NEAR,
	DB_SERVICES_FACETS_ALL,
	DB_SERVICE_BY_ID,
	DB_CATEGORIES,
	/* end services */
	/* hsds: api_hsds.c */
	DB_HSDS_SERVICES,
	DB_HSDS_SERVICE,
	/* end hsds */
	/* feedback: api_feedback.c */
	DB_FEEDBACK_TARGET, /* as the reader */
	DB_FEEDBACK_INSERT, /* the feedback connection's statements */
	DB_FEEDBACK_READY,
	/* end feedback */
	DB_STATEMENT__MAX
};

/*
 * The parameters of the meetings searches (sql/queries/meetings_*.sql) by
 * slot, $1 being slot 0: what sizes a search's values and gives each
 * statement its count in db.c. The filters come first, the same slots in
 * every search near a point or anywhere, in the order of the @params line
 * of sql/queries/include/meetings_filter.sql; then each statement's own, in
 * the order of its @params line (scripts/sqlinc.sh numbers them). A new
 * filter is a slot before MP_FILTERS__MAX, a name at the end of that line.
 */
enum meetings_param {
	MP_DAY,        /* day codes (0-6, 7 today, 8 tomorrow) */
	MP_FELLOWSHIP, /* fellowship slugs */
	MP_TYPE,       /* type codes, all required */
	MP_ATTENDANCE, /* in_person, online, hybrid */
	MP_FAMILY,     /* for families (true) or in recovery (false) */
	MP_MOUD,       /* medication-friendly */
	MP_LANGUAGE,   /* language codes */
	MP_KEYWORDS,   /* web search syntax */
	MP_TZ,         /* the searcher's zone */
	MP_NOW,        /* ISO 8601; NULL: the clock */
	MP_TIME_FROM,  /* a window of start times */
	MP_TIME_TO,
	MP_WITHIN, /* starting within minutes */
	MP_IN_PROGRESS,
	MP_REGION, /* region or city names */
	MP_FILTERS__MAX,

	/* Anywhere: meetings_all.sql all four; meetings_all_soonest.sql and
	 * meetings_all_next.sql all but the sort, the third being the
	 * window's step; meetings_facets_all.sql the candidates alone. */
	MP_LIMIT = MP_FILTERS__MAX,
	MP_OFFSET,
	MP_CANDIDATES,
	MP_SORT,
	MP_ALL__MAX,
	MP_STEP = MP_CANDIDATES,
	MP_ALL_STEP__MAX = MP_STEP + 1,
	MP_FACETS_CANDIDATES = MP_FILTERS__MAX,
	MP_FACETS_ALL__MAX,

	/* Near a point: the point and the radius in metres, then as anywhere:
	 * meetings_near.sql all; meetings_near_page.sql and
	 * meetings_near_soonest.sql limit and offset; meetings_facets_near.sql
	 * the candidates alone. */
	MP_LAT = MP_FILTERS__MAX,
	MP_LNG,
	MP_RADIUS,
	MP_NEAR_LIMIT,
	MP_NEAR_OFFSET,
	MP_NEAR_CANDIDATES,
	MP_NEAR_SORT,
	MP_NEAR__MAX,
	MP_NEAR_PAGE__MAX = MP_NEAR_OFFSET + 1,
	MP_FACETS_NEAR_CANDIDATES = MP_RADIUS + 1,
	MP_FACETS_NEAR__MAX,

	MP__MAX = MP_NEAR__MAX /* the most any of them takes */
};

/*
 * The parameters of the services searches (sql/queries/services_*.sql) by
 * slot, as enum meetings_param: the filters first, the same slots near a
 * point and anywhere, in the order of the @params line of
 * sql/queries/include/services_filter.sql; then each statement's own. A new
 * filter is a slot before SP_FILTERS__MAX, a name at the end of that line.
 */
enum services_param {
	SP_CATEGORY,   /* category codes */
	SP_POPULATION, /* population codes */
	SP_LANGUAGE,   /* language codes */
	SP_COST,       /* cost codes */
	SP_MOUD,       /* welcomes MOUD */
	SP_OPEN_NOW,
	SP_KEYWORDS,   /* web search syntax */
	SP_TZ,         /* the searcher's zone */
	SP_NOW,        /* ISO 8601; NULL: the clock */
	SP_NATIONAL,   /* near: any text; anywhere: '*' or a country code */
	SP_NARR_LEVEL, /* the recovery residences': NARR levels */
	SP_GENDER,     /* genders served */
	SP_BEDS_AVAILABLE,
	SP_HOUSING_MOUD, /* residents may take MOUD */
	SP_AGE,          /* a person's age in years */
	SP_FILTERS__MAX,

	/* Anywhere: services_all.sql all three; services_facets_all.sql the
	 * candidates alone. */
	SP_LIMIT = SP_FILTERS__MAX,
	SP_OFFSET,
	SP_CANDIDATES,
	SP_ALL__MAX,
	SP_FACETS_CANDIDATES = SP_FILTERS__MAX,
	SP_FACETS_ALL__MAX,

	/* Near a point: the point and the radius in metres, then as anywhere:
	 * services_near.sql all; services_near_page.sql limit and offset;
	 * services_facets_near.sql the candidates alone. */
	SP_LAT = SP_FILTERS__MAX,
	SP_LNG,
	SP_RADIUS,
	SP_NEAR_LIMIT,
	SP_NEAR_OFFSET,
	SP_NEAR_CANDIDATES,
	SP_NEAR__MAX,
	SP_NEAR_PAGE__MAX = SP_NEAR_OFFSET + 1,
	SP_FACETS_NEAR_CANDIDATES = SP_RADIUS + 1,
	SP_FACETS_NEAR__MAX,

	SP__MAX = SP_NEAR__MAX /* the most any of them takes */
};

/* Who a connection logs in as: the reader (read-only transactions, every
 * statement but the feedback ones, the time zone names; a standby will do)
 * or the feedback role (the insert and its readiness, on the primary). */
enum db_role { DB_ROLE_READER, DB_ROLE_FEEDBACK, DB_ROLE__MAX };

/* One worker's connection. It is made after the fork, and remade with
 * backoff after the server goes away; meanwhile db_exec answers 503. */
struct db {
	enum db_role role;
	PGconn *conn;
	char **zones; /* the server's time zone names, sorted */
	size_t nzones;
	const char *conninfo;
	int statement_timeout_ms;
	double next_attempt; /* monotonic seconds */
	double backoff;      /* seconds until the next attempt after a failure */
	double recheck_at;   /* when a reader on the primary looks for a standby
			      * again (monotonic seconds; 0: never) */
};

/* Sets db up without connecting: the first db_exec or db_command connects
 * (the feedback connection is made so, on the first report). */
void db_init(struct db *db, enum db_role role, const char *conninfo, int statement_timeout_ms);

/* Connects and prepares every statement of the connection's role. Returns 0,
 * or -1 (logged, and the next attempt scheduled). */
int db_connect(struct db *db);

/*
 * Runs a prepared statement with text parameters (NULL for SQL NULL).
 * Returns a result with rows that the caller must PQclear, or NULL with err
 * set: 503 with retry_after while the database is unreachable or a query
 * ran past the statement timeout, 500 for anything else (logged).
 */
PGresult *db_exec(struct db *db, enum db_statement st, const char *const *values,
		  struct api_error *err);

/*
 * A read-only transaction with one snapshot for several statements (the
 * feed's validators, then its cursor). db_begin returns 0, or -1 with err
 * set as db_exec does; after 0 the caller must call db_end, which commits
 * (or rolls back when commit is 0) and logs a failure. Inside it, db_exec
 * does not reconnect: a lost connection fails the statement.
 */
int db_begin(struct db *db, struct api_error *err);
void db_end(struct db *db, int commit);

/* As db_exec, for a statement that returns no rows (DECLARE): returns 0, or
 * -1 with err set. */
int db_command(struct db *db, enum db_statement st, const char *const *values,
	       struct api_error *err);

void db_close(struct db *db);

/* Whether the database knows time zone name (loaded at connect): 1, 0, or
 * -1 when not connected (the query that follows will answer 503). */
int db_timezone_known(const struct db *db, const char *name);

#endif
