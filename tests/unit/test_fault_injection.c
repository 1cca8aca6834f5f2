/*
 * Fault injection: each simulated driver misbehaves in each way of
 * chips/sim/sim_fault.h (refuses, fails, completes late, never completes,
 * completes twice, delivers corrupted data), under the virtualizer that
 * shares it among three kernel clients. Every test asserts three things:
 *
 *   1. the virtualizer times out or recovers (it does not hang);
 *   2. the error reaches the affected client only, as that mux's header
 *      says it does;
 *   3. the other clients are served, with correct data.
 *
 * One test per cell of the matrix driver x fault; docs/security.md has
 * the matrix. Virtual clock throughout: fully deterministic.
 *
 * Clients: A is the victim (its operation is the one the fault hits), B
 * and C are bystanders.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <openssl/evp.h>

#include "test_net_fixture.h"

#include "capsules/adc_mux.h"
#include "capsules/alarm_mux.h"
#include "capsules/crypto_mux.h"
#include "capsules/uart_mux.h"
#include "chips/sim/sim_adc.h"
#include "chips/sim/sim_crypto_fault.h"
#include "chips/sim/sim_fault.h"
#include "chips/sim/sim_uart.h"
#include "chips/soft/crypto_engine.h"
#include "kernel/deferred.h"

#define US 1000ull
#define UART_WATCHDOG_US 20000u
#define CRYPTO_WATCHDOG_US 5000u
#define NET_WATCHDOG_US 5000u
#define ADC_TIMEOUT_US 5000u
#define LATE_NS (2 * MS)          /* well inside every timeout */
#define CLIENTS 3
enum { A, B, C };

/* Faults injected, summed over the tests, for make report. */
static unsigned faults_injected;

static struct sim_fault fault_of(enum sim_fault_kind kind)
{
    return (struct sim_fault){ .kind = kind, .error = VMUX_NOACK, .delay_ns = LATE_NS,
                               .count = 1 };
}

/* ================================================================ the board */

static struct sim_alarm hw_alarm;
static struct virtual_alarm *alarm_heap[16];
static struct alarm_mux amux;
static struct virtual_alarm uart_wd, adc_wd, crypto_wd, net_wd;

static struct sim_uart uart;
static struct client_entry *uart_slots[CLIENTS];
static uint32_t uart_rr[RR_WORDS(CLIENTS)];
static struct uart_mux umux;

static struct sim_adc adc;
static struct client_entry *adc_slots[CLIENTS];
static uint32_t adc_rr[RR_WORDS(CLIENTS)];
static struct adc_mux amx;

static struct crypto_engine_slot key_registers[CLIENTS];
static struct crypto_engine engine;
static struct sim_crypto_fault faulty_engine;
static struct client_entry *crypto_slots[CLIENTS];
static uint32_t crypto_rr[RR_WORDS(CLIENTS)];
static struct crypto_mux cmux;

static int setup(void **state)
{
    net_setup(state); /* resets the board; the UDP mux over a NIC the test plays the peer of */
    assert_int_equal(sim_alarm_init(&hw_alarm, 0), VMUX_SUCCESS);
    alarm_mux_init(&amux, &hw_alarm.hil, alarm_heap, 16);
    virtual_alarm_init(&uart_wd, &amux);
    virtual_alarm_init(&adc_wd, &amux);
    virtual_alarm_init(&crypto_wd, &amux);
    virtual_alarm_init(&net_wd, &amux);

    assert_int_equal(sim_uart_init(&uart, NULL), VMUX_SUCCESS);
    uart_mux_init(&umux, &uart.hil, uart_slots, uart_rr, CLIENTS);
    uart_mux_set_watchdog(&umux, &uart_wd.hil, UART_WATCHDOG_US);

    assert_int_equal(sim_adc_init(&adc, NULL), VMUX_SUCCESS);
    assert_int_equal(adc_mux_init(&amx, &adc.hil, &adc_wd.hil, adc_slots, adc_rr, CLIENTS),
                     VMUX_SUCCESS);
    adc_mux_set_timeout_us(&amx, ADC_TIMEOUT_US);

    assert_int_equal(crypto_engine_init(&engine, key_registers, CLIENTS), VMUX_SUCCESS);
    assert_int_equal(sim_crypto_fault_init(&faulty_engine, &engine.hil), VMUX_SUCCESS);
    assert_int_equal(crypto_mux_init(&cmux, &faulty_engine.hil, crypto_slots, crypto_rr, CLIENTS),
                     VMUX_SUCCESS);
    crypto_mux_set_watchdog(&cmux, &crypto_wd.hil, CRYPTO_WATCHDOG_US);

    netif_set_watchdog(&net, &net_wd.hil, NET_WATCHDOG_US);
    host_announces(peer_mac, PEER_IP);
    return 0;
}

static int teardown(void **state)
{
    faults_injected += sim_uart_faults_applied(&uart) + sim_adc_faults_applied(&adc) +
                       sim_crypto_faults_applied(&faulty_engine) + sim_net_faults_applied(&nic);
    sim_uart_close(&uart);
    return net_teardown(state);
}

/* ================================================================ UART */

static struct uclient {
    struct uart_mux_client c;
    char name[8];
    const char *line;
    unsigned writes_done;
    size_t sent;
    vmux_err_t write_status;
    uint8_t rx[64];
    uint8_t got[256];
    size_t got_len;
    unsigned reads_done;
} uc[CLIENTS];

static void u_write_done(struct uart_mux_client *c, const uint8_t *buf, size_t sent,
                         vmux_err_t status)
{
    struct uclient *u = container_of(c, struct uclient, c);
    assert_ptr_equal(buf, u->line); /* the buffer comes back to its own client */
    u->writes_done++;
    u->sent = sent;
    u->write_status = status;
}

