/*
 * jctdb_lock_wait MODE FILE TDB_FLAGS [KEY_HEX]
 *
 * Does the blocking half of a TDB lock for the JCTDB daemon, which only ever tries locks
 * without waiting: a client such as smbd may hold a chain lock for as long as it likes, and a
 * daemon thread must not sleep behind it. The daemon tries, and when the lock is busy starts
 * this program and tries again once it has exited 0.
 *
 * MODE
 *   chain  wait until the chain lock of KEY_HEX (the key as hex bytes) is free, then drop it
 *   all    wait until every chain is free (the whole-file lock a transaction or wipe needs)
 *   hold   take the chain lock of KEY_HEX, write "0\n", keep it until stdin is closed: the daemon
 *          runs the request that waited under this lock (marking it as its own, as ctdbd does with
 *          its lock helper's lock); tests use it to stand in for a client holding a lock
 * TDB_FLAGS are the flags the daemon opened FILE with; only TDB_MUTEX_LOCKING is used here,
 * because a file with mutex chain locks must be opened with it (and its chain locks are
 * robust mutexes, not fcntl ranges, so locking through libtdb is the only way that works for
 * both kinds of file). FILE is never created or cleared.
 *
 * Writes "0\n" on stdout once it had the lock and exits 0; on error exits 1 with a line on
 * stderr. Dies with its parent (PR_SET_PDEATHSIG), so an abandoned wait goes away.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <tdb.h>

static int fail(const char *what, const char *file)
{
	fprintf(stderr, "jctdb_lock_wait: %s: %s: %s\n", file, what, strerror(errno));
	return 1;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if (c >= 'a' && c <= 'f') {
		return c - 'a' + 10;
	}
	if (c >= 'A' && c <= 'F') {
		return c - 'A' + 10;
	}
	return -1;
}

static bool parse_key(const char *hex, TDB_DATA *key)
{
	size_t len = strlen(hex);
	size_t i;

	if (len % 2 != 0) {
		return false;
	}
	key->dsize = len / 2;
	key->dptr = malloc(key->dsize + 1);
	if (key->dptr == NULL) {
		return false;
	}
	for (i = 0; i < key->dsize; i++) {
		int hi = hex_value(hex[2 * i]);
		int lo = hex_value(hex[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			return false;
		}
		key->dptr[i] = (unsigned char)(hi * 16 + lo);
	}
	return true;
}

static void say_ok(void)
{
	static const char ok[] = "0\n";
	while (write(STDOUT_FILENO, ok, 2) < 0 && errno == EINTR) {
	}
}

int main(int argc, char **argv)
{
	const char *mode;
	const char *file;
	int flags;
	struct tdb_context *tdb;
	TDB_DATA key = { .dptr = NULL, .dsize = 0 };
	bool need_key;
	char buf[64];

	if (argc < 4) {
		fprintf(stderr, "usage: jctdb_lock_wait chain|all|hold FILE TDB_FLAGS [KEY_HEX]\n");
		return 1;
	}
	mode = argv[1];
	file = argv[2];
	flags = atoi(argv[3]) & TDB_MUTEX_LOCKING;
	need_key = strcmp(mode, "all") != 0;
	if (strcmp(mode, "chain") != 0 && strcmp(mode, "all") != 0 && strcmp(mode, "hold") != 0) {
		fprintf(stderr, "jctdb_lock_wait: unknown mode %s\n", mode);
		return 1;
	}
	if (need_key && (argc < 5 || !parse_key(argv[4], &key))) {
		fprintf(stderr, "jctdb_lock_wait: mode %s needs a key in hex\n", mode);
		return 1;
	}

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* The parent may have died before the line above took effect. */
	if (getppid() == 1) {
		return 1;
	}

	tdb = tdb_open(file, 0, flags, O_RDWR, 0);
	if (tdb == NULL) {
		return fail("tdb_open", file);
	}

	if (strcmp(mode, "all") == 0) {
		if (tdb_lockall(tdb) != 0) {
			return fail(tdb_errorstr(tdb), file);
		}
		tdb_unlockall(tdb);
		say_ok();
	} else if (strcmp(mode, "chain") == 0) {
		if (tdb_chainlock(tdb, key) != 0) {
			return fail(tdb_errorstr(tdb), file);
		}
		tdb_chainunlock(tdb, key);
		say_ok();
	} else {
		if (tdb_chainlock(tdb, key) != 0) {
			return fail(tdb_errorstr(tdb), file);
		}
		say_ok();
		while (read(STDIN_FILENO, buf, sizeof(buf)) > 0) {
		}
		tdb_chainunlock(tdb, key);
	}
	tdb_close(tdb);
	free(key.dptr);
	return 0;
}
