/*
 * The adversarial suite: malicious apps (tests/attacks/apps/) run as real
 * host processes on the rig (tests/attacks/rig.h: the host board's
 * process machinery, drivers, muxes and network stack over simulated
 * peripherals), one scenario per test. Each test asserts the exact
 * outcome of the attack, and that the others kept working: a bystander
 * process (good.c: console, ADC and a crypto slot of its own, round after
 * round), the kernel's own UDP echo service on reserved port 7, and the
 * kernel's memory (a canary the attackers are pointed at).
 *
 * docs/security.md lists the scenarios with the policy clause each one
 * tests. Everything is bounded in virtual time, and a watchdog alarm
 * bounds the program.
 */
#include <libgen.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <cmocka.h>

#include "arch/host/process.h"
#include "boards/test/test_board.h"
#include "chips/sim/sim.h"
#include "kernel/syscall.h"
#include "tests/attacks/rig.h"

#define MS 1000000ull
#define WATCHDOG_S 900 /* a hang, not a time the program should take: a loaded host is slow */
#define NOT_ACCEPTED(i) (K_FIRST_RESULT + (i))
#define ACCEPTED 0xffffu

static char apps_dir[PATH_MAX];

static int setup(void **state)
{
    (void)state;
    rig_setup(apps_dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    rig_teardown();
    return 0;
}

/* ------------------------------------------------------------ helpers */

static uintptr_t result(const struct process *p, unsigned i)
{
    return rig_get(p, K_FIRST_RESULT + i);
}

static void run_until_done(struct process *p, uint64_t max_ms)
{
    if (!rig_run(max_ms * MS, rig_done, p))
        fail_msg("%s did not finish its attack in %llu ms (state %d)", p->name,
                 (unsigned long long)max_ms, p->state);
}

struct phase_wait {
    struct process *p;
    uintptr_t phase;
};

static bool at_phase(void *ctx)
{
    struct phase_wait *w = ctx;
    return rig_get(w->p, K_PHASE) >= w->phase;
}

static void run_until_phase(struct process *p, uintptr_t phase, uint64_t max_ms)
{
    struct phase_wait w = { p, phase };
    if (!rig_run(max_ms * MS, at_phase, &w))
        fail_msg("%s did not reach phase %lu", p->name, (unsigned long)phase);
}

/* The bystander, started first so that it holds its crypto slot. */
static struct process *bystander(unsigned services)
{
    struct process *p = rig_load("good", "good", RESTART_NEVER);
    rig_set(p, K_PARAM, services);
    rig_run(20 * MS, NULL, NULL);
    if (rig_get(p, K_CYCLES) == 0)
        fail_msg("the bystander did not start");
    return p;
}

/* The kernel's own UDP service still answers, from its reserved port. */
static void assert_kernel_echo_works(void)
{
    unsigned before = rig_datagrams_from(RIG_ECHO_PORT);
    uint32_t echoes = rig.echoes;
    rig_peer_udp(5555, RIG_ECHO_PORT, "ping", 4);
    rig_run(5 * MS, NULL, NULL);
    assert_int_equal(rig.echoes, echoes + 1);
    assert_int_equal(rig_datagrams_from(RIG_ECHO_PORT), before + 1);
}

static bool all_bytes(const uint8_t *p, uint8_t b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != b)
            return false;
    return true;
}

/* After the attack: the bystander (if any) went on with no error, and its
 * canary is whole; the kernel's canary is whole and its echo answers. */
static void assert_others_fine(struct process *good)
{
    if (good) {
        uintptr_t before = rig_get(good, K_CYCLES);
        rig_run(40 * MS, NULL, NULL);
        if (rig_get(good, K_CYCLES) <= before)
            fail_msg("the bystander stopped: state %d, waiting for %#x/%u, after %lu rounds",
                     good->state, good->wait_driver, good->wait_subscribe,
                     (unsigned long)before);
        assert_int_equal(rig_get(good, K_BAD), 0);
        assert_false(good->faulted);
        assert_true(all_bytes((const uint8_t *)rig_get(good, K_FIRST_RESULT + 1), 0x77, 64));
    }
    assert_true(all_bytes(rig_kernel_canary, 0x5a, sizeof rig_kernel_canary));
    assert_kernel_echo_works();
}

static void assert_results(const struct process *p, const uintptr_t *want, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (result(p, i) != want[i])
            fail_msg("%s: result %u is %#lx, expected %#lx", p->name, i,
                     (unsigned long)result(p, i), (unsigned long)want[i]);
}

/* ================================================================ memory */

static void attack_allow_past_the_process_memory_is_invalid(void **state)
{
    (void)state;
    struct process *good = bystander(0);
    struct process *p = rig_load("allow_overflow", NULL, RESTART_NEVER);
    run_until_done(p, 100);
    static const uintptr_t want[] = { VMUX_INVALID, VMUX_INVALID, VMUX_INVALID, VMUX_INVALID,
                                      VMUX_INVALID, VMUX_SIZE,    VMUX_NOMEM };
    assert_results(p, want, 7);
    assert_false(p->faulted);
    assert_others_fine(good);
}

