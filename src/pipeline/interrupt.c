/* pipeline/interrupt.c - SIGINT and SIGTERM during a build (see interrupt.h).
 *
 * The handler does only what is async-signal-safe: it records the signal,
 * and by phase ends the process (reading), wakes the watchdog through a
 * pipe (staging) or does nothing more (holding).  When the command has a
 * handler of its own (dossier serve, which exits 0), reading stops at the
 * build's next step instead, and the end passes the signal on to it.  The phase is one atomic
 * int; the build moves it from staging to holding, and the watchdog from
 * staging to aborting, with a compare-and-swap, so exactly one of them
 * removes the staging folder.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib.h>
#include <glib-unix.h>
#include <glib/gstdio.h>

#include "base/fileop.h"
#include "pipeline/interrupt.h"

#define WATCHDOG_GRACE_MS	200	/* the build's own chance to stop */
#define MSG_INTERRUPTED		"dossier: interrupted; the output folder is as it was\n"

enum { PHASE_OFF, PHASE_READING, PHASE_STAGING, PHASE_HOLDING, PHASE_ABORTING, PHASE_ABORTED };

static atomic_int phase = PHASE_OFF;
static volatile sig_atomic_t caught;
static int wake[2] = { -1, -1 };	/* handler -> watchdog */
static struct sigaction old_int, old_term;
static char *staged[3];			/* stage, trash, cache: for the watchdog */
static bool staged_made;		/* the cache folder was made by the build */
static struct timespec staged_times[2];	/* else its times before */
static GMutex staged_lock;

static void
say(const char *msg)
{
	ssize_t n = write(STDERR_FILENO, msg, strlen(msg));
	(void)n;
}

/* End the process by `sig`, as if it had not been caught. */
static void
die_by(int sig)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigemptyset(&dfl.sa_mask);
	sigaction(sig, &dfl, NULL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	kill(getpid(), sig);
	_exit(128 + sig);		/* not reached */
}

/* No handler of the command's takes `sig` (dossier serve has one, and
 * exits 0 by it); ignored counts as none, as it did before dossier caught it. */
static bool
plain(int sig)
{
	const struct sigaction *old = sig == SIGINT ? &old_int : &old_term;
	return !(old->sa_flags & SA_SIGINFO) && (old->sa_handler == SIG_DFL || old->sa_handler == SIG_IGN);
}

static void
on_signal(int sig)
{
	int saved = errno;
	caught = sig;
	switch (atomic_load(&phase)) {
	case PHASE_READING:
		if (plain(sig)) {
			say(MSG_INTERRUPTED);
			die_by(sig);
		}
		break;		/* the caller's handler: the build stops at its next step */
	case PHASE_STAGING: {
		char b = (char)sig;
		ssize_t n = write(wake[1], &b, 1);
		(void)n;
		break;
	}
	default:
		break;		/* holding: acted on when it ends */
	}
	errno = saved;
}

/* Remove the staging folder while other threads may still write into it:
 * renamed away first (a write under its name then fails), removed, and
 * again should a write have made it anew. */
static void
remove_staged(void)
{
	g_mutex_lock(&staged_lock);
	for (int round = 0; round < 20; round++) {
		bool left = false;
		for (int i = 0; i < 2; i++) {
			if (!staged[i] || !g_file_test(staged[i], G_FILE_TEST_EXISTS))
				continue;
			g_autofree char *dead = g_strconcat(staged[i], ".dead", NULL);
			const char *gone = g_rename(staged[i], dead) == 0 ? dead : staged[i];
			fileop_remove_tree(gone);
			left = left || g_file_test(gone, G_FILE_TEST_EXISTS) ||
			       g_file_test(staged[i], G_FILE_TEST_EXISTS);
		}
		if (!left)
			break;
		g_usleep(10000);
	}
	if (staged[2] && staged_made)
		g_rmdir(staged[2]);
	else if (staged[2])
		utimensat(AT_FDCWD, staged[2], staged_times, AT_SYMLINK_NOFOLLOW);
	g_mutex_unlock(&staged_lock);
}

static gpointer
watchdog(gpointer unused)
{
	for (;;) {
		char b;
		ssize_t n = read(wake[0], &b, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return NULL;
		for (int i = 0; i < WATCHDOG_GRACE_MS / 10 && atomic_load(&phase) == PHASE_STAGING; i++)
			g_usleep(10000);
		int expect = PHASE_STAGING;
		if (!atomic_compare_exchange_strong(&phase, &expect, PHASE_ABORTING))
			continue;	/* the build stops by itself */
		remove_staged();
		int sig = caught ? caught : SIGTERM;
		if (plain(sig)) {
			say(MSG_INTERRUPTED);
			die_by(sig);
		}
		/* The command's handler ends it: the build goes on failing to
		 * write, stops, removes what it wrote since, and passes it on. */
		atomic_store(&phase, PHASE_ABORTED);
	}
}

void
interrupt_begin(void)
{
	static gsize once;
	if (g_once_init_enter(&once)) {
		if (!g_unix_open_pipe(wake, FD_CLOEXEC, NULL))
			g_error("cannot make a pipe: %s", g_strerror(errno));
		g_thread_unref(g_thread_new("watchdog", watchdog, NULL));
		g_once_init_leave(&once, 1);
	}
	caught = 0;
	atomic_store(&phase, PHASE_READING);
	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
}

void
interrupt_staging(const char *stage, const char *trash, const char *cache, bool made,
		  const struct timespec times[2])
{
	g_mutex_lock(&staged_lock);
	for (int i = 0; i < 3; i++)
		g_free(staged[i]);
	staged[0] = g_strdup(stage);
	staged[1] = g_strdup(trash);
	staged[2] = g_strdup(cache);
	staged_made = made;
	staged_times[0] = times[0];
	staged_times[1] = times[1];
	g_mutex_unlock(&staged_lock);
	atomic_store(&phase, PHASE_STAGING);
	if (caught)		/* came just before: the watchdog was not told */
		on_signal(caught);
}

void
interrupt_hold(void)
{
	int expect = PHASE_STAGING;
	if (atomic_compare_exchange_strong(&phase, &expect, PHASE_HOLDING))
		return;
	expect = PHASE_READING;
	if (atomic_compare_exchange_strong(&phase, &expect, PHASE_HOLDING))
		return;
	while (atomic_load(&phase) == PHASE_ABORTING)	/* the watchdog is at work */
		g_usleep(10000);
}

void
interrupt_reading(void)
{
	atomic_store(&phase, PHASE_READING);
	if (caught && plain(caught)) {
		say(MSG_INTERRUPTED);
		die_by(caught);
	}
}

bool
interrupt_requested(void)
{
	return caught != 0;
}

void
interrupt_end(bool complete)
{
	atomic_store(&phase, PHASE_OFF);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	g_mutex_lock(&staged_lock);
	for (int i = 0; i < 3; i++)
		g_clear_pointer(&staged[i], g_free);
	g_mutex_unlock(&staged_lock);
	if (caught) {
		if (!complete)
			say(MSG_INTERRUPTED);
		if (plain(caught))
			die_by(caught);
		raise(caught);	/* the caller's handler takes it from here */
	}
}
