#ifndef FINDER_API_SOURCES_H
#define FINDER_API_SOURCES_H

struct request;

/* GET /api/v1/sources: where the meetings come from, each source with its
 * active meetings and its last import's report. No parameters. */
int api_sources_list(struct request *req);

#endif
