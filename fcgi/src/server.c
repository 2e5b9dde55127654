#include "server.h"

#include <errno.h>
#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "worker.h"

#define MAX_WORKERS 256
#define STOP_GRACE_SECONDS 10

struct slot {
	pid_t pid; /* 0 when empty */
	time_t started;
	time_t restart_at; /* when an empty slot may be filled again */
	int quick_deaths;  /* deaths soon after start, in a row */
};

static struct slot slots[MAX_WORKERS];

/* Workers told to finish (a reload): each ends after the request in hand,
 * while the new ones in their slots take the next. */
static pid_t retiring[MAX_WORKERS];

/* Removes a stale socket left by a killed run, but never another file. */
static void remove_stale_socket(const char *path)
{
	struct stat st;

	if (path[0] != ':' && lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(path);
}

static int write_pidfile(const char *path)
{
	FILE *f;

	if (path == NULL || path[0] == '\0')
		return 0;
	f = fopen(path, "w");
	if (f == NULL || fprintf(f, "%ld\n", (long)getpid()) < 0 || fclose(f) != 0) {
		log_error("cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static void spawn(struct slot *slot, int fd, const struct config *config)
{
	pid_t pid = fork();

	if (pid < 0) {
		log_error("fork failed: %s", strerror(errno));
		slot->restart_at = time(NULL) + 1;
		return;
	}
	if (pid == 0)
		worker_run(fd, config);
	slot->pid = pid;
	slot->started = time(NULL);
}

/* Collects dead workers and schedules their replacement; a worker that keeps
 * dying right after its start is replaced ever more slowly (up to 30 s). */
static void reap(int workers, int stopping)
{
	pid_t pid;
	int status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (int i = 0; i < MAX_WORKERS; i++)
			if (retiring[i] == pid)
				retiring[i] = 0;
		for (int i = 0; i < workers; i++) {
			struct slot *s = &slots[i];
			time_t now = time(NULL);

			if (s->pid != pid)
				continue;
			s->pid = 0;
			if (stopping)
				break;
			if (WIFSIGNALED(status))
				log_error("worker %ld killed by signal %d; replacing it", (long)pid,
					  WTERMSIG(status));
			else
				log_error("worker %ld exited with status %d; replacing it",
					  (long)pid, WEXITSTATUS(status));
			s->quick_deaths = now - s->started < 2 ? s->quick_deaths + 1 : 0;
			s->restart_at = now + (s->quick_deaths > 5 ? 30 : s->quick_deaths);
			break;
		}
	}
}

/* A reload (SIGHUP): each worker is told to finish after the request in
 * hand, and its slot is filled again at once by a new one; the listening
 * socket stays open throughout, so no request is refused. */
static void reload_workers(int workers)
{
	for (int i = 0; i < workers; i++) {
		if (slots[i].pid <= 0)
			continue;
		for (int j = 0; j < MAX_WORKERS; j++)
			if (retiring[j] == 0) {
				retiring[j] = slots[i].pid;
				break;
			}
		kill(slots[i].pid, SIGTERM);
		slots[i].pid = 0;
		slots[i].restart_at = 0;
		slots[i].quick_deaths = 0;
	}
}

static int workers_alive(int workers)
{
	int alive = 0;

	for (int i = 0; i < workers; i++)
		alive += slots[i].pid > 0;
	for (int i = 0; i < MAX_WORKERS; i++)
		alive += retiring[i] > 0;
	return alive;
}

/* SIGTERM: every worker finishes the request in hand (at most
 * STOP_GRACE_SECONDS) and exits. */
static void stop_workers(int workers)
{
	time_t deadline = time(NULL) + STOP_GRACE_SECONDS;

	for (int i = 0; i < workers; i++)
		if (slots[i].pid > 0)
			kill(slots[i].pid, SIGTERM);
	while (workers_alive(workers) > 0 && time(NULL) < deadline) {
		struct timespec pause = {0, 20 * 1000 * 1000};

		reap(workers, 1);
		if (workers_alive(workers) > 0)
			nanosleep(&pause, NULL);
	}
	for (int i = 0; i < workers; i++)
		if (slots[i].pid > 0)
			kill(slots[i].pid, SIGKILL);
	for (int i = 0; i < MAX_WORKERS; i++)
		if (retiring[i] > 0)
			kill(retiring[i], SIGKILL);
	while (waitpid(-1, NULL, 0) > 0)
		;
}

int server_run(const struct config *config)
{
	sigset_t set;
	int fd, workers = config->workers > MAX_WORKERS ? MAX_WORKERS : config->workers;

	remove_stale_socket(config->socket);
	fd = FCGX_OpenSocket(config->socket, config->backlog);
	if (fd < 0) {
		log_error("cannot listen on %s", config->socket);
		return 1;
	}
	if (write_pidfile(config->pidfile) != 0)
		return 1;

	/* Signals are taken synchronously, with sigtimedwait, so the master
	 * never runs code inside a handler. Workers unblock them again. */
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	log_info("listening on %s with %d workers", config->socket, workers);
	for (;;) {
		struct timespec tick = {1, 0};
		int sig;

		for (int i = 0; i < workers; i++)
			if (slots[i].pid == 0 && time(NULL) >= slots[i].restart_at)
				spawn(&slots[i], fd, config);
		sig = sigtimedwait(&set, NULL, &tick);
		if (sig == SIGTERM || sig == SIGINT)
			break;
		if (sig == SIGHUP) {
			log_info("reloading: new workers; the old ones finish their requests");
			reload_workers(workers);
		}
		reap(workers, 0);
	}
	log_info("stopping");
	stop_workers(workers);
	close(fd);
	remove_stale_socket(config->socket);
	if (config->pidfile != NULL && config->pidfile[0] != '\0')
		unlink(config->pidfile);
	return 0;
}