static void u_read_done(struct uart_mux_client *c, uint8_t *buf, size_t n, vmux_err_t status)
{
    struct uclient *u = container_of(c, struct uclient, c);
    assert_ptr_equal(buf, u->rx);
    if (status == VMUX_SUCCESS && u->got_len + n <= sizeof u->got) {
        memcpy(u->got + u->got_len, buf, n);
        u->got_len += n;
    }
    u->reads_done++;
    assert_int_equal(uart_mux_read(c, u->rx, sizeof u->rx), VMUX_SUCCESS); /* keep reading */
}

static const struct uart_mux_client_ops u_ops = { u_write_done, u_read_done };

/* The peer's view of the wire: valid frames by channel, and bad ones. */
static struct wire {
    struct uart_frame_decoder d;
    uint8_t bytes[CLIENTS][512];
    size_t len[CLIENTS];
    unsigned frames[CLIENTS];
    unsigned other;          /* frames on channels of nobody here */
} wire;

static int channel_client(uint8_t ch)
{
    for (int i = 0; i < CLIENTS; i++)
        if (uc[i].c.channel == ch)
            return i;
    return -1;
}

static void read_wire(void)
{
    uint8_t buf[256];
    size_t n;
    while ((n = sim_uart_take_tx(&uart, buf, sizeof buf)) > 0) {
        for (size_t i = 0; i < n; i++) {
            if (uart_frame_decoder_push(&wire.d, buf[i]) != UART_FRAME_READY)
                continue;
            if (uart_frame_channel(&wire.d) == 0)
                continue; /* control */
            int k = channel_client(uart_frame_channel(&wire.d));
            if (k < 0) {
                wire.other++;
                continue;
            }
            size_t len = uart_frame_payload_len(&wire.d);
            assert_true(wire.len[k] + len <= sizeof wire.bytes[k]);
            memcpy(wire.bytes[k] + wire.len[k], uart_frame_payload(&wire.d), len);
            wire.len[k] += len;
            wire.frames[k]++;
        }
    }
}

static void uart_clients(void)
{
    memset(uc, 0, sizeof uc);
    memset(&wire, 0, sizeof wire);
    uart_frame_decoder_init(&wire.d);
    static const char *const lines[CLIENTS] = { "victim A\n", "bystander B\n", "bystander C\n" };
    for (int i = 0; i < CLIENTS; i++) {
        snprintf(uc[i].name, sizeof uc[i].name, "%c", 'A' + i);
        uc[i].line = lines[i];
        assert_int_equal(uart_mux_attach(&umux, &uc[i].c, client_register_kernel(uc[i].name),
                                         uc[i].name, &u_ops),
                         VMUX_SUCCESS);
        assert_int_equal(uart_mux_read(&uc[i].c, uc[i].rx, sizeof uc[i].rx), VMUX_SUCCESS);
    }
    assert_int_equal(uart_mux_start(&umux), VMUX_SUCCESS);
    sim_advance(5 * MS); /* HELLO and the announcements go out */
    read_wire();
}

static void u_write(int i)
{
    assert_int_equal(uart_mux_write(&uc[i].c, (const uint8_t *)uc[i].line, strlen(uc[i].line)),
                     VMUX_SUCCESS);
}

/* The bystanders' writes went out whole and intact, once each. */
static void assert_bystanders_written(void)
{
    for (int i = B; i <= C; i++) {
        assert_int_equal(uc[i].writes_done, 1);
        assert_int_equal(uc[i].write_status, VMUX_SUCCESS);
        assert_int_equal(uc[i].sent, strlen(uc[i].line));
        assert_int_equal(wire.len[i], strlen(uc[i].line));
        assert_memory_equal(wire.bytes[i], uc[i].line, strlen(uc[i].line));
    }
}

/* A's write with a transmit fault; B and C write behind it. */
static void uart_tx_case(enum sim_fault_kind kind)
{
    uart_clients();
    struct sim_fault f = fault_of(kind);
    sim_uart_inject_fault(&uart, SIM_UART_TX, &f);
    u_write(A);
    sim_settle(); /* A's frame is the one at the driver */
    u_write(B);
    u_write(C);
    sim_advance(4 * UART_WATCHDOG_US * US);
    read_wire();
    assert_int_equal(sim_uart_faults_applied(&uart), 1);
    assert_bystanders_written();
    assert_int_equal(uc[A].writes_done, 1); /* one completion, whatever happened */
    size_t a_len = strlen(uc[A].line);
    switch (kind) {
    case SIM_FAULT_REFUSE:
    case SIM_FAULT_ERROR:
        assert_int_equal(uc[A].write_status, VMUX_NOACK);
        assert_int_equal(uc[A].sent, 0);
        assert_int_equal(wire.frames[A], 0);
        assert_int_equal(umux.counters.hw_errors, 1);
        break;
    case SIM_FAULT_NEVER:
        assert_int_equal(uc[A].write_status, VMUX_FAIL);
        assert_int_equal(uc[A].sent, 0);
        assert_int_equal(wire.frames[A], 0);
        assert_int_equal(umux.counters.tx_timeouts, 1);
        break;
    case SIM_FAULT_LATE:
    case SIM_FAULT_TWICE:
        assert_int_equal(uc[A].write_status, VMUX_SUCCESS);
        assert_int_equal(wire.len[A], a_len);
        assert_memory_equal(wire.bytes[A], uc[A].line, a_len);
        assert_int_equal(umux.counters.spurious, kind == SIM_FAULT_TWICE ? 1 : 0);
        break;
    case SIM_FAULT_CORRUPT:
        /* The mux cannot see it; the peer's CRC does, for A's frame only. */
        assert_int_equal(uc[A].write_status, VMUX_SUCCESS);
        assert_int_equal(wire.frames[A], 0);
        assert_true(wire.d.counters.bad_crc + wire.d.counters.malformed + wire.d.counters.runt >= 1);
        break;
    default:
        fail();
    }
    assert_int_equal(wire.other, 0);
    assert_false(umux.tx_busy);
}