static void attack_allow_wrapping_around_the_address_space_is_invalid(void **state)
{
    (void)state;
    struct process *good = bystander(0);
    struct process *p = rig_load("allow_wrap", NULL, RESTART_NEVER);
    run_until_done(p, 100);
    static const uintptr_t want[] = { VMUX_INVALID, VMUX_INVALID, VMUX_INVALID, VMUX_INVALID,
                                      VMUX_NOMEM,   VMUX_NOMEM,   VMUX_SIZE };
    assert_results(p, want, 7);
    assert_others_fine(good);
}

static void attack_allow_of_another_process_memory_is_invalid(void **state)
{
    (void)state;
    struct process *good = bystander(0);
    struct process *p = rig_load("allow_foreign", NULL, RESTART_NEVER);
    uintptr_t target = rig_get(good, K_FIRST_RESULT + 1);
    assert_true(target != 0);
    rig_set(p, K_TARGET, target);
    run_until_done(p, 100);
    static const uintptr_t want[] = { VMUX_INVALID, VMUX_INVALID, VMUX_INVALID, VMUX_INVALID,
                                      VMUX_INVALID, VMUX_INVALID, 0,            VMUX_SIZE };
    assert_results(p, want, 8);
    /* the yield's flag was not written into the bystander's canary */
    assert_true(all_bytes((const uint8_t *)target, 0x77, 64));
    assert_others_fine(good);
}

static void attack_allow_of_kernel_memory_is_invalid(void **state)
{
    (void)state;
    struct process *good = bystander(0);
    struct process *p = rig_load("allow_kernel", NULL, RESTART_NEVER);
    rig_set(p, K_TARGET, (uintptr_t)rig_kernel_canary);
    run_until_done(p, 100);
    static const uintptr_t want[] = { VMUX_INVALID, VMUX_INVALID, VMUX_INVALID, VMUX_INVALID,
                                      ACCEPTED,     0,            0,            11 };
    assert_results(p, want, 8);
    assert_false(p->faulted);
    assert_others_fine(good);
}

/* ================================================================ buffers in flight */

static void attack_swap_console_read_buffer_old_one_never_written(void **state)
{
    (void)state;
    struct process *good = bystander(0);
    struct process *p = rig_load("swap_console_read", NULL, RESTART_NEVER);
    run_until_phase(p, 1, 100);
    uint8_t ch = rig_channel_of(p);
    assert_true(ch != 0);
    rig_uart_send(ch, "ABCDEFGH", 8);
    run_until_phase(p, 2, 100);
    rig_uart_send(ch, "IJKLMNOP", 8);
    run_until_done(p, 100);
    uintptr_t packed = 0;
    for (unsigned i = 0; i < 8; i++)
        packed |= (uintptr_t)(uint8_t)("ABCDEFGH"[i]) << (8 * i);
    const uintptr_t want[] = { 0, 8, 1, packed, VMUX_NOMEM, 0, 1 };
    assert_results(p, want, 7);
    assert_others_fine(good);
}

static void attack_swap_crypt_output_old_one_never_written(void **state)
{
    (void)state;
    struct process *good = bystander(0);
    struct process *p = rig_load("swap_crypt", NULL, RESTART_NEVER);
    /* a slow engine: every operation is in flight for 5 ms */
    sim_crypto_fault_inject(&rig.crypto, &(struct sim_fault){ .kind = SIM_FAULT_LATE,
                                                              .delay_ns = 5 * MS });
    run_until_done(p, 200);
    sim_crypto_fault_inject(&rig.crypto, NULL);
    static const uintptr_t want[] = { 0, 16, 1, 1, VMUX_NOMEM, 0, 1 };
    assert_results(p, want, 7);
    assert_true(sim_crypto_faults_applied(&rig.crypto) >= 3);
    assert_others_fine(good);
}

static void attack_swap_udp_receive_buffer_old_one_never_written(void **state)
{
    (void)state;
    struct process *good = bystander(0);
    struct process *p = rig_load("swap_udp_receive", NULL, RESTART_NEVER);
    rig_set(p, K_PARAM, 6000);
    run_until_phase(p, 1, 100);
    rig_peer_udp(4000, 6000, "datagram-1", 10);
    run_until_phase(p, 2, 100);
    rig_peer_udp(4000, 6000, "datagram-2", 10);
    rig_run(5 * MS, NULL, NULL);
    rig_set(p, K_PARAM2, 1);
    run_until_phase(p, 3, 100);
    rig_peer_udp(4000, 6000, "datagram-3", 10);
    run_until_done(p, 100);
    static const uintptr_t want[] = { 10, 1, 1, 10, 1, 1 };
    assert_results(p, want, 6);
    assert_int_equal(rig_get(p, K_BAD), 0);
    assert_others_fine(good);
}

/* ================================================================ UDP */

static struct process *udp_victim(uint16_t port)
{
    struct process *v = rig_load("udp_echo", "victim", RESTART_NEVER);
    rig_set(v, K_PARAM, port);
    run_until_phase(v, 1, 100);
    assert_int_equal(rig_get(v, K_FIRST_RESULT), 0);
    return v;
}

