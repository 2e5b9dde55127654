#include "api_hsds.h"

#include "reply.h"
#include "request.h"

/* Placeholder: replaced by the HSDS export. */
const struct param_rule api_hsds_rules[] = {
	{"page", PARAM_INTEGER, offsetof(struct hsds_params, page), 1, 100000, 0, 0, NULL, NULL},
};
const size_t api_hsds_nrules = sizeof(api_hsds_rules) / sizeof(api_hsds_rules[0]);

static int not_yet(struct request *req)
{
	struct api_error err;

	api_error_set(&err, 404, "not_found", NULL, "There is no such API endpoint.");
	return reply_error(req, &err);
}

int api_hsds_base(struct request *req, const char *id) { (void)id; return not_yet(req); }
int api_hsds_services_list(struct request *req, const char *id) { (void)id; return not_yet(req); }
int api_hsds_services_get(struct request *req, const char *id) { (void)id; return not_yet(req); }