static void fault_uart_tx_refuse(void **s) { (void)s; uart_tx_case(SIM_FAULT_REFUSE); }
static void fault_uart_tx_error(void **s) { (void)s; uart_tx_case(SIM_FAULT_ERROR); }
static void fault_uart_tx_late(void **s) { (void)s; uart_tx_case(SIM_FAULT_LATE); }
static void fault_uart_tx_never(void **s) { (void)s; uart_tx_case(SIM_FAULT_NEVER); }
static void fault_uart_tx_twice(void **s) { (void)s; uart_tx_case(SIM_FAULT_TWICE); }
static void fault_uart_tx_corrupt(void **s) { (void)s; uart_tx_case(SIM_FAULT_CORRUPT); }

static void peer_sends(int i, const char *text)
{
    uint8_t f[UART_FRAME_WIRE_MAX];
    size_t n = uart_frame_encode(uc[i].c.channel, (const uint8_t *)text, strlen(text), f,
                                 sizeof f);
    assert_int_equal(sim_uart_inject_rx(&uart, f, n), n);
}

static void assert_got(int i, const char *text)
{
    assert_int_equal(uc[i].got_len, strlen(text));
    assert_memory_equal(uc[i].got, text, strlen(text));
}

/* A receive fault hits the mux's standing receive while frames for A
 * and B arrive; B's frame comes after, C gets nothing. */
static void uart_rx_case(enum sim_fault_kind kind)
{
    uart_clients();
    struct sim_fault f = fault_of(kind);
    if (kind == SIM_FAULT_REFUSE || kind == SIM_FAULT_ERROR) {
        /* These hit the next receive the mux starts: let the standing one
         * end first (with a frame for A), then restart into the fault. */
        sim_uart_inject_fault(&uart, SIM_UART_RX, &f);
        peer_sends(A, "for A");
        sim_advance(2 * MS);
        assert_got(A, "for A");
    } else {
        /* The standing receive is the next one: restart it into the fault. */
        assert_int_equal(hil_uart_abort_receive(&uart.hil), VMUX_SUCCESS);
        sim_uart_inject_fault(&uart, SIM_UART_RX, &f);
        sim_settle();
        peer_sends(A, "for A");
        sim_advance(2 * MS);
    }
    assert_int_equal(sim_uart_faults_applied(&uart), 1);
    sim_advance(3 * UART_WATCHDOG_US * US); /* the watchdog's turn, if needed */
    peer_sends(B, "for B");
    sim_advance(3 * UART_WATCHDOG_US * US);
    assert_got(B, "for B");
    assert_int_equal(uc[C].got_len, 0);
    switch (kind) {
    case SIM_FAULT_REFUSE:
    case SIM_FAULT_ERROR:
    case SIM_FAULT_LATE:
    case SIM_FAULT_NEVER:
        assert_got(A, "for A"); /* exactly once */
        assert_int_equal(umux.counters.rx_timeouts, kind == SIM_FAULT_NEVER ? 1 : 0);
        assert_int_equal(umux.counters.hw_errors,
                         kind == SIM_FAULT_REFUSE || kind == SIM_FAULT_ERROR ? 1 : 0);
        break;
    case SIM_FAULT_TWICE:
        assert_got(A, "for A"); /* not twice */
        assert_int_equal(umux.counters.spurious, 1);
        break;
    case SIM_FAULT_CORRUPT:
        /* The CRC catches the flipped bit: nobody gets the frame. */
        assert_int_equal(uc[A].got_len, 0);
        assert_int_equal(umux.decoder.counters.bad_crc, 1);
        break;
    default:
        fail();
    }
    assert_true(umux.rx_running);
}

static void fault_uart_rx_refuse(void **s) { (void)s; uart_rx_case(SIM_FAULT_REFUSE); }
static void fault_uart_rx_error(void **s) { (void)s; uart_rx_case(SIM_FAULT_ERROR); }
static void fault_uart_rx_late(void **s) { (void)s; uart_rx_case(SIM_FAULT_LATE); }
static void fault_uart_rx_never(void **s) { (void)s; uart_rx_case(SIM_FAULT_NEVER); }
static void fault_uart_rx_twice(void **s) { (void)s; uart_rx_case(SIM_FAULT_TWICE); }
static void fault_uart_rx_corrupt(void **s) { (void)s; uart_rx_case(SIM_FAULT_CORRUPT); }

/* The resync byte: after a transmit cut short, the next frame starts with
 * 0x00, so the cut frame cannot swallow it at the peer. */
static void fault_uart_cut_frame_does_not_swallow_the_next(void **s)
{
    (void)s;
    uart_clients();
    /* A's frame leaves slowly (a long line) and is cut halfway by an abort. */
    static char long_line[200];
    memset(long_line, 'x', sizeof long_line - 1);
    uc[A].line = long_line;
    u_write(A);
    sim_settle();
    sim_advance(sim_uart_wire_ns(&uart, 80));
    assert_int_equal(hil_uart_abort_transmit(&uart.hil), VMUX_SUCCESS);
    u_write(B);
    sim_advance(20 * MS);
    read_wire();
    assert_int_equal(uc[A].writes_done, 1);
    assert_int_not_equal(uc[A].write_status, VMUX_SUCCESS);
    assert_int_equal(wire.frames[A], 0);
    assert_int_equal(wire.d.counters.malformed + wire.d.counters.bad_crc, 1); /* the cut one */
    assert_int_equal(wire.frames[B], 1);
    assert_memory_equal(wire.bytes[B], uc[B].line, strlen(uc[B].line));
}

