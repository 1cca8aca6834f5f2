/* Console driver 0x1 through scripted processes over the UART mux and a
 * simulated UART (MEMORY backend): each process writes and reads on its
 * own channel, announced under its name; input framed for one process's
 * channel reaches that process only; buffers swapped or withdrawn during
 * a read or a write; what a process's end leaves behind; a process whose
 * quota has no room left for the console's grant. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "boards/test/test_board.h"
#include "capsules/drivers/console_driver.h"
#include "capsules/uart_mux.h"
#include "chips/sim/sim.h"
#include "chips/sim/sim_uart.h"
#include "tests/unit/test_driver_common.h"

#define CLIENTS 4
#define FRAMES 64
#define CON CONSOLE_DRIVER_NUM

static struct sim_uart wire;
static struct uart_mux mux;
static struct client_entry *slots[CLIENTS];
static uint32_t rr_bits[RR_WORDS(CLIENTS)];
static struct console_driver drv;
static struct harness_process hp[3]; /* the third only where a test spawns it */
static const char *names[2] = { "alpha", "beta" };

/* ------------------------------------------------------------ the peer */

struct frame {
    uint8_t channel;
    uint8_t payload[UART_FRAME_PAYLOAD_MAX];
    size_t len;
};
static struct frame seen[FRAMES];
static unsigned seen_count;
static struct uart_frame_decoder peer;

static void read_wire(void)
{
    uint8_t bytes[512];
    size_t n;
    while ((n = sim_uart_take_tx(&wire, bytes, sizeof bytes)) > 0)
        for (size_t i = 0; i < n; i++) {
            if (uart_frame_decoder_push(&peer, bytes[i]) != UART_FRAME_READY)
                continue;
            assert_true(seen_count < FRAMES);
            struct frame *f = &seen[seen_count++];
            f->channel = uart_frame_channel(&peer);
            f->len = uart_frame_payload_len(&peer);
            memcpy(f->payload, uart_frame_payload(&peer), f->len);
        }
}

/* 20 ms of wire time, the peer reading along. */
static void run(void)
{
    for (int ms = 0; ms < 20; ms++) {
        sim_advance(1000000ull);
        read_wire();
    }
}

static void inject(uint8_t channel, const char *text)
{
    uint8_t bytes[UART_FRAME_WIRE_MAX];
    size_t n = uart_frame_encode(channel, (const uint8_t *)text, strlen(text), bytes, sizeof bytes);
    assert_int_equal(sim_uart_inject_rx(&wire, bytes, n), n);
}

/* The channel announced under name, 0 when none. */
static uint8_t announced(const char *name)
{
    uint8_t channel = 0;
    for (unsigned f = 0; f < seen_count; f++)
        if (seen[f].channel == 0 && seen[f].payload[0] == UART_CONTROL_ANNOUNCE &&
            seen[f].len == 2 + strlen(name) && memcmp(seen[f].payload + 2, name, strlen(name)) == 0)
            channel = seen[f].payload[1];
    return channel;
}

static bool closed(uint8_t channel)
{
    for (unsigned f = 0; f < seen_count; f++)
        if (seen[f].channel == 0 && seen[f].payload[0] == UART_CONTROL_CLOSE &&
            seen[f].payload[1] == channel)
            return true;
    return false;
}

/* Everything the peer got on channel, in order. */
static size_t received_on(uint8_t channel, uint8_t *out, size_t max)
{
    size_t n = 0;
    for (unsigned f = 0; f < seen_count; f++)
        if (seen[f].channel == channel) {
            assert_true(n + seen[f].len <= max);
            memcpy(out + n, seen[f].payload, seen[f].len);
            n += seen[f].len;
        }
    return n;
}

/* ------------------------------------------------------------ setup */

static uint8_t channel[2];

