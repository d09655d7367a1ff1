/*
 * jctdb_gratarp IFACE IPV4 [COUNT [INTERVAL_MS]]
 *
 * Announces that IPV4 now lives at IFACE's MAC address: sends COUNT rounds (default 3),
 * INTERVAL_MS apart (default 1000), each a gratuitous ARP request and a gratuitous ARP reply,
 * broadcast on IFACE through an AF_PACKET socket. Neighbours that already have an entry for
 * the address replace its MAC, so clients reach the new node without waiting for their entry
 * to go stale. Needs CAP_NET_RAW. Never forks; the daemon kills it at its deadline.
 *
 * Exit: 0 sent, 1 failed (the reason on stderr), 2 bad arguments.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/if_ether.h>
#include <netpacket/packet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MIN_FRAME 60

static int usage(void)
{
	fprintf(stderr, "usage: jctdb_gratarp IFACE IPV4 [COUNT [INTERVAL_MS]]\n");
	return 2;
}

/* Fills frame with one ARP packet of operation op, sender and target both ip; returns its length. */
static size_t arp_frame(unsigned char *frame, const unsigned char *mac, struct in_addr ip, int op)
{
	struct ether_header *eth = (struct ether_header *)frame;
	struct ether_arp *arp = (struct ether_arp *)(frame + sizeof(*eth));

	memset(frame, 0, MIN_FRAME);
	memset(eth->ether_dhost, 0xff, ETH_ALEN);
	memcpy(eth->ether_shost, mac, ETH_ALEN);
	eth->ether_type = htons(ETHERTYPE_ARP);
	arp->arp_hrd = htons(ARPHRD_ETHER);
	arp->arp_pro = htons(ETHERTYPE_IP);
	arp->arp_hln = ETH_ALEN;
	arp->arp_pln = 4;
	arp->arp_op = htons(op);
	memcpy(arp->arp_sha, mac, ETH_ALEN);
	memcpy(arp->arp_spa, &ip, 4);
	/* A gratuitous request leaves the target MAC zero; a gratuitous reply names itself. */
	if (op == ARPOP_REPLY) {
		memcpy(arp->arp_tha, mac, ETH_ALEN);
	}
	memcpy(arp->arp_tpa, &ip, 4);
	return MIN_FRAME; /* padded to Ethernet's minimum: some drivers do not pad raw frames */
}

static long parse_long(const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || end == s || v < min || v > max) {
		return -1;
	}
	return v;
}

int main(int argc, char **argv)
{
	struct in_addr ip;
	struct ifreq ifr;
	struct sockaddr_ll to;
	unsigned char mac[ETH_ALEN];
	unsigned char frame[MIN_FRAME];
	long count = 3, interval = 1000;
	int fd, round;

	if (argc < 3 || argc > 5 || strlen(argv[1]) >= IFNAMSIZ) {
		return usage();
	}
	if (inet_pton(AF_INET, argv[2], &ip) != 1) {
		fprintf(stderr, "jctdb_gratarp: %s is not an IPv4 address\n", argv[2]);
		return 2;
	}
	if (argc > 3 && (count = parse_long(argv[3], 1, 100)) < 0) {
		return usage();
	}
	if (argc > 4 && (interval = parse_long(argv[4], 0, 60000)) < 0) {
		return usage();
	}

	fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ARP));
	if (fd < 0) {
		fprintf(stderr, "jctdb_gratarp: packet socket: %s\n", strerror(errno));
		return 1;
	}
	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, argv[1], IFNAMSIZ - 1);
	if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0) {
		fprintf(stderr, "jctdb_gratarp: interface %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	memset(&to, 0, sizeof(to));
	to.sll_family = AF_PACKET;
	to.sll_protocol = htons(ETH_P_ARP);
	to.sll_ifindex = ifr.ifr_ifindex;
	to.sll_halen = ETH_ALEN;
	memset(to.sll_addr, 0xff, ETH_ALEN);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0) {
		fprintf(stderr, "jctdb_gratarp: MAC address of %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER) {
		fprintf(stderr, "jctdb_gratarp: %s is not an Ethernet interface\n", argv[1]);
		return 1;
	}
	memcpy(mac, ifr.ifr_hwaddr.sa_data, ETH_ALEN);

	for (round = 0; round < count; round++) {
		int ops[2] = {ARPOP_REQUEST, ARPOP_REPLY};
		int k;

		if (round > 0 && interval > 0) {
			struct timespec ts = {interval / 1000, (interval % 1000) * 1000000L};
			while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
			}
		}
		for (k = 0; k < 2; k++) {
			size_t len = arp_frame(frame, mac, ip, ops[k]);
			if (sendto(fd, frame, len, 0, (struct sockaddr *)&to, sizeof(to)) != (ssize_t)len) {
				fprintf(stderr, "jctdb_gratarp: send on %s: %s\n", argv[1], strerror(errno));
				return 1;
			}
		}
	}
	close(fd);
	return 0;
}
