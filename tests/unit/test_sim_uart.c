/* Simulated UART: wire timing, split-phase completions, the receive FIFO,
 * aborts, and each host backend with real fds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "boards/test/test_board.h"
#include "chips/sim/sim_uart.h"

#define PUMP_ROUNDS 2000   /* about 2 s of real time at most */

struct recorder {
    struct hil_uart_client client;
    unsigned tx_calls, rx_calls;
    uint8_t *tx_buf, *rx_buf;
    size_t tx_sent, rx_received;
    vmux_err_t tx_status, rx_status;
    /* Optional: start another request from inside the completion. */
    uint8_t *next_tx;
    size_t next_tx_len;
    uint8_t *next_rx;
    size_t next_rx_len;
    vmux_err_t next_result;
};

static struct sim_uart uart;
static struct recorder rec;

static void on_transmit_done(struct hil_uart_client *self, uint8_t *buf, size_t sent,
                             vmux_err_t status)
{
    struct recorder *r = container_of(self, struct recorder, client);
    r->tx_calls++;
    r->tx_buf = buf;
    r->tx_sent = sent;
    r->tx_status = status;
    if (r->next_tx) {
        uint8_t *next = r->next_tx;
        r->next_tx = NULL;
        r->next_result = hil_uart_transmit(&uart.hil, next, r->next_tx_len);
    }
}

static void on_receive_done(struct hil_uart_client *self, uint8_t *buf, size_t received,
                            vmux_err_t status)
{
    struct recorder *r = container_of(self, struct recorder, client);
    r->rx_calls++;
    r->rx_buf = buf;
    r->rx_received = received;
    r->rx_status = status;
    if (r->next_rx) {
        uint8_t *next = r->next_rx;
        r->next_rx = NULL;
        r->next_result = hil_uart_receive(&uart.hil, next, r->next_rx_len);
    }
}

static int setup(void **state)
{
    (void)state;
    test_board_reset(1000);
    memset(&rec, 0, sizeof rec);
    rec.client.transmit_done = on_transmit_done;
    rec.client.receive_done = on_receive_done;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sim_uart_close(&uart);
    return 0;
}

static void open_uart(const struct sim_uart_config *cfg)
{
    assert_int_equal(sim_uart_init(&uart, cfg), VMUX_SUCCESS);
    hil_uart_set_client(sim_uart_hil(&uart), &rec.client);
}

static void open_memory(uint32_t baud)
{
    struct sim_uart_config cfg = { .backend = SIM_UART_MEMORY, .baud = baud };
    open_uart(&cfg);
}

static uint64_t char_ns(void)
{
    return sim_uart_wire_ns(&uart, 1);
}

static void inject(const char *s)
{
    size_t n = strlen(s);
    assert_int_equal(sim_uart_inject_rx(&uart, (const uint8_t *)s, n), n);
}

/* Let host fds and simulated time move (step_ns per round) until *counter
 * reaches want, for a bounded number of rounds. */
static bool pump_until(const unsigned *counter, unsigned want, uint64_t step_ns)
{
    for (int i = 0; i < PUMP_ROUNDS && *counter < want; i++) {
        sim_wait(0);
        sim_advance(step_ns);
        if (*counter < want)
            poll(NULL, 0, 1);
    }
    return *counter >= want;
}

static bool pump_until_connected(bool connected)
{
    for (int i = 0; i < PUMP_ROUNDS && sim_uart_tcp_connected(&uart) != connected; i++) {
        sim_wait(0);
        sim_settle();
        if (sim_uart_tcp_connected(&uart) != connected)
            poll(NULL, 0, 1);
    }
    return sim_uart_tcp_connected(&uart) == connected;
}

/* Read exactly n bytes from fd, waiting at most about 2 s. */
static size_t read_exact(int fd, uint8_t *out, size_t n)
{
    size_t got = 0;
    for (int i = 0; i < PUMP_ROUNDS && got < n; i++) {
        struct pollfd p = { .fd = fd, .events = POLLIN };
        if (poll(&p, 1, 1) == 1) {
            ssize_t r = read(fd, out + got, n - got);
            if (r <= 0)
                break;
            got += (size_t)r;
        }
    }
    return got;
}

static bool readable(int fd)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };
    return poll(&p, 1, 0) == 1;
}

/* ------------------------------------------------------------ transmit */

