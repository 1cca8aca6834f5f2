/*
 * Load: eight clients saturate the UART, the UDP stack, the ADC and the
 * crypto engine at once, on the rig (tests/attacks/rig.h: the host
 * board's drivers and muxes over simulated peripherals), for a bounded
 * number of operations each. Each client is a kernel client of all four
 * muxes that asks again from every completion, so it always has work
 * queued; the peer on the UART and on the link floods every client's
 * channel and port at the same time.
 *
 *   nothing lost    every byte written reaches the wire on its client's
 *                   channel, in order; every datagram sent is on the wire;
 *                   every frame and datagram sent to a client is delivered
 *                   to it or counted as dropped, with its reason;
 *   nobody starved  each client's wait, in turns of its resource (frames,
 *                   datagrams, conversions, operations started for others
 *                   between its request and its own), is at most N-1;
 *   nothing leaked  when the clients leave, ports, key slots, channels,
 *                   frames, alarms and client tables are back at their
 *                   baseline, and the key registers read zero.
 *
 * The figures are printed for make report.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <openssl/evp.h>

#include "chips/sim/sim.h"
#include "kernel/client.h"
#include "tests/attacks/rig.h"

#define N 8u                 /* clients */
#define TX_LINES 100u        /* UART lines each writes */
#define LINE 32u
#define DATAGRAMS 100u       /* datagrams each sends */
#define SAMPLES 200u         /* ADC samples each takes */
#define CRYPTS 200u          /* crypto operations each runs */
#define RX_FRAMES 100u       /* UART frames the peer sends each */
#define RX_FRAME 16u
#define RX_DATAGRAMS 100u    /* datagrams the peer sends each */
#define MS 1000000ull
#define PORT0 7000u

enum resource { UART, UDP, ADC, CRYPTO, RESOURCES };
static const char *const resource_names[RESOURCES] = { "uart", "udp", "adc", "crypto" };

static struct load_client {
    client_id_t id;
    char name[8];
    unsigned index;
    /* UART */
    struct uart_mux_client uart;
    uint8_t line[LINE];
    unsigned lines;
    uint8_t rx[64];
    uint32_t rx_bytes;
    uint8_t rx_next;                 /* the sequence byte expected next */
    unsigned rx_out_of_order;
    /* UDP */
    struct udp_client udp;
    struct udp_binding port;
    uint8_t hold[1024];
    uint8_t dgram[48];
    unsigned sent, send_failed;
    uint8_t udp_rx[64];
    unsigned received;
    /* ADC */
    struct adc_mux_client adc;
    unsigned samples, sample_errors;
    /* crypto */
    struct crypto_mux_client crypto;
    crypto_handle_t h;
    uint8_t key[16], iv[16], in[64], out[64], reference[64];
    unsigned crypts, crypt_wrong;
    /* turns: the turn counter of each resource at the last request */
    uint32_t asked_at[RESOURCES];
    unsigned worst[RESOURCES];
} clients[N];

/* Turns so far: transmits, datagrams, conversions, operations started. */
static uint32_t turns(enum resource r)
{
    switch (r) {
    case UART: return rig.uart_mux.tx_serial;
    case UDP: return rig.net.counters.udp.tx_datagrams;
    case ADC: return rig.adc_mux.counters.conversions;
    default: return rig.crypto_mux.counters.operations;
    }
}

static void asked(struct load_client *c, enum resource r)
{
    c->asked_at[r] = turns(r);
}

/* In a completion: the operation that completed is the last one started
 * (every mux starts the next from its deferred call), so the turns of
 * others since the request are the difference, less our own. */
static void served(struct load_client *c, enum resource r)
{
    unsigned wait = turns(r) - c->asked_at[r] - 1;
    if (wait > c->worst[r])
        c->worst[r] = wait;
}

/* ------------------------------------------------------------ UART */

static void next_line(struct load_client *c)
{
    /* "c3 line 0042 ..............\n": whose, which, checkable */
    memset(c->line, '.', LINE);
    c->line[0] = 'c';
    c->line[1] = (uint8_t)('0' + c->index);
    memcpy(c->line + 2, " line ", 6);
    unsigned n = c->lines;
    for (int k = 11; k >= 8; k--, n /= 10)
        c->line[k] = (uint8_t)('0' + n % 10);
    c->line[LINE - 1] = '\n';
    asked(c, UART);
    assert_int_equal(uart_mux_write(&c->uart, c->line, LINE), VMUX_SUCCESS);
}