/* ================================================================ ADC */

static struct aclient {
    struct adc_mux_client c;
    unsigned channel;
    unsigned done;
    uint16_t value;
    vmux_err_t status;
    uint64_t at;             /* sim time of the last completion */
    bool again;              /* ask once more from the callback */
    uint32_t again_conversions;  /* conversions started when it asked again */
} ac[CLIENTS];

static void a_sample_done(struct adc_mux_client *c, unsigned channel, uint16_t value,
                          vmux_err_t status)
{
    struct aclient *a = container_of(c, struct aclient, c);
    assert_int_equal(channel, a->channel);
    a->done++;
    a->at = sim_now_ns();
    a->value = value;
    a->status = status;
    if (a->again) {
        a->again = false;
        a->again_conversions = amx.counters.conversions;
        assert_int_equal(adc_mux_sample(c, a->channel), VMUX_SUCCESS);
    }
}

static const struct adc_mux_client_ops a_ops = { a_sample_done, NULL };

/* A and C on channel 1 (sharing its readings, as the policy allows),
 * B on channel 2. */
static void adc_case(enum sim_fault_kind kind)
{
    memset(ac, 0, sizeof ac);
    static const unsigned channels[CLIENTS] = { 1, 2, 1 };
    for (int i = 0; i < CLIENTS; i++) {
        ac[i].channel = channels[i];
        assert_int_equal(adc_mux_attach(&amx, &ac[i].c, client_register_kernel("adc"), &a_ops),
                         VMUX_SUCCESS);
    }
    struct sim_fault f = fault_of(kind);
    sim_adc_inject_fault(&adc, &f);
    ac[C].again = kind == SIM_FAULT_TWICE; /* a stale second reading would land here */
    assert_int_equal(adc_mux_sample(&ac[A].c, 1), VMUX_SUCCESS);
    assert_int_equal(adc_mux_sample(&ac[C].c, 1), VMUX_SUCCESS);
    if (kind != SIM_FAULT_TWICE) {
        assert_int_equal(adc_mux_sample(&ac[B].c, 2), VMUX_SUCCESS);
    } else {
        /* B asks only after the doubled completion, so that C's second
         * request is the only one waiting when it comes */
        sim_advance(SIM_ADC_DEFAULT_CONVERSION_NS);
        assert_int_equal(ac[A].done, 1);
        assert_int_equal(adc_mux_sample(&ac[B].c, 2), VMUX_SUCCESS);
    }
    sim_advance(4 * ADC_TIMEOUT_US * US);
    assert_int_equal(sim_adc_faults_applied(&adc), 1);
    /* B: its own conversion, a sound reading of channel 2 */
    assert_int_equal(ac[B].done, 1);
    assert_int_equal(ac[B].status, VMUX_SUCCESS);
    assert_true(ac[B].value <= SIM_ADC_MAX_VALUE);
    /* A and C share channel 1's fate */
    assert_int_equal(ac[A].done, 1);
    switch (kind) {
    case SIM_FAULT_REFUSE:
    case SIM_FAULT_ERROR:
        assert_int_equal(ac[A].status, VMUX_NOACK);
        assert_int_equal(ac[C].status, VMUX_NOACK);
        assert_int_equal(ac[A].value, 0);
        break;
    case SIM_FAULT_NEVER:
        assert_int_equal(ac[A].status, VMUX_FAIL);
        assert_int_equal(ac[C].status, VMUX_FAIL);
        assert_int_equal(amx.counters.timeouts, 1);
        break;
    case SIM_FAULT_CORRUPT:
        assert_int_equal(ac[A].status, VMUX_FAIL);
        assert_int_equal(ac[A].value, 0);
        assert_int_equal(ac[C].status, VMUX_FAIL);
        assert_int_equal(amx.counters.out_of_range, 1);
        break;
    case SIM_FAULT_LATE:
        assert_int_equal(ac[A].status, VMUX_SUCCESS);
        assert_int_equal(ac[C].status, VMUX_SUCCESS);
        assert_int_equal(ac[A].value, ac[C].value);
        break;
    case SIM_FAULT_TWICE:
        assert_int_equal(ac[A].status, VMUX_SUCCESS);
        /* C asked again inside the first completion: the second one found
         * no conversion in flight and was dropped, so C's second reading
         * comes from a conversion of its own. */
        assert_int_equal(amx.counters.spurious, 1);
        assert_int_equal(ac[C].done, 2);
        assert_int_equal(ac[C].status, VMUX_SUCCESS);
        assert_true(amx.counters.conversions > ac[C].again_conversions);
        assert_true(ac[C].at >= ac[A].at + SIM_ADC_DEFAULT_CONVERSION_NS);
        break;
    default:
        fail();
    }
    if (kind != SIM_FAULT_TWICE)
        assert_int_equal(ac[C].done, 1);
    assert_int_equal(amx.hw, ADC_HW_IDLE);
}

static void fault_adc_refuse(void **s) { (void)s; adc_case(SIM_FAULT_REFUSE); }
static void fault_adc_error(void **s) { (void)s; adc_case(SIM_FAULT_ERROR); }
static void fault_adc_late(void **s) { (void)s; adc_case(SIM_FAULT_LATE); }
static void fault_adc_never(void **s) { (void)s; adc_case(SIM_FAULT_NEVER); }
static void fault_adc_twice(void **s) { (void)s; adc_case(SIM_FAULT_TWICE); }
static void fault_adc_corrupt(void **s) { (void)s; adc_case(SIM_FAULT_CORRUPT); }

