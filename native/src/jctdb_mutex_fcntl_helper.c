/*
 * jctdb_mutex_fcntl_helper FILE [RECHECK_SECONDS [RECHECK_TIMEOUT_SECONDS [STALL_SECONDS]]]
 *
 * Holds an fcntl write lock on FILE for the JCTDB daemon, outside every daemon thread.
 * Speaks the cluster mutex helper protocol: one character on stdout,
 *   '0' lock taken, '1' contention, '3' error;
 * after '0' it keeps running while it holds the lock and exits when the lock is lost.
 * SIGTERM (or the death of its parent) releases the lock.
 *
 * While holding the lock it re-checks every RECHECK_SECONDS (default 5), in a forked probe
 * so that a hung file system cannot block this process, that FILE still exists with the same
 * device and inode and that our lock is still there. Exactly one probe is in flight. If a probe
 * has not answered after RECHECK_TIMEOUT_SECONDS (default 5) it writes one status line
 *   "jctdb-status: unresponsive <text>"
 * on stderr, keeps the lock and keeps waiting for that same probe; when it answers it writes
 *   "jctdb-status: responsive <text>".
 *
 * With STALL_SECONDS > 0, stdin carries the daemon's heartbeat (a byte per leader tick). A daemon
 * that is stopped (SIGSTOP), frozen or starved sends none: after STALL_SECONDS without one the
 * helper gives the lock up and exits, so the other nodes can elect a leader; the daemon's core has
 * then been silent longer than its leader timeout and ends its term as soon as it runs again.
 * End of stdin means the daemon is gone.
 * Exit codes: 0 after contention, 1 on error, 2 when the lock was lost, 3 when the parent died,
 * 4 when the heartbeat stopped.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *lock_path;
static pid_t parent;
static long stall_ms; /* 0: no heartbeat watch */
static long last_beat_ms;

static long monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Drains the heartbeat pipe (non-blocking) and exits if the daemon went quiet or away. */
static void heartbeat_check(void)
{
	char buf[256];
	ssize_t n;

	if (stall_ms <= 0) {
		return;
	}
	while ((n = read(STDIN_FILENO, buf, sizeof(buf))) > 0) {
		last_beat_ms = monotonic_ms();
	}
	if (n == 0) {
		fprintf(stderr, "jctdb_mutex_fcntl_helper: heartbeat pipe closed (daemon gone); releasing %s\n",
			lock_path);
		exit(3);
	}
	if (monotonic_ms() - last_beat_ms >= stall_ms) {
		fprintf(stderr, "jctdb_mutex_fcntl_helper: no heartbeat from daemon pid %d for %ld ms"
			" (stopped or hung); releasing %s\n", (int)parent, monotonic_ms() - last_beat_ms, lock_path);
		exit(4);
	}
}

static void answer(char c)
{
	/* One byte, unbuffered: the daemon reads it as soon as it is written. */
	while (write(STDOUT_FILENO, &c, 1) < 0 && errno == EINTR) {
	}
}

static void parent_gone_check(void)
{
	heartbeat_check();
	if (getppid() != parent) {
		fprintf(stderr, "jctdb_mutex_fcntl_helper: parent %d exited; releasing %s\n",
			(int)parent, lock_path);
		exit(3);
	}
}

static long monotonic_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec;
}

/* Runs in the probe child: may block forever on a hung file system, which is fine. */
static void probe(int fd, const struct stat *locked, int out)
{
	struct stat now;
	struct flock fl;
	char verdict = 'k';

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (stat(lock_path, &now) != 0) {
		verdict = (errno == ENOENT) ? 'g' : 'e';
	} else if (now.st_dev != locked->st_dev || now.st_ino != locked->st_ino) {
		verdict = 'r';
	} else {
		memset(&fl, 0, sizeof(fl));
		fl.l_type = F_WRLCK;
		fl.l_whence = SEEK_SET;
		fl.l_start = 0;
		fl.l_len = 1;
		/* We are not the lock owner, so our parent's lock shows up as a conflict. */
		if (fcntl(fd, F_GETLK, &fl) != 0) {
			verdict = 'e';
		} else if (fl.l_type == F_UNLCK) {
			verdict = 'u';
		} else if (fl.l_pid > 0 && fl.l_pid != getppid()) {
			verdict = 'o';
		}
	}
	while (write(out, &verdict, 1) < 0 && errno == EINTR) {
	}
	_exit(0);
}

static const char *verdict_text(char v)
{
	switch (v) {
	case 'g': return "lock file was removed";
	case 'r': return "lock file was replaced (different inode)";
	case 'u': return "our lock is no longer held on the file";
	case 'o': return "another process holds the lock";
	case 'e': return "re-check failed with an I/O error";
	default: return "unknown re-check result";
	}
}

/*
 * One re-check; returns only if the lock is still ours. The probe is waited for without ever
 * blocking: even its exit can hang, because closing its copy of the lock file descriptor sends
 * a flush to the file system. The next probe starts only after this one has been reaped.
 */
