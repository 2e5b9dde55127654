#ifndef FINDER_ROUTE_H
#define FINDER_ROUTE_H

#include "request.h"

/*
 * Routes the request and runs its handler: method and path, then the query
 * string decoded and checked against the route's allowed parameters, then the
 * handler. Every outcome, errors included, is left as the request's reply;
 * returns its status.
 */
int route_dispatch(struct request *req);

/*
 * finder routes: prints the route table as JSON on stdout, for the test
 * that holds web/openapi.json to it: each path template, its methods, and
 * its parameters as their rules allow them. Returns the exit status.
 */
int route_main(int argc, char **argv);

#endif