/* The victim still answers on its port. */
static void assert_victim_echoes(struct process *v, uint16_t port)
{
    uintptr_t before = rig_get(v, K_CYCLES);
    unsigned from = rig_datagrams_from(port);
    rig_peer_udp(4444, port, "are you there", 13);
    rig_run(10 * MS, NULL, NULL);
    assert_int_equal(rig_get(v, K_CYCLES), before + 1);
    assert_int_equal(rig_datagrams_from(port), from + 1);
    assert_int_equal(rig_get(v, K_BAD), 0);
}

static void attack_udp_bind_of_a_bound_port_is_busy(void **state)
{
    (void)state;
    struct process *v = udp_victim(6000);
    struct process *p = rig_load("udp_bind_taken", NULL, RESTART_NEVER);
    rig_set(p, K_PARAM, 6000);
    run_until_done(p, 100);
    static const uintptr_t want[] = { VMUX_BUSY, VMUX_BUSY, VMUX_INVALID, ACCEPTED, VMUX_BUSY };
    assert_results(p, want, 5);
    assert_victim_echoes(v, 6000);
    assert_int_equal(rig_get(p, K_CYCLES), 0); /* nothing of the victim's reached it */
    /* its own port (kept after the refused rebind) works */
    rig_peer_udp(4444, 6001, "yours", 5);
    rig_run(5 * MS, NULL, NULL);
    assert_int_equal(rig_get(p, K_CYCLES), 1);
    assert_others_fine(NULL);
}

static void attack_udp_spoofed_source_refused_and_nothing_on_the_wire(void **state)
{
    (void)state;
    struct process *v = udp_victim(6000);
    struct process *p = rig_load("udp_spoof", NULL, RESTART_NEVER);
    rig_set(p, K_PARAM, 6000);
    rig_set(p, K_PARAM2, 6002);
    run_until_done(p, 100);
    static const uintptr_t want[] = { VMUX_INVALID, VMUX_INVALID, VMUX_INVALID, ACCEPTED, 0 };
    assert_results(p, want, 5);
    /* on the wire: only the control datagram, from its own port */
    assert_int_equal(rig_datagrams_from(6000), 0);
    assert_int_equal(rig_datagrams_from(RIG_ECHO_PORT), 0);
    assert_int_equal(rig_datagrams_from(6002), 1);
    assert_int_equal(rig.datagram_count, 1);
    assert_victim_echoes(v, 6000);
    assert_others_fine(NULL);
}

static void attack_udp_kernel_reserved_ports_refused(void **state)
{
    (void)state;
    struct process *good = bystander(0);
    struct process *p = rig_load("udp_reserved", NULL, RESTART_NEVER);
    run_until_done(p, 100);
    static const uintptr_t want[] = { VMUX_RESERVE, VMUX_RESERVE, VMUX_RESERVE, VMUX_RESERVE,
                                      ACCEPTED,     VMUX_INVALID, 0 };
    assert_results(p, want, 7);
    assert_int_equal(rig.udp_mux.counters.to_self, 1);
    assert_int_equal(rig.echoes, 0);          /* it never reached the kernel's service */
    assert_int_equal(rig.datagram_count, 0);  /* and nothing went out */
    assert_others_fine(good);
}

/* ================================================================ UART */

static void attack_uart_sniffing_gets_nothing_of_others(void **state)
{
    (void)state;
    struct process *v = rig_load("uart_reader", "victim", RESTART_NEVER);
    rig_set(v, K_PARAM, 8);
    struct process *p = rig_load("uart_sniff", NULL, RESTART_NEVER);
    run_until_phase(v, 1, 100);
    run_until_phase(p, 1, 100);
    uint8_t vch = rig_channel_of(v);
    assert_true(vch != 0 && vch != rig_channel_of(p));
    for (int i = 0; i < 4; i++)
        rig_uart_send(vch, "secret-!", 8);
    rig_run(20 * MS, NULL, NULL);
    assert_int_equal(rig_get(v, K_CYCLES), 4);
    assert_int_equal(rig_get(v, K_FIRST_RESULT), 32);
    rig_set(p, K_PARAM, 1);
    run_until_done(p, 100);
    const uintptr_t want[] = { VMUX_CANCEL, 0, 0 };
    assert_results(p, want, 3);
    assert_int_equal(rig_get(v, K_BAD), 0);
    assert_others_fine(NULL);
}

static void attack_uart_frames_from_the_wire_reach_only_their_owner(void **state)
{
    (void)state;
    struct process *a = rig_load("uart_reader", "reader-a", RESTART_NEVER);
    struct process *b = rig_load("uart_reader", "reader-b", RESTART_NEVER);
    rig_set(a, K_PARAM, 8);
    rig_set(b, K_PARAM, 8);
    run_until_phase(a, 1, 100);
    run_until_phase(b, 1, 100);
    uint8_t ca = rig_channel_of(a), cb = rig_channel_of(b);
    uint32_t no_owner = rig.uart_mux.counters.frames_no_owner;
    /* for a, for b, for every channel nobody owns, and noise */
    rig_uart_send(ca, "AAAAAAAA", 8);
    rig_uart_send(cb, "BBBBBBBB", 8);
    unsigned unowned = 0;
    for (unsigned ch = 1; ch < 256; ch++)
        if (ch != ca && ch != cb) {
            rig_uart_send((uint8_t)ch, "XXXXXXXX", 8);
            unowned++;
            if (ch % 32 == 0)
                rig_run(2 * MS, NULL, NULL); /* let the receive FIFO drain */
        }
    static const uint8_t noise[] = { 0x00, 0x05, 0x41, 0x41, 0x00, 0xff, 0x13, 0x00 };
    sim_uart_inject_rx(&rig.uart, noise, sizeof noise);
    rig_run(20 * MS, NULL, NULL);
    assert_int_equal(rig_get(a, K_CYCLES), 1);
    assert_int_equal(rig_get(b, K_CYCLES), 1);
    assert_int_equal(rig_get(a, K_FIRST_RESULT + 1), 0x4141414141414141ull);
    assert_int_equal(rig_get(b, K_FIRST_RESULT + 1), 0x4242424242424242ull);
    assert_int_equal(rig.uart_mux.counters.frames_no_owner - no_owner, unowned);
    assert_others_fine(NULL);
}

