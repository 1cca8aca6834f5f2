/*
 * Conservation: nothing is lost without a count (docs/security.md,
 * "Conservation"). Each test floods one path of the rig (tests/attacks/
 * rig.h: the host board's processes, drivers and muxes on a virtual
 * clock), with clients that misbehave in every way the path allows, then
 * checks that every unit sent was delivered or counted under a named
 * reason, exactly, at every stage it crossed:
 *
 *   UDP in    wire -> mux (arrival drops) -> client hold -> syscall
 *             driver (a buffer too short) -> upcall queue -> the process
 *   UDP out   process -> mux -> the wire
 *   upcalls   scheduled -> delivered, queue full, replaced, unsubscribed,
 *             at end
 *   UART out  process -> console driver -> mux -> the wire
 *   UART in   wire -> decoder -> mux (no owner, hold full) -> console
 *             driver (a buffer too short) -> the process
 *   ADC       requests and samples, conversions failing
 *   crypto    operations, the engine failing
 *
 * Counts compared exactly; none depends on speed (virtual time only).
 * Each test prints a "conservation:" line of its totals, which `make
 * report` shows (tests/attacks/report.sh).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "boards/test/test_board.h"
#include "chips/sim/sim.h"
#include "tests/attacks/rig.h"

#define MS 1000000ull
#define US 1000ull
#define WATCHDOG_S 900 /* a hang, not a time the program should take: a loaded host is slow */

/* ------------------------------------------------------------ helpers */

static uint32_t field(const struct tally *t, enum tally_field f)
{
    return t->n[f];
}

/* Every unit taken has ended: taken = delivered + failed + refused +
 * departed. */
static void assert_ended(const char *what, const struct tally *t)
{
    if (tally_in_flight(t) != 0)
        fail_msg("%s: taken %u, delivered %u, failed %u, refused %u, departed %u: %u in flight",
                 what, field(t, TALLY_TAKEN), field(t, TALLY_DELIVERED), field(t, TALLY_FAILED),
                 field(t, TALLY_REFUSED), field(t, TALLY_DEPARTED), tally_in_flight(t));
}

static void wait_phase(struct process *p, unsigned key, uintptr_t value, uint64_t max_ms)
{
    for (uint64_t ms = 0; ms < max_ms && rig_get(p, key) < value; ms++)
        rig_run(MS, NULL, NULL);
    if (rig_get(p, key) < value)
        fail_msg("%s: key %u did not reach %lu", p->name, key, (unsigned long)value);
}

static void stop(struct process *p)
{
    assert_int_equal(process_stop(test_board_cap_process_management(), p), VMUX_SUCCESS);
}

/* Upcalls of p that ended other than delivered. */
static uint32_t upcalls_lost(const struct process *p)
{
    const struct process_counters *k = &p->counters;
    return k->upcalls_dropped + k->upcalls_replaced + k->upcalls_unsubscribed +
           k->upcalls_ended;
}

static void assert_upcalls_balance(const struct process *p)
{
    const struct process_counters *k = &p->counters;
    if (k->upcalls_scheduled != k->upcalls_delivered + upcalls_lost(p) + p->queue_count)
        fail_msg("%s: upcalls scheduled %u != delivered %u + full %u + replaced %u + "
                 "unsubscribed %u + at end %u + queued %u",
                 p->name, k->upcalls_scheduled, k->upcalls_delivered, k->upcalls_dropped,
                 k->upcalls_replaced, k->upcalls_unsubscribed, k->upcalls_ended, p->queue_count);
}

/* A process that finished its work was told the outcome of every unit
 * its mux client took (told: what the process counted), and lost no
 * upcall. */
static void assert_told_every_unit(struct process *p, const struct tally *t, uintptr_t told)
{
    assert_ended(p->name, t);
    assert_int_equal(told, field(t, TALLY_DELIVERED) + field(t, TALLY_FAILED));
    assert_upcalls_balance(p);
    assert_int_equal(upcalls_lost(p), 0);
}

/* Stop p while its device is slowed by a LATE fault of 5 ms armed just
 * now: its request is in the mux when it goes (departed). */