/* ================================================================ crypto */

#define BLOCKS 2
static struct cclient {
    struct crypto_mux_client c;
    crypto_handle_t h;
    uint8_t key[16], iv[16];
    uint8_t in[16 * BLOCKS], out[16 * BLOCKS];
    unsigned done;
    vmux_err_t status;
} cc[CLIENTS];

static void c_crypt_done(struct crypto_mux_client *c, const uint8_t *in, uint8_t *out,
                         size_t len, vmux_err_t status)
{
    struct cclient *k = container_of(c, struct cclient, c);
    assert_ptr_equal(in, k->in);  /* both buffers come back to their own client */
    assert_ptr_equal(out, k->out);
    assert_int_equal(len, sizeof k->in);
    k->done++;
    k->status = status;
}

static const struct crypto_mux_client_ops c_ops = { c_crypt_done };

static void reference_ctr(const struct cclient *k, uint8_t *out)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int n = 0;
    assert_int_equal(EVP_EncryptInit_ex(ctx, EVP_aes_128_ctr(), NULL, k->key, k->iv), 1);
    assert_int_equal(EVP_EncryptUpdate(ctx, out, &n, k->in, sizeof k->in), 1);
    EVP_CIPHER_CTX_free(ctx);
}

static bool output_correct(const struct cclient *k)
{
    uint8_t want[sizeof k->out];
    reference_ctr(k, want);
    return memcmp(want, k->out, sizeof want) == 0;
}

static bool all_bytes(const uint8_t *p, uint8_t b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != b)
            return false;
    return true;
}

static void c_crypt(int i)
{
    memset(cc[i].out, 0xee, sizeof cc[i].out); /* a canary */
    assert_int_equal(crypto_mux_crypt(&cc[i].c, cc[i].h, CRYPTO_CTR, cc[i].iv, cc[i].in,
                                      cc[i].out, sizeof cc[i].in),
                     VMUX_SUCCESS);
}

static void crypto_case(enum sim_fault_kind kind)
{
    memset(cc, 0, sizeof cc);
    for (int i = 0; i < CLIENTS; i++) {
        for (unsigned b = 0; b < 16; b++) {
            cc[i].key[b] = (uint8_t)(0x10 * i + b);
            cc[i].iv[b] = (uint8_t)(0xa0 + i + b);
        }
        memset(cc[i].in, 'a' + i, sizeof cc[i].in);
        assert_int_equal(crypto_mux_attach(&cmux, &cc[i].c, client_register_kernel("crypto"),
                                           &c_ops),
                         VMUX_SUCCESS);
        assert_int_equal(crypto_mux_reserve(&cc[i].c, &cc[i].h), VMUX_SUCCESS);
        assert_int_equal(crypto_mux_load_key(&cc[i].c, cc[i].h, cc[i].key), VMUX_SUCCESS);
    }
    struct sim_fault f = fault_of(kind);
    sim_crypto_fault_inject(&faulty_engine, &f);
    c_crypt(A);
    sim_settle(); /* A's operation is the one at the engine */
    c_crypt(B);
    c_crypt(C);
    sim_advance(4 * CRYPTO_WATCHDOG_US * US);
    assert_int_equal(sim_crypto_faults_applied(&faulty_engine), 1);
    for (int i = B; i <= C; i++) {
        assert_int_equal(cc[i].done, 1);
        assert_int_equal(cc[i].status, VMUX_SUCCESS);
        assert_true(output_correct(&cc[i]));
    }
    assert_int_equal(cc[A].done, 1);
    switch (kind) {
    case SIM_FAULT_REFUSE:
    case SIM_FAULT_ERROR:
        assert_int_equal(cc[A].status, VMUX_NOACK);
        assert_true(all_bytes(cc[A].out, 0xee, sizeof cc[A].out)); /* nothing written */
        break;
    case SIM_FAULT_NEVER: {
        assert_int_equal(cc[A].status, VMUX_FAIL);
        assert_true(all_bytes(cc[A].out, 0xee, sizeof cc[A].out));
        assert_int_equal(cmux.counters.timeouts, 1);
        /* cancelled by clearing A's slot: its register reads zero, A still
         * holds it, and works again once its key is back */
        size_t len;
        const uint8_t *reg = crypto_engine_slot_register(&engine, cc[A].h & 0xffu, &len);
        assert_true(all_bytes(reg, 0, len));
        assert_int_equal(crypto_mux_load_key(&cc[A].c, cc[A].h, cc[A].key), VMUX_SUCCESS);
        c_crypt(A);
        sim_advance(MS);
        assert_int_equal(cc[A].done, 2);
        assert_int_equal(cc[A].status, VMUX_SUCCESS);
        assert_true(output_correct(&cc[A]));
        break;
    }
    case SIM_FAULT_LATE:
    case SIM_FAULT_TWICE:
        assert_int_equal(cc[A].status, VMUX_SUCCESS);
        assert_true(output_correct(&cc[A]));
        assert_int_equal(cmux.counters.spurious, kind == SIM_FAULT_TWICE ? 1 : 0);
        break;
    case SIM_FAULT_CORRUPT:
        /* undetectable by the mux, and only A's output is wrong */
        assert_int_equal(cc[A].status, VMUX_SUCCESS);
        assert_false(output_correct(&cc[A]));
        break;
    default:
        fail();
    }
    assert_int_equal(cmux.running, -1);
}

