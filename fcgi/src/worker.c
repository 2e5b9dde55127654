#include "worker.h"

#include <fcgiapp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "config.h"
#include "db.h"
#include "log.h"
#include "reply.h"
#include "request.h"
#include "route.h"

static volatile sig_atomic_t stopping;

static void on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

/* SIGTERM interrupts accept() (no SA_RESTART) and ends the loop after the
 * request in hand; the master's death sends SIGTERM too. */
static void worker_signals(void)
{
	struct sigaction sa;
	sigset_t none;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
}

static void serve(FCGX_Request *fcgi, struct db *db, struct db *feedback_db)
{
	struct request req;

	request_init(&req, fcgi, db);
	req.feedback_db = feedback_db;
	route_dispatch(&req);
	reply_send(&req);
	request_free(&req);
}

void worker_run(int listen_fd, const struct config *config)
{
	FCGX_Request fcgi;
	struct db db, feedback_db;

	worker_signals();
	if (getppid() == 1)
		_exit(0); /* the master died before PR_SET_PDEATHSIG took hold */
	if (FCGX_Init() != 0 || FCGX_InitRequest(&fcgi, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR) != 0) {
		log_error("libfcgi initialisation failed");
		_exit(1);
	}
	db_init(&db, DB_ROLE_READER, config->database, config->statement_timeout_ms);
	db_connect(&db); /* on failure, requests answer 503 until it works */
	/* Reports are rare: their connection is made on the first one. */
	db_init(&feedback_db, DB_ROLE_FEEDBACK, config->feedback_database,
		config->statement_timeout_ms);

	while (!stopping) {
		if (FCGX_Accept_r(&fcgi) < 0) {
			if (stopping)
				break;
			log_error("accept failed; worker exiting");
			db_close(&db);
			db_close(&feedback_db);
			_exit(1);
		}
		serve(&fcgi, &db, &feedback_db);
		FCGX_Finish_r(&fcgi);
	}
	FCGX_Free(&fcgi, 1);
	db_close(&db);
	db_close(&feedback_db);
	exit(0);
}
