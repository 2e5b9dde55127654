#ifndef FINDER_WORKER_H
#define FINDER_WORKER_H

struct config;

/* A worker's life: connect to the database, then accept and answer requests
 * on listen_fd until SIGTERM. Never returns; exits 0 on SIGTERM. */
void worker_run(int listen_fd, const struct config *config) __attribute__((noreturn));

#endif
