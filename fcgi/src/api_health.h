#ifndef FINDER_API_HEALTH_H
#define FINDER_API_HEALTH_H

struct request;

/* GET /api/v1/health: no parameters. */
int api_health_get(struct request *req);

#endif
