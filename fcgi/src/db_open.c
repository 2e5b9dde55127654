#include "db_open.h"

#include <stdio.h>
#include <stdlib.h>

static const struct {
	const char *env;      /* the connection string's variable */
	const char *fallback; /* when it is unset or empty: the local database */
} roles[DB_OPEN__MAX] = {
	[DB_OPEN_IMPORTER] = {"FINDER_IMPORT_DATABASE", "dbname=finder user=finder_importer"},
	[DB_OPEN_READER] = {"FINDER_DATABASE", "dbname=finder user=finder_reader"},
};

PGconn *db_open(const char *who, enum db_open_role role)
{
	const char *conninfo = getenv(roles[role].env);
	PGconn *conn = PQconnectdb(conninfo != NULL && *conninfo != '\0' ? conninfo
									 : roles[role].fallback);

	if (conn == NULL || PQstatus(conn) != CONNECTION_OK) {
		/* libpq's message ends with its own newline. */
		fprintf(stderr, "%s: cannot connect to the database: %s", who,
			conn != NULL ? PQerrorMessage(conn) : "out of memory\n");
		PQfinish(conn);
		return NULL;
	}
	return conn;
}
