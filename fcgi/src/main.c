/*
 * finder: Recovery Finder's program.
 *
 *   finder serve     the FastCGI handler (settings from the environment)
 *   finder import    merge a meeting feed or a services directory (HSDS)
 *                    into a source (import.c, import_hsds.c)
 *   finder feeds     write the Meeting Guide feed as files for nginx
 *                    (feeds.c)
 *   finder source    the sources synced from their URLs (source.c)
 *   finder sync      fetch the sources that are due, import what changed
 *                    (sync.c, fetch.c)
 *   finder reports   list, resolve and deliver visitors' reports
 *                    (reports.c, reports_deliver.c)
 *   finder routes    print the API's route table as JSON (route.c)
 *   finder help      this list
 */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "feeds.h"
#include "import.h"
#include "patterns.h"
#include "reports.h"
#include "route.h"
#include "server.h"
#include "source.h"
#include "sync.h"

static int usage(FILE *out)
{
	fputs("usage: finder COMMAND\n"
	      "\n"
	      "  serve   run the FastCGI handler: a master and its workers\n"
	      "  import  merge a meeting feed or an HSDS services directory into a\n"
	      "          source (finder import --help)\n"
	      "  feeds   write the Meeting Guide feed as files for nginx to serve\n"
	      "          (finder feeds --help)\n"
	      "  source  add, list, remove, disable or confirm the sources synced from\n"
	      "          their URLs (finder source --help)\n"
	      "  sync    fetch the sources that are due and import what changed\n"
	      "          (finder sync --help)\n"
	      "  reports list, resolve or deliver to the sources' webhooks what\n"
	      "          visitors reported (finder reports --help)\n"
	      "  routes  print the API's route table as JSON: paths, methods and\n"
	      "          query parameters (finder routes --help)\n"
	      "  help    show this help\n"
	      "\n"
	      "serve reads its settings from the environment:\n"
	      "  FINDER_DATABASE              libpq connection string\n"
	      "                               (default \"dbname=finder user=finder_reader\")\n"
	      "  FINDER_SOCKET                unix socket path, or :PORT (default :9000)\n"
	      "  FINDER_WORKERS               worker processes (default 2 per core)\n"
	      "  FINDER_STATEMENT_TIMEOUT_MS  per-query limit (default 5000)\n"
	      "  FINDER_BACKLOG               listen backlog (default 256)\n"
	      "  FINDER_PIDFILE               where to write the master's pid\n",
	      out);
	return out == stdout ? 0 : 2;
}

static int cmd_serve(void)
{
	struct config config;
	int status;

	if (patterns_init() != 0)
		return 1;
	if (config_load(&config) != 0) {
		patterns_free();
		return 2;
	}
	status = server_run(&config);
	patterns_free();
	return status;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage(stderr);
	if (strcmp(argv[1], "serve") == 0 && argc == 2)
		return cmd_serve();
	if (strcmp(argv[1], "import") == 0)
		return import_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "feeds") == 0)
		return feeds_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "source") == 0)
		return source_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "sync") == 0)
		return sync_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "reports") == 0)
		return reports_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "routes") == 0)
		return route_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)
		return usage(stdout);
	return usage(stderr);
}