static void transmit_completes_after_wire_time(void **state)
{
    (void)state;
    open_memory(0);
    uint8_t msg[10] = "0123456789";
    uint8_t out[32];
    uint64_t t = sim_uart_wire_ns(&uart, sizeof msg);
    assert_int_equal(t, 868056);  /* 100 bits at 115200 baud, rounded up */

    assert_int_equal(hil_uart_transmit(&uart.hil, msg, sizeof msg), VMUX_SUCCESS);
    assert_int_equal(rec.tx_calls, 0);  /* never from inside the request */
    sim_settle();
    assert_int_equal(rec.tx_calls, 0);
    sim_advance(t - 1);
    assert_int_equal(rec.tx_calls, 0);
    assert_int_equal(sim_uart_take_tx(&uart, out, sizeof out), 0);

    sim_advance(1);
    assert_int_equal(rec.tx_calls, 1);
    assert_ptr_equal(rec.tx_buf, msg);
    assert_int_equal(rec.tx_sent, sizeof msg);
    assert_int_equal(rec.tx_status, VMUX_SUCCESS);
    assert_int_equal(sim_uart_take_tx(&uart, out, sizeof out), sizeof msg);
    assert_memory_equal(out, msg, sizeof msg);
    assert_int_equal(sim_uart_counters(&uart)->sent, sizeof msg);
}

static void baud_sets_character_time(void **state)
{
    (void)state;
    open_memory(9600);
    assert_int_equal(char_ns(), 1041667);  /* 10 bits / 9600, rounded up */
    uint8_t b = 'x';
    assert_int_equal(hil_uart_transmit(&uart.hil, &b, 1), VMUX_SUCCESS);
    sim_advance(1041666);
    assert_int_equal(rec.tx_calls, 0);
    sim_advance(1);
    assert_int_equal(rec.tx_calls, 1);

    sim_uart_close(&uart);
    struct sim_uart_config too_fast = { .baud = SIM_UART_MAX_BAUD + 1 };
    assert_int_equal(sim_uart_init(&uart, &too_fast), VMUX_INVALID);
}

static void one_transmit_at_a_time(void **state)
{
    (void)state;
    open_memory(0);
    uint8_t a[4] = "abcd", b[4] = "efgh";
    assert_int_equal(hil_uart_transmit(&uart.hil, NULL, 4), VMUX_INVALID);
    assert_int_equal(hil_uart_transmit(&uart.hil, a, 0), VMUX_SIZE);
    assert_int_equal(hil_uart_transmit(&uart.hil, a, 4), VMUX_SUCCESS);
    assert_int_equal(hil_uart_transmit(&uart.hil, b, 4), VMUX_BUSY);
    /* Still busy while the completion is owed, even after an abort. */
    assert_int_equal(hil_uart_abort_transmit(&uart.hil), VMUX_SUCCESS);
    assert_int_equal(hil_uart_transmit(&uart.hil, b, 4), VMUX_BUSY);
    sim_settle();
    assert_int_equal(rec.tx_calls, 1);
    assert_int_equal(hil_uart_transmit(&uart.hil, b, 4), VMUX_SUCCESS);
    sim_advance(sim_uart_wire_ns(&uart, 4));
    assert_int_equal(rec.tx_calls, 2);
    assert_ptr_equal(rec.tx_buf, b);
    assert_int_equal(rec.tx_status, VMUX_SUCCESS);
}

static void completion_may_start_the_next_transmit(void **state)
{
    (void)state;
    open_memory(0);
    uint8_t a[2] = "ab", b[2] = "cd";
    uint8_t out[8];
    rec.next_tx = b;
    rec.next_tx_len = 2;
    assert_int_equal(hil_uart_transmit(&uart.hil, a, 2), VMUX_SUCCESS);
    sim_advance(sim_uart_wire_ns(&uart, 2));
    assert_int_equal(rec.tx_calls, 1);
    assert_int_equal(rec.next_result, VMUX_SUCCESS);
    sim_advance(sim_uart_wire_ns(&uart, 2));
    assert_int_equal(rec.tx_calls, 2);
    assert_int_equal(sim_uart_take_tx(&uart, out, sizeof out), 4);
    assert_memory_equal(out, "abcd", 4);
}

/* ------------------------------------------------------------ receive */

static void receive_completes_when_buffer_full(void **state)
{
    (void)state;
    open_memory(0);
    uint8_t buf[4];
    assert_int_equal(hil_uart_receive(&uart.hil, NULL, 4), VMUX_INVALID);
    assert_int_equal(hil_uart_receive(&uart.hil, buf, 0), VMUX_SIZE);
    assert_int_equal(hil_uart_receive(&uart.hil, buf, sizeof buf), VMUX_SUCCESS);
    assert_int_equal(hil_uart_receive(&uart.hil, buf, sizeof buf), VMUX_BUSY);
    inject("wxyz");
    assert_int_equal(rec.rx_calls, 0);  /* not from inside the arrival */
    assert_int_equal(kernel_loop_once(), 1);  /* no time needs to pass */
    assert_int_equal(rec.rx_calls, 1);
    assert_ptr_equal(rec.rx_buf, buf);
    assert_int_equal(rec.rx_received, 4);
    assert_int_equal(rec.rx_status, VMUX_SUCCESS);
    assert_memory_equal(buf, "wxyz", 4);
    assert_int_equal(sim_uart_counters(&uart)->received, 4);
}

