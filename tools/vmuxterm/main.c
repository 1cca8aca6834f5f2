/*
 * vmuxterm: the host end of the UART mux protocol.
 *
 * Connects to a vmux board's UART (a serial device or PTY path, a TCP
 * socket, a pipe to a child process, or stdin/stdout), decodes frames and
 * prints each client's output labelled with its name; sends what you
 * type to one client.
 *
 *   vmuxterm [--plain] [--quit-after MS] [--key FILE] DEVICE|--tcp HOST:PORT|--stdio|--exec CMD [ARGS...]
 *
 * Input lines (usage() and "/help" print the same list): "@name text"
 * sends text to client "name"; "@name" alone switches focus to it; an
 * empty line (just Enter) moves the focus to the next client; any other
 * line goes to the focused client. "/query" asks the board to announce
 * its channels again (done once on attaching to a TCP socket or a device,
 * whose board may have announced them before vmuxterm was there);
 * "/stats" prints the frame counters; "/help" the commands. Any other
 * line starting with '/' is refused ("@name /text" sends it). In --plain
 * mode output lines are "name: text", with no colour, for scripts and
 * tests. Bad frames are counted and reported, never printed as a
 * client's output.
 *
 * With --exec, vmuxterm ends when the board does and exits with its
 * status (a board that could not start fails `make run` too); when
 * vmuxterm ends first (--quit-after, end of input of --stdio), it stops
 * the board and exits 0.
 *
 * With --key FILE (the board's management key, 32 hex digits), a line
 * for the "mgmt" channel that is not one of its read-only commands (ps,
 * stats, clients, help, pins, storage) is authenticated (boards/common/mgmt_auth.h):
 * vmuxterm asks for a challenge, and answers the board's
 * "challenge NONCE" with "auth TAG LINE". Lines wait their turn, one
 * challenge each. Without a key, such lines go as typed and the board
 * refuses them.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "boards/common/mgmt_auth.h"
#include "capsules/uart_frame.h"
#include "capsules/uart_mux.h"

#define LINE_MAX_BYTES 4096

struct channel {
    char name[UART_MUX_NAME_MAX + 1];
    char line[LINE_MAX_BYTES];
    size_t line_len;
    bool known;
};

static struct channel channels[256];
static struct uart_frame_decoder decoder;
static bool plain;
static bool colour;
static int focus = -1;
static int link_in = -1, link_out = -1;
static pid_t child = -1;

/* Management lines waiting for a challenge (--key). */
#define MGMT_PENDING 16
static struct aes128_schedule mgmt_key;
static bool have_key;
static char mgmt_pending[MGMT_PENDING][MGMT_COMMAND_MAX + 1];
static unsigned mgmt_head, mgmt_count;
static bool mgmt_asked;     /* a challenge is on its way */

static const char *channel_name(unsigned ch, char *tmp, size_t n)
{
    if (channels[ch].known)
        return channels[ch].name;
    snprintf(tmp, n, "ch%u", ch);
    return tmp;
}

static void print_line(unsigned ch, const char *text, size_t len)
{
    char tmp[16];
    const char *name = channel_name(ch, tmp, sizeof tmp);
    if (colour)
        printf("\033[1;%dm%s\033[0m: %.*s\n", 31 + (int)(ch % 6), name, (int)len, text);
    else
        printf("%s: %.*s\n", name, (int)len, text);
    fflush(stdout);
}

static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf(colour ? "\033[2mvmuxterm: " : "vmuxterm: ");
    vprintf(fmt, ap);
    va_end(ap);
    printf(colour ? "\033[0m\n" : "\n");
    fflush(stdout);
}

static void mgmt_output(unsigned ch, const char *text, size_t len);

/* Output is printed line by line per channel, so two clients' partial
 * lines never mix on one terminal line. */
static void channel_output(unsigned ch, const uint8_t *data, size_t len)
{
    struct channel *c = &channels[ch];
    for (size_t i = 0; i < len; i++) {
        if (data[i] == '\n' || c->line_len == sizeof c->line) {
            print_line(ch, c->line, c->line_len);
            mgmt_output(ch, c->line, c->line_len);
            c->line_len = 0;
            if (data[i] == '\n')
                continue;
        }
        if (data[i] != '\r')
            c->line[c->line_len++] = (char)data[i];
    }
}

