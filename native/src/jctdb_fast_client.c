/*
 * jctdb-fast: the jctdb command's path for commands the daemon answers.
 *
 * Event scripts call jctdb many times per monitor event on every node, and a JVM start costs
 * about 100 ms of CPU where a C process costs one. This program does only what that path
 * needs: find the daemon's control socket the way the Java command does (CTDB_SOCKET, else
 * $CTDB_BASE/run/jctdbd.socket, else /run/jctdb/jctdbd.socket), send the arguments in the
 * control protocol (org.jctdb.control.ControlFrames), print the reply and exit with its code.
 * Commands that run without a daemon (local-cluster, config, ipalloc, lab, help) and a missing
 * command word are handed to the Java command (bin/jctdb with JCTDB_NO_FAST=1).
 * checktcpport runs here, as in CTDB's tool: the stock scripts' monitor calls it once per port.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define MAGIC 0x4a435431u
#define MAX_ARGS 1024
#define MAX_OUTPUT (64u * 1024u * 1024u)
#define MAX_STDIN (192u * 1024u)
#define STDIN_MARK "--stdin-lines"

static const char *offline[] = {"local-cluster", "config", "ipalloc", "lab", "help",
				"ptrans", "backupdb", "restoredb", "dumpdbbackup",
				"tickle", NULL};
static const char *valued[] = {"-n", "-x", "-t", "-T", "-d", "--debug", NULL};

static int in_list(const char *s, const char **list)
{
	for (; *list != NULL; list++) {
		if (strcmp(s, *list) == 0) {
			return 1;
		}
	}
	return 0;
}

/*
 * The first word that is neither an option nor an option's value (as cli.Main does).
 * -T (time limit) and -t (timeout) both bound the wait for the reply; the shorter one wins.
 */
static const char *command_word(int argc, char **argv, long *timelimit)
{
	long t_limit = 0, t_out = 0;
	for (int i = 1; i < argc; i++) {
		if (in_list(argv[i], valued)) {
			if ((strcmp(argv[i], "-T") == 0 || strcmp(argv[i], "-t") == 0) && i + 1 < argc) {
				long t = strtol(argv[i + 1], NULL, 10);
				if (t > 0) {
					if (argv[i][1] == 'T') {
						t_limit = t;
					} else {
						t_out = t;
					}
					*timelimit = t_limit > 0 && (t_out == 0 || t_limit < t_out) ? t_limit : t_out;
				}
			}
			i++;
		} else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0 ||
			   strcmp(argv[i], "-?") == 0) {
			return "help";
		} else if (argv[i][0] != '-' || strcmp(argv[i], "-") == 0) {
			return argv[i];
		}
	}
	return NULL;
}