static void receive_completes_when_line_goes_idle(void **state)
{
    (void)state;
    open_memory(0);
    uint8_t buf[16];
    assert_int_equal(hil_uart_receive(&uart.hil, buf, sizeof buf), VMUX_SUCCESS);
    inject("xyz");
    sim_advance(char_ns() - 1);
    assert_int_equal(rec.rx_calls, 0);
    sim_advance(1);
    assert_int_equal(rec.rx_calls, 1);
    assert_int_equal(rec.rx_received, 3);
    assert_int_equal(rec.rx_status, VMUX_SUCCESS);
    assert_memory_equal(buf, "xyz", 3);
}

static void each_byte_restarts_the_idle_time(void **state)
{
    (void)state;
    open_memory(0);
    uint8_t buf[16];
    assert_int_equal(hil_uart_receive(&uart.hil, buf, sizeof buf), VMUX_SUCCESS);
    inject("a");
    sim_advance(char_ns() - 1);
    inject("b");
    sim_advance(char_ns() - 1);
    assert_int_equal(rec.rx_calls, 0);  /* idle counts from "b", not "a" */
    sim_advance(1);
    assert_int_equal(rec.rx_calls, 1);
    assert_int_equal(rec.rx_received, 2);
    assert_memory_equal(buf, "ab", 2);
}

static void silent_line_keeps_receive_waiting(void **state)
{
    (void)state;
    open_memory(0);
    uint8_t buf[8];
    assert_int_equal(hil_uart_receive(&uart.hil, buf, sizeof buf), VMUX_SUCCESS);
    sim_advance(100 * char_ns());
    assert_int_equal(rec.rx_calls, 0);  /* idle needs at least one byte */
    inject("q");
    sim_advance(char_ns());
    assert_int_equal(rec.rx_calls, 1);
    assert_int_equal(rec.rx_received, 1);
}

static void fifo_holds_bytes_for_the_next_receive(void **state)
{
    (void)state;
    open_memory(0);
    uint8_t first[3], second[16];
    inject("hello");
    sim_advance(10 * char_ns());
    assert_int_equal(sim_uart_counters(&uart)->received, 5);

    assert_int_equal(hil_uart_receive(&uart.hil, first, sizeof first), VMUX_SUCCESS);
    assert_int_equal(rec.rx_calls, 0);  /* full at once, still not inside */
    sim_settle();
    assert_int_equal(rec.rx_calls, 1);
    assert_int_equal(rec.rx_received, 3);
    assert_memory_equal(first, "hel", 3);

    /* The line went idle long ago: the rest completes without waiting. */
    assert_int_equal(hil_uart_receive(&uart.hil, second, sizeof second), VMUX_SUCCESS);
    sim_settle();
    assert_int_equal(rec.rx_calls, 2);
    assert_int_equal(rec.rx_received, 2);
    assert_memory_equal(second, "lo", 2);
}

static void bytes_after_a_full_buffer_reach_the_next_receive(void **state)
{
    (void)state;
    open_memory(0);
    uint8_t first[2], second[8];
    rec.next_rx = second;
    rec.next_rx_len = sizeof second;
    assert_int_equal(hil_uart_receive(&uart.hil, first, sizeof first), VMUX_SUCCESS);
    inject("abcd");
    sim_settle();
    assert_int_equal(rec.rx_calls, 1);
    assert_memory_equal(first, "ab", 2);
    assert_int_equal(rec.next_result, VMUX_SUCCESS);  /* restarted inside */
    sim_advance(char_ns());
    assert_int_equal(rec.rx_calls, 2);
    assert_ptr_equal(rec.rx_buf, second);
    assert_int_equal(rec.rx_received, 2);
    assert_memory_equal(second, "cd", 2);
}

static uint8_t pattern(size_t i)
{
    return (uint8_t)(i * 7 % 251);
}

static void full_fifo_counts_overruns(void **state)
{
    (void)state;
    static uint8_t flood[SIM_UART_RX_FIFO + 10];
    static uint8_t buf[SIM_UART_RX_FIFO + 10];
    open_memory(0);
    for (size_t i = 0; i < sizeof flood; i++)
        flood[i] = pattern(i);
    assert_int_equal(sim_uart_inject_rx(&uart, flood, sizeof flood), SIM_UART_RX_FIFO);
    assert_int_equal(sim_uart_counters(&uart)->overruns, 10);
    assert_int_equal(sim_uart_counters(&uart)->received, SIM_UART_RX_FIFO);

    assert_int_equal(hil_uart_receive(&uart.hil, buf, sizeof buf), VMUX_SUCCESS);
    sim_advance(char_ns());
    assert_int_equal(rec.rx_calls, 1);
    assert_int_equal(rec.rx_received, SIM_UART_RX_FIFO);
    assert_memory_equal(buf, flood, SIM_UART_RX_FIFO);  /* oldest kept */

    inject("ok");  /* the FIFO has room again */
    assert_int_equal(sim_uart_counters(&uart)->overruns, 10);
}

