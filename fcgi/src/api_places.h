#ifndef FINDER_API_PLACES_H
#define FINDER_API_PLACES_H

#include <stddef.h>

#include "params.h"

struct request;

/* GET /api/v1/places?q=: completion of a place name or US ZIP code. */
struct places_params {
	struct param_list q;
};

extern const struct param_rules api_places_rules;

int api_places_search(struct request *req);

#endif