static void flush_channel(unsigned ch)
{
    if (channels[ch].line_len) {
        print_line(ch, channels[ch].line, channels[ch].line_len);
        channels[ch].line_len = 0;
    }
}

static void control_message(const uint8_t *msg, size_t len)
{
    if (len >= 2 && msg[0] == UART_CONTROL_ANNOUNCE) {
        struct channel *c = &channels[msg[1]];
        size_t n = len - 2 < UART_MUX_NAME_MAX ? len - 2 : UART_MUX_NAME_MAX;
        memcpy(c->name, msg + 2, n);
        c->name[n] = '\0';
        c->known = true;
        note("channel %s is %u", c->name, msg[1]);
    } else if (len >= 2 && msg[0] == UART_CONTROL_CLOSE) {
        flush_channel(msg[1]);
        if (channels[msg[1]].known)
            note("%s closed (channel %u)", channels[msg[1]].name, msg[1]);
        channels[msg[1]].known = false;
    } else if (len >= 2 && msg[0] == UART_CONTROL_HELLO) {
        for (unsigned ch = 1; ch < 256; ch++)
            channels[ch].known = false;
        note("board says hello (protocol v%u)", msg[1]);
    } else {
        note("unknown control message (type %u)", len ? msg[0] : 0u);
    }
}

static void wire_bytes(const uint8_t *bytes, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        enum uart_frame_status st = uart_frame_decoder_push(&decoder, bytes[i]);
        if (st == UART_FRAME_READY) {
            unsigned ch = uart_frame_channel(&decoder);
            if (ch == 0)
                control_message(uart_frame_payload(&decoder), uart_frame_payload_len(&decoder));
            else
                channel_output(ch, uart_frame_payload(&decoder), uart_frame_payload_len(&decoder));
        } else if (st != UART_FRAME_MORE) {
            note("bad frame dropped (reason %u)", (unsigned)st);
        }
    }
}

static void send_frame(unsigned ch, const uint8_t *data, size_t len)
{
    while (len > 0 || ch == 0) {
        size_t chunk = len > UART_FRAME_PAYLOAD_MAX ? UART_FRAME_PAYLOAD_MAX : len;
        uint8_t wire[UART_FRAME_WIRE_MAX];
        size_t n = uart_frame_encode((uint8_t)ch, data, chunk, wire, sizeof wire);
        if (n == 0 || write(link_out, wire, n) != (ssize_t)n) {
            note("write to the board failed (%s)", strerror(errno));
            return;
        }
        data += chunk;
        len -= chunk;
        if (ch == 0)
            return;
    }
}

/* What a user may type; usage() prints it too. */
static const char commands_help[] =
    "  @NAME TEXT    send the line TEXT to client NAME (its console input), focus on it\n"
    "  @NAME         focus on client NAME: the lines that follow go to it\n"
    "  TEXT          send the line TEXT to the client in focus\n"
    "  (empty line)  focus on the next client\n"
    "  /query        ask the board to announce its clients' channels again\n"
    "  /stats        this end's frame counters: frames, bad crc, runt, malformed, oversized\n"
    "  /help         this list\n"
    "  Ctrl-C        quit\n"
    "The board's management channel has commands of its own: @mgmt help\n";

static int channel_by_name(const char *name, size_t len)
{
    for (unsigned ch = 1; ch < 256; ch++)
        if (channels[ch].known && strlen(channels[ch].name) == len &&
            memcmp(channels[ch].name, name, len) == 0)
            return (int)ch;
    return -1;
}

/* ------------------------------------------------------------ management */

static bool is_mgmt(unsigned ch)
{
    return channels[ch].known && strcmp(channels[ch].name, "mgmt") == 0;
}

static void send_text(unsigned ch, const char *text)
{
    send_frame(ch, (const uint8_t *)text, strlen(text));
}