/* ------------------------------------------------------------ aborts */

static void abort_transmit_reports_whole_characters_sent(void **state)
{
    (void)state;
    open_memory(0);
    uint8_t msg[10] = "0123456789";
    uint8_t out[16];
    assert_int_equal(hil_uart_transmit(&uart.hil, msg, sizeof msg), VMUX_SUCCESS);
    sim_advance(3 * char_ns() + char_ns() / 2);
    assert_int_equal(hil_uart_abort_transmit(&uart.hil), VMUX_SUCCESS);
    assert_int_equal(rec.tx_calls, 0);  /* the completion follows later */
    assert_int_equal(hil_uart_abort_transmit(&uart.hil), VMUX_ALREADY);
    sim_settle();
    assert_int_equal(rec.tx_calls, 1);
    assert_int_equal(rec.tx_status, VMUX_CANCEL);
    assert_int_equal(rec.tx_sent, 3);
    assert_ptr_equal(rec.tx_buf, msg);
    assert_int_equal(sim_uart_take_tx(&uart, out, sizeof out), 3);
    assert_memory_equal(out, "012", 3);
    assert_int_equal(sim_uart_counters(&uart)->sent, 3);

    sim_advance(sim_uart_wire_ns(&uart, sizeof msg));
    assert_int_equal(rec.tx_calls, 1);  /* the wire event is gone */
    assert_int_equal(hil_uart_abort_transmit(&uart.hil), VMUX_ALREADY);
}

static void abort_receive_returns_what_arrived(void **state)
{
    (void)state;
    open_memory(0);
    uint8_t buf[16];
    assert_int_equal(hil_uart_receive(&uart.hil, buf, sizeof buf), VMUX_SUCCESS);
    inject("ab");
    assert_int_equal(hil_uart_abort_receive(&uart.hil), VMUX_SUCCESS);
    assert_int_equal(rec.rx_calls, 0);
    sim_settle();
    assert_int_equal(rec.rx_calls, 1);
    assert_int_equal(rec.rx_status, VMUX_CANCEL);
    assert_int_equal(rec.rx_received, 2);
    assert_memory_equal(buf, "ab", 2);
    sim_advance(2 * char_ns());
    assert_int_equal(rec.rx_calls, 1);  /* no idle completion after it */

    assert_int_equal(hil_uart_receive(&uart.hil, buf, sizeof buf), VMUX_SUCCESS);
    assert_int_equal(hil_uart_abort_receive(&uart.hil), VMUX_SUCCESS);
    sim_settle();
    assert_int_equal(rec.rx_calls, 2);
    assert_int_equal(rec.rx_status, VMUX_CANCEL);
    assert_int_equal(rec.rx_received, 0);
}

static void abort_after_completion_raised_still_cancels(void **state)
{
    (void)state;
    open_memory(0);
    uint8_t buf[2];
    assert_int_equal(hil_uart_receive(&uart.hil, buf, sizeof buf), VMUX_SUCCESS);
    inject("xy");  /* full: the completion is raised, not yet delivered */
    assert_int_equal(hil_uart_abort_receive(&uart.hil), VMUX_SUCCESS);
    assert_int_equal(hil_uart_abort_receive(&uart.hil), VMUX_ALREADY);
    sim_settle();
    assert_int_equal(rec.rx_calls, 1);
    assert_int_equal(rec.rx_status, VMUX_CANCEL);
    assert_int_equal(rec.rx_received, 2);
}

static void nothing_to_abort(void **state)
{
    (void)state;
    open_memory(0);
    assert_int_equal(hil_uart_abort_transmit(&uart.hil), VMUX_ALREADY);
    assert_int_equal(hil_uart_abort_receive(&uart.hil), VMUX_ALREADY);
    sim_settle();
    assert_int_equal(rec.tx_calls + rec.rx_calls, 0);
}

static void close_cancels_and_powers_off(void **state)
{
    (void)state;
    open_memory(0);
    uint8_t tx[4] = "abcd", rx[4];
    assert_int_equal(hil_uart_transmit(&uart.hil, tx, sizeof tx), VMUX_SUCCESS);
    assert_int_equal(hil_uart_receive(&uart.hil, rx, sizeof rx), VMUX_SUCCESS);
    sim_uart_close(&uart);
    sim_settle();
    assert_int_equal(rec.tx_calls, 1);
    assert_int_equal(rec.tx_status, VMUX_CANCEL);
    assert_int_equal(rec.rx_calls, 1);
    assert_int_equal(rec.rx_status, VMUX_CANCEL);
    assert_int_equal(hil_uart_transmit(&uart.hil, tx, sizeof tx), VMUX_OFF);
    assert_int_equal(hil_uart_receive(&uart.hil, rx, sizeof rx), VMUX_OFF);
}

