/* RNG driver 0x40001 through scripted processes over the RNG mux and the
 * simulated TRNG with a generator the test predicts (bytes 1, 2, 3, ...
 * in the order they are made): every command, the upcall's format, long
 * requests served a chunk a turn, short, missing, swapped and withdrawn
 * buffers, two processes never given the same bytes, and what a
 * process's end cancels. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "boards/test/test_board.h"
#include "capsules/drivers/rng_driver.h"
#include "capsules/rng_mux.h"
#include "chips/sim/sim.h"
#include "chips/sim/sim_entropy.h"
#include "tests/unit/test_driver_common.h"

#define RNG RNG_DRIVER_NUM
#define CLIENTS 4
#define LATENCY_NS 20000u
#define BUF_AT 512
#define OTHER_AT 700

static struct sim_entropy trng;
static struct rng_mux mux;
static struct client_entry *table[CLIENTS];
static uint32_t rr_bits[RR_WORDS(CLIENTS)];
static struct rng_driver drv;
static struct harness_process hp[2];
static uint8_t next_byte;

static bool counting(uint8_t *buf, size_t len, void *ctx)
{
    (void)ctx;
    for (size_t i = 0; i < len; i++)
        buf[i] = ++next_byte ? next_byte : (next_byte = 1);
    return true;
}

static int setup(void **state)
{
    (void)state;
    test_board_reset(0);
    next_byte = 0;
    struct sim_entropy_config config = { .latency_ns = LATENCY_NS, .generate = counting };
    assert_int_equal(sim_entropy_init(&trng, &config), VMUX_SUCCESS);
    assert_int_equal(rng_mux_init(&mux, &trng.hil, table, rr_bits, CLIENTS), VMUX_SUCCESS);
    rng_driver_init(&drv, &mux);
    harness_reset();
    assert_int_equal(process_register_driver(&drv.driver), VMUX_SUCCESS);
    assert_non_null(harness_spawn(&hp[0], "alpha", RESTART_NEVER));
    assert_non_null(harness_spawn(&hp[1], "beta", RESTART_NEVER));
    td_subscribe(&hp[0], RNG, RNG_UPCALL_DONE);
    td_subscribe(&hp[1], RNG, RNG_UPCALL_DONE);
    return 0;
}

static struct syscall_return rng(unsigned i, uint32_t cmd, syscall_reg_t n)
{
    return td_command(&hp[i], RNG, cmd, n, 0);
}

/* Allow len bytes of i's RAM at offset, filled with 0xee first. */
static uint8_t *buffer(unsigned i, unsigned offset, size_t len)
{
    td_allow(&hp[i], false, RNG, RNG_ALLOW_RW_BUFFER, offset, len);
    return td_fill(&hp[i], offset, 0xee, len + 16);
}

static void expect_done(unsigned i, vmux_err_t status, uint32_t written)
{
    td_expect_upcall(&hp[i], RNG, RNG_UPCALL_DONE, status, written, 0);
}

/* Bytes from..from+len-1 of the generator's sequence. */
static bool holds_sequence(const uint8_t *p, unsigned from, size_t len)
{
    for (size_t k = 0; k < len; k++)
        if (p[k] != (uint8_t)(from + k))
            return false;
    return true;
}

/* ------------------------------------------------------------ commands */

static void rng_commands_and_upcall_format(void **state)
{
    (void)state;
    td_assert_success(rng(0, 0, 0)); /* exists */
    td_assert_failure(rng(0, 2, 0), VMUX_NOSUPPORT);
    td_assert_failure(rng(0, 0xffffffffu, 0), VMUX_NOSUPPORT);
    uint8_t *buf = buffer(0, BUF_AT, 16);
    td_assert_success(rng(0, RNG_CMD_GET, 16));
    td_assert_failure(rng(0, RNG_CMD_GET, 16), VMUX_BUSY);
    sim_settle();
    assert_int_equal(td_pending(&hp[0]), 0); /* split phase: the source takes its time */
    sim_advance(LATENCY_NS);
    expect_done(0, VMUX_SUCCESS, 16);
    assert_true(holds_sequence(buf, 1, 16));
    assert_true(td_all(buf + 16, 0xee, 16)); /* nothing past the request */
    /* n = 0: done at once, nothing asked of the source */
    td_assert_success(rng(0, RNG_CMD_GET, 0));
    expect_done(0, VMUX_SUCCESS, 0);
    assert_int_equal(mux.counters.fills, 1);
}

/* More than a chunk: several turns of the mux, one upcall at the end. */
static void rng_long_request_is_served_a_chunk_a_turn(void **state)
{
    (void)state;
    uint8_t *buf = buffer(0, BUF_AT, 100);
    td_assert_success(rng(0, RNG_CMD_GET, 100));
    sim_advance(10 * LATENCY_NS);
    expect_done(0, VMUX_SUCCESS, 100);
    assert_true(holds_sequence(buf, 1, 100));
    assert_int_equal(mux.counters.fills, (100 + RNG_MUX_CHUNK - 1) / RNG_MUX_CHUNK);
    assert_int_equal(td_pending(&hp[0]), 0);
}

/* A process's long request does not hold another's up: beta's chunk is
 * served after alpha's first. */
