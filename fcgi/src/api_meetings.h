#ifndef FINDER_API_MEETINGS_H
#define FINDER_API_MEETINGS_H

#include <stddef.h>

#include "params.h"

struct request;

/* GET /api/v1/meetings */
struct meetings_params {
	struct param_number lat, lng, radius_km;
	struct param_list day, fellowship, type, attendance, language;
	struct param_list audience, moud; /* for=family|recovery, moud=true */
	struct param_list keywords;       /* q */
	struct param_integer limit, offset;
};

extern const struct param_rule api_meetings_rules[];
extern const size_t api_meetings_nrules;

int api_meetings_list(struct request *req, const char *id);

/* GET /api/v1/meetings/{id}: no parameters. */
int api_meetings_get(struct request *req, const char *id);

#endif
