#ifndef FINDER_API_SERVICES_H
#define FINDER_API_SERVICES_H

#include <stddef.h>

#include "params.h"

struct request;

/* GET /api/v1/services and /api/v1/services/facets: recovery support
 * services (sql/migrations/013_services.sql) near a point or anywhere. */
struct services_params {
	struct param_number lat, lng, radius_km;
	struct param_list near;       /* a place name or ZIP code */
	struct param_list category;   /* category codes (any of) */
	struct param_list population; /* population codes (any of) */
	struct param_list language;   /* lang=: ISO 639-1 codes (any of) */
	struct param_list cost;       /* cost codes (any of) */
	struct param_list moud;       /* "true" */
	struct param_list open_now;   /* "true" */
	struct param_list tz;         /* the searcher's zone */
	struct param_list now;        /* ISO 8601, instead of the clock */
	struct param_list keywords;   /* q= */
	struct param_list scope;      /* "national": areas that are a whole country */
	struct param_list country;    /* with scope=national and no place: that country's */
	/* Recovery residences (hsds.recovery_housing). */
	struct param_list narr_level;     /* NARR levels 1-4 (any of) */
	struct param_list gender;         /* genders served: men, women, all (any of) */
	struct param_list beds_available; /* "true": beds_available > 0 */
	struct param_list housing_moud;   /* "true": residents may take MOUD */
	struct param_integer age;         /* a person's age: services that take them */
	struct param_integer limit, offset;
};

/* GET /api/v1/services/{id}: tz and now, for whether it is open. */
struct service_params {
	struct param_list tz;
	struct param_list now;
};

/* The search's parameters; the facets route takes all but the last two
 * (limit and offset). */
extern const struct param_rules api_services_rules;
extern const struct param_rules api_services_facets_rules;
/* The detail's: tz and now. */
extern const struct param_rules api_service_rules;

/* Each handler answers through reply_* and returns the HTTP status; the
 * detail's id is in req->id. */
int api_services_list(struct request *req);
int api_services_facets(struct request *req);
int api_services_get(struct request *req);

/* GET /api/v1/categories: the finder's vocabularies with English and
 * Spanish labels. */
int api_categories_list(struct request *req);

#endif
