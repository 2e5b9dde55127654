#ifndef FINDER_API_LISTS_H
#define FINDER_API_LISTS_H

struct request;

/* GET /api/v1/fellowships and GET /api/v1/types: the reference lists, with
 * English and Spanish names. No parameters. */
int api_fellowships_list(struct request *req);
int api_types_list(struct request *req);

#endif
