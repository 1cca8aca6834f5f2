/* RNG mux over the simulated TRNG (chips/sim/sim_entropy.h) with a
 * generator the test predicts (a running byte counter, so every byte
 * handed out says which fill it came from): round robin with its N-1
 * bound, no byte reaching two clients, the mux's buffer wiped before the
 * next fill, departures, and each fault of the source reaching only the
 * client it was serving. Tests named after the policy clause they prove. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "boards/test/test_board.h"
#include "capsules/rng_mux.h"
#include "chips/sim/sim.h"
#include "chips/sim/sim_alarm.h"
#include "chips/sim/sim_entropy.h"
#include "kernel/deferred.h"
#include "kernel/wipe.h"

#define CLIENTS 5
#define LATENCY_NS 20000u
#define WATCHDOG_US 1000u

static struct sim_entropy trng;
static struct sim_alarm watchdog;
static struct rng_mux mux;
static struct client_entry *table[CLIENTS];
static uint32_t rr_bits[RR_WORDS(CLIENTS)];

/* The generator: bytes 1, 2, 3, ... (never 0), one counter for all
 * fills; and whether the mux's buffer was all zeroes when it was given. */
static uint8_t next_byte;
static unsigned fills, fills_into_dirty_buffer;

static bool counting(uint8_t *buf, size_t len, void *ctx)
{
    (void)ctx;
    fills++;
    for (size_t i = 0; i < len; i++)
        if (buf[i] != 0)
            fills_into_dirty_buffer++;
    for (size_t i = 0; i < len; i++) {
        if (++next_byte == 0)
            next_byte = 1;
        buf[i] = next_byte;
    }
    return true;
}

static struct probe {
    struct rng_mux_client c;
    client_id_t id;
    unsigned done;
    vmux_err_t status;
    uint8_t got[4 * RNG_MUX_CHUNK];   /* every byte it was given, in order */
    size_t got_len;
    bool lent_mux_buffer;             /* bytes pointed into the mux's buffer */
    unsigned again;                   /* ask again from random_done this often */
    size_t want;
} probes[CLIENTS];

static unsigned order[64], completions;
static uint8_t seen[256];             /* how often each byte value was handed out */

static void probe_done(struct rng_mux_client *c, const uint8_t *bytes, size_t len,
                       vmux_err_t status)
{
    struct probe *p = container_of(c, struct probe, c);
    p->done++;
    p->status = status;
    if (completions < 64)
        order[completions++] = (unsigned)(p - probes);
    if (bytes) {
        p->lent_mux_buffer = bytes == mux.buf;
        for (size_t i = 0; i < len; i++) {
            seen[bytes[i]]++;
            if (p->got_len < sizeof p->got)
                p->got[p->got_len++] = bytes[i];
        }
    } else {
        assert_int_equal(len, 0);
    }
    if (p->again) {
        p->again--;
        assert_int_equal(rng_mux_get(c, p->want), VMUX_SUCCESS);
    }
}

static const struct rng_mux_client_ops ops = { probe_done };

static int setup(void **state)
{
    (void)state;
    test_board_reset(0);
    memset(probes, 0, sizeof probes);
    memset(seen, 0, sizeof seen);
    completions = fills = fills_into_dirty_buffer = 0;
    next_byte = 0;
    struct sim_entropy_config config = { .latency_ns = LATENCY_NS, .generate = counting };
    assert_int_equal(sim_entropy_init(&trng, &config), VMUX_SUCCESS);
    assert_int_equal(sim_alarm_init(&watchdog, 0), VMUX_SUCCESS);
    assert_int_equal(rng_mux_init(&mux, &trng.hil, table, rr_bits, CLIENTS), VMUX_SUCCESS);
    for (unsigned i = 0; i < CLIENTS; i++) {
        /* kernel components and processes alike */
        probes[i].id = i % 2 ? client_process(i, 1) : client_register_kernel("probe");
        assert_int_equal(rng_mux_attach(&mux, &probes[i].c, probes[i].id, &ops), VMUX_SUCCESS);
    }
    return 0;
}

static void get(unsigned i, size_t len)
{
    probes[i].want = len;
    assert_int_equal(rng_mux_get(&probes[i].c, len), VMUX_SUCCESS);
}

static bool all_zero(const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (p[i])
            return false;
    return true;
}

/* ------------------------------------------------------------ requests */

