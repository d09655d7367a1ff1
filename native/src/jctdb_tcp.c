/*
 * jctdb_tcp: raw TCP segments for connections a node does not own (tickle ACKs and resets).
 *
 *   jctdb_tcp tickle [ROUNDS [INTERVAL_MS]]   stdin: "FROM TO" lines
 *     Sends ROUNDS (default 1) rounds, INTERVAL_MS apart (default 1000), of one bare ACK with
 *     sequence and acknowledgement 0 from FROM to TO per line. After an address moved, FROM is
 *     the public address (now here) and TO the client: the client's stack answers the
 *     out-of-window ACK with its own ACK, this host has no socket for it and answers with a
 *     reset, and the client learns at once that the connection is gone.
 *
 *   jctdb_tcp kill IFACE [TIMEOUT_MS]          stdin: "FROM TO" lines
 *     Resets TO's end of each connection (ctdb_killtcp's way): sends a tickle ACK from FROM to
 *     TO, captures TO's answer on IFACE ("any": every interface) in either direction, and sends
 *     a reset from FROM to TO carrying the sequence number TO expects. Retries every 100 ms
 *     until every connection is reset or TIMEOUT_MS (default 5000) has passed.
 *
 * Addresses are IPV4:PORT. Needs CAP_NET_RAW. Never forks; the daemon kills it at its deadline.
 * Exit: 0 all sent/reset, 1 some failed (counted on stderr), 2 bad arguments or input.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS 65536
#define RETRY_MS 100

struct conn {
	struct sockaddr_in from, to;
	int done;
};

static int usage(void)
{
	fprintf(stderr, "usage: jctdb_tcp tickle [ROUNDS [INTERVAL_MS]] | jctdb_tcp kill IFACE [TIMEOUT_MS]"
			" (connections as \"FROM TO\" lines of IPV4:PORT on stdin)\n");
	return 2;
}

static long parse_long(const char *s, long min, long max)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || end == s || v < min || v > max) {
		return -1;
	}
	return v;
}

/* IPV4:PORT into sa; 0 on success. */
static int parse_endpoint(const char *s, struct sockaddr_in *sa)
{
	char buf[64];
	const char *colon = strrchr(s, ':');
	if (colon == NULL || (size_t)(colon - s) >= sizeof(buf)) {
		return -1;
	}
	memcpy(buf, s, (size_t)(colon - s));
	buf[colon - s] = '\0';
	long port = parse_long(colon + 1, 0, 65535);
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	if (port < 0 || inet_pton(AF_INET, buf, &sa->sin_addr) != 1) {
		return -1;
	}
	sa->sin_port = htons((uint16_t)port);
	return 0;
}

/* Reads "FROM TO" lines; blank lines are skipped. Returns the count, or -1 (reason printed). */
static int read_conns(struct conn *conns)
{
	char line[256];
	int n = 0, lineno = 0;
	while (fgets(line, sizeof(line), stdin) != NULL) {
		lineno++;
		char from[128], to[128], extra[2];
		int words = sscanf(line, "%127s %127s %1s", from, to, extra);
		if (words <= 0) {
			continue;
		}
		if (words != 2) {
			fprintf(stderr, "jctdb_tcp: stdin line %d: expected \"FROM TO\"\n", lineno);
			return -1;
		}
		if (n == MAX_CONNS) {
			fprintf(stderr, "jctdb_tcp: more than %d connections\n", MAX_CONNS);
			return -1;
		}
		if (parse_endpoint(from, &conns[n].from) != 0 || parse_endpoint(to, &conns[n].to) != 0) {
			fprintf(stderr, "jctdb_tcp: stdin line %d: not IPV4:PORT IPV4:PORT: %s", lineno, line);
			return -1;
		}
		conns[n].done = 0;
		n++;
	}
	return n;
}

static uint32_t sum16(const void *data, size_t n, uint32_t sum)
{
	const uint8_t *p = data;
	for (; n > 1; n -= 2, p += 2) {
		sum += (uint32_t)(p[0] << 8 | p[1]);
	}
	if (n == 1) {
		sum += (uint32_t)(p[0] << 8);
	}
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16) {
		sum = (sum & 0xffff) + (sum >> 16);
	}
	return htons((uint16_t)~sum);
}

/* One IPv4 TCP segment with ACK (and RST) set, no payload, from -> to. */
static int send_segment(int raw, const struct sockaddr_in *from, const struct sockaddr_in *to, uint32_t seq,
			uint32_t ack, int rst)
{
	struct {
		struct iphdr ip;
		struct tcphdr tcp;
	} pkt;
	memset(&pkt, 0, sizeof(pkt));
	pkt.ip.version = 4;
	pkt.ip.ihl = sizeof(pkt.ip) / 4;
	pkt.ip.tot_len = htons(sizeof(pkt));
	pkt.ip.ttl = 255;
	pkt.ip.protocol = IPPROTO_TCP;
	pkt.ip.saddr = from->sin_addr.s_addr;
	pkt.ip.daddr = to->sin_addr.s_addr;
	pkt.tcp.source = from->sin_port;
	pkt.tcp.dest = to->sin_port;
	pkt.tcp.seq = seq;
	pkt.tcp.ack_seq = ack;
	pkt.tcp.doff = sizeof(pkt.tcp) / 4;
	pkt.tcp.ack = 1;
	pkt.tcp.rst = rst ? 1 : 0;
	pkt.tcp.window = htons(1234); /* easy to spot in a capture, as CTDB's */
	/* The TCP checksum covers a pseudo header: both addresses, protocol, TCP length. */
	uint32_t sum = sum16(&pkt.ip.saddr, 8, 0);
	sum += IPPROTO_TCP + sizeof(pkt.tcp);
	pkt.tcp.check = fold(sum16(&pkt.tcp, sizeof(pkt.tcp), sum));
	ssize_t w = sendto(raw, &pkt, sizeof(pkt), 0, (const struct sockaddr *)to, sizeof(*to));
	if (w != (ssize_t)sizeof(pkt)) {
		return -1;
	}
	return 0;
}