static void full_capture_counts_write_errors(void **state)
{
    (void)state;
    static uint8_t big[SIM_UART_CAPTURE + 5];
    open_memory(SIM_UART_MAX_BAUD);
    assert_int_equal(hil_uart_transmit(&uart.hil, big, sizeof big), VMUX_SUCCESS);
    sim_advance(sim_uart_wire_ns(&uart, sizeof big));
    assert_int_equal(rec.tx_status, VMUX_SUCCESS);
    assert_int_equal(rec.tx_sent, sizeof big);
    assert_int_equal(sim_uart_counters(&uart)->write_errors, 5);
}

/* ------------------------------------------------------------ PIPE */

static int in_pipe[2], out_pipe[2];

static void open_pipes(void)
{
    assert_int_equal(pipe2(in_pipe, O_CLOEXEC), 0);
    assert_int_equal(pipe2(out_pipe, O_CLOEXEC), 0);
    /* Our end never blocks, so a test cannot hang on it. */
    assert_int_equal(fcntl(out_pipe[0], F_SETFL, O_NONBLOCK), 0);
    struct sim_uart_config cfg = {
        .backend = SIM_UART_PIPE, .in_fd = in_pipe[0], .out_fd = out_pipe[1],
    };
    open_uart(&cfg);
}

static void close_pipes(void)
{
    sim_uart_close(&uart);
    for (int i = 0; i < 2; i++) {
        if (in_pipe[i] >= 0)
            close(in_pipe[i]);
        if (out_pipe[i] >= 0)
            close(out_pipe[i]);
        in_pipe[i] = out_pipe[i] = -1;
    }
}

static void pipe_exchanges_bytes(void **state)
{
    (void)state;
    open_pipes();
    uint8_t buf[16], out[8];
    uint8_t msg[4] = "pong";
    assert_true(fcntl(in_pipe[0], F_GETFL) & O_NONBLOCK);

    assert_int_equal(write(in_pipe[1], "ping", 4), 4);
    assert_int_equal(hil_uart_receive(&uart.hil, buf, sizeof buf), VMUX_SUCCESS);
    assert_true(pump_until(&rec.rx_calls, 1, char_ns()));
    assert_int_equal(rec.rx_received, 4);
    assert_memory_equal(buf, "ping", 4);

    assert_int_equal(hil_uart_transmit(&uart.hil, msg, sizeof msg), VMUX_SUCCESS);
    sim_advance(sim_uart_wire_ns(&uart, sizeof msg) - 1);
    assert_false(readable(out_pipe[0]));  /* still on the wire */
    sim_advance(1);
    assert_int_equal(rec.tx_calls, 1);
    assert_int_equal(read_exact(out_pipe[0], out, 4), 4);
    assert_memory_equal(out, "pong", 4);

    close_pipes();
    /* The caller's fds come back blocking, as they were given. */
    int again[2];
    assert_int_equal(pipe(again), 0);
    struct sim_uart_config cfg = { .backend = SIM_UART_PIPE, .in_fd = again[0], .out_fd = -1 };
    open_uart(&cfg);
    sim_uart_close(&uart);
    assert_false(fcntl(again[0], F_GETFL) & O_NONBLOCK);
    close(again[0]);
    close(again[1]);
}

static void slow_reader_gets_the_backlog_later(void **state)
{
    (void)state;
    static uint8_t msg[8192], got[sizeof msg];
    open_pipes();
    assert_true(fcntl(out_pipe[0], F_SETPIPE_SZ, 4096) >= 0);
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = pattern(i);
    assert_int_equal(hil_uart_transmit(&uart.hil, msg, sizeof msg), VMUX_SUCCESS);
    sim_advance(sim_uart_wire_ns(&uart, sizeof msg));
    /* The wire finished on time, whatever the host did. */
    assert_int_equal(rec.tx_calls, 1);
    assert_int_equal(rec.tx_status, VMUX_SUCCESS);

    size_t n = 0;
    for (int i = 0; i < PUMP_ROUNDS && n < sizeof msg; i++) {
        ssize_t r = read(out_pipe[0], got + n, sizeof got - n);
        if (r > 0)
            n += (size_t)r;
        sim_wait(0);  /* POLLOUT: the backlog moves on */
    }
    assert_int_equal(n, sizeof msg);
    assert_memory_equal(got, msg, sizeof msg);
    assert_int_equal(sim_uart_counters(&uart)->write_errors, 0);
    close_pipes();
}