static int setup(void **state)
{
    (void)state;
    test_board_reset(0);
    struct sim_uart_config cfg = { .backend = SIM_UART_MEMORY, .baud = 1000000 };
    assert_int_equal(sim_uart_init(&wire, &cfg), VMUX_SUCCESS);
    uart_mux_init(&mux, &wire.hil, slots, rr_bits, CLIENTS);
    assert_int_equal(uart_mux_start(&mux), VMUX_SUCCESS);
    console_driver_init(&drv, &mux);
    harness_reset();
    assert_int_equal(process_register_driver(&drv.driver), VMUX_SUCCESS);
    seen_count = 0;
    uart_frame_decoder_init(&peer);
    for (unsigned i = 0; i < 2; i++) {
        assert_non_null(harness_spawn(&hp[i], names[i], RESTART_NEVER));
        td_subscribe(&hp[i], CON, CONSOLE_UPCALL_WRITE_DONE);
        td_subscribe(&hp[i], CON, CONSOLE_UPCALL_READ_DONE);
        /* the first command attaches the process's channel */
        td_assert_success(td_command(&hp[i], CON, CONSOLE_CMD_ABORT_READ, 0, 0));
    }
    run();
    for (unsigned i = 0; i < 2; i++) {
        channel[i] = announced(names[i]);
        assert_int_not_equal(channel[i], 0);
    }
    assert_int_not_equal(channel[0], channel[1]);
    seen_count = 0;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sim_uart_close(&wire);
    return 0;
}

static struct syscall_return console(unsigned i, uint32_t cmd, syscall_reg_t n)
{
    return td_command(&hp[i], CON, cmd, n, 0);
}

/* Put text in i's RAM at offset and share it with read-only allow 1. */
static void allow_text(unsigned i, unsigned offset, const char *text, size_t len)
{
    memcpy(&hp[i].ram[offset], text, len);
    td_allow(&hp[i], true, CON, CONSOLE_ALLOW_RO_WRITE, offset, len);
}

static void expect_written(unsigned i, uint32_t count)
{
    td_expect_upcall(&hp[i], CON, CONSOLE_UPCALL_WRITE_DONE, count, 0, 0);
}

static void expect_read(unsigned i, vmux_err_t status, uint32_t count)
{
    td_expect_upcall(&hp[i], CON, CONSOLE_UPCALL_READ_DONE, status, count, 0);
}

/* ------------------------------------------------------------ write */

static void console_write_goes_out_on_the_process_channel(void **state)
{
    (void)state;
    allow_text(0, 100, "hello world", 11);
    td_assert_success(console(0, CONSOLE_CMD_WRITE, 100)); /* min(100, 11) */
    run();
    expect_written(0, 11);
    uint8_t got[64];
    assert_int_equal(received_on(channel[0], got, sizeof got), 11);
    assert_memory_equal(got, "hello world", 11);
    assert_int_equal(received_on(channel[1], got, sizeof got), 0);
    /* a count below the buffer's length writes that many */
    seen_count = 0;
    td_assert_success(console(0, CONSOLE_CMD_WRITE, 5));
    run();
    expect_written(0, 5);
    assert_int_equal(received_on(channel[0], got, sizeof got), 5);
    assert_memory_equal(got, "hello", 5);
}

static void console_write_longer_than_a_chunk_arrives_whole_and_once(void **state)
{
    (void)state;
    char text[200];
    for (unsigned k = 0; k < sizeof text; k++)
        text[k] = (char)('a' + k % 26);
    allow_text(0, 100, text, sizeof text);
    td_assert_success(console(0, CONSOLE_CMD_WRITE, sizeof text));
    run();
    expect_written(0, sizeof text);
    assert_int_equal(td_pending(&hp[0]), 0);
    uint8_t got[256];
    assert_int_equal(received_on(channel[0], got, sizeof got), sizeof text);
    assert_memory_equal(got, text, sizeof text);
}

static void console_write_without_a_buffer_reports_zero_and_busy_while_writing(void **state)
{
    (void)state;
    td_assert_success(console(0, CONSOLE_CMD_WRITE, 10));
    expect_written(0, 0);
    allow_text(0, 100, "abc", 3);
    td_assert_success(console(0, CONSOLE_CMD_WRITE, 3));
    td_assert_failure(console(0, CONSOLE_CMD_WRITE, 3), VMUX_BUSY);
    td_assert_success(console(1, CONSOLE_CMD_WRITE, 0)); /* beta is not in the way */
    expect_written(1, 0);
    run();
    expect_written(0, 3);
    td_assert_failure(console(0, 4, 0), VMUX_NOSUPPORT);
    td_assert_failure(console(0, 77, 0), VMUX_NOSUPPORT);
}

static void console_write_ends_where_the_buffer_was_withdrawn(void **state)
{
    (void)state;
    char text[200];
    memset(text, 'x', sizeof text);
    allow_text(0, 100, text, sizeof text);
    td_assert_success(console(0, CONSOLE_CMD_WRITE, sizeof text));
    td_allow(&hp[0], true, CON, CONSOLE_ALLOW_RO_WRITE, 0, 0);
    run();
    expect_written(0, CONSOLE_DRIVER_TX_CHUNK); /* the chunk taken before */
    uint8_t got[256];
    assert_int_equal(received_on(channel[0], got, sizeof got), CONSOLE_DRIVER_TX_CHUNK);
}