static void recheck(int fd, const struct stat *locked, long timeout)
{
	int p[2];
	pid_t child;
	long started = monotonic_seconds();
	int unresponsive = 0;
	int have_verdict = 0;
	char v = 0;

	if (pipe(p) != 0) {
		fprintf(stderr, "jctdb_mutex_fcntl_helper: pipe: %s\n", strerror(errno));
		return; /* try again next interval; the lock itself is unaffected */
	}
	child = fork();
	if (child < 0) {
		fprintf(stderr, "jctdb_mutex_fcntl_helper: fork: %s\n", strerror(errno));
		close(p[0]);
		close(p[1]);
		return;
	}
	if (child == 0) {
		close(p[0]);
		probe(fd, locked, p[1]);
	}
	close(p[1]);
	for (;;) {
		if (!have_verdict) {
			struct pollfd pfd = { .fd = p[0], .events = POLLIN };
			if (poll(&pfd, 1, 1000) > 0) {
				ssize_t n = read(p[0], &v, 1);
				if (n == 1 || n == 0) {
					have_verdict = 1;
					close(p[0]);
					if (v != 'k' && v != 'e' && v != 0) {
						break; /* lost: no need to wait for the probe */
					}
				}
			}
		} else {
			sleep(1);
		}
		if (have_verdict && waitpid(child, NULL, WNOHANG) == child) {
			break;
		}
		parent_gone_check();
		if (!unresponsive && monotonic_seconds() - started >= timeout) {
			unresponsive = 1;
			fprintf(stderr, "jctdb-status: unresponsive re-check of %s has not %s for %lds;"
				" still holding the lock\n", lock_path,
				have_verdict ? "finished" : "answered", monotonic_seconds() - started);
		}
	}
	if (unresponsive) {
		fprintf(stderr, "jctdb-status: responsive re-check of %s answered after %lds\n",
			lock_path, monotonic_seconds() - started);
	}
	if (v == 'k') {
		return;
	}
	if (v == 0) {
		v = 'e'; /* the probe died without a verdict */
	}
	if (v == 'e') {
		/* An I/O error is no proof that someone else leads; report and check again later. */
		fprintf(stderr, "jctdb_mutex_fcntl_helper: %s: %s\n", lock_path, verdict_text(v));
		return;
	}
	fprintf(stderr, "jctdb_mutex_fcntl_helper: lock on %s lost: %s\n", lock_path, verdict_text(v));
	exit(2);
}

int main(int argc, char **argv)
{
	long interval = 5, timeout = 5;
	struct flock fl;
	struct stat locked;
	int fd;

	if (argc < 2 || argc > 5) {
		fprintf(stderr, "usage: %s FILE [RECHECK_SECONDS [RECHECK_TIMEOUT_SECONDS [STALL_SECONDS]]]\n",
			argv[0]);
		answer('3');
		return 1;
	}
	lock_path = argv[1];
	if (argc > 2) {
		interval = strtol(argv[2], NULL, 10);
	}
	if (argc > 3) {
		timeout = strtol(argv[3], NULL, 10);
	}
	if (argc > 4) {
		stall_ms = strtol(argv[4], NULL, 10) * 1000;
		if (stall_ms < 1000) {
			fprintf(stderr, "jctdb_mutex_fcntl_helper: bad stall seconds %s\n", argv[4]);
			answer('3');
			return 1;
		}
		if (fcntl(STDIN_FILENO, F_SETFL, fcntl(STDIN_FILENO, F_GETFL) | O_NONBLOCK) != 0) {
			fprintf(stderr, "jctdb_mutex_fcntl_helper: stdin: %s\n", strerror(errno));
			answer('3');
			return 1;
		}
		last_beat_ms = monotonic_ms();
	}
	if (interval < 1 || timeout < 1) {
		fprintf(stderr, "jctdb_mutex_fcntl_helper: bad re-check interval or timeout\n");
		answer('3');
		return 1;
	}
	parent = getppid();
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	parent_gone_check();

	fd = open(lock_path, O_RDWR | O_CREAT, 0600);
	if (fd < 0) {
		fprintf(stderr, "jctdb_mutex_fcntl_helper: cannot open %s: %s\n", lock_path, strerror(errno));
		answer('3');
		return 1;
	}
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = 0; /* the same byte as CTDB's helper, so the two exclude each other */
	fl.l_len = 1;
	if (fcntl(fd, F_SETLK, &fl) != 0) {
		if (errno == EACCES || errno == EAGAIN) {
			answer('1');
			return 0;
		}
		fprintf(stderr, "jctdb_mutex_fcntl_helper: cannot lock %s: %s\n", lock_path, strerror(errno));
		answer('3');
		return 1;
	}
	if (fstat(fd, &locked) != 0) {
		fprintf(stderr, "jctdb_mutex_fcntl_helper: fstat %s: %s\n", lock_path, strerror(errno));
		answer('3');
		return 1;
	}
	answer('0');
	last_beat_ms = monotonic_ms(); /* the daemon starts beating once it has read the answer */

	for (;;) {
		long i;
		for (i = 0; i < interval; i++) {
			sleep(1);
			parent_gone_check();
		}
		recheck(fd, &locked, timeout);
	}
}
