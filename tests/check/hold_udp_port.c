/*
 * hold_udp_port: holds UDP ports on 127.0.0.1 for a test, as another
 * program would that had them open (tests/check/make_run_fails_loudly.sh).
 *
 *   hold_udp_port [PORT...]
 *
 * Binds one socket per PORT (0, or none given: one port the system picks),
 * prints the ports it holds on one line, then holds them until its
 * standard input ends. Exits 1 when a port cannot be bound.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

static int hold(unsigned port)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    socklen_t len = sizeof a;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
        perror("hold_udp_port");
        exit(1);
    }
    return ntohs(a.sin_port);
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? argc - 1 : 1;
    for (int i = 0; i < n; i++)
        printf("%s%d", i ? " " : "", hold(argc > 1 ? (unsigned)atoi(argv[i + 1]) : 0));
    printf("\n");
    fflush(stdout);
    char buf[64];
    while (read(0, buf, sizeof buf) > 0)
        continue;
    return 0;
}