static void uart_written(struct uart_mux_client *u, const uint8_t *buf, size_t sent,
                         vmux_err_t status)
{
    struct load_client *c = container_of(u, struct load_client, uart);
    assert_ptr_equal(buf, c->line);
    assert_int_equal(status, VMUX_SUCCESS);
    assert_int_equal(sent, LINE);
    served(c, UART);
    if (++c->lines < TX_LINES)
        next_line(c);
}

static void uart_read(struct uart_mux_client *u, uint8_t *buf, size_t n, vmux_err_t status)
{
    struct load_client *c = container_of(u, struct load_client, uart);
    assert_int_equal(status, VMUX_SUCCESS);
    for (size_t i = 0; i < n; i++) {
        /* each frame of the peer's is RX_FRAME bytes of its sequence number */
        uint8_t want = (uint8_t)((c->rx_bytes + i) / RX_FRAME);
        if (buf[i] != want)
            c->rx_out_of_order++;
    }
    c->rx_bytes += (uint32_t)n;
    assert_int_equal(uart_mux_read(u, c->rx, sizeof c->rx), VMUX_SUCCESS);
}

static const struct uart_mux_client_ops uart_ops = { uart_written, uart_read };

/* ------------------------------------------------------------ UDP */

static void next_datagram(struct load_client *c)
{
    memset(c->dgram, (int)c->sent, sizeof c->dgram);
    c->dgram[0] = (uint8_t)c->index;
    struct udp_endpoint to = { RIG_PEER_IP, 9000 };
    asked(c, UDP);
    assert_int_equal(udp_mux_send(&c->port, &to, c->dgram, sizeof c->dgram), VMUX_SUCCESS);
}

static void udp_sent(struct udp_client *u, struct udp_binding *b, const uint8_t *buf, size_t len,
                     vmux_err_t status)
{
    struct load_client *c = container_of(u, struct load_client, udp);
    assert_ptr_equal(b, &c->port);
    assert_ptr_equal(buf, c->dgram);
    assert_int_equal(len, sizeof c->dgram);
    served(c, UDP);
    if (status == VMUX_SUCCESS)
        c->sent++;
    else
        c->send_failed++;
    if (c->sent + c->send_failed < DATAGRAMS)
        next_datagram(c);
}

static void udp_received(struct udp_client *u, uint8_t *buf, size_t len,
                         const struct udp_received *info, vmux_err_t status)
{
    struct load_client *c = container_of(u, struct load_client, udp);
    assert_int_equal(status, VMUX_SUCCESS);
    assert_int_equal(info->port, PORT0 + c->index); /* to its port, and so to it */
    assert_int_equal(len, 8);
    assert_int_equal(buf[0], c->index);
    c->received++;
    assert_int_equal(udp_mux_receive(u, c->udp_rx, sizeof c->udp_rx), VMUX_SUCCESS);
}

static const struct udp_client_ops udp_ops = { udp_sent, udp_received };

/* ------------------------------------------------------------ ADC */

static void sampled(struct adc_mux_client *a, unsigned channel, uint16_t value, vmux_err_t status)
{
    struct load_client *c = container_of(a, struct load_client, adc);
    assert_int_equal(channel, c->index);
    served(c, ADC);
    if (status != VMUX_SUCCESS || value > SIM_ADC_MAX_VALUE)
        c->sample_errors++;
    if (++c->samples < SAMPLES) {
        asked(c, ADC);
        assert_int_equal(adc_mux_sample(a, c->index), VMUX_SUCCESS);
    }
}

static const struct adc_mux_client_ops adc_ops = { sampled, NULL };

/* ------------------------------------------------------------ crypto */

static void next_crypt(struct load_client *c)
{
    memset(c->out, 0, sizeof c->out);
    asked(c, CRYPTO);
    assert_int_equal(crypto_mux_crypt(&c->crypto, c->h, CRYPTO_CTR, c->iv, c->in, c->out,
                                      sizeof c->in),
                     VMUX_SUCCESS);
}

