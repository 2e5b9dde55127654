#ifndef FINDER_CONFIG_H
#define FINDER_CONFIG_H

/* The handler's settings, read once from the environment at start-up. */
struct config {
	const char *database;          /* libpq connection string (FINDER_DATABASE) */
	const char *feedback_database; /* the same, for reports (FINDER_FEEDBACK_DATABASE) */
	const char *socket;            /* unix socket path or ":port" (FINDER_SOCKET) */
	const char *pidfile;           /* optional (FINDER_PIDFILE) */
	int workers;                   /* FINDER_WORKERS, default 2 per core */
	int statement_timeout_ms;      /* FINDER_STATEMENT_TIMEOUT_MS, default 5000 */
	int backlog;                   /* FINDER_BACKLOG, default 256 */
};

/* Fills config from the environment (patterns_init() first: the numbers are
 * checked with the strict parser). Returns 0, or -1 after printing which
 * variable is wrong. Strings point into the environment. */
int config_load(struct config *config);

#endif