static void stop_while_its_request_waits(struct process *p)
{
    rig_run(2 * MS, NULL, NULL);
    stop(p);
    rig_run(10 * MS, NULL, NULL);
}

static void print_tally(const char *what, const char *unit, const struct tally *t)
{
    printf("conservation: %s: %u %s taken = %u delivered + %u failed + %u departed\n", what,
           field(t, TALLY_TAKEN), unit, field(t, TALLY_DELIVERED), field(t, TALLY_FAILED),
           field(t, TALLY_DEPARTED));
}

/* The mux client of process p in a mux's client table. */
static struct client_entry *entry_of(const struct client_table *t, const struct process *p)
{
    unsigned at = 0;
    struct client_entry *e = client_table_next_of(t, process_client(p), &at);
    assert_non_null(e);
    return e;
}

/* ================================================================ UDP */

#define FLOOD_PORT 6000u
#define FLOOD_DATAGRAMS 1500u

/*
 * The flood: an echo written as libvmux's udp_echo is, with its
 * receive buffer at 512, 64 and 16 bytes in turn, gets 1500 datagrams of
 * 0 to 699 bytes (some for port 0 and for a port nobody holds), one
 * every step of the board. Then it is stopped with whatever it holds.
 */
static void conservation_udp_flood_into_a_process_every_datagram_counted(void **state)
{
    (void)state;
    struct process *p = rig_load("flood_echo", NULL, RESTART_NEVER);
    rig_set(p, K_PARAM, FLOOD_PORT);
    rig_set(p, K_PARAM2, 1);
    wait_phase(p, K_PHASE, 1, 50);
    static uint8_t payload[700];
    for (unsigned i = 0; i < sizeof payload; i++)
        payload[i] = (uint8_t)i;
    uint32_t frames_before = rig.nic.counters.rx_frames;
    for (unsigned i = 0; i < FLOOD_DATAGRAMS; i++) {
        uint16_t port = i % 97 == 5 ? 0 : i % 89 == 7 ? FLOOD_PORT + 1 : FLOOD_PORT;
        rig_peer_udp((uint16_t)(4000 + i % 8), port, payload, (i * 37u) % sizeof payload);
        rig_run(50 * US, NULL, NULL);
    }
    rig_run(50 * MS, NULL, NULL); /* it echoes what it has, then waits */
    stop(p);
    rig_run(5 * MS, NULL, NULL);

    /* the wire: every frame reached the stack, every datagram the mux */
    assert_int_equal(rig.nic.counters.rx_dropped_full, 0);
    assert_int_equal(rig.nic.counters.rx_frames - frames_before, FLOOD_DATAGRAMS);
    const struct udp_mux_counters *m = &rig.udp_mux.counters;
    assert_int_equal(m->arrived, FLOOD_DATAGRAMS);
    /* the mux: held for its port's holder, or dropped under a reason */
    assert_int_equal(m->arrived, m->port_zero + m->no_port + m->dropped_full + m->oversized +
                                     field(&m->rx, TALLY_TAKEN));
    assert_ended("udp in", &m->rx);
    /* the driver: copied into the process, or refused (the buffer) */
    const struct tally *d = &rig.udp_driver.rx;
    assert_int_equal(field(d, TALLY_TAKEN), field(&m->rx, TALLY_DELIVERED));
    assert_ended("udp driver in", d);
    /* the upcalls: each copied datagram's, and each send's */
    assert_upcalls_balance(p);
    assert_int_equal(p->queue_count, 0);
    uint32_t echoes = (uint32_t)(rig_get(p, K_FIRST_RESULT) + rig_get(p, K_FIRST_RESULT + 1));
    uint32_t received = (uint32_t)rig_get(p, K_CYCLES);
    assert_int_equal(p->counters.upcalls_scheduled, field(d, TALLY_DELIVERED) + echoes);
    assert_int_equal(p->counters.upcalls_delivered, received + echoes);
    /* end to end: sent = received by the process + every drop, by reason */
    uint32_t counted = m->port_zero + m->no_port + m->dropped_full + m->oversized +
                       field(&m->rx, TALLY_DEPARTED) + field(d, TALLY_REFUSED) +
                       upcalls_lost(p);
    assert_int_equal(FLOOD_DATAGRAMS, received + counted);
    /* the drops the flood must cause, each under its name */
    assert_true(m->port_zero > 0 && m->no_port > 0 && m->oversized > 0);
    assert_true(field(d, TALLY_REFUSED) > 0);
    /* and its echoes: each sent is on the wire, or failed, or departed */
    const struct tally *t = &m->tx;
    assert_ended("udp out", t);
    assert_int_equal(field(t, TALLY_TAKEN), echoes);
    assert_int_equal(field(t, TALLY_DELIVERED), rig_get(p, K_FIRST_RESULT));
    assert_int_equal(rig_datagrams_from(FLOOD_PORT), field(t, TALLY_DELIVERED));
    printf("conservation: udp in: %u sent = %u received + %u port 0 + %u no port + %u held "
           "full + %u oversized + %u departed + %u refused (buffer) + %u upcalls lost\n",
           FLOOD_DATAGRAMS, received, m->port_zero, m->no_port, m->dropped_full, m->oversized,
           field(&m->rx, TALLY_DEPARTED), field(d, TALLY_REFUSED), upcalls_lost(p));
    printf("conservation: udp out: %u sent = %u on the wire + %u failed + %u departed\n",
           field(t, TALLY_TAKEN), field(t, TALLY_DELIVERED), field(t, TALLY_FAILED),
           field(t, TALLY_DEPARTED));
}

