#include "api_services.h"

#include "reply.h"
#include "request.h"

/* Placeholder: replaced by the services search. */
const struct param_rule api_services_rules[] = {
	{"limit", PARAM_INTEGER, offsetof(struct services_params, limit), 1, 100, 0, 0, NULL, NULL},
};
const size_t api_services_nrules = sizeof(api_services_rules) / sizeof(api_services_rules[0]);
const size_t api_services_facets_nrules = 0;
const struct param_rule api_service_rules[] = {
	{"tz", PARAM_TEXT, offsetof(struct service_params, tz), 0, 0, 0, 63, NULL, NULL},
};
const size_t api_service_nrules = sizeof(api_service_rules) / sizeof(api_service_rules[0]);

static int not_yet(struct request *req)
{
	struct api_error err;

	api_error_set(&err, 404, "not_found", NULL, "There is no such API endpoint.");
	return reply_error(req, &err);
}

int api_services_list(struct request *req, const char *id) { (void)id; return not_yet(req); }
int api_services_facets(struct request *req, const char *id) { (void)id; return not_yet(req); }
int api_services_get(struct request *req, const char *id) { (void)id; return not_yet(req); }
int api_categories_list(struct request *req, const char *id) { (void)id; return not_yet(req); }
