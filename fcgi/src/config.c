#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "params.h"

/* Reads an integer setting; absent means the default. */
static int env_integer(const char *name, long long min, long long max, long long dflt, int *out)
{
	const char *v = getenv(name);
	long long n = dflt;

	if (v != NULL && v[0] != '\0' && params_integer(v, strlen(v), min, max, &n) != 0) {
		fprintf(stderr, "finder: %s must be a whole number from %lld to %lld\n", name, min,
			max);
		return -1;
	}
	*out = (int)n;
	return 0;
}

int config_load(struct config *config)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	memset(config, 0, sizeof(*config));
	config->database = getenv("FINDER_DATABASE");
	config->feedback_database = getenv("FINDER_FEEDBACK_DATABASE");
	config->socket = getenv("FINDER_SOCKET");
	config->pidfile = getenv("FINDER_PIDFILE");
	if (config->database == NULL || config->database[0] == '\0')
		config->database = "dbname=finder user=finder_reader";
	if (config->feedback_database == NULL || config->feedback_database[0] == '\0')
		config->feedback_database = "dbname=finder user=finder_feedback";
	if (config->socket == NULL || config->socket[0] == '\0')
		config->socket = ":9000";
	if (cores < 1)
		cores = 1;
	if (env_integer("FINDER_WORKERS", 1, 256, cores * 2, &config->workers) != 0 ||
	    env_integer("FINDER_STATEMENT_TIMEOUT_MS", 100, 600000, 5000,
			&config->statement_timeout_ms) != 0 ||
	    env_integer("FINDER_BACKLOG", 1, 65535, 256, &config->backlog) != 0)
		return -1;
	return 0;
}