static void availability_rng_long_request_does_not_starve_another(void **state)
{
    (void)state;
    uint8_t *a = buffer(0, BUF_AT, 4 * RNG_MUX_CHUNK);
    uint8_t *b = buffer(1, BUF_AT, 8);
    td_assert_success(rng(0, RNG_CMD_GET, 4 * RNG_MUX_CHUNK));
    td_assert_success(rng(1, RNG_CMD_GET, 8));
    sim_advance(2 * LATENCY_NS);
    expect_done(1, VMUX_SUCCESS, 8);
    assert_int_equal(td_pending(&hp[0]), 0);
    assert_true(holds_sequence(b, RNG_MUX_CHUNK + 1, 8));
    sim_advance(10 * LATENCY_NS);
    expect_done(0, VMUX_SUCCESS, 4 * RNG_MUX_CHUNK);
    /* alpha's bytes skip beta's: no byte went to both */
    assert_true(holds_sequence(a, 1, RNG_MUX_CHUNK));
    assert_true(holds_sequence(a + RNG_MUX_CHUNK, RNG_MUX_CHUNK + 9, 3 * RNG_MUX_CHUNK));
}

/* ------------------------------------------------------------ buffers */

static void rng_short_and_missing_buffers(void **state)
{
    (void)state;
    /* shorter than n: what fits, status 0, as Tock */
    uint8_t *buf = buffer(0, BUF_AT, 10);
    td_assert_success(rng(0, RNG_CMD_GET, 64));
    sim_advance(10 * LATENCY_NS);
    expect_done(0, VMUX_SUCCESS, 10);
    assert_true(td_all(buf + 10, 0xee, 16));
    /* none: NOMEM, nothing written */
    td_allow(&hp[0], false, RNG, RNG_ALLOW_RW_BUFFER, 0, 0);
    td_assert_success(rng(0, RNG_CMD_GET, 8));
    sim_advance(10 * LATENCY_NS);
    expect_done(0, VMUX_NOMEM, 0);
}

/* Results go into the allow that is there when each chunk arrives: one
 * swapped during the request gets the rest; the old one is not touched
 * after the swap. */
static void rng_buffer_swapped_during_request(void **state)
{
    (void)state;
    uint8_t *old = buffer(0, BUF_AT, 2 * RNG_MUX_CHUNK);
    td_assert_success(rng(0, RNG_CMD_GET, 2 * RNG_MUX_CHUNK));
    sim_advance(LATENCY_NS); /* the first chunk is in the old buffer */
    assert_true(holds_sequence(old, 1, RNG_MUX_CHUNK));
    uint8_t *new = buffer(0, OTHER_AT, 2 * RNG_MUX_CHUNK);
    sim_advance(10 * LATENCY_NS);
    expect_done(0, VMUX_SUCCESS, 2 * RNG_MUX_CHUNK);
    assert_true(td_all(old + RNG_MUX_CHUNK, 0xee, RNG_MUX_CHUNK));
    assert_true(td_all(new, 0xee, RNG_MUX_CHUNK)); /* the first chunk's place */
    assert_true(holds_sequence(new + RNG_MUX_CHUNK, RNG_MUX_CHUNK + 1, RNG_MUX_CHUNK));
    /* withdrawn during the request: NOMEM, with the count written before */
    buffer(0, BUF_AT, 2 * RNG_MUX_CHUNK);
    td_assert_success(rng(0, RNG_CMD_GET, 2 * RNG_MUX_CHUNK));
    sim_advance(LATENCY_NS);
    td_allow(&hp[0], false, RNG, RNG_ALLOW_RW_BUFFER, 0, 0);
    sim_advance(10 * LATENCY_NS);
    expect_done(0, VMUX_NOMEM, RNG_MUX_CHUNK);
}

/* ------------------------------------------------------------ faults, ends */

static void rng_source_error_reaches_the_requester(void **state)
{
    (void)state;
    buffer(0, BUF_AT, 64);
    uint8_t *b = buffer(1, BUF_AT, 8);
    td_assert_success(rng(0, RNG_CMD_GET, 64));
    kernel_loop_once(); /* alpha's first chunk is being made; the fault hits its second */
    struct sim_fault fault = { .kind = SIM_FAULT_ERROR, .error = VMUX_FAIL, .count = 1 };
    sim_entropy_inject_fault(&trng, &fault);
    sim_advance(LATENCY_NS);
    td_assert_success(rng(1, RNG_CMD_GET, 8));
    sim_advance(10 * LATENCY_NS);
    expect_done(0, VMUX_FAIL, RNG_MUX_CHUNK); /* its second chunk failed */
    expect_done(1, VMUX_SUCCESS, 8);
    assert_true(holds_sequence(b, RNG_MUX_CHUNK + 1, 8));
}

static void lifecycle_process_end_cancels_rng_request(void **state)
{
    (void)state;
    uint8_t *a = buffer(0, BUF_AT, 64);
    uint8_t *b = buffer(1, BUF_AT, 8);
    td_assert_success(rng(0, RNG_CMD_GET, 64));
    td_assert_success(rng(1, RNG_CMD_GET, 8));
    kernel_loop_once(); /* alpha's first chunk is in flight */
    process_end(hp[0].process, true, -1);
    hp[0].upcall_count = 0;
    sim_advance(10 * LATENCY_NS);
    assert_int_equal(hp[0].upcall_count, 0);
    assert_true(td_all(a, 0xee, 64));
    assert_int_equal(mux.counters.requests.n[TALLY_DEPARTED], 1);
    /* beta gets fresh bytes, not the ones made for alpha */
    expect_done(1, VMUX_SUCCESS, 8);
    assert_true(holds_sequence(b, RNG_MUX_CHUNK + 1, 8));
}

#define T(name) cmocka_unit_test_setup(name, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(rng_commands_and_upcall_format),
        T(rng_long_request_is_served_a_chunk_a_turn),
        T(availability_rng_long_request_does_not_starve_another),
        T(rng_short_and_missing_buffers),
        T(rng_buffer_swapped_during_request),
        T(rng_source_error_reaches_the_requester),
        T(lifecycle_process_end_cancels_rng_request),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