/* ================================================================ upcalls */

static void ledger_phase(struct process *p, uintptr_t phase)
{
    rig_set(p, K_PHASE, phase);
    wait_phase(p, K_PARAM2, phase, 50);
}

static void peer_sends(unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        rig_peer_udp(4000, 6100, "upcall", 6);
        rig_run(100 * US, NULL, NULL);
    }
    rig_run(2 * MS, NULL, NULL);
}

/* Each way an upcall can end other than delivered, on cue
 * (tests/attacks/apps/upcall_ledger.c), with the exact count of each. */
static void conservation_upcalls_end_delivered_or_counted(void **state)
{
    (void)state;
    struct process *p = rig_load("upcall_ledger", NULL, RESTART_NEVER);
    rig_set(p, K_PARAM, 6100);
    wait_phase(p, K_PARAM2, 1, 50);
    const struct process_counters *k = &p->counters;
    uint32_t base = k->upcalls_scheduled; /* none so far: the app waited for none */
    assert_int_equal(base, 0);
    peer_sends(PROCESS_UPCALL_QUEUE + 4); /* busy: they queue, then find it full */
    assert_int_equal(p->queue_count, PROCESS_UPCALL_QUEUE);
    assert_int_equal(k->upcalls_dropped, 4);
    ledger_phase(p, 2); /* subscribes again */
    assert_int_equal(k->upcalls_replaced, PROCESS_UPCALL_QUEUE);
    assert_int_equal(p->queue_count, 0);
    ledger_phase(p, 3); /* the null upcall */
    peer_sends(3);
    assert_int_equal(p->queue_count, 3);
    ledger_phase(p, 4); /* yields skip them */
    assert_int_equal(k->upcalls_unsubscribed, 3);
    assert_int_equal(p->queue_count, 0);
    ledger_phase(p, 5);
    peer_sends(2);
    ledger_phase(p, 6); /* takes one */
    assert_int_equal(rig_get(p, K_CYCLES), 1);
    assert_int_equal(p->queue_count, 1);
    stop(p);
    assert_int_equal(k->upcalls_ended, 1);
    assert_int_equal(k->upcalls_scheduled, PROCESS_UPCALL_QUEUE + 4 + 3 + 2);
    assert_int_equal(k->upcalls_delivered, 1);
    assert_upcalls_balance(p);
    printf("conservation: upcalls: %u scheduled = %u delivered + %u queue full + %u replaced + "
           "%u unsubscribed + %u at end\n",
           k->upcalls_scheduled, k->upcalls_delivered, k->upcalls_dropped, k->upcalls_replaced,
           k->upcalls_unsubscribed, k->upcalls_ended);
}

