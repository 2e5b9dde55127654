#ifndef FINDER_ROUTE_H
#define FINDER_ROUTE_H

#include <stddef.h>

#include "params.h"
#include "patterns.h"
#include "request.h"

/*
 * A route: its path, or for an id route (has_id) the path before the id
 * and what may follow the id (suffix); the handler, which finds the id in
 * req->id; the query parameters it allows (none when rules is NULL); for an
 * id route what an id must look like and the 404 of an id no record has;
 * and whether it takes POST (a body to store) rather than GET and HEAD. A
 * new endpoint is one row of route_table.
 */
struct route {
	const char *path;
	int has_id;
	const char *suffix;
	int (*handle)(struct request *req);
	const struct param_rules *rules;
	enum pattern id_pattern;
	const char *not_found;
	int post;
};

/* The API's routes, in the order finder routes lists them (the order does
 * not decide which route a path takes: route_match does). */
extern const struct route route_table[];
extern const size_t route_table_len;

/*
 * The route of routes[0..n) that path takes, or NULL. Of the routes that
 * match, the one that spells out most of the path wins, whatever the
 * table's order: a whole path (/api/v1/meetings/facets) over an id route
 * (/api/v1/meetings/{id}), and an id route with a suffix
 * (/api/v1/meetings/{id}.ics) over one without. An id is not empty and has
 * no slash. Writes an id route's id, without the suffix, into id[cap]
 * (cap > 0), cut short if it does not fit (its pattern then refuses it);
 * else "".
 */
const struct route *route_match(const struct route *routes, size_t n, const char *path, char *id,
				size_t cap);

/* Writes r's path template ("/api/v1/meetings/{id}.ics") into buf[cap],
 * cut short if it does not fit. */
void route_template(const struct route *r, char *buf, size_t cap);

/*
 * Routes the request and runs its handler: method and path, then the query
 * string decoded and checked against the route's allowed parameters, then the
 * handler. Every outcome, errors included, is left as the request's reply;
 * returns its status.
 */
int route_dispatch(struct request *req);

/*
 * finder routes: prints the route table as JSON on stdout, for the test
 * that holds web/openapi.json to it: each path template, its methods, and
 * its parameters as their rules allow them. Returns the exit status.
 */
int route_main(int argc, char **argv);

#endif