static void backlog_overflow_counts_write_errors(void **state)
{
    (void)state;
    static uint8_t msg[3 * 4096 + SIM_UART_TX_BACKLOG];
    open_pipes();
    assert_true(fcntl(out_pipe[0], F_SETPIPE_SZ, 4096) >= 0);
    assert_int_equal(hil_uart_transmit(&uart.hil, msg, sizeof msg), VMUX_SUCCESS);
    sim_advance(sim_uart_wire_ns(&uart, sizeof msg));
    assert_int_equal(rec.tx_status, VMUX_SUCCESS);
    uint64_t lost = sim_uart_counters(&uart)->write_errors;
    assert_true(lost > 0);

    uint8_t sink[1024];
    size_t n = 0;
    for (int i = 0; i < PUMP_ROUNDS; i++) {
        ssize_t r = read(out_pipe[0], sink, sizeof sink);
        if (r > 0)
            n += (size_t)r;
        sim_wait(0);
        if (r <= 0 && !uart.out_watching)
            break;
    }
    assert_int_equal(n + lost, sizeof msg);  /* every byte delivered or counted */
    close_pipes();
}

static void closed_reader_is_a_write_error_not_sigpipe(void **state)
{
    (void)state;
    open_pipes();
    close(out_pipe[0]);
    out_pipe[0] = -1;
    uint8_t msg[3] = "abc";
    assert_int_equal(hil_uart_transmit(&uart.hil, msg, sizeof msg), VMUX_SUCCESS);
    sim_advance(sim_uart_wire_ns(&uart, sizeof msg));
    assert_int_equal(rec.tx_calls, 1);
    assert_int_equal(rec.tx_status, VMUX_SUCCESS);  /* the wire did its part */
    assert_int_equal(sim_uart_counters(&uart)->write_errors, 3);
    sigset_t pending;
    sigpending(&pending);
    assert_false(sigismember(&pending, SIGPIPE));
    close_pipes();
}

static void input_eof_stops_watching(void **state)
{
    (void)state;
    open_pipes();
    assert_true(uart.in_watching);
    close(in_pipe[1]);
    in_pipe[1] = -1;
    for (int i = 0; i < 10 && uart.in_watching; i++)
        sim_wait(0);
    assert_false(uart.in_watching);  /* or poll() would report EOF forever */
    close_pipes();
}

/* ------------------------------------------------------------ STDIO */

/* fds 0 and 1 are pipes for the length of the test; stderr stays. */
static int saved_stdin = -1, saved_stdout = -1;

static int stdio_setup(void **state)
{
    setup(state);
    saved_stdin = dup(STDIN_FILENO);
    saved_stdout = dup(STDOUT_FILENO);
    assert_int_equal(pipe2(in_pipe, O_CLOEXEC), 0);
    assert_int_equal(pipe2(out_pipe, O_CLOEXEC), 0);
    assert_int_equal(fcntl(out_pipe[0], F_SETFL, O_NONBLOCK), 0);
    dup2(in_pipe[0], STDIN_FILENO);
    dup2(out_pipe[1], STDOUT_FILENO);
    return 0;
}

static int stdio_teardown(void **state)
{
    teardown(state);
    dup2(saved_stdin, STDIN_FILENO);
    dup2(saved_stdout, STDOUT_FILENO);
    close(saved_stdin);
    close(saved_stdout);
    close_pipes();
    return 0;
}

static void stdio_reads_fd0_and_writes_fd1(void **state)
{
    (void)state;
    struct sim_uart_config cfg = { .backend = SIM_UART_STDIO };
    open_uart(&cfg);
    uint8_t buf[8], got[8];
    assert_int_equal(write(in_pipe[1], "in", 2), 2);
    assert_int_equal(hil_uart_receive(&uart.hil, buf, sizeof buf), VMUX_SUCCESS);
    assert_true(pump_until(&rec.rx_calls, 1, char_ns()));
    assert_int_equal(rec.rx_received, 2);
    assert_memory_equal(buf, "in", 2);

    uint8_t msg[3] = "out";
    assert_int_equal(hil_uart_transmit(&uart.hil, msg, sizeof msg), VMUX_SUCCESS);
    sim_advance(sim_uart_wire_ns(&uart, sizeof msg));
    assert_int_equal(read_exact(out_pipe[0], got, 3), 3);
    assert_memory_equal(got, "out", 3);

    sim_uart_close(&uart);
    assert_false(fcntl(STDIN_FILENO, F_GETFL) & O_NONBLOCK);  /* as found */
    assert_false(fcntl(STDOUT_FILENO, F_GETFL) & O_NONBLOCK);
}

/* ------------------------------------------------------------ TCP */

static int tcp_client(uint16_t port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    return fd;
}

static void open_tcp(void)
{
    struct sim_uart_config cfg = { .backend = SIM_UART_TCP, .tcp_port = 0 };
    open_uart(&cfg);
    assert_int_not_equal(sim_uart_tcp_port(&uart), 0);
}

