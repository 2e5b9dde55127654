/*
 * The commands' database connection (db_open.c): `finder import`,
 * `source`, `sync` and `reports` connect as the importer, `finder feeds`
 * as the reader, each to the connection string its environment gives.
 * The handler's own connections are db.c's.
 */
#ifndef FINDER_DB_OPEN_H
#define FINDER_DB_OPEN_H

#include <libpq-fe.h>

enum db_open_role {
	DB_OPEN_IMPORTER, /* FINDER_IMPORT_DATABASE, else finder_importer on dbname=finder */
	DB_OPEN_READER,   /* FINDER_DATABASE, else finder_reader on dbname=finder */
	DB_OPEN__MAX
};

/* A connection as role, which the caller PQfinishes; or NULL, said on
 * stderr as "WHO: cannot connect to the database: " and libpq's reason. */
PGconn *db_open(const char *who, enum db_open_role role);

#endif
