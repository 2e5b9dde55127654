#ifndef FINDER_LOG_H
#define FINDER_LOG_H

/* One line to stderr with a timestamp and the process id. Never pass a
 * searcher's input (a query string, a location) to these. */
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
