#ifndef FINDER_API_ICS_H
#define FINDER_API_ICS_H

struct request;

/* GET /api/v1/meetings/{id}.ics, the id in req->id: the meeting as an RFC
 * 5545 calendar with a weekly rule in its own zone. No parameters. */
int api_ics_get(struct request *req);

#endif
