#ifndef FINDER_SERVER_H
#define FINDER_SERVER_H

#include "config.h"

/*
 * The master process: opens the FastCGI socket, forks config->workers
 * workers, replaces any that die, and on SIGTERM or SIGINT stops them and
 * removes the socket and pidfile. Returns the process exit status.
 */
int server_run(const struct config *config);

#endif