/* ================================================================ UART out */

/* Writers of 300 and 100 bytes that stop after a while, one of 1000 that
 * never does (stopped in the middle of a write) and a chatter; the UART
 * fails three transmits. */
static void conservation_uart_out_every_byte_counted(void **state)
{
    (void)state;
    struct process *a = rig_load("console_flood", "flood-a", RESTART_NEVER);
    struct process *b = rig_load("console_flood", "flood-b", RESTART_NEVER);
    struct process *c = rig_load("console_flood", "flood-c", RESTART_NEVER);
    rig_set(a, K_PARAM, 300);
    rig_set(a, K_PARAM2, 40);
    rig_set(b, K_PARAM, 100);
    rig_set(b, K_PARAM2, 60);
    rig_set(c, K_PARAM, 1000);
    rig_run(20 * MS, NULL, NULL);
    sim_uart_inject_fault(&rig.uart, SIM_UART_TX,
                          &(struct sim_fault){ .kind = SIM_FAULT_ERROR, .count = 3 });
    wait_phase(a, K_DONE, 1, 2000);
    wait_phase(b, K_DONE, 1, 2000);
    stop(c); /* in the middle of a write: it always is */
    rig_run(20 * MS, NULL, NULL);

    const struct tally *m = &rig.uart_mux.counters.tx;
    assert_ended("uart out", m);
    assert_true(field(m, TALLY_FAILED) > 0);
    /* what the peer decoded is what the mux says went out */
    uint32_t on_wire = 0;
    for (unsigned ch = 1; ch < 256; ch++)
        on_wire += rig.channels[ch].bytes;
    assert_int_equal(on_wire, field(m, TALLY_DELIVERED));
    /* the console driver: what the processes asked, ended */
    const struct tally *d = &rig.console_proxy.tx;
    assert_ended("console writes", d);
    assert_true(field(d, TALLY_DEPARTED) > 0);
    /* the same bytes, but for the frame in flight when flood-c stopped:
     * it left (the mux saw it end), its process never heard (departed) */
    assert_true(field(d, TALLY_DELIVERED) <= field(m, TALLY_DELIVERED));
    assert_true(field(m, TALLY_DELIVERED) - field(d, TALLY_DELIVERED) <= CONSOLE_DRIVER_TX_CHUNK);
    /* the writers that finished were told of every byte that went out */
    for (struct process *p = a; p; p = p == a ? b : NULL) {
        const struct uart_mux_client *u = uart_mux_channel_owner(&rig.uart_mux,
                                                                 rig_channel_of(p));
        assert_non_null(u);
        assert_ended(p->name, &u->counters.tx);
        assert_int_equal(rig_get(p, K_FIRST_RESULT), field(&u->counters.tx, TALLY_DELIVERED));
        assert_upcalls_balance(p);
        assert_int_equal(upcalls_lost(p), 0);
    }
    printf("conservation: uart out: %u bytes taken = %u on the wire + %u failed + %u "
           "departed\n",
           field(m, TALLY_TAKEN), field(m, TALLY_DELIVERED), field(m, TALLY_FAILED),
           field(m, TALLY_DEPARTED));
}

/* ================================================================ UART in */

#define FRAME_LEN 24u

static void peer_frame(uint8_t channel, unsigned i)
{
    uint8_t text[FRAME_LEN];
    for (unsigned k = 0; k < FRAME_LEN; k++)
        text[k] = (uint8_t)('A' + (i + k) % 26);
    rig_uart_send(channel, text, FRAME_LEN);
}

/* A reader of 8 bytes at a time, a reader whose buffer shrinks or goes
 * away under its reads, frames for nobody, and more than their holds
 * take; then the second reader is stopped in the middle of a read. */
