/*
 * jctdb_probe PATH
 *
 * The storage probe's long-lived helper (docs/design/health.md): one per probed path, started
 * by the daemon in a session of its own, run from "/". For every request line on stdin, a
 * decimal sequence number, it stat()s PATH and answers one line on stdout:
 *
 *   SEQ ok INODE          stat() succeeded
 *   SEQ err MESSAGE       stat() failed (strerror of errno)
 *
 * It never forks, so an idle daemon starts no process for its probe. It touches PATH only on a
 * request: a stat() that hangs in the kernel leaves the request unanswered, and the daemon, not
 * this program, decides what that means. Exit: 0 at end of input, 2 on bad arguments or a bad
 * request line (the reason on stderr), 1 when stdout is gone.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_LINE 32

/* True when line (without its newline) is 1-19 decimal digits. */
static int is_seq(const char *line, size_t len)
{
	if (len == 0 || len > 19) {
		return 0;
	}
	for (size_t i = 0; i < len; i++) {
		if (line[i] < '0' || line[i] > '9') {
			return 0;
		}
	}
	return 1;
}

int main(int argc, char **argv)
{
	char line[MAX_LINE];
	struct stat st;

	if (argc != 2 || argv[1][0] != '/') {
		fprintf(stderr, "usage: jctdb_probe ABSOLUTE_PATH (requests on stdin)\n");
		return 2;
	}
	while (fgets(line, sizeof(line), stdin) != NULL) {
		size_t len = strlen(line);
		if (len == 0 || line[len - 1] != '\n' || !is_seq(line, len - 1)) {
			fprintf(stderr, "jctdb_probe: bad request on stdin (want a sequence number per line)\n");
			return 2;
		}
		line[len - 1] = '\0';
		if (stat(argv[1], &st) == 0) {
			printf("%s ok %llu\n", line, (unsigned long long)st.st_ino);
		} else {
			printf("%s err %s\n", line, strerror(errno));
		}
		if (fflush(stdout) != 0) {
			return 1;
		}
	}
	return 0;
}