static void attack_uart_forged_frames_stay_in_the_attackers_channel(void **state)
{
    (void)state;
    struct process *v = rig_load("uart_reader", "victim", RESTART_NEVER);
    rig_set(v, K_PARAM, 8);
    struct process *p = rig_load("uart_forge", NULL, RESTART_NEVER);
    run_until_phase(v, 1, 100);
    run_until_phase(p, 1, 100);
    uint8_t vch = rig_channel_of(v);
    /* The attacker writes what would be, raw on the wire, a frame for the
     * victim's channel, a QUERY on the control channel, and a frame for
     * every other channel. */
    uint8_t *forged = (uint8_t *)result(p, 0);
    size_t len = 0;
    len += uart_frame_encode(vch, (const uint8_t *)"forged!!", 8, forged + len, 1024 - len);
    len += uart_frame_encode(0, (const uint8_t[]){ UART_CONTROL_QUERY }, 1, forged + len,
                             1024 - len);
    for (unsigned ch = 1; ch < 64; ch++)
        len += uart_frame_encode((uint8_t)ch, (const uint8_t *)"forged", 6, forged + len,
                                 1024 - len);
    uint8_t copy[1024];
    memcpy(copy, forged, len);
    uint8_t pch = 0;
    rig_set(p, K_PARAM, len);
    rig_set(p, K_PARAM2, 1);
    run_until_done(p, 200);
    pch = rig_channel_of(p);
    assert_int_equal(result(p, 1), len);
    /* the peer saw every forged byte, as the attacker's, and no frame
     * for anyone else came out of them */
    assert_int_equal(rig.channels[pch].bytes, len);
    size_t tail = rig.channels[pch].tail_len;
    assert_memory_equal(rig.channels[pch].tail, copy + len - tail, tail);
    assert_int_equal(rig.channels[vch].frames, 0);
    for (unsigned ch = 1; ch < 256; ch++)
        if (ch != pch && ch != rig_channel_of(v))
            assert_int_equal(rig.channels[ch].frames, 0);
    assert_int_equal(rig.decoder.counters.bad_crc + rig.decoder.counters.malformed, 0);
    /* and the victim read nothing */
    assert_int_equal(rig_get(v, K_CYCLES), 0);
    assert_others_fine(NULL);
}

static unsigned worst_uart_wait;

static bool chatters_done(void *ctx)
{
    struct process **c = ctx;
    for (int i = 0; i < 3; i++)
        if (!rig_done(c[i]))
            return false;
    return true;
}

static void attack_uart_hog_others_wait_at_most_n_minus_one_turns(void **state)
{
    (void)state;
    struct process *hog = rig_load("uart_hog", NULL, RESTART_NEVER);
    rig_run(5 * MS, NULL, NULL); /* it is hogging before the others come */
    struct process *c[3];
    static const char *const names[3] = { "chatter-1", "chatter-2", "chatter-3" };
    for (int i = 0; i < 3; i++) {
        c[i] = rig_load("chatter", names[i], RESTART_NEVER);
        rig_set(c[i], K_PARAM, 40);
    }
    if (!rig_run(2000 * MS, chatters_done, c))
        fail_msg("the chatters did not get their lines out");
    uint8_t hch = rig_channel_of(hog);
    assert_true(rig.channels[hch].frames > 40); /* the hog was served too */
    /* Every frame decoded is one transmit (none failed): the frames are
     * the mux's transmits 1, 2, ... in order; the last one or two may
     * still be on the wire. */
    assert_int_equal(rig.uart_mux.counters.hw_errors + rig.uart_mux.counters.tx_timeouts, 0);
    assert_true(rig.serial_count <= rig.uart_mux.tx_serial &&
                rig.uart_mux.tx_serial <= rig.serial_count + 2);
    assert_true(rig.serial_count <= RIG_FRAME_LOG);
    /* A chatter's wait, in turns: client frames started after its write
     * was accepted and before its own (control frames, the announcements
     * of the chatters' channels, are not a client's turn). */
    const unsigned writers = 4;
    unsigned worst = 0;
    for (int i = 0; i < 3; i++) {
        uint8_t ch = rig_channel_of(c[i]);
        unsigned slot = c[i]->slot;
        assert_int_equal(rig_get(c[i], K_CYCLES), 40);
        assert_int_equal(rig_get(c[i], K_BAD), 0);
        assert_int_equal(rig.channels[ch].frames, 40);
        assert_int_equal(rig.writes[slot], 40);
        unsigned line = 0;
        for (uint32_t n = 0; n < rig.serial_count; n++) {
            if (rig.serial_log[n] != ch)
                continue;
            uint32_t asked = rig.write_serial[slot][line++]; /* own frame: serial n + 1 */
            assert_true(asked < n + 1);
            unsigned wait = 0;
            for (uint32_t k = asked; k < n; k++) /* serials asked + 1 .. n */
                wait += rig.serial_log[k] != 0;
            if (wait > worst)
                worst = wait;
        }
        assert_int_equal(line, 40);
    }
    worst_uart_wait = worst;
    printf("uart hog: %u chatter lines of 16 bytes against %u hog frames, worst wait %u "
           "turns (bound %u)\n",
           120, rig.channels[hch].frames, worst, writers - 1);
    assert_true(worst <= writers - 1);
    assert_others_fine(NULL);
}

