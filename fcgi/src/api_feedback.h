#ifndef FINDER_API_FEEDBACK_H
#define FINDER_API_FEEDBACK_H

struct request;

/* POST /api/v1/feedback: a JSON body (fcgi/src/feedback.c checks it), no
 * query parameters. Stores the report through the feedback connection and
 * answers 201. */
int api_feedback_post(struct request *req);

#endif
