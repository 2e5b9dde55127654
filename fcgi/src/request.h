#ifndef FINDER_REQUEST_H
#define FINDER_REQUEST_H

#include <fcgiapp.h>
#include <json-c/json.h>
#include <libpq-fe.h>
#include <time.h>

#include "api_feed.h"
#include "api_hsds.h"
#include "api_meetings.h"
#include "api_places.h"
#include "api_services.h"
#include "db.h"
#include "query_string.h"

/* Room for the id of a path such as /api/v1/services/{id} (a uuid, 36
 * bytes), and its NUL: a longer id is cut short, and its route's id
 * pattern refuses it. */
#define REQUEST_ID_MAX 48

/*
 * Everything one request owns. request_free() releases all of it, so a
 * worker that serves millions of requests keeps nothing from one to the next.
 */
struct request {
	FCGX_Request *fcgi;
	struct db *db;
	struct db *feedback_db; /* the feedback role's connection (worker.c sets it) */
	const char *method;     /* from the FastCGI environment, not owned */
	const char *path;
	char id[REQUEST_ID_MAX]; /* an id route's id (route_match), else "" */
	int head;                /* HEAD: headers without the body */
	struct query_string qs;
	union {
		struct meetings_params meetings;
		struct places_params places;
		struct feed_params feed;
		struct services_params services;
		struct service_params service;
		struct hsds_params hsds;
	} params;
	PGresult *result; /* the current query's result */
	PGresult *count;  /* a second result, for totals */
	PGresult *place;  /* the place near= resolved to */
	/* The reply, built before anything is written. */
	int status;
	json_object *body;
	char *raw; /* a body that is not JSON (owned), with its type */
	size_t raw_len;
	const char *content_type;
	char disposition[96];       /* Content-Disposition, when not empty */
	const char *allow;          /* the Allow header of a 405 */
	int retry_after;            /* seconds, for a 503 */
	const char *cache_control;  /* for a 200 or 304 only; else no-store */
	char cache_control_buf[40]; /* what reply_cache_public() writes */
	time_t expires;             /* X-Accel-Expires for nginx, when not 0 */
	time_t started;             /* when the request was accepted */
	char etag[48];              /* ETag, when not empty */
	char last_modified[32];     /* Last-Modified (an HTTP date), when not empty */
	int streamed;               /* the handler has written the reply itself */
};

void request_init(struct request *req, FCGX_Request *fcgi, struct db *db);
void request_free(struct request *req);

#endif
