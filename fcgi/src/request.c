#include "request.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

void request_init(struct request *req, FCGX_Request *fcgi, struct db *db)
{
	memset(req, 0, sizeof(*req));
	req->fcgi = fcgi;
	req->db = db;
	req->status = 500;
	req->started = time(NULL);
}

void request_free(struct request *req)
{
	query_string_free(&req->qs);
	PQclear(req->result);
	PQclear(req->count);
	PQclear(req->place);
	if (req->body != NULL)
		json_object_put(req->body);
	free(req->raw);
	req->raw = NULL;
	req->result = NULL;
	req->count = NULL;
	req->place = NULL;
	req->body = NULL;
}