/* ------------------------------------------------------------ read */

static void console_read_completes_with_exactly_the_bytes_asked_for(void **state)
{
    (void)state;
    uint8_t *buf = td_fill(&hp[0], 300, 0xaa, 16);
    td_allow(&hp[0], false, CON, CONSOLE_ALLOW_RW_READ, 300, 16);
    td_assert_success(console(0, CONSOLE_CMD_READ, 10));
    inject(channel[0], "abcd");
    run();
    assert_int_equal(td_pending(&hp[0]), 0); /* 4 of 10 */
    inject(channel[0], "efghijkl");
    run();
    expect_read(0, VMUX_SUCCESS, 10);
    assert_memory_equal(buf, "abcdefghij", 10);
    assert_true(td_all(buf + 10, 0xaa, 6));
    /* the rest waits for the next read */
    td_assert_success(console(0, CONSOLE_CMD_READ, 2));
    run();
    expect_read(0, VMUX_SUCCESS, 2);
    assert_memory_equal(buf, "kl", 2);
}

static void console_read_refuses_no_buffer_too_long_and_a_second_read(void **state)
{
    (void)state;
    td_assert_failure(console(0, CONSOLE_CMD_READ, 10), VMUX_SIZE);
    td_allow(&hp[0], false, CON, CONSOLE_ALLOW_RW_READ, 300, 100);
    td_assert_failure(console(0, CONSOLE_CMD_READ, CONSOLE_DRIVER_RX_MAX + 1), VMUX_INVALID);
    td_assert_failure(console(0, CONSOLE_CMD_READ, 0), VMUX_SIZE);
    td_assert_success(console(0, CONSOLE_CMD_READ, CONSOLE_DRIVER_RX_MAX));
    td_assert_failure(console(0, CONSOLE_CMD_READ, 1), VMUX_BUSY);
    /* the other process reads on its own channel meanwhile */
    td_allow(&hp[1], false, CON, CONSOLE_ALLOW_RW_READ, 300, 4);
    td_assert_success(console(1, CONSOLE_CMD_READ, 4));
}

static void console_abort_read_delivers_what_arrived_with_cancel(void **state)
{
    (void)state;
    td_assert_success(console(0, CONSOLE_CMD_ABORT_READ, 0)); /* idle: fine */
    run();
    assert_int_equal(td_pending(&hp[0]), 0);
    uint8_t *buf = td_fill(&hp[0], 300, 0xaa, 16);
    td_allow(&hp[0], false, CON, CONSOLE_ALLOW_RW_READ, 300, 16);
    td_assert_success(console(0, CONSOLE_CMD_READ, 10));
    inject(channel[0], "abc");
    run();
    td_assert_success(console(0, CONSOLE_CMD_ABORT_READ, 0));
    run();
    expect_read(0, VMUX_CANCEL, 3);
    assert_memory_equal(buf, "abc", 3);
    assert_true(td_all(buf + 3, 0xaa, 13));
    td_assert_success(console(0, CONSOLE_CMD_READ, 2)); /* reading again is fine */
}

/* ------------------------------------------------------------ policy */

static void confidentiality_console_input_reaches_only_its_process(void **state)
{
    (void)state;
    uint8_t *a = td_fill(&hp[0], 300, 0xaa, 8);
    uint8_t *b = td_fill(&hp[1], 300, 0xbb, 8);
    td_allow(&hp[0], false, CON, CONSOLE_ALLOW_RW_READ, 300, 8);
    td_allow(&hp[1], false, CON, CONSOLE_ALLOW_RW_READ, 300, 8);
    td_assert_success(console(0, CONSOLE_CMD_READ, 4));
    td_assert_success(console(1, CONSOLE_CMD_READ, 4));
    inject(channel[0], "secr");
    inject(0x77, "lost"); /* nobody's channel */
    run();
    expect_read(0, VMUX_SUCCESS, 4);
    assert_memory_equal(a, "secr", 4);
    assert_int_equal(td_pending(&hp[1]), 0);
    assert_true(td_all(b, 0xbb, 8));
    assert_int_equal(mux.counters.frames_no_owner, 1);
    /* beta's own input reaches beta, and only beta */
    td_assert_success(console(0, CONSOLE_CMD_READ, 4));
    inject(channel[1], "mine");
    run();
    expect_read(1, VMUX_SUCCESS, 4);
    assert_memory_equal(b, "mine", 4);
    assert_int_equal(td_pending(&hp[0]), 0);
    assert_memory_equal(a, "secr", 4);
}