static void crypted(struct crypto_mux_client *k, const uint8_t *in, uint8_t *out, size_t len,
                    vmux_err_t status)
{
    struct load_client *c = container_of(k, struct load_client, crypto);
    assert_ptr_equal(in, c->in);
    assert_ptr_equal(out, c->out);
    assert_int_equal(len, sizeof c->in);
    assert_int_equal(status, VMUX_SUCCESS);
    served(c, CRYPTO);
    if (memcmp(c->out, c->reference, sizeof c->out) != 0)
        c->crypt_wrong++;
    if (++c->crypts < CRYPTS)
        next_crypt(c);
}

static const struct crypto_mux_client_ops crypto_ops = { crypted };

static void reference_ctr(struct load_client *c)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int n = 0;
    assert_int_equal(EVP_EncryptInit_ex(ctx, EVP_aes_128_ctr(), NULL, c->key, c->iv), 1);
    assert_int_equal(EVP_EncryptUpdate(ctx, c->reference, &n, c->in, sizeof c->in), 1);
    EVP_CIPHER_CTX_free(ctx);
}

/* ------------------------------------------------------------ the peer */

static unsigned peer_frames_sent, peer_datagrams_sent;

/* Every millisecond the peer sends each client one UART frame and one
 * datagram, until it has sent them all. */
static void peer_floods(void)
{
    for (unsigned i = 0; i < N && peer_frames_sent / N < RX_FRAMES; i++) {
        uint8_t payload[RX_FRAME];
        memset(payload, (int)(peer_frames_sent / N), sizeof payload);
        rig_uart_send(clients[i].uart.channel, payload, sizeof payload);
        peer_frames_sent++;
    }
    for (unsigned i = 0; i < N && peer_datagrams_sent / N < RX_DATAGRAMS; i++) {
        uint8_t payload[8] = { (uint8_t)i };
        rig_peer_udp(9000, (uint16_t)(PORT0 + i), payload, sizeof payload);
        peer_datagrams_sent++;
    }
}

static bool all_done(void *ctx)
{
    (void)ctx;
    for (unsigned i = 0; i < N; i++) {
        const struct load_client *c = &clients[i];
        if (c->lines < TX_LINES || c->sent + c->send_failed < DATAGRAMS ||
            c->samples < SAMPLES || c->crypts < CRYPTS)
            return false;
    }
    return peer_frames_sent == N * RX_FRAMES && peer_datagrams_sent == N * RX_DATAGRAMS;
}

/* ------------------------------------------------------------ baseline */

struct baseline {
    uint32_t ports, alarms, reserved;
    unsigned channels, uart_clients, udp_clients, adc_clients, crypto_clients;
    unsigned free_frames;
};

static unsigned table_count(const struct client_table *t)
{
    unsigned n = 0;
    for (unsigned i = 0; i < t->capacity; i++)
        n += client_table_at(t, i) != NULL;
    return n;
}

static struct baseline baseline_now(void)
{
    struct baseline b = {
        .ports = rig.udp_mux.ports.count,
        .alarms = alarm_mux_armed_count(&rig.alarm_mux),
        .reserved = crypto_mux_reserved_count(&rig.crypto_mux),
        .uart_clients = table_count(&rig.uart_mux.clients),
        .udp_clients = table_count(&rig.udp_mux.clients),
        .adc_clients = table_count(&rig.adc_mux.clients),
        .crypto_clients = table_count(&rig.crypto_mux.clients),
    };
    for (unsigned ch = 1; ch < 256; ch++)
        b.channels += uart_mux_channel_owner(&rig.uart_mux, (uint8_t)ch) != NULL;
    for (unsigned f = 0; f < rig.net.frame_count; f++)
        b.free_frames += rig.net.frames[f].state == NETIF_FRAME_FREE;
    return b;
}

/* ------------------------------------------------------------ the test */

static int setup(void **state)
{
    (void)state;
    rig_config = (struct rig_config){ .crypto_slots = N, .net_frames = 3 };
    rig_setup(".");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    rig_teardown();
    rig_config = (struct rig_config){ RIG_CRYPTO_SLOTS, RIG_NET_FRAMES };
    return 0;
}

/* Client i, named PREFIX and i: registered, attached to the UART mux and
 * to the UDP mux, bound to port PORT0 + i. */