static void rng_requests_are_checked(void **state)
{
    (void)state;
    struct rng_mux_client stray = { 0 };
    assert_int_equal(rng_mux_get(&stray, 4), VMUX_OFF);
    assert_int_equal(rng_mux_get(&probes[0].c, 0), VMUX_SIZE);
    assert_int_equal(rng_mux_get(&probes[0].c, RNG_MUX_CHUNK + 1), VMUX_SIZE);
    get(0, RNG_MUX_CHUNK);
    assert_int_equal(rng_mux_get(&probes[0].c, 1), VMUX_BUSY);
    assert_int_equal(rng_mux_attach(&mux, &probes[0].c, probes[0].id, &ops), VMUX_ALREADY);
    /* split phase: nothing before the loop runs */
    assert_int_equal(probes[0].done, 0);
    sim_settle();
    assert_int_equal(probes[0].done, 0); /* the source takes LATENCY_NS */
    sim_advance(LATENCY_NS);
    assert_int_equal(probes[0].done, 1);
    assert_int_equal(probes[0].status, VMUX_SUCCESS);
    assert_int_equal(probes[0].got_len, RNG_MUX_CHUNK);
    assert_int_equal(mux.counters.fills, 1);
    assert_int_equal(mux.counters.bytes, RNG_MUX_CHUNK);
    assert_int_equal(mux.counters.requests.n[TALLY_TAKEN], 1);
    assert_int_equal(mux.counters.requests.n[TALLY_DELIVERED], 1);
    assert_int_equal(probes[0].c.requests.n[TALLY_DELIVERED], 1);
    assert_int_equal(tally_in_flight(&mux.counters.requests), 0);
}

/* Everyone asks; client 0 asks again from each of its callbacks, as fast
 * as it can: it gets one turn per round, and every other client waits at
 * most N-1 turns. */
static void availability_rng_round_robin_bound(void **state)
{
    (void)state;
    probes[0].again = 6;
    for (unsigned i = 0; i < CLIENTS; i++)
        get(i, 4);
    sim_advance(20 * LATENCY_NS);
    assert_int_equal(completions, CLIENTS + 6);
    /* one full round, then client 0 alone */
    for (unsigned k = 0; k < CLIENTS; k++)
        assert_int_equal(order[k], k);
    for (unsigned k = CLIENTS; k < completions; k++)
        assert_int_equal(order[k], 0);
    /* client 3 asks while 0 keeps asking: 0 is served at most once first */
    probes[0].again = 4;
    get(0, 4);
    kernel_loop_once(); /* 0's fill starts */
    get(3, 4);
    completions = 0;
    sim_advance(20 * LATENCY_NS);
    assert_int_equal(order[0], 0);
    assert_int_equal(order[1], 3);
}

/* Confidentiality: the bytes of one fill go to one client, and the mux's
 * buffer is wiped before the source fills it for the next. */
static void confidentiality_rng_bytes_never_reach_two_clients(void **state)
{
    (void)state;
    for (unsigned round = 0; round < 3; round++) {
        for (unsigned i = 0; i < CLIENTS; i++)
            get(i, 1 + (i * 7 + round * 3) % RNG_MUX_CHUNK);
        sim_advance(10 * LATENCY_NS);
    }
    assert_int_equal(fills, 3 * CLIENTS);
    assert_int_equal(fills_into_dirty_buffer, 0);
    size_t total = 0;
    for (unsigned i = 0; i < CLIENTS; i++) {
        assert_true(probes[i].lent_mux_buffer);
        total += probes[i].got_len;
    }
    assert_true(total < 256);         /* the counter did not wrap */
    for (unsigned b = 1; b <= total; b++)
        assert_int_equal(seen[b], 1); /* each byte handed out exactly once */
    assert_true(all_zero(mux.buf, sizeof mux.buf));
}

/* ------------------------------------------------------------ departures */

static void lifecycle_rng_departure_drops_queued_request(void **state)
{
    (void)state;
    get(0, 8);
    get(1, 8);
    get(3, 8);
    kernel_loop_once(); /* 0's fill is in flight */
    client_departed(probes[3].id);
    sim_advance(10 * LATENCY_NS);
    assert_int_equal(probes[0].done, 1);
    assert_int_equal(probes[1].done, 1);
    assert_int_equal(probes[3].done, 0);
    assert_false(probes[3].c.entry.attached);
    assert_int_equal(fills, 2); /* no fill for the departed */
    assert_int_equal(mux.counters.requests.n[TALLY_DEPARTED], 1);
    assert_int_equal(mux.counters.requests.n[TALLY_DELIVERED], 2);
    assert_int_equal(tally_in_flight(&mux.counters.requests), 0);
}

/* A client that leaves while its bytes are being made never gets them,
 * and neither does anyone else: they are wiped unread. */
static void confidentiality_rng_departed_clients_bytes_are_wiped_unread(void **state)
{
    (void)state;
    get(1, 16);
    get(2, 16);
    kernel_loop_once(); /* 1's fill is in flight */
    client_departed(probes[1].id);
    /* the slot is taken again at once by a newcomer */
    struct probe *newcomer = &probes[1];
    assert_int_equal(rng_mux_attach(&mux, &newcomer->c, client_process(1, 2), &ops), VMUX_SUCCESS);
    get(1, 16);
    sim_advance(10 * LATENCY_NS);
    assert_int_equal(fills, 3);
    assert_int_equal(fills_into_dirty_buffer, 0);
    /* bytes 1..16 went to nobody; 2 got 17..32, the newcomer 33..48 */
    assert_int_equal(probes[2].got[0], 17);
    assert_int_equal(newcomer->done, 1);
    assert_int_equal(newcomer->got[0], 33);
    for (unsigned b = 1; b <= 16; b++)
        assert_int_equal(seen[b], 0);
    assert_true(all_zero(mux.buf, sizeof mux.buf));
}