/* The peer sends s; a receive gets exactly s. */
static void expect_from_peer(int peer, const char *s)
{
    static uint8_t buf[64];
    size_t n = strlen(s);
    unsigned before = rec.rx_calls;
    assert_int_equal(send(peer, s, n, 0), (ssize_t)n);
    assert_int_equal(hil_uart_receive(&uart.hil, buf, n), VMUX_SUCCESS);
    assert_true(pump_until(&rec.rx_calls, before + 1, char_ns()));
    assert_int_equal(rec.rx_status, VMUX_SUCCESS);
    assert_int_equal(rec.rx_received, n);
    assert_memory_equal(buf, s, n);
}

/* A transmit of s reaches the peer. */
static void expect_at_peer(int peer, const char *s)
{
    static uint8_t msg[64], got[64];
    size_t n = strlen(s);
    memcpy(msg, s, n);
    unsigned before = rec.tx_calls;
    assert_int_equal(hil_uart_transmit(&uart.hil, msg, n), VMUX_SUCCESS);
    sim_advance(sim_uart_wire_ns(&uart, n));
    assert_int_equal(rec.tx_calls, before + 1);
    assert_int_equal(read_exact(peer, got, n), n);
    assert_memory_equal(got, s, n);
}

static void tcp_serves_a_peer_and_then_the_next(void **state)
{
    (void)state;
    open_tcp();
    uint8_t lost[4] = "lost";
    assert_false(sim_uart_tcp_connected(&uart));
    assert_int_equal(hil_uart_transmit(&uart.hil, lost, sizeof lost), VMUX_SUCCESS);
    sim_advance(sim_uart_wire_ns(&uart, sizeof lost));
    assert_int_equal(rec.tx_calls, 1);
    assert_int_equal(rec.tx_status, VMUX_SUCCESS);  /* nobody listens: fine */
    assert_int_equal(sim_uart_counters(&uart)->no_peer, 4);

    int peer = tcp_client(sim_uart_tcp_port(&uart));
    assert_true(pump_until_connected(true));
    expect_from_peer(peer, "hello");
    expect_at_peer(peer, "world");

    close(peer);
    assert_true(pump_until_connected(false));
    assert_int_equal(hil_uart_transmit(&uart.hil, lost, sizeof lost), VMUX_SUCCESS);
    sim_advance(sim_uart_wire_ns(&uart, sizeof lost));
    assert_int_equal(sim_uart_counters(&uart)->no_peer, 8);

    peer = tcp_client(sim_uart_tcp_port(&uart));
    assert_true(pump_until_connected(true));
    expect_from_peer(peer, "again");
    expect_at_peer(peer, "welcome back");
    close(peer);
}

static void tcp_second_client_waits_its_turn(void **state)
{
    (void)state;
    open_tcp();
    int first = tcp_client(sim_uart_tcp_port(&uart));
    assert_true(pump_until_connected(true));
    int second = tcp_client(sim_uart_tcp_port(&uart));  /* listen queue */
    assert_int_equal(send(second, "B", 1, 0), 1);
    expect_from_peer(first, "A");
    for (int i = 0; i < 20; i++) {
        sim_wait(0);
        poll(NULL, 0, 1);
    }
    assert_int_equal(sim_uart_counters(&uart)->received, 1);  /* no "B" yet */
    expect_at_peer(first, "to A");  /* still the first one's line */

    /* When the first leaves, the second is accepted and its byte arrives. */
    close(first);
    uint8_t buf[4];
    assert_int_equal(hil_uart_receive(&uart.hil, buf, sizeof buf), VMUX_SUCCESS);
    assert_true(pump_until(&rec.rx_calls, 2, char_ns()));
    assert_int_equal(rec.rx_received, 1);
    assert_int_equal(buf[0], 'B');
    expect_at_peer(second, "hi B");
    close(second);
}

static void tcp_send_failure_drops_the_peer_without_sigpipe(void **state)
{
    (void)state;
    open_tcp();
    int peer = tcp_client(sim_uart_tcp_port(&uart));
    assert_true(pump_until_connected(true));
    /* Our side of the connection stops writing: the next send is EPIPE. */
    assert_int_equal(shutdown(uart.peer_fd, SHUT_WR), 0);
    uint8_t msg[3] = "abc";
    assert_int_equal(hil_uart_transmit(&uart.hil, msg, sizeof msg), VMUX_SUCCESS);
    sim_advance(sim_uart_wire_ns(&uart, sizeof msg));
    assert_int_equal(rec.tx_calls, 1);
    assert_int_equal(rec.tx_status, VMUX_SUCCESS);
    assert_int_equal(sim_uart_counters(&uart)->write_errors, 3);
    assert_false(sim_uart_tcp_connected(&uart));  /* back to accepting */
    close(peer);

    peer = tcp_client(sim_uart_tcp_port(&uart));
    assert_true(pump_until_connected(true));
    expect_at_peer(peer, "fresh");
    close(peer);
}

/* ------------------------------------------------------------ PTY */

static int open_slave(void)
{
    const char *path = sim_uart_pty_path(&uart);
    assert_non_null(path);
    int fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
    assert_true(fd >= 0);
    return fd;
}