static void attach_uart_and_udp(struct load_client *c, unsigned i, const char *prefix)
{
    c->index = i;
    snprintf(c->name, sizeof c->name, "%s%u", prefix, i);
    c->id = client_register_kernel(c->name);
    assert_int_equal(uart_mux_attach(&rig.uart_mux, &c->uart, c->id, c->name, &uart_ops),
                     VMUX_SUCCESS);
    assert_int_equal(udp_mux_attach(&rig.udp_mux, &c->udp, c->id, &udp_ops, c->hold,
                                    sizeof c->hold),
                     VMUX_SUCCESS);
    assert_int_equal(udp_mux_bind(&c->udp, &c->port, (uint16_t)(PORT0 + i), NULL),
                     VMUX_SUCCESS);
}

static void load_eight_clients_on_every_resource_at_once(void **state)
{
    (void)state;
    rig_run(2 * MS, NULL, NULL);
    struct baseline before = baseline_now();
    uint32_t no_owner0 = rig.uart_mux.counters.frames_no_owner;

    memset(clients, 0, sizeof clients);
    for (unsigned i = 0; i < N; i++) {
        struct load_client *c = &clients[i];
        attach_uart_and_udp(c, i, "load");
        assert_int_equal(adc_mux_attach(&rig.adc_mux, &c->adc, c->id, &adc_ops), VMUX_SUCCESS);
        assert_int_equal(crypto_mux_attach(&rig.crypto_mux, &c->crypto, c->id, &crypto_ops),
                         VMUX_SUCCESS);
        assert_int_equal(crypto_mux_reserve(&c->crypto, &c->h), VMUX_SUCCESS);
        for (unsigned b = 0; b < 16; b++) {
            c->key[b] = (uint8_t)(i * 16 + b);
            c->iv[b] = (uint8_t)(0xf0 - i - b);
        }
        for (unsigned b = 0; b < sizeof c->in; b++)
            c->in[b] = (uint8_t)(i + b);
        reference_ctr(c);
        assert_int_equal(crypto_mux_load_key(&c->crypto, c->h, c->key), VMUX_SUCCESS);
    }
    rig_run(2 * MS, NULL, NULL); /* the channels are announced */
    for (unsigned i = 0; i < N; i++) {
        struct load_client *c = &clients[i];
        assert_int_equal(uart_mux_read(&c->uart, c->rx, sizeof c->rx), VMUX_SUCCESS);
        assert_int_equal(udp_mux_receive(&c->udp, c->udp_rx, sizeof c->udp_rx), VMUX_SUCCESS);
        next_line(c);
        next_datagram(c);
        asked(c, ADC);
        assert_int_equal(adc_mux_sample(&c->adc, i), VMUX_SUCCESS);
        next_crypt(c);
    }
    uint32_t uart_bytes0[N];
    for (unsigned i = 0; i < N; i++)
        uart_bytes0[i] = rig.channels[clients[i].uart.channel].bytes;

    uint64_t start = sim_now_ns();
    while (!all_done(NULL) && sim_now_ns() - start < 5000 * MS) {
        peer_floods();
        rig_run(MS, NULL, NULL);
    }
    rig_run(50 * MS, NULL, NULL); /* the last deliveries */
    assert_true(all_done(NULL));
    double seconds = (double)(sim_now_ns() - start) / 1e9;

    /* ---- nothing lost */
    unsigned uart_dropped_full = 0, udp_dropped_full = 0, send_failed = 0;
    for (unsigned i = 0; i < N; i++) {
        struct load_client *c = &clients[i];
        const struct rig_channel *w = &rig.channels[c->uart.channel];
        /* every byte written reached the wire, on its own channel, last line intact */
        assert_int_equal(w->bytes - uart_bytes0[i], TX_LINES * LINE);
        assert_int_equal(w->tail[w->tail_len - LINE], 'c');
        assert_int_equal(w->tail[w->tail_len - LINE + 1], '0' + i);
        assert_memory_equal(w->tail + w->tail_len - LINE + 8, "0099", 4);
        /* every frame for it was delivered, in order, or counted dropped */
        uart_dropped_full += c->uart.counters.frames_dropped_full;
        assert_int_equal(c->rx_bytes + c->uart.counters.frames_dropped_full * RX_FRAME,
                         RX_FRAMES * RX_FRAME);
        if (c->uart.counters.frames_dropped_full == 0)
            assert_int_equal(c->rx_out_of_order, 0);
        /* every datagram sent is on the wire, from its port */
        send_failed += c->send_failed;
        assert_int_equal(rig_datagrams_from((uint16_t)(PORT0 + i)) + c->send_failed, DATAGRAMS);
        /* every datagram for it was delivered, or counted dropped */
        udp_dropped_full += c->udp.counters.dropped_full;
        assert_int_equal(c->received + c->udp.counters.dropped_full, RX_DATAGRAMS);
        assert_int_equal(c->sample_errors, 0);
        assert_int_equal(c->crypt_wrong, 0);
    }
    assert_int_equal(rig.uart_mux.counters.frames_no_owner, no_owner0);
    assert_int_equal(rig.decoder.counters.bad_crc + rig.decoder.counters.malformed, 0);
    const struct sim_uart_counters *uc = sim_uart_counters(&rig.uart);
    assert_int_equal(uc->overruns, 0);
    assert_int_equal(rig.nic.counters.rx_dropped_full, 0);

    /* ---- nobody starved */
    unsigned worst[RESOURCES] = { 0 };
    for (unsigned i = 0; i < N; i++)
        for (unsigned r = 0; r < RESOURCES; r++)
            if (clients[i].worst[r] > worst[r])
                worst[r] = clients[i].worst[r];
    for (unsigned r = 0; r < RESOURCES; r++)
        if (worst[r] > N - 1)
            fail_msg("%s: a client waited %u turns (bound %u)", resource_names[r], worst[r],
                     N - 1);

    /* ---- nothing leaked: the clients leave, as a component going away */
    for (unsigned i = 0; i < N; i++)
        client_departed(clients[i].id);
    rig_run(10 * MS, NULL, NULL);
    struct baseline after = baseline_now();
    assert_int_equal(after.ports, before.ports);
    assert_int_equal(after.alarms, before.alarms);
    assert_int_equal(after.reserved, before.reserved);
    assert_int_equal(after.channels, before.channels);
    assert_int_equal(after.uart_clients, before.uart_clients);
    assert_int_equal(after.udp_clients, before.udp_clients);
    assert_int_equal(after.adc_clients, before.adc_clients);
    assert_int_equal(after.crypto_clients, before.crypto_clients);
    assert_int_equal(after.free_frames, before.free_frames);
    for (unsigned s = 0; s < N; s++) {
        size_t len;
        const uint8_t *reg = crypto_engine_slot_register(&rig.engine, s, &len);
        for (size_t b = 0; b < len; b++)
            assert_int_equal(reg[b], 0);
    }

    unsigned ops = N * (TX_LINES + DATAGRAMS + SAMPLES + CRYPTS + RX_FRAMES + RX_DATAGRAMS);
    printf("load: %u clients, %u operations in %.2f s of simulated time "
           "(uart %u lines + %u frames in, udp %u datagrams out + %u in, adc %u samples, "
           "crypto %u operations)\n",
           N, ops, seconds, N * TX_LINES, N * RX_FRAMES, N * DATAGRAMS, N * RX_DATAGRAMS,
           N * SAMPLES, N * CRYPTS);
    printf("load: drops by reason: uart hold full %u, uart no owner %u, uart overrun %llu, "
           "udp hold full %u, nic queue full %u, udp send failed %u\n",
           uart_dropped_full, rig.uart_mux.counters.frames_no_owner - no_owner0,
           (unsigned long long)uc->overruns, udp_dropped_full,
           rig.nic.counters.rx_dropped_full, send_failed);
    printf("load: worst wait in turns (bound %u): uart %u, udp %u, adc %u, crypto %u\n", N - 1,
           worst[UART], worst[UDP], worst[ADC], worst[CRYPTO]);
    printf("load: leaks: ports %d, alarms %d, key slots %d, channels %d, frames %d, "
           "clients %d\n",
           (int)after.ports - (int)before.ports, (int)after.alarms - (int)before.alarms,
           (int)after.reserved - (int)before.reserved,
           (int)after.channels - (int)before.channels,
           (int)before.free_frames - (int)after.free_frames,
           (int)(after.uart_clients + after.udp_clients + after.adc_clients +
                 after.crypto_clients) -
               (int)(before.uart_clients + before.udp_clients + before.adc_clients +
                     before.crypto_clients));
    fflush(stdout);
}