/* Hands the command to the Java jctdb, which answers everything. Never returns. */
static void java_command(char **argv)
{
	const char *home = getenv("JCTDB_HOME");
	char path[4096];
	if (home == NULL || snprintf(path, sizeof(path), "%s/bin/jctdb", home) >= (int)sizeof(path)) {
		fprintf(stderr, "jctdb: JCTDB_HOME is not set\n");
		exit(1);
	}
	setenv("JCTDB_NO_FAST", "1", 1);
	argv[0] = path;
	execv(path, argv);
	fprintf(stderr, "jctdb: cannot run %s: %s\n", path, strerror(errno));
	exit(1);
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads exactly n bytes before the deadline; 0 on success, -1 with a message otherwise. */
static int read_full(int fd, void *buf, size_t n, long long deadline, const char *sock)
{
	char *p = buf;
	while (n > 0) {
		long long left = deadline - now_ms();
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		if (left <= 0 || poll(&pfd, 1, (int)(left > 60000 ? 60000 : left)) == 0) {
			if (now_ms() >= deadline) {
				fprintf(stderr, "timed out waiting for the daemon (%s)\n", sock);
				return -1;
			}
			continue;
		}
		ssize_t r = read(fd, p, n);
		if (r < 0 && errno == EINTR) {
			continue;
		}
		if (r <= 0) {
			fprintf(stderr, "lost connection to the daemon (%s)\n", sock);
			return -1;
		}
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

static int write_full(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR) {
			continue;
		}
		if (w <= 0) {
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static void put_u32(char *b, uint32_t v)
{
	b[0] = (char)(v >> 24);
	b[1] = (char)(v >> 16);
	b[2] = (char)(v >> 8);
	b[3] = (char)v;
}

static uint32_t get_u32(const unsigned char *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* Reads one length-prefixed string of the reply and writes it to out_fd. */
static int relay_string(int fd, int out_fd, long long deadline, const char *sock)
{
	unsigned char len_buf[4];
	if (read_full(fd, len_buf, 4, deadline, sock) != 0) {
		return -1;
	}
	uint32_t len = get_u32(len_buf);
	if (len > MAX_OUTPUT) {
		fprintf(stderr, "reply from the daemon is too large (%u bytes)\n", len);
		return -1;
	}
	char chunk[65536];
	while (len > 0) {
		size_t n = len < sizeof(chunk) ? len : sizeof(chunk);
		if (read_full(fd, chunk, n, deadline, sock) != 0) {
			return -1;
		}
		write_full(out_fd, chunk, n);
		len -= (uint32_t)n;
	}
	return 0;
}

/*
 * checktcpport PORT, as ctdb 4.17: binds a non-blocking IPv4 TCP socket to PORT on every
 * address (no SO_REUSEADDR) and exits with bind's errno (98, EADDRINUSE, when something
 * listens there, including a dual-stack IPv6 listener), 0 when the port was free. A port that
 * is not a number is port 0, as atoi makes it in ctdb.
 */
static int checktcpport(int nargs, char **args)
{
	if (nargs != 1) {
		printf("Usage: jctdb checktcpport <port>\n");
		return 1;
	}
	unsigned int port = (unsigned int)atoi(args[0]);
	int s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
	if (s == -1) {
		int e = errno;
		fprintf(stderr, "Failed to open local socket\n");
		return e;
	}
	int v = fcntl(s, F_GETFL, 0);
	if (v == -1 || fcntl(s, F_SETFL, v | O_NONBLOCK) != 0) {
		int e = errno;
		fprintf(stderr, "Unable to set socket non-blocking\n");
		close(s);
		return e;
	}
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	int ret = bind(s, (struct sockaddr *)&sin, sizeof(sin));
	int e = errno;
	close(s);
	if (ret == -1) {
		fprintf(stderr, "Failed to bind to TCP port %u\n", port);
		return e;
	}
	return 0;
}

/*
 * addtickle and deltickle without arguments read connection lines from stdin (as ctdb's do):
 * the lines go to the daemon as arguments after STDIN_MARK (TickleCommands in the Java command).
 * Returns the new argv (argc updated), or NULL with a message.
 */
static char **with_stdin_lines(int *argc, char **argv)
{
	static char buf[MAX_STDIN + 1];
	size_t n = 0;
	ssize_t r;
	while (n < MAX_STDIN && (r = read(STDIN_FILENO, buf + n, MAX_STDIN - n)) != 0) {
		if (r < 0) {
			if (errno == EINTR) {
				continue;
			}
			fprintf(stderr, "jctdb: cannot read standard input: %s\n", strerror(errno));
			return NULL;
		}
		n += (size_t)r;
	}
	if (n == MAX_STDIN) {
		fprintf(stderr, "jctdb: more than %u bytes of connections on standard input\n", MAX_STDIN);
		return NULL;
	}
	buf[n] = '\0';
	static char *out[MAX_ARGS + 2];
	int k = 0;
	for (int i = 0; i < *argc; i++) {
		out[k++] = argv[i];
	}
	out[k++] = STDIN_MARK;
	for (char *line = buf; line != NULL && *line != '\0';) {
		char *nl = strchr(line, '\n');
		if (nl != NULL) {
			*nl = '\0';
		}
		if (k > MAX_ARGS) {
			fprintf(stderr, "jctdb: more than %d connections on standard input\n", MAX_ARGS - *argc);
			return NULL;
		}
		out[k++] = line;
		line = nl == NULL ? NULL : nl + 1;
	}
	out[k] = NULL;
	*argc = k;
	return out;
}

/* Position of the command word in argv (it is one of its elements). */
static int word_index(int argc, char **argv, const char *word)
{
	for (int i = 1; i < argc; i++) {
		if (argv[i] == word) {
			return i;
		}
	}
	return argc;
}

int main(int argc, char **argv)
{
	long timelimit = 120;
	const char *cmd = command_word(argc, argv, &timelimit);
	if (cmd != NULL && strcmp(cmd, "checktcpport") == 0) {
		int at = word_index(argc, argv, cmd);
		return checktcpport(argc - at - 1, argv + at + 1);
	}
	if (cmd == NULL || in_list(cmd, offline) || argc - 1 > MAX_ARGS) {
		java_command(argv);
	}
	if ((strcmp(cmd, "addtickle") == 0 || strcmp(cmd, "deltickle") == 0) && argv[argc - 1] == cmd) {
		argv = with_stdin_lines(&argc, argv);
		if (argv == NULL) {
			return 1;
		}
	}

	char sock[sizeof(((struct sockaddr_un *)0)->sun_path)];
	const char *env_sock = getenv("CTDB_SOCKET");
	const char *base = getenv("CTDB_BASE");
	int n;
	if (env_sock != NULL && env_sock[0] != '\0') {
		n = snprintf(sock, sizeof(sock), "%s", env_sock);
	} else if (base != NULL && base[0] != '\0') {
		n = snprintf(sock, sizeof(sock), "%s/run/jctdbd.socket", base);
	} else {
		n = snprintf(sock, sizeof(sock), "/run/jctdb/jctdbd.socket");
	}
	if (n >= (int)sizeof(sock)) {
		/* Too long for a Unix socket address: let the Java command say so properly. */
		java_command(argv);
	}

	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	memcpy(addr.sun_path, sock, strlen(sock) + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
		/*
		 * No daemon: the Java command answers, in CTDB's words, and also knows whether the
		 * command word names a command at all ("Unknown command 'statsu'"). Anything else
		 * (permission denied, ...) says what.
		 */
		if (errno == ENOENT || errno == ECONNREFUSED) {
			java_command(argv);
		} else {
			fprintf(stderr, "Failed to connect to JCTDB daemon (%s): %s\n", sock, strerror(errno));
		}
		return 1;
	}
	/* A daemon that refuses the request closes the socket: say why (its reply), not die of SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	/* Half a second of grace: with -n the daemon bounds its own wait by -t and answers in words. */
	long long deadline = now_ms() + timelimit * 1000LL + 500;
	int sent = 1;

	/* Request: magic, argument count, then each argument as length and UTF-8 bytes. */
	char head[8];
	put_u32(head, MAGIC);
	put_u32(head + 4, (uint32_t)(argc - 1));
	if (write_full(fd, head, 8) != 0) {
		sent = 0;
	}
	for (int i = 1; sent && i < argc; i++) {
		char len[4];
		size_t l = strlen(argv[i]);
		put_u32(len, (uint32_t)l);
		if (write_full(fd, len, 4) != 0 || write_full(fd, argv[i], l) != 0) {
			sent = 0;
		}
	}
	if (!sent) {
		/* The daemon may have explained before closing (request too large, busy): show that. */
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		if (poll(&pfd, 1, 0) <= 0) {
			fprintf(stderr, "lost connection to the daemon (%s): %s\n", sock, strerror(errno));
			return 1;
		}
	}

	/* Reply: exit code, stdout, stderr. */
	unsigned char code_buf[4];
	if (read_full(fd, code_buf, 4, deadline, sock) != 0 ||
	    relay_string(fd, STDOUT_FILENO, deadline, sock) != 0 ||
	    relay_string(fd, STDERR_FILENO, deadline, sock) != 0) {
		return 1;
	}
	close(fd);
	return (int)get_u32(code_buf) & 0xff;
}