static void fault_crypto_refuse(void **s) { (void)s; crypto_case(SIM_FAULT_REFUSE); }
static void fault_crypto_error(void **s) { (void)s; crypto_case(SIM_FAULT_ERROR); }
static void fault_crypto_late(void **s) { (void)s; crypto_case(SIM_FAULT_LATE); }
static void fault_crypto_never(void **s) { (void)s; crypto_case(SIM_FAULT_NEVER); }
static void fault_crypto_twice(void **s) { (void)s; crypto_case(SIM_FAULT_TWICE); }
static void fault_crypto_corrupt(void **s) { (void)s; crypto_case(SIM_FAULT_CORRUPT); }

/* ================================================================ NIC */

static struct probe np[CLIENTS];
static struct udp_binding nb[CLIENTS];

static void net_clients(void)
{
    for (int i = 0; i < CLIENTS; i++) {
        probe_bound(&np[i], (unsigned)i, &nb[i], (uint16_t)(5000 + i));
        probe_listen(&np[i]);
    }
}

static void n_send(int i, const char *text)
{
    struct udp_endpoint to = { PEER_IP, 7777 };
    assert_int_equal(udp_mux_send(&nb[i], &to, (const uint8_t *)text, strlen(text)),
                     VMUX_SUCCESS);
}

/* Datagrams on the wire, by client (source port), as the peer checks
 * them (both checksums). */
static unsigned wire_datagrams[CLIENTS], wire_damaged;

static void read_net_wire(void)
{
    uint8_t f[NET_FRAME_MAX];
    size_t n;
    while ((n = take(f)) > 0) {
        const uint8_t *ip = f + 14, *u = ip + 20;
        if (n < 14 + 20 + 8 || get16(f + 12) != 0x0800 || ip[9] != 17 ||
            ref_checksum(ip, 20) != 0 ||
            ref_udp_checksum(get32(ip + 12), get32(ip + 16), u, get16(u + 4)) != 0) {
            wire_damaged++;
            continue;
        }
        unsigned sport = get16(u);
        assert_true(sport >= 5000 && sport < 5000 + CLIENTS);
        wire_datagrams[sport - 5000]++;
    }
}

static void net_tx_case(enum sim_fault_kind kind)
{
    net_clients();
    memset(wire_datagrams, 0, sizeof wire_datagrams);
    wire_damaged = 0;
    struct sim_fault f = fault_of(kind);
    sim_net_inject_fault(&nic, SIM_NET_TX, &f);
    n_send(A, "from A");
    sim_settle(); /* A's frame is the one at the NIC */
    n_send(B, "from B");
    n_send(C, "from C");
    for (int t = 0; t < 8; t++) { /* the capture holds 8 frames: read as they come */
        sim_advance(NET_WATCHDOG_US * US / 2);
        read_net_wire();
    }
    assert_int_equal(sim_net_faults_applied(&nic), 1);
    for (int i = B; i <= C; i++) {
        assert_int_equal(np[i].sends_done, 1);
        assert_int_equal(np[i].done_status, VMUX_SUCCESS);
        assert_int_equal(wire_datagrams[i], 1);
    }
    assert_int_equal(np[A].sends_done, 1);
    switch (kind) {
    case SIM_FAULT_REFUSE:
    case SIM_FAULT_ERROR:
        assert_int_equal(np[A].done_status, VMUX_NOACK);
        assert_int_equal(wire_datagrams[A], 0);
        break;
    case SIM_FAULT_NEVER:
        /* the frame left, its completion was lost: given up as FAIL */
        assert_int_equal(np[A].done_status, VMUX_FAIL);
        assert_int_equal(net.counters.eth.tx_timeouts, 1);
        break;
    case SIM_FAULT_LATE:
    case SIM_FAULT_TWICE:
        assert_int_equal(np[A].done_status, VMUX_SUCCESS);
        assert_int_equal(wire_datagrams[A], 1);
        assert_int_equal(net.counters.eth.tx_spurious, kind == SIM_FAULT_TWICE ? 1 : 0);
        break;
    case SIM_FAULT_CORRUPT:
        assert_int_equal(np[A].done_status, VMUX_SUCCESS);
        assert_int_equal(wire_datagrams[A], 0);
        assert_int_equal(wire_damaged, 1);
        break;
    default:
        fail();
    }
    assert_null(net.on_wire);
    assert_true(frames_all_wiped());
}

static void fault_net_tx_refuse(void **s) { (void)s; net_tx_case(SIM_FAULT_REFUSE); }
static void fault_net_tx_error(void **s) { (void)s; net_tx_case(SIM_FAULT_ERROR); }
static void fault_net_tx_late(void **s) { (void)s; net_tx_case(SIM_FAULT_LATE); }
static void fault_net_tx_never(void **s) { (void)s; net_tx_case(SIM_FAULT_NEVER); }
static void fault_net_tx_twice(void **s) { (void)s; net_tx_case(SIM_FAULT_TWICE); }
static void fault_net_tx_corrupt(void **s) { (void)s; net_tx_case(SIM_FAULT_CORRUPT); }

static void peer_datagram(int i, const char *text)
{
    uint8_t f[NET_FRAME_MAX];
    size_t n = udp_frame(f, PEER_IP, 4321, OUR_IP, 5000u + (unsigned)i, text, strlen(text));
    assert_int_equal(sim_net_inject(&nic, f, n), VMUX_SUCCESS);
}