static void conservation_uart_in_every_byte_counted(void **state)
{
    (void)state;
    struct process *r = rig_load("uart_reader", NULL, RESTART_NEVER);
    struct process *s = rig_load("console_sink", NULL, RESTART_NEVER);
    rig_set(r, K_PARAM, 8);
    wait_phase(r, K_PHASE, 1, 50);
    wait_phase(s, K_PHASE, 1, 50);
    uint8_t rc = rig_channel_of(r), sc = rig_channel_of(s);
    uint8_t nobody = (uint8_t)(sc + 1 == rc ? sc + 2 : sc + 1);
    assert_null(uart_mux_channel_owner(&rig.uart_mux, nobody));
    const struct uart_mux_counters *m = &rig.uart_mux.counters;
    uint32_t frames_before = rig.uart_mux.decoder.counters.frames;
    unsigned sent = 0;
    for (unsigned i = 0; i < 600; i++) {
        peer_frame(i % 3 == 0 ? rc : i % 3 == 1 ? sc : i % 60 == 2 ? nobody : sc, i);
        sent++;
        if (i % 4 == 3) /* bursts of four: faster than the readers take them */
            rig_run(100 * US, NULL, NULL);
    }
    rig_run(100 * MS, NULL, NULL); /* they read what they hold, then wait */
    /* A byte for the sink's read of 16; if that ended the read, one more
     * for the next: then it is in the middle of a read. */
    unsigned singles = 0;
    do {
        uintptr_t reads = rig_get(s, K_CYCLES);
        rig_uart_send(sc, "!", 1);
        singles++;
        rig_run(5 * MS, NULL, NULL);
        if (rig_get(s, K_CYCLES) == reads)
            break;
    } while (singles < 2);
    sent += singles;
    stop(s);
    rig_run(5 * MS, NULL, NULL);

    /* every frame decoded whole (nothing lost in the UART itself) */
    assert_int_equal(sim_uart_counters(&rig.uart)->overruns, 0);
    const struct uart_frame_counters *dec = &rig.uart_mux.decoder.counters;
    assert_int_equal(dec->frames - frames_before, sent);
    assert_int_equal(dec->bad_crc + dec->runt + dec->malformed + dec->oversized, 0);
    /* the mux: held, or dropped under a reason */
    assert_int_equal(sent, m->frames_held + m->frames_no_owner + m->frames_dropped_full);
    assert_true(m->frames_no_owner > 0 && m->frames_dropped_full > 0);
    assert_int_equal(field(&m->rx, TALLY_TAKEN), (m->frames_held - singles) * FRAME_LEN + singles);
    assert_ended("uart in", &m->rx);
    /* the console driver: copied into a buffer, refused (the buffer), or
     * gathered for a read its process's end cut short */
    const struct tally *d = &rig.console_proxy.rx;
    assert_int_equal(field(d, TALLY_TAKEN), field(&m->rx, TALLY_DELIVERED));
    assert_ended("console reads", d);
    assert_true(field(d, TALLY_REFUSED) > 0);
    assert_true(field(d, TALLY_DEPARTED) > 0);
    /* the processes got what the driver delivered */
    assert_int_equal(rig_get(r, K_FIRST_RESULT) + rig_get(s, K_FIRST_RESULT),
                     field(d, TALLY_DELIVERED));
    assert_upcalls_balance(r);
    assert_upcalls_balance(s);
    printf("conservation: uart in: %u frames = %u held + %u no owner + %u hold full; %u bytes "
           "held = %u read + %u refused (buffer) + %u departed\n",
           sent, m->frames_held, m->frames_no_owner, m->frames_dropped_full,
           field(&m->rx, TALLY_TAKEN), field(d, TALLY_DELIVERED), field(d, TALLY_REFUSED),
           field(d, TALLY_DEPARTED) + field(&m->rx, TALLY_DEPARTED));
}

/* ================================================================ ADC */

/* Three processes sampling, two channels, the converter failing five
 * conversions; the sampler that never stops is stopped while it waits. */