static void ask_challenge(unsigned ch)
{
    mgmt_asked = true;
    send_text(ch, "challenge\n");
}

/* Is this a line the board answers without authentication? */
static bool mgmt_open(const char *line)
{
    static const char *const open[] = { "ps",   "stats",   "clients",   "help",
                                        "pins", "storage", "challenge", "" };
    for (unsigned i = 0; i < sizeof open / sizeof open[0]; i++)
        if (strcmp(line, open[i]) == 0)
            return true;
    return strncmp(line, "auth ", 5) == 0; /* typed by hand */
}

/* A line for the mgmt channel: queued for a challenge when it needs one
 * and vmuxterm has the key; false when it should go as typed. */
static bool mgmt_queue(unsigned ch, const char *line)
{
    if (!have_key || !is_mgmt(ch) || mgmt_open(line))
        return false;
    if (strlen(line) + 38 > MGMT_COMMAND_MAX) { /* "auth " TAG " " LINE must fit a line */
        note("too long to authenticate: sent as typed");
        return false;
    }
    if (mgmt_count == MGMT_PENDING) {
        note("too many management lines waiting: dropped");
        return true;
    }
    snprintf(mgmt_pending[(mgmt_head + mgmt_count++) % MGMT_PENDING], MGMT_COMMAND_MAX + 1, "%s",
             line);
    if (!mgmt_asked)
        ask_challenge(ch);
    return true;
}

/* The board's "challenge NONCE": answer it for the oldest waiting line. */
static void mgmt_output(unsigned ch, const char *text, size_t len)
{
    static const char prefix[] = "challenge ";
    const size_t plen = sizeof prefix - 1;
    uint8_t nonce[MGMT_NONCE_SIZE], tag[MGMT_TAG_SIZE];
    if (!have_key || !is_mgmt(ch) || !mgmt_asked || mgmt_count == 0)
        return;
    if (len != plen + 2 * MGMT_NONCE_SIZE || memcmp(text, prefix, plen) != 0 ||
        !mgmt_hex_decode(text + plen, nonce, sizeof nonce)) {
        if (len >= 8 && memcmp(text, "refused:", 8) == 0) { /* the board has no key */
            note("the board refused the challenge: %u management lines dropped", mgmt_count);
            mgmt_count = 0;
            mgmt_asked = false;
        }
        return;
    }
    const char *line = mgmt_pending[mgmt_head];
    mgmt_head = (mgmt_head + 1) % MGMT_PENDING;
    mgmt_count--;
    mgmt_auth_tag(&mgmt_key, nonce, line, tag);
    char answer[5 + MGMT_HEX_SIZE + MGMT_COMMAND_MAX + 2];
    char hex[MGMT_HEX_SIZE];
    mgmt_hex_encode(tag, sizeof tag, hex);
    snprintf(answer, sizeof answer, "auth %s %s\n", hex, line);
    send_text(ch, answer);
    mgmt_asked = false;
    if (mgmt_count > 0)
        ask_challenge(ch);
}

static bool load_key(const char *path)
{
    char text[128] = { 0 };
    uint8_t key[MGMT_KEY_SIZE];
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
    if (f)
        fclose(f);
    if (n == 0 || !mgmt_key_parse(text, key))
        return false;
    aes128_expand_key(&mgmt_key, key);
    memset(key, 0, sizeof key);
    return have_key = true;
}