static void net_rx_case(enum sim_fault_kind kind)
{
    net_clients();
    struct sim_fault f = fault_of(kind);
    sim_net_inject_fault(&nic, SIM_NET_RX, &f);
    peer_datagram(A, "to A");   /* the fault hits this one */
    peer_datagram(B, "to B");
    sim_advance(2 * LATE_NS);
    assert_int_equal(sim_net_faults_applied(&nic), 1);
    assert_int_equal(np[B].receives_done, 1);
    assert_int_equal(np[B].rx_got, 4);
    assert_memory_equal(np[B].rx, "to B", 4);
    assert_int_equal(np[C].receives_done, 0);
    switch (kind) {
    case SIM_FAULT_ERROR:
    case SIM_FAULT_NEVER:
    case SIM_FAULT_CORRUPT:
        /* lost or caught by a checksum: nobody gets it */
        assert_int_equal(np[A].receives_done, 0);
        if (kind == SIM_FAULT_ERROR)
            assert_int_equal(nic.counters.rx_dropped_error, 1);
        if (kind == SIM_FAULT_CORRUPT)
            assert_int_equal(net.counters.ipv4.bad_checksum + net.counters.udp.bad_checksum, 1);
        break;
    case SIM_FAULT_LATE:
        assert_int_equal(np[A].receives_done, 1);
        assert_memory_equal(np[A].rx, "to A", 4);
        break;
    case SIM_FAULT_TWICE:
        /* a duplicate datagram, which UDP allows: both to A, none elsewhere */
        assert_int_equal(np[A].receives_done, 1);
        probe_listen(&np[A]);
        sim_advance(MS);
        assert_int_equal(np[A].receives_done, 2);
        assert_memory_equal(np[A].rx, "to A", 4);
        break;
    default:
        fail();
    }
    /* and A is served afterwards */
    if (np[A].c.rx_buf == NULL)
        probe_listen(&np[A]);
    unsigned before = np[A].receives_done;
    peer_datagram(A, "again");
    sim_advance(MS);
    assert_int_equal(np[A].receives_done, before + 1);
    assert_memory_equal(np[A].rx, "again", 5);
}

static void fault_net_rx_error(void **s) { (void)s; net_rx_case(SIM_FAULT_ERROR); }
static void fault_net_rx_late(void **s) { (void)s; net_rx_case(SIM_FAULT_LATE); }
static void fault_net_rx_never(void **s) { (void)s; net_rx_case(SIM_FAULT_NEVER); }
static void fault_net_rx_twice(void **s) { (void)s; net_rx_case(SIM_FAULT_TWICE); }
static void fault_net_rx_corrupt(void **s) { (void)s; net_rx_case(SIM_FAULT_CORRUPT); }

/* ================================================================ dead drivers */

/* Drivers that break the HIL's own promise: once wedged they complete
 * nothing, not even what an abort or a cleared slot should end. The
 * watchdogs' last resort is to give the operation up, report FAIL, and go
 * on; the driver answers BUSY meanwhile (an error, not a hang), and the
 * mux is back in business as soon as the driver is. */
static struct dead {
    struct hil_uart uart;
    struct hil_crypto crypto;
    bool wedged, busy;
    uint8_t *buf;
    size_t len;
    const uint8_t *in;
    uint8_t *out;
    struct deferred_call done;
    bool is_uart;
} dead;

static void dead_done(struct deferred_call *dc)
{
    (void)dc;
    if (dead.wedged || !dead.busy)
        return;
    dead.busy = false;
    if (dead.is_uart)
        dead.uart.client->transmit_done(dead.uart.client, dead.buf, dead.len, VMUX_SUCCESS);
    else
        dead.crypto.client->crypt_done(dead.crypto.client, dead.in, dead.out, dead.len,
                                       VMUX_SUCCESS);
}

static vmux_err_t dead_start(void)
{
    if (dead.busy)
        return VMUX_BUSY;
    dead.busy = true;
    deferred_call_raise(&dead.done);
    return VMUX_SUCCESS;
}

static vmux_err_t dead_transmit(struct hil_uart *u, uint8_t *buf, size_t len)
{
    (void)u;
    dead.buf = buf;
    dead.len = len;
    return dead_start();
}
static vmux_err_t dead_receive(struct hil_uart *u, uint8_t *buf, size_t len)
{
    (void)u, (void)buf, (void)len;
    return VMUX_SUCCESS; /* nothing ever arrives */
}
static vmux_err_t dead_abort(struct hil_uart *u)
{
    (void)u;
    return VMUX_SUCCESS; /* says yes, and then nothing */
}
static const struct hil_uart_ops dead_uart_ops = { dead_transmit, dead_receive, dead_abort,
                                                   dead_abort };

static unsigned dead_slots(struct hil_crypto *c) { (void)c; return 2; }
static vmux_err_t dead_load(struct hil_crypto *c, unsigned slot, const uint8_t key[16])
{
    (void)c, (void)slot, (void)key;
    return VMUX_SUCCESS;
}
static vmux_err_t dead_clear(struct hil_crypto *c, unsigned slot)
{
    (void)c, (void)slot;
    return VMUX_SUCCESS; /* no cancel follows */
}
static vmux_err_t dead_crypt(struct hil_crypto *c, unsigned slot, enum hil_crypto_op op,
                             const uint8_t *iv, const uint8_t *in, uint8_t *out, size_t len)
{
    (void)c, (void)slot, (void)op, (void)iv;
    dead.in = in;
    dead.out = out;
    dead.len = len;
    return dead_start();
}
static const struct hil_crypto_ops dead_crypto_ops = { dead_slots, dead_load, dead_clear,
                                                       dead_crypt };