static void pty_is_a_raw_terminal(void **state)
{
    (void)state;
    struct sim_uart_config cfg = { .backend = SIM_UART_PTY };
    open_uart(&cfg);
    assert_non_null(sim_uart_pty_path(&uart));
    assert_int_equal(strncmp(sim_uart_pty_path(&uart), "/dev/pts/", 9), 0);

    int term = open_slave();
    uint8_t buf[16], got[8];
    /* Raw: "\n" is not turned into "\r\n" on the way out of the terminal. */
    assert_int_equal(write(term, "hi\n", 3), 3);
    assert_int_equal(hil_uart_receive(&uart.hil, buf, sizeof buf), VMUX_SUCCESS);
    assert_true(pump_until(&rec.rx_calls, 1, char_ns()));
    assert_int_equal(rec.rx_received, 3);
    assert_memory_equal(buf, "hi\n", 3);

    /* Raw: no line buffering, no CR translation, and no echo back to us. */
    uint8_t msg[4] = "a\rb\n";
    assert_int_equal(hil_uart_transmit(&uart.hil, msg, sizeof msg), VMUX_SUCCESS);
    sim_advance(sim_uart_wire_ns(&uart, sizeof msg));
    assert_int_equal(read_exact(term, got, 4), 4);
    assert_memory_equal(got, "a\rb\n", 4);
    for (int i = 0; i < 20; i++) {
        sim_wait(0);
        poll(NULL, 0, 1);
    }
    assert_int_equal(sim_uart_counters(&uart)->received, 3);

    /* The terminal program leaves and comes back; the UART carries on. */
    close(term);
    for (int i = 0; i < 10; i++)
        sim_wait(0);
    assert_true(uart.in_watching);
    term = open_slave();
    assert_int_equal(write(term, "x", 1), 1);
    assert_int_equal(hil_uart_receive(&uart.hil, buf, sizeof buf), VMUX_SUCCESS);
    assert_true(pump_until(&rec.rx_calls, 2, char_ns()));
    assert_int_equal(rec.rx_received, 1);
    assert_int_equal(buf[0], 'x');
    close(term);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(transmit_completes_after_wire_time, setup, teardown),
        cmocka_unit_test_setup_teardown(baud_sets_character_time, setup, teardown),
        cmocka_unit_test_setup_teardown(one_transmit_at_a_time, setup, teardown),
        cmocka_unit_test_setup_teardown(completion_may_start_the_next_transmit, setup, teardown),
        cmocka_unit_test_setup_teardown(receive_completes_when_buffer_full, setup, teardown),
        cmocka_unit_test_setup_teardown(receive_completes_when_line_goes_idle, setup, teardown),
        cmocka_unit_test_setup_teardown(each_byte_restarts_the_idle_time, setup, teardown),
        cmocka_unit_test_setup_teardown(silent_line_keeps_receive_waiting, setup, teardown),
        cmocka_unit_test_setup_teardown(fifo_holds_bytes_for_the_next_receive, setup, teardown),
        cmocka_unit_test_setup_teardown(bytes_after_a_full_buffer_reach_the_next_receive, setup, teardown),
        cmocka_unit_test_setup_teardown(full_fifo_counts_overruns, setup, teardown),
        cmocka_unit_test_setup_teardown(abort_transmit_reports_whole_characters_sent, setup, teardown),
        cmocka_unit_test_setup_teardown(abort_receive_returns_what_arrived, setup, teardown),
        cmocka_unit_test_setup_teardown(abort_after_completion_raised_still_cancels, setup, teardown),
        cmocka_unit_test_setup_teardown(nothing_to_abort, setup, teardown),
        cmocka_unit_test_setup_teardown(close_cancels_and_powers_off, setup, teardown),
        cmocka_unit_test_setup_teardown(full_capture_counts_write_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(pipe_exchanges_bytes, setup, teardown),
        cmocka_unit_test_setup_teardown(slow_reader_gets_the_backlog_later, setup, teardown),
        cmocka_unit_test_setup_teardown(backlog_overflow_counts_write_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(closed_reader_is_a_write_error_not_sigpipe, setup, teardown),
        cmocka_unit_test_setup_teardown(input_eof_stops_watching, setup, teardown),
        cmocka_unit_test_setup_teardown(stdio_reads_fd0_and_writes_fd1, stdio_setup, stdio_teardown),
        cmocka_unit_test_setup_teardown(tcp_serves_a_peer_and_then_the_next, setup, teardown),
        cmocka_unit_test_setup_teardown(tcp_second_client_waits_its_turn, setup, teardown),
        cmocka_unit_test_setup_teardown(tcp_send_failure_drops_the_peer_without_sigpipe, setup, teardown),
        cmocka_unit_test_setup_teardown(pty_is_a_raw_terminal, setup, teardown),
    };
    return cmocka_run_group_tests_name("sim_uart", tests, NULL, NULL);
}