/* ================================================================ availability: the peer and restart loops */

static unsigned frames_of(struct process *const *w, unsigned n)
{
    unsigned frames = 0;
    for (unsigned i = 0; i < n; i++)
        frames += rig.channels[rig_channel_of(w[i])].frames;
    return frames;
}

/* The writers' frames in ms of virtual time, scaled to exactly ms (the
 * rig's steps may run past the end), while the peer sends QUERYs on the
 * control channel at percent of the line rate (100 characters a
 * millisecond at 1 Mbaud; 0: none). */
static unsigned frames_in(struct process *const *w, unsigned n, unsigned ms, unsigned percent)
{
    uint8_t query = UART_CONTROL_QUERY, wire[8];
    size_t len = uart_frame_encode(0, &query, 1, wire, sizeof wire);
    unsigned budget = 0, before = frames_of(w, n);
    uint64_t start = sim_now_ns();
    for (unsigned t = 0; t < ms; t++) {
        for (budget += percent; budget >= len; budget -= (unsigned)len)
            rig_uart_send(0, &query, 1);
        uint64_t until = start + (t + 1) * MS;
        if (sim_now_ns() < until)
            rig_run(until - sim_now_ns(), NULL, NULL);
    }
    return (unsigned)((uint64_t)(frames_of(w, n) - before) * ms * MS / (sim_now_ns() - start));
}

/* The worst wait of p's console writes accepted at transmit serial from
 * or later: frames of anyone (control frames too) started after the write
 * was accepted and before p's own frame. */
static unsigned worst_wait_since(const struct process *p, uint32_t from)
{
    uint8_t ch = rig_channel_of(p);
    unsigned slot = p->slot, line = 0, worst = 0;
    assert_true(rig.serial_count <= RIG_FRAME_LOG);
    for (uint32_t n = 0; n < rig.serial_count && line < rig.writes[slot]; n++) {
        if (rig.serial_log[n] != ch)
            continue;
        uint32_t asked = rig.write_serial[slot][line++]; /* own frame: serial n + 1 */
        if (asked < from)
            continue;
        assert_true(asked < n + 1);
        if (n - asked > worst)
            worst = n - asked;
    }
    return worst;
}

static struct process *load_writers(struct process **w, unsigned n)
{
    static const char *const names[] = { "writer-1", "writer-2", "writer-3", "writer-4" };
    for (unsigned i = 0; i < n; i++) {
        w[i] = rig_load("chatter", names[i], RESTART_NEVER);
        rig_set(w[i], K_PARAM, 1000000);
    }
    rig_run(20 * MS, NULL, NULL); /* every channel announced, every writer going */
    for (unsigned i = 0; i < n; i++)
        assert_true(rig.channels[rig_channel_of(w[i])].frames > 0);
    return w[0];
}

/* Policy, availability: control traffic takes turns too. Four writers keep
 * the UART busy; the peer floods the control channel with QUERYs at 12%
 * of the line rate, then at 100%. The control channel is one participant
 * of the round robin: each write waits at most 4 frames (the 3 other
 * writers and one control frame), and the writers keep most of the wire. */
static void attack_uart_query_flood_writers_keep_their_round_robin_turns(void **state)
{
    (void)state;
    struct process *w[4];
    load_writers(w, 4);
    uint32_t from = rig.uart_mux.tx_serial;
    unsigned base = frames_in(w, 4, 50, 0);
    static const unsigned rates[2] = { 12, 100 };
    unsigned kept[2];
    for (unsigned r = 0; r < 2; r++)
        kept[r] = frames_in(w, 4, 50, rates[r]);
    unsigned worst = 0;
    for (unsigned i = 0; i < 4; i++) {
        unsigned wait = worst_wait_since(w[i], from);
        worst = wait > worst ? wait : worst;
        assert_int_equal(rig_get(w[i], K_BAD), 0);
    }
    const struct uart_mux_counters *m = &rig.uart_mux.counters;
    printf("uart query flood: 4 writers, %u frames in 50 ms alone; with QUERYs at 12%% of the "
           "line rate %u (%u%%), at 100%% %u (%u%%); worst wait %u frames (bound 4); queries "
           "answered %u, coalesced %u\n",
           base, kept[0], 100 * kept[0] / base, kept[1], 100 * kept[1] / base, worst,
           m->queries_answered, m->queries_coalesced);
    assert_true(worst <= 4);
    for (unsigned r = 0; r < 2; r++)
        assert_true(kept[r] * 4 >= base * 3); /* at least 75% */
    assert_true(m->queries_coalesced > 0);
    assert_others_fine(NULL);
}