static void buffer_swapped_during_operation(void **state)
{
    (void)state;
    uint8_t *old = td_fill(&hp[0], 300, 0xaa, 16);
    uint8_t *fresh = td_fill(&hp[0], 400, 0xcc, 16);
    td_allow(&hp[0], false, CON, CONSOLE_ALLOW_RW_READ, 300, 16);
    td_assert_success(console(0, CONSOLE_CMD_READ, 8));
    inject(channel[0], "1234");
    run();
    td_allow(&hp[0], false, CON, CONSOLE_ALLOW_RW_READ, 400, 16); /* swap */
    inject(channel[0], "5678");
    run();
    expect_read(0, VMUX_SUCCESS, 8);
    assert_true(td_all(old, 0xaa, 16)); /* never written after the swap */
    assert_memory_equal(fresh, "12345678", 8);
    /* a smaller buffer takes what fits: SIZE */
    td_assert_success(console(0, CONSOLE_CMD_READ, 8));
    td_fill(&hp[0], 400, 0xcc, 16);
    td_allow(&hp[0], false, CON, CONSOLE_ALLOW_RW_READ, 400, 3);
    inject(channel[0], "abcdefgh");
    run();
    expect_read(0, VMUX_SIZE, 3);
    assert_memory_equal(fresh, "abc", 3);
    assert_true(td_all(fresh + 3, 0xcc, 13));
    /* withdrawn: NOMEM, nothing written anywhere */
    td_allow(&hp[0], false, CON, CONSOLE_ALLOW_RW_READ, 300, 16);
    td_assert_success(console(0, CONSOLE_CMD_READ, 4));
    td_allow(&hp[0], false, CON, CONSOLE_ALLOW_RW_READ, 0, 0);
    inject(channel[0], "wxyz");
    run();
    expect_read(0, VMUX_NOMEM, 0);
    assert_true(td_all(old, 0xaa, 16));
}

static void read_only_allow_is_never_written(void **state)
{
    (void)state;
    /* the same memory is the write buffer (read-only) and, later, read
     * into through a separate read-write buffer; the read-only one keeps
     * its bytes through a write, a read and an abort */
    allow_text(0, 100, "constant", 8);
    td_allow(&hp[0], false, CON, CONSOLE_ALLOW_RW_READ, 300, 8);
    td_assert_success(console(0, CONSOLE_CMD_WRITE, 8));
    td_assert_success(console(0, CONSOLE_CMD_READ, 8));
    inject(channel[0], "XXXXXXXX");
    run();
    td_assert_success(console(0, CONSOLE_CMD_READ, 8));
    inject(channel[0], "YY");
    run();
    td_assert_success(console(0, CONSOLE_CMD_ABORT_READ, 0));
    run();
    assert_memory_equal(&hp[0].ram[100], "constant", 8);
    assert_memory_equal(&hp[0].ram[300], "YYXXXXXX", 8);
}

static void lifecycle_process_end_releases_mux_resources(void **state)
{
    (void)state;
    char text[200];
    memset(text, 'z', sizeof text);
    allow_text(0, 100, text, sizeof text);
    td_allow(&hp[0], false, CON, CONSOLE_ALLOW_RW_READ, 300, 8);
    td_allow(&hp[1], false, CON, CONSOLE_ALLOW_RW_READ, 300, 8);
    td_assert_success(console(0, CONSOLE_CMD_WRITE, sizeof text));
    td_assert_success(console(0, CONSOLE_CMD_READ, 8));
    td_assert_success(console(1, CONSOLE_CMD_READ, 4));
    sim_advance(200000ull); /* the first chunk is on the wire */
    td_fill(&hp[0], 300, 0xaa, 8);
    process_end(hp[0].process, true, -1);
    assert_null(uart_mux_channel_owner(&mux, channel[0]));
    hp[0].upcall_count = 0;
    inject(channel[0], "late");
    inject(channel[1], "ok!!");
    run();
    assert_true(closed(channel[0]));
    assert_int_equal(hp[0].upcall_count, 0);
    assert_true(td_all(&hp[0].ram[300], 0xaa, 8));
    assert_int_equal(mux.counters.frames_no_owner, 1);
    uint8_t got[256];
    assert_true(received_on(channel[0], got, sizeof got) < sizeof text); /* cut short */
    expect_read(1, VMUX_SUCCESS, 4);
    assert_memory_equal(&hp[1].ram[300], "ok!!", 4);
}