static void typed_line(char *line, size_t len)
{
    if (len && line[len - 1] == '\n')
        line[--len] = '\0';
    if (len == 0) {
        for (unsigned step = 1; step < 256; step++) {
            unsigned ch = (unsigned)(focus < 0 ? 0 : focus) + step;
            ch = (ch - 1) % 255 + 1;
            if (channels[ch].known) {
                focus = (int)ch;
                note("focus on %s (channel %u)", channels[ch].name, ch);
                return;
            }
        }
        return;
    }
    if (strcmp(line, "/query") == 0) {
        uint8_t q = UART_CONTROL_QUERY;
        send_frame(0, &q, 1);
        return;
    }
    if (strcmp(line, "/stats") == 0) {
        printf("frames %u, bad crc %u, runt %u, malformed %u, oversized %u\n",
               decoder.counters.frames, decoder.counters.bad_crc, decoder.counters.runt,
               decoder.counters.malformed, decoder.counters.oversized);
        fflush(stdout);
        return;
    }
    if (strcmp(line, "/help") == 0) {
        note("commands:");
        fputs(commands_help, stdout);
        fflush(stdout);
        return;
    }
    if (line[0] == '/') {
        note("unknown command %s: /help lists them (@NAME %s sends it to a client)", line, line);
        return;
    }
    char *text = line;
    if (line[0] == '@') {
        size_t name_len = strcspn(line + 1, " ");
        int ch = channel_by_name(line + 1, name_len);
        if (ch < 0) {
            note("no client named %.*s (/query asks the board to name its clients again)",
                 (int)name_len, line + 1);
            return;
        }
        focus = ch;
        text = line + 1 + name_len;
        if (*text == '\0') {
            note("focus on %s (channel %u)", channels[ch].name, (unsigned)ch);
            return;
        }
        text++;
    }
    if (focus < 0) {
        note("no focus: type @name first");
        return;
    }
    if (mgmt_queue((unsigned)focus, text))
        return;
    size_t n = strlen(text);
    text[n++] = '\n';
    send_frame((unsigned)focus, (const uint8_t *)text, n);
}

static int open_tcp(const char *spec)
{
    char host[256];
    const char *colon = strrchr(spec, ':');
    if (!colon || (size_t)(colon - spec) >= sizeof host)
        return -1;
    memcpy(host, spec, (size_t)(colon - spec));
    host[colon - spec] = '\0';
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *res;
    if (getaddrinfo(host, colon + 1, &hints, &res) != 0)
        return -1;
    int fd = -1;
    for (int attempt = 0; attempt < 50 && fd < 0; attempt++) {
        fd = socket(res->ai_family, res->ai_socktype, 0);
        if (fd >= 0 && connect(fd, res->ai_addr, res->ai_addrlen) != 0) {
            close(fd);
            fd = -1;
            usleep(100000); /* the board may still be starting */
        }
    }
    freeaddrinfo(res);
    return fd;
}

static int open_device(const char *path)
{
    int fd = open(path, O_RDWR | O_NOCTTY);
    if (fd >= 0 && isatty(fd)) {
        struct termios t;
        tcgetattr(fd, &t);
        cfmakeraw(&t);
        tcsetattr(fd, TCSANOW, &t);
    }
    return fd;
}

static bool spawn(char **argv)
{
    int to_child[2], from_child[2];
    if (pipe(to_child) || pipe(from_child))
        return false;
    child = fork();
    if (child < 0)
        return false;
    if (child == 0) {
        dup2(to_child[0], 0);
        dup2(from_child[1], 1);
        close(to_child[1]);
        close(from_child[0]);
        execvp(argv[0], argv);
        _exit(127);
    }
    close(to_child[0]);
    close(from_child[1]);
    link_out = to_child[1];
    link_in = from_child[0];
    return true;
}

/* The board's end: its exit status when it ended by itself (its output
 * closed; given 2 s to exit), 0 when vmuxterm stops it. */
