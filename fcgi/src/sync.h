/*
 * `finder sync` (sync.c): fetches the sources that are due from their URLs
 * and imports what changed; `--loop` is the scheduler.
 */
#ifndef FINDER_SYNC_H
#define FINDER_SYNC_H

int sync_main(int argc, char **argv);

#endif