static bool new_round(void *ctx)
{
    return rig_get(ctx, K_CYCLES) >= 1;
}

/* Policy, availability: a process that restarts itself in a loop goes
 * through the restart back-off like a crash loop; three writers keep at
 * least 90% of their frames, the churn exhausts no channel, key register
 * or slot, and a new process's first write and reservation succeed. */
static void attack_restart_loop_others_keep_their_throughput(void **state)
{
    (void)state;
    struct process *w[3];
    load_writers(w, 3);
    unsigned base = frames_in(w, 3, 200, 0);
    struct process *loop = rig_load("restart_loop", NULL, RESTART_NEVER);
    unsigned kept = frames_in(w, 3, 200, 0);
    uintptr_t lives = rig_get(loop, K_CYCLES);
    printf("restart churn: 3 writers, %u frames in 200 ms alone, %u (%u%%) next to a process "
           "restarting itself in a loop (%lu lives, %u restarts held back)\n",
           base, kept, 100 * kept / base, (unsigned long)lives, loop->counters.restarts_held);
    assert_true(kept * 10 >= base * 9);
    assert_true(lives >= 2 && lives <= 4);       /* 100 ms, then 200 ms of back-off */
    assert_true(loop->counters.restarts_held >= 1);
    assert_int_equal(rig_get(loop, K_BAD), 0);
    /* a newcomer: its first write and its key register */
    struct process *good = rig_load("good", "newcomer", RESTART_NEVER);
    if (!rig_run(50 * MS, new_round, good))
        fail_msg("the newcomer did not complete a round");
    assert_int_equal(rig_get(good, K_BAD), 0);
    assert_true(rig.channels[rig_channel_of(good)].frames >= 1);
    assert_others_fine(good);
    /* the loop stopped, the tables hold only what the living hold: the
     * writers' and the newcomer's channels, the newcomer's register */
    assert_int_equal(process_stop(test_board_cap_process_management(), loop), VMUX_SUCCESS);
    unsigned channels = 0;
    for (unsigned ch = 1; ch < 256; ch++)
        channels += uart_mux_channel_owner(&rig.uart_mux, (uint8_t)ch) != NULL;
    assert_int_equal(channels, 4);
    assert_int_equal(crypto_mux_reserved_count(&rig.crypto_mux), 1);
}

/* ================================================================ ADC */

static void adc_sample_done(struct adc_mux_client *c, unsigned channel, uint16_t value,
                            vmux_err_t status)
{
    (void)c, (void)channel, (void)value, (void)status;
}

static void attack_adc_continuous_without_the_capability_refused(void **state)
{
    (void)state;
    struct process *good = bystander(0);
    struct process *p = rig_load("adc_continuous", NULL, RESTART_NEVER);
    run_until_done(p, 100);
    static const uintptr_t want[] = { VMUX_NOSUPPORT, VMUX_NOSUPPORT, VMUX_NOSUPPORT,
                                      VMUX_NOSUPPORT, ACCEPTED,       0 };
    assert_results(p, want, 6);
    assert_int_equal(rig.adc_mux.counters.runs, 0);
    /* a kernel client without the capability is refused the same */
    static const struct adc_mux_client_ops ops = { adc_sample_done, NULL };
    struct adc_mux_client k;
    memset(&k, 0, sizeof k);
    assert_int_equal(adc_mux_attach(&rig.adc_mux, &k, client_register_kernel("k"), &ops),
                     VMUX_SUCCESS);
    assert_int_equal(adc_mux_start_continuous(&k, NULL, 0, 1000), VMUX_RESERVE);
    adc_mux_detach(&k);
    assert_others_fine(good);
}

/* ================================================================ crypto */

static bool register_zero(unsigned slot)
{
    size_t len;
    const uint8_t *reg = crypto_engine_slot_register(&rig.engine, slot, &len);
    return reg && all_bytes(reg, 0, len);
}

static void attack_crypto_exhausting_slots_leaves_the_holder_working(void **state)
{
    (void)state;
    struct process *good = bystander(0);
    unsigned good_slot = rig_get(good, K_FIRST_RESULT) & 0xffu;
    struct process *p = rig_load("crypto_exhaust", NULL, RESTART_NEVER);
    run_until_done(p, 100);
    const uintptr_t want[] = { RIG_CRYPTO_SLOTS - 1, VMUX_NOMEM, VMUX_NOMEM };
    assert_results(p, want, 3);
    assert_int_equal(crypto_mux_reserved_count(&rig.crypto_mux), RIG_CRYPTO_SLOTS);
    assert_others_fine(good); /* first come, first served: the holder keeps its slot */
    /* when the attacker goes, its registers are wiped and free again */
    assert_int_equal(process_stop(test_board_cap_process_management(), p), VMUX_SUCCESS);
    assert_int_equal(crypto_mux_reserved_count(&rig.crypto_mux), 1);
    for (unsigned s = 0; s < RIG_CRYPTO_SLOTS; s++)
        if (s != good_slot)
            assert_true(register_zero(s));
    assert_others_fine(good);
}

