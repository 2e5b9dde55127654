#ifndef FINDER_API_HSDS_H
#define FINDER_API_HSDS_H

#include <stddef.h>

#include "params.h"

struct request;

/* GET /api/v1/hsds/services: the HSDS 3.0 API's list of services (a Page),
 * with the parameters of the HSDS 3.0 OpenAPI that the finder supports. */
struct hsds_params {
	struct param_integer page, per_page;
	struct param_list search;           /* free text */
	struct param_list taxonomy_term_id; /* a uuid */
	struct param_list taxonomy_id;      /* a uuid */
	struct param_list organization_id;  /* a uuid */
	struct param_list modified_after;   /* ISO 8601, checked by the handler */
	struct param_list full;             /* true or false */
	struct param_list format;           /* json */
};

extern const struct param_rules api_hsds_rules;

/* GET /api/v1/hsds/ (and /api/v1/hsds): the version document. */
int api_hsds_base(struct request *req);
/* GET /api/v1/hsds/services: one page of the listed services. */
int api_hsds_services_list(struct request *req);
/* GET /api/v1/hsds/services/{id}, the id in req->id: one service in full,
 * or 404. */
int api_hsds_services_get(struct request *req);

#endif