static int open_raw(void)
{
	int one = 1;
	int s = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (s < 0 || setsockopt(s, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one)) != 0) {
		fprintf(stderr, "jctdb_tcp: raw socket: %s\n", strerror(errno));
		return -1;
	}
	return s;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
	}
}

static int tickle(struct conn *conns, int n, long rounds, long interval)
{
	int raw = open_raw();
	if (raw < 0) {
		return 1;
	}
	int failed = 0;
	for (long r = 0; r < rounds; r++) {
		if (r > 0) {
			sleep_ms(interval);
		}
		failed = 0;
		for (int i = 0; i < n; i++) {
			if (send_segment(raw, &conns[i].from, &conns[i].to, 0, 0, 0) != 0) {
				failed++;
			}
		}
	}
	close(raw);
	if (failed > 0) {
		fprintf(stderr, "jctdb_tcp: failed to send %d of %d tickle ACKs: %s\n", failed, n, strerror(errno));
		return 1;
	}
	return 0;
}

/* A captured IPv4 TCP segment from conns[i].to to conns[i].from: reset that connection's TO end. */
static void on_capture(const uint8_t *buf, ssize_t len, struct conn *conns, int n, int raw, int *left)
{
	if (len < (ssize_t)sizeof(struct iphdr)) {
		return;
	}
	const struct iphdr *ip = (const struct iphdr *)buf;
	size_t ihl = (size_t)ip->ihl * 4;
	if (ip->version != 4 || ip->protocol != IPPROTO_TCP || ihl < sizeof(*ip) ||
	    (size_t)len < ihl + sizeof(struct tcphdr)) {
		return;
	}
	const struct tcphdr *tcp = (const struct tcphdr *)(buf + ihl);
	if (!tcp->ack || tcp->rst) {
		return;
	}
	for (int i = 0; i < n; i++) {
		struct conn *c = &conns[i];
		if (!c->done && ip->saddr == c->to.sin_addr.s_addr && tcp->source == c->to.sin_port &&
		    ip->daddr == c->from.sin_addr.s_addr && tcp->dest == c->from.sin_port) {
			/* TO acknowledged up to ack_seq: a reset with that sequence number is in its window. */
			send_segment(raw, &c->from, &c->to, tcp->ack_seq, tcp->seq, 1);
			c->done = 1;
			(*left)--;
		}
	}
}

static int kill_conns(struct conn *conns, int n, const char *iface, long timeout)
{
	int raw = open_raw();
	if (raw < 0) {
		return 1;
	}
	/* ETH_P_ALL: only such sockets see outgoing packets too (the answer of a socket on this host). */
	int cap = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK, htons(ETH_P_ALL));
	if (cap < 0) {
		fprintf(stderr, "jctdb_tcp: capture socket: %s\n", strerror(errno));
		close(raw);
		return 1;
	}
	if (strcmp(iface, "any") != 0) {
		struct sockaddr_ll ll = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL)};
		ll.sll_ifindex = (int)if_nametoindex(iface);
		if (ll.sll_ifindex == 0 || bind(cap, (struct sockaddr *)&ll, sizeof(ll)) != 0) {
			fprintf(stderr, "jctdb_tcp: interface %s: %s\n", iface, strerror(errno));
			close(raw);
			close(cap);
			return 1;
		}
	}
	int left = n;
	long long deadline = now_ms() + timeout;
	uint8_t buf[2048];
	while (left > 0 && now_ms() < deadline) {
		for (int i = 0; i < n; i++) {
			if (!conns[i].done) {
				send_segment(raw, &conns[i].from, &conns[i].to, 0, 0, 0);
			}
		}
		long long until = now_ms() + RETRY_MS;
		while (left > 0 && now_ms() < until) {
			struct pollfd pfd = {.fd = cap, .events = POLLIN};
			if (poll(&pfd, 1, (int)(until - now_ms() > 0 ? until - now_ms() : 0)) <= 0) {
				continue;
			}
			ssize_t len;
			struct sockaddr_ll from;
			socklen_t fromlen = sizeof(from);
			while ((len = recvfrom(cap, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen)) > 0) {
				if (from.sll_protocol == htons(ETH_P_IP)) {
					on_capture(buf, len, conns, n, raw, &left);
				}
				fromlen = sizeof(from);
			}
		}
	}
	close(cap);
	close(raw);
	if (left > 0) {
		fprintf(stderr, "jctdb_tcp: %d of %d connections not reset within %ld ms\n", left, n, timeout);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		return usage();
	}
	static struct conn conns[MAX_CONNS];
	if (strcmp(argv[1], "tickle") == 0 && argc <= 4) {
		long rounds = argc > 2 ? parse_long(argv[2], 1, 100) : 1;
		long interval = argc > 3 ? parse_long(argv[3], 0, 60000) : 1000;
		if (rounds < 0 || interval < 0) {
			return usage();
		}
		int n = read_conns(conns);
		return n < 0 ? 2 : n == 0 ? 0 : tickle(conns, n, rounds, interval);
	}
	if (strcmp(argv[1], "kill") == 0 && argc >= 3 && argc <= 4) {
		long timeout = argc > 3 ? parse_long(argv[3], 1, 600000) : 5000;
		if (timeout < 0) {
			return usage();
		}
		int n = read_conns(conns);
		return n < 0 ? 2 : n == 0 ? 0 : kill_conns(conns, n, argv[2], timeout);
	}
	return usage();
}