static void conservation_adc_every_sample_counted(void **state)
{
    (void)state;
    struct process *a = rig_load("adc_sampler", "sampler-a", RESTART_NEVER);
    struct process *b = rig_load("adc_sampler", "sampler-b", RESTART_NEVER);
    struct process *c = rig_load("adc_sampler", "sampler-c", RESTART_NEVER);
    rig_set(a, K_PARAM2, 40);
    rig_set(b, K_PARAM, 1);
    rig_set(b, K_PARAM2, 60);
    sim_adc_inject_fault(&rig.adc, &(struct sim_fault){ .kind = SIM_FAULT_ERROR, .count = 5 });
    wait_phase(a, K_DONE, 1, 500);
    wait_phase(b, K_DONE, 1, 500);
    /* the converter slows down: sampler-c is stopped while it waits */
    sim_adc_inject_fault(&rig.adc, &(struct sim_fault){ .kind = SIM_FAULT_LATE,
                                                        .delay_ns = 5 * MS, .count = 1 });
    stop_while_its_request_waits(c);

    const struct tally *m = &rig.adc_mux.counters.samples;
    assert_ended("adc", m);
    assert_true(field(m, TALLY_FAILED) > 0);
    assert_int_equal(field(m, TALLY_DEPARTED), 1);
    for (struct process *p = a; p; p = p == a ? b : NULL)
        assert_told_every_unit(p, &container_of(entry_of(&rig.adc_mux.clients, p),
                                                struct adc_mux_client, entry)->samples,
                               rig_get(p, K_CYCLES));
    print_tally("adc", "samples", m);
}

/* ================================================================ crypto */

/* Three processes encrypting, each output shrunk under every fourth
 * operation, the engine failing four; the one that never stops is
 * stopped while its operation runs. */
static void conservation_crypto_every_operation_counted(void **state)
{
    (void)state;
    struct process *a = rig_load("crypto_loop", "crypt-a", RESTART_NEVER);
    struct process *b = rig_load("crypto_loop", "crypt-b", RESTART_NEVER);
    struct process *c = rig_load("crypto_loop", "crypt-c", RESTART_NEVER);
    rig_set(a, K_PARAM2, 50);
    rig_set(b, K_PARAM2, 70);
    wait_phase(a, K_PHASE, 1, 50);
    wait_phase(b, K_PHASE, 1, 50);
    wait_phase(c, K_PHASE, 1, 50);
    sim_crypto_fault_inject(&rig.crypto, &(struct sim_fault){ .kind = SIM_FAULT_ERROR, .count = 4 });
    rig_run(MS, NULL, NULL);
    wait_phase(a, K_DONE, 1, 500);
    wait_phase(b, K_DONE, 1, 500);
    /* the engine slows down: crypt-c is stopped while its operation runs */
    sim_crypto_fault_inject(&rig.crypto, &(struct sim_fault){ .kind = SIM_FAULT_LATE,
                                                              .delay_ns = 5 * MS, .count = 1 });
    stop_while_its_request_waits(c);

    const struct tally *m = &rig.crypto_mux.counters.ops;
    assert_ended("crypto", m);
    assert_true(field(m, TALLY_FAILED) > 0);
    assert_int_equal(field(m, TALLY_DEPARTED), 1);
    for (struct process *p = a; p; p = p == a ? b : NULL) {
        assert_int_equal(rig_get(p, K_BAD), 0);
        assert_told_every_unit(p, &container_of(entry_of(&rig.crypto_mux.clients, p),
                                                struct crypto_mux_client, entry)->operations,
                               rig_get(p, K_CYCLES));
    }
    print_tally("crypto", "operations", m);
}

int main(int argc, char **argv)
{
    (void)argc;
    rig_program_start(argv[0], WATCHDOG_S);
#define T(name) cmocka_unit_test_setup_teardown(name, rig_test_setup, rig_test_teardown)
    const struct CMUnitTest tests[] = {
        T(conservation_udp_flood_into_a_process_every_datagram_counted),
        T(conservation_upcalls_end_delivered_or_counted),
        T(conservation_uart_out_every_byte_counted),
        T(conservation_uart_in_every_byte_counted),
        T(conservation_adc_every_sample_counted),
        T(conservation_crypto_every_operation_counted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
