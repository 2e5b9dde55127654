#ifndef FINDER_API_FACETS_H
#define FINDER_API_FACETS_H

#include <stddef.h>

#include <json-c/json.h>
#include <libpq-fe.h>

#include "params.h"

struct request;

/* GET /api/v1/meetings/facets: the meetings route's filters (no limit or
 * offset), in struct meetings_params. */
extern const struct param_rules api_facets_rules;

int api_facets_get(struct request *req);

/*
 * Turns the (facet, value, count) rows of a facets query (meetings' or
 * services') into {"count": N, "facets": {"NAME": {"VALUE": n, ...}, ...}}
 * with every one of names present, empty when nothing matches. NULL when
 * out of memory.
 */
json_object *api_facets_json(const PGresult *res, const char *const *names, size_t nnames);

#endif