/* ------------------------------------------------------------ faults */

/* A fault while serving client 1 reaches client 1 only; 0 and 2 get their
 * bytes. */
static void fault_case(enum sim_fault_kind kind, bool with_watchdog)
{
    if (with_watchdog)
        rng_mux_set_watchdog(&mux, &watchdog.hil, WATCHDOG_US);
    get(0, 8);
    sim_advance(LATENCY_NS); /* 0 served: 1 is next */
    struct sim_fault fault = { .kind = kind, .error = VMUX_NODEVICE, .count = 1,
                               .delay_ns = 100000 };
    sim_entropy_inject_fault(&trng, &fault);
    get(1, 8);
    get(2, 8);
    sim_advance(5 * 1000000ull);
    assert_int_equal(sim_entropy_faults_applied(&trng), 1);
    assert_int_equal(probes[0].done, 1);
    assert_int_equal(probes[0].status, VMUX_SUCCESS);
    assert_int_equal(probes[2].done, 1);
    assert_int_equal(probes[2].status, VMUX_SUCCESS);
    assert_int_equal(probes[2].got_len, 8);
    assert_int_equal(probes[1].done, 1);
    switch (kind) {
    case SIM_FAULT_REFUSE:
    case SIM_FAULT_ERROR:
        assert_int_equal(probes[1].status, VMUX_NODEVICE);
        assert_int_equal(probes[1].got_len, 0);
        assert_int_equal(mux.counters.requests.n[TALLY_FAILED], 1);
        assert_int_equal(probes[1].c.requests.n[TALLY_FAILED], 1);
        break;
    case SIM_FAULT_NEVER:
        assert_int_equal(probes[1].status, VMUX_FAIL);
        assert_int_equal(probes[1].got_len, 0);
        assert_int_equal(mux.counters.timeouts, 1);
        break;
    default: /* LATE, TWICE: 1 is served all the same */
        assert_int_equal(probes[1].status, VMUX_SUCCESS);
        assert_int_equal(probes[1].got_len, 8);
        break;
    }
    if (kind == SIM_FAULT_TWICE)
        assert_int_equal(mux.counters.spurious, 1);
    assert_int_equal(fills_into_dirty_buffer, 0);
    assert_true(all_zero(mux.buf, sizeof mux.buf));
    /* conservation: every request taken has ended, and only 1's badly */
    assert_int_equal(mux.counters.requests.n[TALLY_TAKEN], 3);
    assert_int_equal(tally_in_flight(&mux.counters.requests), 0);
    assert_int_equal(probes[0].c.requests.n[TALLY_FAILED] + probes[2].c.requests.n[TALLY_FAILED],
                     0);
}

static void fault_rng_refuse(void **s) { (void)s; fault_case(SIM_FAULT_REFUSE, false); }
static void fault_rng_error(void **s) { (void)s; fault_case(SIM_FAULT_ERROR, false); }
static void fault_rng_late(void **s) { (void)s; fault_case(SIM_FAULT_LATE, false); }
static void fault_rng_never(void **s) { (void)s; fault_case(SIM_FAULT_NEVER, true); }
static void fault_rng_twice(void **s) { (void)s; fault_case(SIM_FAULT_TWICE, false); }

/* Without a watchdog a source that never completes holds everyone: the
 * mux waits, and says so in its contract. */
static void fault_rng_never_without_watchdog_waits(void **state)
{
    (void)state;
    struct sim_fault fault = { .kind = SIM_FAULT_NEVER, .count = 1 };
    sim_entropy_inject_fault(&trng, &fault);
    get(0, 8);
    get(1, 8);
    sim_advance(1000000000ull);
    assert_int_equal(probes[0].done, 0);
    assert_int_equal(probes[1].done, 0);
    /* a watchdog set later still frees them */
    rng_mux_set_watchdog(&mux, &watchdog.hil, WATCHDOG_US);
    hil_alarm_set(&watchdog.hil, hil_alarm_now(&watchdog.hil), 1);
    sim_advance(1000000ull);
    assert_int_equal(probes[0].status, VMUX_FAIL);
    assert_int_equal(probes[1].status, VMUX_SUCCESS);
}

#define T(name) cmocka_unit_test_setup(name, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(rng_requests_are_checked),
        T(availability_rng_round_robin_bound),
        T(confidentiality_rng_bytes_never_reach_two_clients),
        T(lifecycle_rng_departure_drops_queued_request),
        T(confidentiality_rng_departed_clients_bytes_are_wiped_unread),
        T(fault_rng_refuse),
        T(fault_rng_error),
        T(fault_rng_late),
        T(fault_rng_never),
        T(fault_rng_twice),
        T(fault_rng_never_without_watchdog_waits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