static void attack_crypto_foreign_handle_refused(void **state)
{
    (void)state;
    struct process *good = bystander(0);
    struct process *p = rig_load("crypto_foreign", NULL, RESTART_NEVER);
    rig_set(p, K_TARGET, rig_get(good, K_FIRST_RESULT));
    run_until_done(p, 200);
    static const uintptr_t want[] = { VMUX_RESERVE, VMUX_RESERVE, VMUX_RESERVE, 0, 0 };
    assert_results(p, want, 5);
    /* every handle of the 4 slots (but 0, which is INVALID) was a foreign one */
    assert_true(rig.crypto_mux.counters.not_holder >= 3 + 4 * 64 - 1);
    assert_others_fine(good); /* same ciphertext every round: its key is untouched */
}

static void attack_crypto_key_unreachable_after_release(void **state)
{
    (void)state;
    struct process *good = bystander(0);
    struct process *p = rig_load("crypto_after_release", NULL, RESTART_NEVER);
    run_until_phase(p, 1, 100);
    unsigned slot = result(p, 0) & 0xffu;
    assert_true(register_zero(slot)); /* wiped in the engine at release */
    rig_set(p, K_PARAM, 1);
    run_until_done(p, 100);
    const uintptr_t want[] = { result(p, 0), VMUX_RESERVE, VMUX_RESERVE, VMUX_RESERVE, 1,
                               VMUX_RESERVE, 1 };
    assert_results(p, want, 7);
    assert_others_fine(good);
}

/* ================================================================ exhaustion and storms */

static void attack_grant_exhaustion_affects_only_the_attacker(void **state)
{
    (void)state;
    struct process *good = bystander(0);
    struct process *p = rig_load("grant_exhaust", NULL, RESTART_NEVER);
    run_until_done(p, 100);
    static const uintptr_t want[] = { ACCEPTED,   VMUX_NOMEM, VMUX_NOMEM, VMUX_NOMEM,
                                      VMUX_NOMEM, VMUX_NOMEM, VMUX_NOMEM, 5 };
    assert_results(p, want, 8);
    assert_true(p->counters.grant_nomem >= 5);
    assert_int_equal(good->counters.grant_nomem, 0);
    assert_others_fine(good);
}

static void storm_case(const char *app, uintptr_t n, struct process **out)
{
    struct process *good = bystander(0);
    struct process *p = rig_load(app, NULL, RESTART_NEVER);
    rig_set(p, K_PARAM, n);
    rig_set(p, K_TARGET, (uintptr_t)rig_kernel_canary);
    uintptr_t before = rig_get(good, K_CYCLES);
    if (!rig_run(5000 * MS, rig_ended, p))
        fail_msg("%s did not end", app);
    assert_false(p->faulted);
    assert_int_equal(p->exit_code, 0);
    assert_true(rig_get(p, K_DONE));
    assert_int_equal(rig_get(p, K_BAD), 0);
    assert_true(rig_get(good, K_CYCLES) > before); /* it went on during the storm */
    assert_others_fine(good);
    *out = p;
}

static void attack_subscribe_storm_is_bounded(void **state)
{
    (void)state;
    struct process *p;
    storm_case("subscribe_storm", 20000, &p);
    assert_int_equal(result(p, 0) + result(p, 1), 20000);
    assert_true(result(p, 0) > 0 && result(p, 1) > 0);
}

static void attack_yield_storm_is_bounded(void **state)
{
    (void)state;
    struct process *p;
    storm_case("yield_storm", 10000, &p);
    assert_int_equal(result(p, 0), 2000); /* its own flag, written every time */
    assert_true(p->counters.bad_syscalls >= 10000); /* the reserved kinds, counted */
}

static void attack_command_storm_is_bounded(void **state)
{
    (void)state;
    struct process *p;
    storm_case("command_storm", 20000, &p);
    assert_true(result(p, 1) > 0);
    assert_true(p->counters.bad_syscalls > 0);
}

static void attack_infinite_loop_is_preempted(void **state)
{
    (void)state;
    struct process *good = bystander(0);
    struct process *p = rig_load("spin", NULL, RESTART_NEVER);
    uintptr_t before = rig_get(good, K_CYCLES);
    rig_run(100 * MS, NULL, NULL);
    assert_int_equal(rig_get(p, K_PHASE), 1);
    assert_true(p->counters.timeslices_expired >= 10);
    assert_int_equal(p->state, PROCESS_READY);
    assert_true(rig_get(good, K_CYCLES) > before + 10);
    assert_others_fine(good);
}

/* Five lives, the fifth one over (it may be preempted between its count
 * and its crash when the machine is loaded). */
static bool five_lives(void *ctx)
{
    return rig_get(ctx, K_CYCLES) >= 5 && ((struct process *)ctx)->state == PROCESS_ENDED;
}