static void fault_uart_dead_driver_is_given_up(void **s)
{
    (void)s;
    memset(&dead, 0, sizeof dead);
    dead.is_uart = true;
    dead.uart.ops = &dead_uart_ops;
    assert_int_equal(deferred_call_register(&dead.done, dead_done), VMUX_SUCCESS);
    static struct uart_mux m;
    static struct client_entry *slots[CLIENTS];
    static uint32_t rr[RR_WORDS(CLIENTS)];
    static struct virtual_alarm wd;
    virtual_alarm_init(&wd, &amux);
    uart_mux_init(&m, &dead.uart, slots, rr, CLIENTS);
    uart_mux_set_watchdog(&m, &wd.hil, UART_WATCHDOG_US);
    memset(uc, 0, sizeof uc);
    for (int i = 0; i < CLIENTS; i++) {
        snprintf(uc[i].name, sizeof uc[i].name, "%c", 'A' + i);
        uc[i].line = "a line\n";
        assert_int_equal(uart_mux_attach(&m, &uc[i].c, client_register_kernel(uc[i].name),
                                         uc[i].name, &u_ops),
                         VMUX_SUCCESS);
    }
    assert_int_equal(uart_mux_start(&m), VMUX_SUCCESS);
    sim_advance(MS); /* HELLO and the announcements, while the driver still works */
    dead.wedged = true;
    u_write(A);
    sim_advance(4 * UART_WATCHDOG_US * US);
    assert_int_equal(uc[A].writes_done, 1);
    assert_int_equal(uc[A].write_status, VMUX_FAIL);
    assert_int_equal(m.counters.tx_timeouts, 1);
    assert_false(m.tx_busy);
    /* still wedged: the next write fails at once instead of waiting */
    u_write(B);
    sim_advance(MS);
    assert_int_equal(uc[B].writes_done, 1);
    assert_int_equal(uc[B].write_status, VMUX_BUSY);
    /* the driver comes back (say, after a reset): service resumes */
    dead.wedged = false;
    dead.busy = false;
    u_write(C);
    sim_advance(MS);
    assert_int_equal(uc[C].writes_done, 1);
    assert_int_equal(uc[C].write_status, VMUX_SUCCESS);
    for (int i = 0; i < CLIENTS; i++)
        uart_mux_detach(&uc[i].c);
}

static void fault_crypto_dead_engine_is_given_up(void **s)
{
    (void)s;
    memset(&dead, 0, sizeof dead);
    dead.crypto.ops = &dead_crypto_ops;
    assert_int_equal(deferred_call_register(&dead.done, dead_done), VMUX_SUCCESS);
    static struct crypto_mux m;
    static struct client_entry *slots[CLIENTS];
    static uint32_t rr[RR_WORDS(CLIENTS)];
    static struct virtual_alarm wd;
    virtual_alarm_init(&wd, &amux);
    assert_int_equal(crypto_mux_init(&m, &dead.crypto, slots, rr, CLIENTS), VMUX_SUCCESS);
    crypto_mux_set_watchdog(&m, &wd.hil, CRYPTO_WATCHDOG_US);
    memset(cc, 0, sizeof cc);
    for (int i = A; i <= B; i++) {
        assert_int_equal(crypto_mux_attach(&m, &cc[i].c, client_register_kernel("c"), &c_ops),
                         VMUX_SUCCESS);
        assert_int_equal(crypto_mux_reserve(&cc[i].c, &cc[i].h), VMUX_SUCCESS);
    }
    dead.wedged = true;
    c_crypt(A);
    sim_advance(4 * CRYPTO_WATCHDOG_US * US);
    assert_int_equal(cc[A].done, 1);
    assert_int_equal(cc[A].status, VMUX_FAIL);
    assert_true(all_bytes(cc[A].out, 0xee, sizeof cc[A].out));
    assert_int_equal(m.running, -1);
    c_crypt(B); /* still wedged: BUSY, at once */
    sim_advance(MS);
    assert_int_equal(cc[B].done, 1);
    assert_int_equal(cc[B].status, VMUX_BUSY);
    dead.wedged = false;
    dead.busy = false;
    c_crypt(B);
    sim_advance(MS);
    assert_int_equal(cc[B].done, 2);
    assert_int_equal(cc[B].status, VMUX_SUCCESS);
    for (int i = A; i <= B; i++)
        crypto_mux_detach(&cc[i].c);
}

/* ================================================================ main */

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(fault_uart_tx_refuse),  T(fault_uart_tx_error),  T(fault_uart_tx_late),
        T(fault_uart_tx_never),   T(fault_uart_tx_twice),  T(fault_uart_tx_corrupt),
        T(fault_uart_rx_refuse),  T(fault_uart_rx_error),  T(fault_uart_rx_late),
        T(fault_uart_rx_never),   T(fault_uart_rx_twice),  T(fault_uart_rx_corrupt),
        T(fault_uart_cut_frame_does_not_swallow_the_next),
        T(fault_adc_refuse),      T(fault_adc_error),      T(fault_adc_late),
        T(fault_adc_never),       T(fault_adc_twice),      T(fault_adc_corrupt),
        T(fault_crypto_refuse),   T(fault_crypto_error),   T(fault_crypto_late),
        T(fault_crypto_never),    T(fault_crypto_twice),   T(fault_crypto_corrupt),
        T(fault_net_tx_refuse),   T(fault_net_tx_error),   T(fault_net_tx_late),
        T(fault_net_tx_never),    T(fault_net_tx_twice),   T(fault_net_tx_corrupt),
        T(fault_net_rx_error),    T(fault_net_rx_late),    T(fault_net_rx_never),
        T(fault_net_rx_twice),    T(fault_net_rx_corrupt),
        T(fault_uart_dead_driver_is_given_up),
        T(fault_crypto_dead_engine_is_given_up),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    unsigned cells = sizeof tests / sizeof tests[0];
    printf("fault injection: %u faults injected in %u cases, %u survived\n", faults_injected,
           cells, cells - (unsigned)failed);
    fflush(stdout);
    return failed;
}