static int end_board(const char *name, bool ended)
{
    int st = 0;
    pid_t got = 0;
    for (int waited = 0; ended && got == 0 && waited < 200; waited++) {
        got = waitpid(child, &st, WNOHANG);
        if (got == 0)
            usleep(10000);
    }
    if (got != child) {
        kill(child, SIGTERM);
        waitpid(child, NULL, 0);
        return 0;
    }
    int status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    if (status != 0)
        note("%s ended with status %d", name, status);
    return status;
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void usage(FILE *to, int status)
{
    fprintf(to,
            "usage: vmuxterm [--plain] [--quit-after MS] [--key FILE] "
            "DEVICE | --tcp HOST:PORT | --stdio | --exec CMD [ARGS...]\n"
            "Shows each client of a vmux board under its name; sends typed lines to them.\n"
            "  DEVICE          the board's UART: a serial device or a PTY\n"
            "  --tcp HOST:PORT a board listening on TCP (vmux --uart tcp)\n"
            "  --stdio         the UART on this program's stdin and stdout (nothing typed)\n"
            "  --exec CMD ...  start the board (vmux, QEMU) with its UART on a pipe; vmuxterm\n"
            "                  exits with the board's status when it ends\n"
            "  --plain         lines as \"name: text\", no colour\n"
            "  --quit-after MS stop after MS milliseconds\n"
            "  --key FILE      the board's management key: answer its challenges\n"
            "Typed lines:\n%s",
            commands_help);
    exit(status);
}

int main(int argc, char **argv)
{
    long long quit_after = -1;
    bool attach_late = false; /* a board already running: ask it to announce again */
    int i = 1;
    signal(SIGPIPE, SIG_IGN);
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--plain") == 0) {
            plain = true;
        } else if (strcmp(argv[i], "--quit-after") == 0 && i + 1 < argc) {
            quit_after = atoll(argv[++i]);
        } else if (strcmp(argv[i], "--key") == 0 && i + 1 < argc) {
            if (!load_key(argv[++i])) {
                fprintf(stderr, "vmuxterm: %s: not a management key (32 hex digits)\n", argv[i]);
                return 2;
            }
        } else if (strcmp(argv[i], "--tcp") == 0 && i + 1 < argc) {
            link_in = link_out = open_tcp(argv[++i]);
            attach_late = true;
        } else if (strcmp(argv[i], "--stdio") == 0) {
            link_in = 0;
            link_out = 1;
        } else if (strcmp(argv[i], "--exec") == 0 && i + 1 < argc) {
            if (!spawn(argv + i + 1))
                usage(stderr, 2);
            break;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout, 0);
        } else if (argv[i][0] != '-') {
            link_in = link_out = open_device(argv[i]);
            attach_late = true;
        } else {
            usage(stderr, 2);
        }
    }
    if (link_in < 0) {
        fprintf(stderr, "vmuxterm: cannot open the board's UART\n");
        usage(stderr, 2);
    }
    colour = !plain && isatty(1);
    uart_frame_decoder_init(&decoder);
    if (attach_late) {
        uint8_t query = UART_CONTROL_QUERY;
        send_frame(0, &query, 1);
    }
    bool typing = link_in != 0;
    bool board_ended = false;
    long long start = now_ms();
    char typed[LINE_MAX_BYTES];
    size_t typed_len = 0;
    for (;;) {
        struct pollfd p[2] = { { link_in, POLLIN, 0 }, { 0, POLLIN, 0 } };
        int timeout = 200;
        if (poll(p, typing ? 2 : 1, timeout) < 0 && errno != EINTR)
            break;
        if (p[0].revents & (POLLIN | POLLHUP)) {
            uint8_t buf[4096];
            ssize_t n = read(link_in, buf, sizeof buf);
            if (n <= 0) {
                board_ended = true;
                break;
            }
            wire_bytes(buf, (size_t)n);
        }
        if (typing && (p[1].revents & (POLLIN | POLLHUP))) {
            ssize_t n = read(0, typed + typed_len, sizeof typed - typed_len - 2);
            if (n <= 0) {
                typing = false;
            } else {
                typed_len += (size_t)n;
                char *nl;
                while ((nl = memchr(typed, '\n', typed_len)) != NULL) {
                    size_t line_len = (size_t)(nl - typed) + 1;
                    char line[LINE_MAX_BYTES + 2];
                    memcpy(line, typed, line_len);
                    line[line_len] = '\0';
                    typed_line(line, line_len);
                    memmove(typed, typed + line_len, typed_len - line_len);
                    typed_len -= line_len;
                }
                if (typed_len >= sizeof typed - 2)
                    typed_len = 0; /* an absurdly long line: drop it */
            }
        }
        if (quit_after >= 0 && now_ms() - start >= quit_after)
            break;
    }
    for (unsigned ch = 1; ch < 256; ch++)
        flush_channel(ch);
    return child > 0 ? end_board(argv[i + 1], board_ended) : 0;
}