static void attack_crash_loop_restarts_with_growing_backoff(void **state)
{
    (void)state;
    struct process *good = bystander(0);
    struct process *p = rig_load("crash", NULL, RESTART_WITH_BACKOFF);
    if (!rig_run(3000 * MS, five_lives, p))
        fail_msg("crash did not live five times");
    assert_true(p->faulted);
    assert_true(p->counters.restarts >= 4);
    /* the alarm counter (1 MHz) at the start of each life: intervals grow */
    uint32_t prev_interval = 0;
    printf("crash loop: restart intervals");
    for (unsigned i = 1; i < 5; i++) {
        uint32_t interval = (uint32_t)(result(p, i) - result(p, i - 1));
        printf(" %u ms", interval / 1000u);
        /* the kernel counts back-off in whole milliseconds of its clock */
        assert_true(interval >= 99000u);
        assert_true(interval + 2000u >= 2 * prev_interval); /* doubling */
        prev_interval = interval;
    }
    printf("\n");
    assert_others_fine(good);
}

/* ================================================================ restarts */

static void attack_stale_crypto_handle_after_restart_refused(void **state)
{
    (void)state;
    struct process *good = bystander(0);
    struct process *p = rig_load("stale_crypto", NULL, RESTART_NEVER);
    run_until_done(p, 200);
    assert_int_equal(rig_get(p, K_CYCLES), 2); /* two lives */
    const uintptr_t want[] = { result(p, 0), VMUX_RESERVE, VMUX_RESERVE, VMUX_RESERVE };
    assert_results(p, want, 4);
    assert_true(register_zero(result(p, 0) & 0xffu)); /* its first life's key is gone */
    assert_int_equal(crypto_mux_reserved_count(&rig.crypto_mux), 1); /* the bystander's */
    assert_others_fine(good);
}

static void attack_stale_udp_binding_after_restart_refused(void **state)
{
    (void)state;
    struct process *p = rig_load("stale_udp", NULL, RESTART_NEVER);
    rig_set(p, K_PARAM, 6100);
    run_until_phase(p, 1, 200);
    assert_int_equal(rig_get(p, K_CYCLES), 2);
    uint32_t no_port = rig.udp_mux.counters.no_port;
    rig_peer_udp(4000, 6100, "ghost-1", 7);
    rig_peer_udp(4000, 6100, "ghost-2", 7);
    rig_run(5 * MS, NULL, NULL);
    assert_int_equal(rig.udp_mux.counters.no_port, no_port + 2); /* nobody holds it now */
    rig_set(p, K_PARAM2, 1);
    run_until_done(p, 100);
    static const uintptr_t want[] = { VMUX_RESERVE, 0 };
    assert_results(p, want, 2);
    assert_int_equal(rig_datagrams_from(6100), 0);
    /* and the port is free for anyone */
    struct process *v = udp_victim(6100);
    assert_victim_echoes(v, 6100);
    assert_others_fine(NULL);
}

/* ================================================================ main */

int main(int argc, char **argv)
{
    (void)argc;
    char self[PATH_MAX];
    snprintf(self, sizeof self, "%s", argv[0]);
    snprintf(apps_dir, sizeof apps_dir, "%s/../attacks", dirname(self));
    alarm(WATCHDOG_S);
    prctl(PR_SET_TIMERSLACK, 1ul);
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(attack_allow_past_the_process_memory_is_invalid),
        T(attack_allow_wrapping_around_the_address_space_is_invalid),
        T(attack_allow_of_another_process_memory_is_invalid),
        T(attack_allow_of_kernel_memory_is_invalid),
        T(attack_swap_console_read_buffer_old_one_never_written),
        T(attack_swap_crypt_output_old_one_never_written),
        T(attack_swap_udp_receive_buffer_old_one_never_written),
        T(attack_udp_bind_of_a_bound_port_is_busy),
        T(attack_udp_spoofed_source_refused_and_nothing_on_the_wire),
        T(attack_udp_kernel_reserved_ports_refused),
        T(attack_uart_sniffing_gets_nothing_of_others),
        T(attack_uart_frames_from_the_wire_reach_only_their_owner),
        T(attack_uart_forged_frames_stay_in_the_attackers_channel),
        T(attack_uart_hog_others_wait_at_most_n_minus_one_turns),
        T(attack_uart_query_flood_writers_keep_their_round_robin_turns),
        T(attack_restart_loop_others_keep_their_throughput),
        T(attack_adc_continuous_without_the_capability_refused),
        T(attack_crypto_exhausting_slots_leaves_the_holder_working),
        T(attack_crypto_foreign_handle_refused),
        T(attack_crypto_key_unreachable_after_release),
        T(attack_grant_exhaustion_affects_only_the_attacker),
        T(attack_subscribe_storm_is_bounded),
        T(attack_yield_storm_is_bounded),
        T(attack_command_storm_is_bounded),
        T(attack_infinite_loop_is_preempted),
        T(attack_crash_loop_restarts_with_growing_backoff),
        T(attack_stale_crypto_handle_after_restart_refused),
        T(attack_stale_udp_binding_after_restart_refused),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    unsigned n = sizeof tests / sizeof tests[0];
    printf("attack scenarios: %u run, %u contained\n", n, n - (unsigned)failed);
    fflush(stdout);
    return failed;
}