/* ------------------------------------------------------------ grant room */

/* Nothing is lost silently: a process whose console grant does not fit
 * in what is left of its quota is refused each use of the console with
 * NOMEM (allow, subscribe, command), counted per process (grant_nomem,
 * in "ps"), gets no channel, and the others write on as before. Once it
 * gives the memory back, the same calls work. */
static void availability_console_without_grant_room_gets_nomem_and_is_counted(void **state)
{
    (void)state;
    struct harness_process *g = &hp[2];
    struct process *p = harness_spawn(g, "gamma", RESTART_NEVER);
    assert_non_null(p);
    uintptr_t heap = p->app_break;
    /* its heap up to 8 bytes below its grants (it holds none yet) */
    struct syscall_return r = harness_call(g, SYSCALL_MEMOP, MEMOP_BRK, p->kernel_break - 8, 0, 0);
    td_assert_success(r);
    memcpy(&g->ram[100], "lost?", 5);
    r = harness_call(g, SYSCALL_ALLOW_RO, CON, CONSOLE_ALLOW_RO_WRITE, harness_addr(g, 100), 5);
    assert_int_equal(r.r[0], RET_FAILURE_2U32);
    assert_int_equal(r.r[1], VMUX_NOMEM);
    r = harness_call(g, SYSCALL_SUBSCRIBE, CON, CONSOLE_UPCALL_WRITE_DONE,
                     td_upcall_fn(g, CONSOLE_UPCALL_WRITE_DONE), 0);
    assert_int_equal(r.r[0], RET_FAILURE_2U32);
    assert_int_equal(r.r[1], VMUX_NOMEM);
    td_assert_failure(td_command(g, CON, CONSOLE_CMD_WRITE, 5, 0), VMUX_NOMEM);
    td_assert_success(td_command(g, CON, 0, 0, 0)); /* the driver is there */
    assert_int_equal(p->counters.grant_nomem, 3);
    /* the others: their writes go out, nothing counted against them */
    allow_text(0, 100, "still here", 10);
    td_assert_success(console(0, CONSOLE_CMD_WRITE, 10));
    run();
    expect_written(0, 10);
    uint8_t got[64];
    assert_int_equal(received_on(channel[0], got, sizeof got), 10);
    assert_memory_equal(got, "still here", 10);
    assert_int_equal(announced("gamma"), 0);
    assert_int_equal(hp[0].process->counters.grant_nomem, 0);
    assert_int_equal(hp[1].process->counters.grant_nomem, 0);
    /* its heap given back, its grant fits: it writes */
    td_assert_success(harness_call(g, SYSCALL_MEMOP, MEMOP_BRK, heap, 0, 0));
    td_subscribe(g, CON, CONSOLE_UPCALL_WRITE_DONE);
    td_allow(g, true, CON, CONSOLE_ALLOW_RO_WRITE, 100, 5);
    td_assert_success(td_command(g, CON, CONSOLE_CMD_WRITE, 5, 0));
    run();
    td_expect_upcall(g, CON, CONSOLE_UPCALL_WRITE_DONE, 5, 0, 0);
    uint8_t gamma = announced("gamma");
    assert_int_not_equal(gamma, 0);
    assert_int_equal(received_on(gamma, got, sizeof got), 5);
    assert_memory_equal(got, "lost?", 5);
    assert_int_equal(p->counters.grant_nomem, 3);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(console_write_goes_out_on_the_process_channel),
        T(console_write_longer_than_a_chunk_arrives_whole_and_once),
        T(console_write_without_a_buffer_reports_zero_and_busy_while_writing),
        T(console_write_ends_where_the_buffer_was_withdrawn),
        T(console_read_completes_with_exactly_the_bytes_asked_for),
        T(console_read_refuses_no_buffer_too_long_and_a_second_read),
        T(console_abort_read_delivers_what_arrived_with_cancel),
        T(confidentiality_console_input_reaches_only_its_process),
        T(buffer_swapped_during_operation),
        T(read_only_allow_is_never_written),
        T(lifecycle_process_end_releases_mux_resources),
        T(availability_console_without_grant_room_gets_nomem_and_is_counted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