/* Overload: the peer sends faster than two clients read. Whatever is not
 * delivered is dropped at a counted place, with its reason, and only the
 * client it was for loses it. */
static void load_overflow_drops_are_counted_by_reason(void **state)
{
    (void)state;
    rig_run(2 * MS, NULL, NULL);
    memset(clients, 0, sizeof clients);
    for (unsigned i = 0; i < 2; i++) {
        struct load_client *c = &clients[i];
        attach_uart_and_udp(c, i, "over");
    }
    rig_run(2 * MS, NULL, NULL);
    /* client 0 does not read yet; client 1 reads all along */
    assert_int_equal(uart_mux_read(&clients[1].uart, clients[1].rx, sizeof clients[1].rx),
                     VMUX_SUCCESS);
    assert_int_equal(udp_mux_receive(&clients[1].udp, clients[1].udp_rx,
                                     sizeof clients[1].udp_rx),
                     VMUX_SUCCESS);
    /* UART: 20 frames of 16 bytes each, at once; client 0's hold takes 16 */
    for (unsigned k = 0; k < 20; k++)
        for (unsigned i = 0; i < 2; i++) {
            uint8_t payload[RX_FRAME];
            memset(payload, (int)k, sizeof payload);
            rig_uart_send(clients[i].uart.channel, payload, sizeof payload);
        }
    /* UDP: 8 bursts of 8 to each (16 in all: what the NIC's queue takes),
     * then one of 40 to each */
    unsigned sent = 0;
    for (unsigned burst = 0; burst < 9; burst++) {
        unsigned n = burst < 8 ? 8 : 40;
        for (unsigned k = 0; k < n; k++)
            for (unsigned i = 0; i < 2; i++) {
                uint8_t payload[8] = { (uint8_t)i };
                rig_peer_udp(9000, (uint16_t)(PORT0 + i), payload, sizeof payload);
            }
        sent += n;
        rig_run(MS, NULL, NULL);
    }
    rig_run(10 * MS, NULL, NULL);
    /* now client 0 reads what it was kept */
    assert_int_equal(uart_mux_read(&clients[0].uart, clients[0].rx, sizeof clients[0].rx),
                     VMUX_SUCCESS);
    assert_int_equal(udp_mux_receive(&clients[0].udp, clients[0].udp_rx,
                                     sizeof clients[0].udp_rx),
                     VMUX_SUCCESS);
    rig_run(20 * MS, NULL, NULL);

    const struct load_client *slow = &clients[0], *fast = &clients[1];
    uint32_t nic_full = rig.nic.counters.rx_dropped_full;
    /* UART: the slow one lost what its hold could not keep, counted; the
     * fast one lost nothing */
    assert_int_equal(slow->rx_bytes, UART_MUX_HOLD_BYTES);
    assert_int_equal(slow->uart.counters.frames_dropped_full, 20 - UART_MUX_HOLD_BYTES / RX_FRAME);
    assert_int_equal(slow->rx_bytes + slow->uart.counters.frames_dropped_full * RX_FRAME,
                     20 * RX_FRAME);
    assert_int_equal(fast->rx_bytes, 20 * RX_FRAME);
    assert_int_equal(fast->uart.counters.frames_dropped_full, 0);
    assert_int_equal(sim_uart_counters(&rig.uart)->overruns, 0);
    /* UDP: delivered + dropped at the NIC + dropped in the hold = sent */
    unsigned hold_fits = sizeof slow->hold / (8 + UDP_MUX_HOLD_RECORD);
    assert_int_equal(slow->received, hold_fits);
    assert_true(slow->udp.counters.dropped_full > 0);
    assert_true(nic_full > 0);
    assert_int_equal(slow->received + slow->udp.counters.dropped_full +
                         fast->received + fast->udp.counters.dropped_full + nic_full,
                     2 * sent);
    assert_int_equal(fast->udp.counters.dropped_full, 0);
    printf("overload: uart %u frames each to 2 clients: slow got %u bytes, dropped %u "
           "(hold full), fast got %u; udp %u datagrams each: slow got %u, dropped %u "
           "(hold full), fast got %u, %u dropped at the NIC (queue full)\n",
           20, slow->rx_bytes, slow->uart.counters.frames_dropped_full, fast->rx_bytes, sent,
           slow->received, slow->udp.counters.dropped_full, fast->received, nic_full);
    fflush(stdout);
    for (unsigned i = 0; i < 2; i++)
        client_departed(clients[i].id);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(load_eight_clients_on_every_resource_at_once, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(load_overflow_drops_are_counted_by_reason, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
