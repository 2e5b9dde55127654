#ifndef FINDER_API_HSDS_H
#define FINDER_API_HSDS_H

#include <stddef.h>

#include "params.h"

struct request;

/* GET /api/v1/hsds/services: the HSDS 3.0 API's list of services (a Page). */
struct hsds_params {
	struct param_integer page, per_page;
	struct param_list search;           /* free text */
	struct param_list taxonomy_term_id; /* a uuid */
	struct param_list taxonomy_id;      /* a uuid */
	struct param_list organization_id;  /* a uuid */
	struct param_list modified_after;   /* ISO 8601 */
};

extern const struct param_rule api_hsds_rules[];
extern const size_t api_hsds_nrules;

/* GET /api/v1/hsds/: the version document. */
int api_hsds_base(struct request *req, const char *id);
int api_hsds_services_list(struct request *req, const char *id);
/* GET /api/v1/hsds/services/{id}: one service in full. */
int api_hsds_services_get(struct request *req, const char *id);

#endif
