#ifndef FINDER_API_FACETS_H
#define FINDER_API_FACETS_H

#include <stddef.h>

struct request;

/* GET /api/v1/meetings/facets: the meetings route's filters (no limit or
 * offset). */
extern const size_t api_facets_nrules;

int api_facets_get(struct request *req, const char *id);

#endif
