/*
 * Mux benchmarks, measured in instructions by callgrind (bench/run.sh).
 *
 *   bench_muxes SCENARIO CLIENTS
 *
 * Each scenario does its setup outside the measured region, then calls
 * one function named bench_<scenario> that performs a known number of
 * operations; bench/run.sh tells callgrind to count only inside that
 * function (--toggle-collect) and divides by the count this program prints.
 * The fairness scenarios (UART, SPI, I2C) also print Jain's index and the
 * worst wait in turns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boards/test/test_board.h"
#include "capsules/adc_mux.h"
#include "capsules/alarm_mux.h"
#include "capsules/crypto_mux.h"
#include "capsules/i2c_mux.h"
#include "capsules/net/checksum.h"
#include "capsules/net/netif.h"
#include "capsules/net/udp_mux.h"
#include "capsules/rng_mux.h"
#include "capsules/screen_mux.h"
#include "capsules/spi_mux.h"
#include "capsules/uart_mux.h"
#include "chips/sim/sim.h"
#include "chips/sim/sim_adc.h"
#include "chips/sim/sim_alarm.h"
#include "chips/sim/sim_gpio.h"
#include "chips/sim/sim_i2c.h"
#include "chips/sim/sim_net.h"
#include "chips/sim/sim_screen.h"
#include "chips/sim/sim_spi.h"
#include "chips/sim/sim_tmp105.h"
#include "chips/sim/sim_uart.h"
#include "chips/soft/crypto_engine.h"
#include "chips/soft/ctr_drbg.h"

#define MAX_CLIENTS 1024
#define ROUNDS 20

static unsigned long operations;

/* ------------------------------------------------------------ uart */

static struct sim_uart uart;
static struct uart_mux uart_mux;
static struct client_entry *uart_slots[MAX_CLIENTS];
static uint32_t uart_rr[RR_WORDS(MAX_CLIENTS)];
static struct uart_writer {
    struct uart_mux_client c;
    unsigned left;
    unsigned served;
} writers[MAX_CLIENTS];
static const uint8_t line[32] = "0123456789abcdef0123456789abcdef";
static uint8_t wire_channels[1 << 16];
static unsigned wire_frames;
static struct uart_frame_decoder peer;

static void writer_done(struct uart_mux_client *c, const uint8_t *b, size_t n, vmux_err_t s)
{
    struct uart_writer *w = container_of(c, struct uart_writer, c);
    (void)b, (void)n, (void)s;
    operations++;
    w->served++;
    if (--w->left)
        uart_mux_write(c, line, sizeof line);
}

static void reader_done(struct uart_mux_client *c, uint8_t *b, size_t n, vmux_err_t s)
{
    (void)c, (void)b, (void)n, (void)s;
}

static const struct uart_mux_client_ops writer_ops = { writer_done, reader_done };

static void drain_wire(void)
{
    uint8_t bytes[4096];
    size_t n;
    while ((n = sim_uart_take_tx(&uart, bytes, sizeof bytes)) > 0)
        for (size_t i = 0; i < n; i++)
            if (uart_frame_decoder_push(&peer, bytes[i]) == UART_FRAME_READY &&
                uart_frame_channel(&peer) != 0 && wire_frames < sizeof wire_channels)
                wire_channels[wire_frames++] = uart_frame_channel(&peer);
}

static void uart_setup(unsigned clients)
{
    struct sim_uart_config cfg = { .backend = SIM_UART_MEMORY, .baud = 100000000 };
    sim_uart_init(&uart, &cfg);
    uart_mux_init(&uart_mux, &uart.hil, uart_slots, uart_rr, clients);
    uart_frame_decoder_init(&peer);
    for (unsigned i = 0; i < clients; i++)
        uart_mux_attach(&uart_mux, &writers[i].c, client_process(i, 1), "w", &writer_ops);
    sim_advance(1000000000ull); /* announcements out of the way */
    drain_wire();
    wire_frames = 0;
}

__attribute__((noinline)) void bench_uart_write(unsigned clients)
{
    for (unsigned i = 0; i < clients; i++) {
        writers[i].left = ROUNDS;
        uart_mux_write(&writers[i].c, line, sizeof line);
    }
    while (operations < (unsigned long)clients * ROUNDS) {
        sim_advance(100000);
        drain_wire();
    }
}

/* Framing alone (CRC-16 + COBS of a 32-byte payload, as the mux frames a
 * write): operations are payload bytes, so the figure is instructions per
 * byte, every fixed cost of a frame included. */
__attribute__((noinline)) void bench_uart_frame(unsigned frames)
{
    static uint8_t out[UART_FRAME_WIRE_MAX];
    for (unsigned i = 0; i < frames; i++) {
        if (uart_frame_encode(3, line, sizeof line, out, sizeof out) == 0)
            return;
        operations += sizeof line;
    }
}

/* Jain's index over frames served, and the worst wait in turns seen on
 * the wire while every client had output queued. */
static void uart_fairness(unsigned clients)
{
    double sum = 0, squares = 0;
    for (unsigned i = 0; i < clients; i++) {
        sum += writers[i].served;
        squares += (double)writers[i].served * writers[i].served;
    }
    unsigned worst = 0;
    static unsigned since[256];
    memset(since, 0, sizeof since);
    for (unsigned f = 0; f < wire_frames; f++)
        for (unsigned i = 0; i < clients; i++) {
            unsigned ch = writers[i].c.channel;
            if (wire_channels[f] == ch)
                since[ch] = 0;
            else if (++since[ch] > worst && f < wire_frames - clients)
                worst = since[ch];
        }
    printf("fairness clients=%u jain=%.4f worst_wait_turns=%u bound=%u\n", clients,
           sum * sum / (clients * squares), worst, clients - 1);
}

/* ------------------------------------------------------------ crypto */

static struct crypto_engine_slot key_registers[CRYPTO_MUX_SLOTS_MAX];
static struct crypto_engine engine;
static struct crypto_mux crypto_mux;
static struct client_entry *crypto_clients[MAX_CLIENTS];
static uint32_t crypto_rr[RR_WORDS(MAX_CLIENTS)];
static struct crypto_user {
    struct crypto_mux_client c;
    crypto_handle_t slot;
    uint8_t block[16];
    unsigned left;
} users[CRYPTO_MUX_SLOTS_MAX];

static void crypto_done(struct crypto_mux_client *c, const uint8_t *in, uint8_t *out, size_t len,
                        vmux_err_t s)
{
    struct crypto_user *u = container_of(c, struct crypto_user, c);
    (void)in, (void)out, (void)len, (void)s;
    operations++;
    if (--u->left)
        crypto_mux_crypt(c, u->slot, CRYPTO_ECB_ENCRYPT, NULL, u->block, u->block, 16);
}

static const struct crypto_mux_client_ops crypto_ops = { crypto_done };

static void crypto_setup(unsigned clients)
{
    crypto_engine_init(&engine, key_registers, CRYPTO_MUX_SLOTS_MAX);
    crypto_mux_init(&crypto_mux, &engine.hil, crypto_clients, crypto_rr, clients);
    static const uint8_t key[16] = "benchmark-key-01";
    for (unsigned i = 0; i < clients; i++) {
        crypto_mux_attach(&crypto_mux, &users[i].c, client_process(i, 1), &crypto_ops);
        crypto_mux_reserve(&users[i].c, &users[i].slot);
        crypto_mux_load_key(&users[i].c, users[i].slot, key);
    }
}

__attribute__((noinline)) void bench_crypto_ecb(unsigned clients)
{
    for (unsigned i = 0; i < clients; i++) {
        users[i].left = ROUNDS;
        crypto_mux_crypt(&users[i].c, users[i].slot, CRYPTO_ECB_ENCRYPT, NULL, users[i].block,
                         users[i].block, 16);
    }
    sim_settle();
}

/* ------------------------------------------------------------ rng */

/* Requests of RNG_MUX_CHUNK bytes from the RNG mux over the CTR_DRBG (the
 * lm3s6965evb's source), each client asking again from its callback. */
static struct ctr_drbg drbg;
static struct rng_mux rng_mux;
static struct client_entry *rng_clients[MAX_CLIENTS];
static uint32_t rng_rr[RR_WORDS(MAX_CLIENTS)];
static struct rng_user {
    struct rng_mux_client c;
    uint8_t kept[RNG_MUX_CHUNK];
    unsigned left;
} rng_users[MAX_CLIENTS];

static void rng_done(struct rng_mux_client *c, const uint8_t *bytes, size_t len, vmux_err_t s)
{
    struct rng_user *u = container_of(c, struct rng_user, c);
    (void)s;
    memcpy(u->kept, bytes, len);
    operations++;
    if (--u->left)
        rng_mux_get(c, RNG_MUX_CHUNK);
}

static const struct rng_mux_client_ops rng_ops = { rng_done };

static void rng_setup(unsigned clients)
{
    ctr_drbg_init(&drbg);
    ctr_drbg_seed(&drbg, (const uint8_t *)"benchmark seed", 14);
    rng_mux_init(&rng_mux, &drbg.hil, rng_clients, rng_rr, clients);
    for (unsigned i = 0; i < clients; i++)
        rng_mux_attach(&rng_mux, &rng_users[i].c, client_process(i, 1), &rng_ops);
}

__attribute__((noinline)) void bench_rng_get(unsigned clients)
{
    for (unsigned i = 0; i < clients; i++) {
        rng_users[i].left = ROUNDS;
        rng_mux_get(&rng_users[i].c, RNG_MUX_CHUNK);
    }
    sim_settle();
}

/* ------------------------------------------------------------ alarms */

static struct sim_alarm alarm_hw;
static struct alarm_mux alarm_mux;
static struct virtual_alarm *alarm_heap[MAX_CLIENTS + 1];
static struct virtual_alarm alarms[MAX_CLIENTS + 1];
static struct hil_alarm_client alarm_client;

static void alarm_fired(struct hil_alarm_client *self)
{
    (void)self;
    operations++;
}

static void alarm_setup(unsigned armed)
{
    sim_alarm_init(&alarm_hw, 0);
    alarm_mux_init(&alarm_mux, &alarm_hw.hil, alarm_heap, MAX_CLIENTS + 1);
    alarm_client.fired = alarm_fired;
    for (unsigned i = 0; i <= armed; i++) {
        virtual_alarm_init(&alarms[i], &alarm_mux);
        hil_alarm_set_client(&alarms[i].hil, &alarm_client);
    }
    /* armed alarms at pseudo-random far deadlines */
    uint32_t now = hil_alarm_now(&alarms[0].hil), seed = 1;
    for (unsigned i = 1; i <= armed && armed > 0; i++) {
        seed = seed * 1103515245u + 12345u;
        hil_alarm_set(&alarms[i].hil, now, 1000000 + (seed >> 8) % 1000000);
    }
}

/* One alarm set and cancelled ROUNDS times among n armed: insert + cancel. */
__attribute__((noinline)) void bench_alarm_insert(unsigned armed)
{
    (void)armed;
    uint32_t now = hil_alarm_now(&alarms[0].hil);
    for (unsigned r = 0; r < ROUNDS * 10; r++) {
        hil_alarm_set(&alarms[0].hil, now, 500000 + r * 97);
        hil_alarm_disarm(&alarms[0].hil);
        operations++;
    }
}

/* A spurious interrupt among n armed: a near alarm set and cancelled
 * (the hardware stays armed for it), then time passes its deadline. run.sh
 * collects inside the mux's interrupt handler only (hw_fired). */
__attribute__((noinline)) void bench_alarm_spurious(unsigned armed)
{
    (void)armed;
    for (unsigned r = 0; r < ROUNDS; r++) {
        uint32_t now = hil_alarm_now(&alarms[0].hil);
        hil_alarm_set(&alarms[0].hil, now, 100);
        hil_alarm_disarm(&alarms[0].hil);
        sim_advance(200000ull); /* 200 us of 1 MHz ticks: past it */
        operations++;
    }
}

/* Fire all n armed alarms (sim time advanced through their deadlines). */
__attribute__((noinline)) void bench_alarm_fire(unsigned armed)
{
    (void)armed;
    sim_advance(3000000000ull);
}

/* ------------------------------------------------------------ adc */

static struct sim_adc adc;
static struct adc_mux adc_mux;
static struct virtual_alarm adc_watchdog;
static struct client_entry *adc_clients[MAX_CLIENTS];
static uint32_t adc_rr[RR_WORDS(MAX_CLIENTS)];
static struct sampler {
    struct adc_mux_client c;
    unsigned channel, left;
} samplers[MAX_CLIENTS];
static unsigned adc_channel_spread = 1;

static void sample_done(struct adc_mux_client *c, unsigned ch, uint16_t v, vmux_err_t s)
{
    struct sampler *p = container_of(c, struct sampler, c);
    (void)ch, (void)v, (void)s;
    operations++;
    if (--p->left)
        adc_mux_sample(c, p->channel);
}

static const struct adc_mux_client_ops sampler_ops = { .sample_done = sample_done };

static void adc_setup(unsigned clients)
{
    sim_alarm_init(&alarm_hw, 0);
    alarm_mux_init(&alarm_mux, &alarm_hw.hil, alarm_heap, MAX_CLIENTS + 1);
    virtual_alarm_init(&adc_watchdog, &alarm_mux);
    sim_adc_init(&adc, NULL);
    adc_mux_init(&adc_mux, &adc.hil, &adc_watchdog.hil, adc_clients, adc_rr, clients);
    for (unsigned i = 0; i < clients; i++) {
        adc_mux_attach(&adc_mux, &samplers[i].c, client_process(i, 1), &sampler_ops);
        samplers[i].channel = i % adc_channel_spread;
    }
}

/* Every client samples ROUNDS times; counted per delivered reading. */
__attribute__((noinline)) void bench_adc_sample(unsigned clients)
{
    for (unsigned i = 0; i < clients; i++) {
        samplers[i].left = ROUNDS;
        adc_mux_sample(&samplers[i].c, samplers[i].channel);
    }
    while (operations < (unsigned long)clients * ROUNDS)
        sim_advance(10000);
}

/* ------------------------------------------------------------ buses */

/* N devices on one bus, each with one client that queues its next
 * operation from its callback: SPI, a 16-byte transfer to the client's
 * own chip (a shift register on its own select); I2C, a write-then-read
 * of two bytes to the client's own TMP105. Each served operation is
 * logged, for the fairness line. */
#define BUS_BENCH_DEVICES 64
#define BUS_LOG (BUS_BENCH_DEVICES * ROUNDS)
static struct sim_gpio bus_selects[BUS_BENCH_DEVICES / SIM_GPIO_PINS];
static struct sim_spi spi_hw;
static struct sim_spi_shift spi_devices[BUS_BENCH_DEVICES];
static struct spi_chip spi_chips[BUS_BENCH_DEVICES];
static struct spi_mux spi_mux;
static struct sim_i2c i2c_hw;
static struct sim_tmp105 i2c_devices[BUS_BENCH_DEVICES];
static struct i2c_mux i2c_mux;
static struct client_entry *bus_slots[BUS_BENCH_DEVICES];
static uint32_t bus_rr[RR_WORDS(BUS_BENCH_DEVICES)];
static struct virtual_alarm bus_watchdog;
static struct bus_user {
    struct spi_device spi;
    struct i2c_device i2c;
    uint8_t buf[16];
    unsigned left, served;
} bus_users[BUS_BENCH_DEVICES];
static uint16_t bus_log[BUS_LOG];

static void bus_served(struct bus_user *u)
{
    if (operations < BUS_LOG)
        bus_log[operations] = (uint16_t)(u - bus_users);
    operations++;
    u->served++;
    u->left--;
}

static void spi_done(struct spi_device *d, const uint8_t *w, uint8_t *r, size_t len, vmux_err_t st)
{
    struct bus_user *u = container_of(d, struct bus_user, spi);
    (void)w, (void)r, (void)st;
    bus_served(u);
    if (u->left)
        spi_mux_transfer(d, u->buf, u->buf, len, 0);
}

static void i2c_done(struct i2c_device *d, uint8_t *buf, size_t len, vmux_err_t st)
{
    struct bus_user *u = container_of(d, struct bus_user, i2c);
    (void)len, (void)st;
    bus_served(u);
    if (u->left) {
        buf[0] = 0;
        i2c_mux_transfer(d, buf, 1, 2);
    }
}

static const struct spi_device_ops spi_bench_ops = { spi_done };
static const struct i2c_device_ops i2c_bench_ops = { i2c_done };

static void bus_setup(unsigned devices, bool spi)
{
    sim_alarm_init(&alarm_hw, 0);
    alarm_mux_init(&alarm_mux, &alarm_hw.hil, alarm_heap, MAX_CLIENTS + 1);
    virtual_alarm_init(&bus_watchdog, &alarm_mux);
    if (spi) {
        for (unsigned b = 0; b < BUS_BENCH_DEVICES / SIM_GPIO_PINS; b++)
            sim_gpio_init(&bus_selects[b], SIM_GPIO_PINS);
        sim_spi_init(&spi_hw);
        spi_hw.rate_hz = 100000000u;
        spi_mux_init(&spi_mux, &spi_hw.hil, bus_slots, bus_rr, devices, &bus_watchdog.hil,
                     100000u);
    } else {
        sim_i2c_init(&i2c_hw);
        i2c_mux_init(&i2c_mux, &i2c_hw.hil, bus_slots, bus_rr, devices, &bus_watchdog.hil,
                     100000u);
    }
    for (unsigned i = 0; i < devices; i++) {
        struct bus_user *u = &bus_users[i];
        if (spi) {
            struct sim_gpio *bank = &bus_selects[i / SIM_GPIO_PINS];
            spi_chips[i] = (struct spi_chip){ "dev", { &bank->hil, (uint8_t)(i % SIM_GPIO_PINS), 0 },
                                              { NULL, 0, 0 }, NULL };
            sim_spi_shift_attach(&spi_hw, &spi_devices[i], 0, bank, i % SIM_GPIO_PINS, false,
                                 NULL, 0);
            spi_mux_attach(&spi_mux, &u->spi, client_process(i, 1), test_board_cap_bus_device(),
                           &spi_chips[i], &spi_bench_ops);
            spi_mux_configure(&u->spi, HIL_SPI_MODE_0, 100000000u);
        } else {
            sim_tmp105_attach(&i2c_hw, &i2c_devices[i], 0x08 + i);
            i2c_mux_attach(&i2c_mux, &u->i2c, client_process(i, 1), test_board_cap_bus_device(),
                           0x08 + i, &i2c_bench_ops);
        }
    }
}

/* Every client makes ROUNDS transfers (transactions), each queued from
 * the callback of the one before. */
__attribute__((noinline)) void bench_bus(unsigned devices, bool spi)
{
    for (unsigned i = 0; i < devices; i++) {
        struct bus_user *u = &bus_users[i];
        u->left = ROUNDS;
        u->buf[0] = 0;
        if (spi)
            spi_mux_transfer(&u->spi, u->buf, u->buf, sizeof u->buf, 0);
        else
            i2c_mux_transfer(&u->i2c, u->buf, 1, 2);
    }
    while (operations < (unsigned long)devices * ROUNDS)
        sim_advance(spi ? 2000 : 100000);
}

__attribute__((noinline)) void bench_spi_transfer(unsigned devices)
{
    bench_bus(devices, true);
}

__attribute__((noinline)) void bench_i2c_transaction(unsigned devices)
{
    bench_bus(devices, false);
}

/* Jain's index over operations served, and the worst wait in turns
 * between two services of a client (or from the start to its first)
 * while every client had one queued. */
static void bus_fairness(unsigned devices)
{
    double sum = 0, squares = 0;
    static unsigned last[BUS_BENCH_DEVICES];
    unsigned worst = 0;
    for (unsigned i = 0; i < devices; i++) {
        sum += bus_users[i].served;
        squares += (double)bus_users[i].served * bus_users[i].served;
        last[i] = 0;
    }
    unsigned logged = operations < BUS_LOG ? (unsigned)operations : BUS_LOG;
    for (unsigned k = 0; k + devices <= logged; k++) {
        unsigned i = bus_log[k], waited = k - last[i];
        if (waited > worst)
            worst = waited;
        last[i] = k + 1;
    }
    printf("fairness devices=%u jain=%.4f worst_wait_turns=%u bound=%u\n", devices,
           sum * sum / (devices * squares), worst, devices - 1);
}

/* ------------------------------------------------------------ screen */

/* Screen: each client a window of its own (a column of 16 x 64 pixels
 * of the 128 x 64 screen), flushing one rectangle of 16 x 8 pixels (64
 * bytes), the next queued from the callback of the one before. The
 * simulated screen completes at once, so the figure is the mux's and
 * the driver's work per rectangle. */
#define SCREEN_BENCH_CLIENTS 8
static struct sim_screen screen_hw;
static struct screen_mux screen_mux;
static struct client_entry *screen_slots[SCREEN_BENCH_CLIENTS];
static uint32_t screen_rr[RR_WORDS(SCREEN_BENCH_CLIENTS)];
static struct virtual_alarm screen_watchdog;
static struct screen_window screen_windows[SCREEN_BENCH_CLIENTS];
static struct screen_user {
    struct screen_client c;
    uint8_t pixels[16 * 8 / 2];
    unsigned left;
} screen_users[SCREEN_BENCH_CLIENTS];

static void screen_done(struct screen_client *c, const uint8_t *buf, size_t len, vmux_err_t s)
{
    struct screen_user *u = container_of(c, struct screen_user, c);
    (void)s;
    if (buf == NULL)
        return; /* its power request */
    operations++;
    if (--u->left)
        screen_mux_write(c, buf, len, false);
}

static const struct screen_client_ops screen_bench_ops = { screen_done };

static void screen_setup(unsigned clients)
{
    sim_alarm_init(&alarm_hw, 0);
    alarm_mux_init(&alarm_mux, &alarm_hw.hil, alarm_heap, MAX_CLIENTS + 1);
    virtual_alarm_init(&screen_watchdog, &alarm_mux);
    sim_screen_init(&screen_hw);
    screen_hw.byte_ns = 0;
    screen_mux_init(&screen_mux, &screen_hw.hil, screen_slots, screen_rr, clients,
                    &screen_watchdog.hil, 100000u);
    for (unsigned i = 0; i < clients; i++) {
        struct screen_user *u = &screen_users[i];
        screen_windows[i] = (struct screen_window){ "w", { (uint16_t)(16 * i), 0, 16, 64 }, NULL };
        screen_mux_attach(&screen_mux, &u->c, client_process(i, 1), test_board_cap_screen_window(),
                          &screen_windows[i], &screen_bench_ops);
        screen_mux_set_power(&u->c, true);
        sim_settle();
        screen_mux_set_frame(&u->c, 0, 8 * (i % 8), 16, 8);
        memset(u->pixels, 0x11 * (int)(i + 1), sizeof u->pixels);
    }
}

/* Every client flushes ROUNDS rectangles. */
__attribute__((noinline)) void bench_screen_flush(unsigned clients)
{
    for (unsigned i = 0; i < clients; i++) {
        struct screen_user *u = &screen_users[i];
        u->left = ROUNDS;
        screen_mux_write(&u->c, u->pixels, sizeof u->pixels, false);
    }
    while (operations < (unsigned long)clients * ROUNDS)
        sim_settle();
}

/* ------------------------------------------------------------ udp */

#define UDP_BENCH_CLIENTS 64
static struct sim_net nic;
static struct netif_frame net_frames[6];
static struct netif net;
static struct port_entry *udp_ports[128];
static struct client_entry *udp_slots[UDP_BENCH_CLIENTS];
static uint32_t udp_rr[RR_WORDS(UDP_BENCH_CLIENTS)];
static struct udp_mux udp_mux;
static const struct udp_mux_config udp_config = { 1, 1023, 4 };
static struct udp_listener {
    struct udp_client c;
    struct udp_binding b;
    uint8_t hold[512];
    uint8_t rx[256];
} listeners[UDP_BENCH_CLIENTS];
static uint8_t udp_frames[UDP_BENCH_CLIENTS][64];

static void udp_sent(struct udp_client *c, struct udp_binding *b, const uint8_t *buf, size_t len,
                     vmux_err_t s)
{
    (void)c, (void)b, (void)buf, (void)len, (void)s;
}

static void udp_received(struct udp_client *c, uint8_t *buf, size_t len,
                         const struct udp_received *info, vmux_err_t s)
{
    struct udp_listener *l = container_of(c, struct udp_listener, c);
    (void)buf, (void)len, (void)info, (void)s;
    operations++;
    udp_mux_receive(c, l->rx, sizeof l->rx);
}

static const struct udp_client_ops udp_ops = { udp_sent, udp_received };

static void put16(uint8_t *p, unsigned v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

/* A 60-byte frame from 10.0.0.2 to us (10.0.0.1), UDP to port, no UDP checksum. */
static void build_datagram(uint8_t *f, uint16_t port)
{
    static const uint8_t ours[6] = { 2, 0, 0, 0, 0, 1 }, peer[6] = { 2, 0, 0, 0, 0, 2 };
    memset(f, 0, 64);
    memcpy(f, ours, 6);
    memcpy(f + 6, peer, 6);
    put16(f + 12, 0x0800);
    uint8_t *ip = f + 14;
    ip[0] = 0x45;
    put16(ip + 2, 20 + 8 + 16);
    ip[8] = 64;
    ip[9] = 17;
    put16(ip + 12, 0x0a00), put16(ip + 14, 0x0002);
    put16(ip + 16, 0x0a00), put16(ip + 18, 0x0001);
    put16(ip + 10, inet_checksum(ip, 20));
    put16(ip + 20, 5000);
    put16(ip + 22, port);
    put16(ip + 24, 8 + 16);
}

static void udp_setup(unsigned ports)
{
    static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };
    static const struct ipv4_config ip = { 0x0a000001, 0xffffff00, 0 };
    sim_alarm_init(&alarm_hw, 0);
    sim_net_init(&nic, mac);
    netif_init(&net, &nic.hil, &ip, net_frames, 6, &alarm_hw.hil);
    udp_mux_init(&udp_mux, &net, &udp_config, udp_ports, 128, udp_slots, udp_rr,
                 UDP_BENCH_CLIENTS);
    netif_start(&net);
    for (unsigned i = 0; i < ports; i++) {
        udp_mux_attach(&udp_mux, &listeners[i].c, client_process(i, 1), &udp_ops,
                       listeners[i].hold, sizeof listeners[i].hold);
        udp_mux_bind(&listeners[i].c, &listeners[i].b, (uint16_t)(2000 + i * 7), NULL);
        udp_mux_receive(&listeners[i].c, listeners[i].rx, sizeof listeners[i].rx);
        build_datagram(udp_frames[i], (uint16_t)(2000 + i * 7));
    }
}

/* ROUNDS datagrams per bound port, each injected and delivered. */
__attribute__((noinline)) void bench_udp_demux(unsigned ports)
{
    for (unsigned r = 0; r < ROUNDS; r++)
        for (unsigned i = 0; i < ports; i++) {
            sim_net_inject(&nic, udp_frames[(i * 37) % ports], 60);
            sim_settle();
        }
}

/* ------------------------------------------------------------ main */

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: bench_muxes uart_write|crypto_ecb|rng_get|adc_same_channel|"
                        "adc_eight_channels|alarm_insert|alarm_fire|udp_demux|spi_transfer|"
                        "i2c_transaction|screen_flush N\n");
        return 2;
    }
    const char *scenario = argv[1];
    unsigned n = (unsigned)atoi(argv[2]);
    if (n < 1 || n > MAX_CLIENTS)
        return 2;
    test_board_reset(0);
    if (strcmp(scenario, "uart_write") == 0) {
        if (n > 255)
            return 2;
        uart_setup(n);
        bench_uart_write(n);
        uart_fairness(n);
    } else if (strcmp(scenario, "crypto_ecb") == 0) {
        if (n > CRYPTO_MUX_SLOTS_MAX)
            return 2;
        crypto_setup(n);
        bench_crypto_ecb(n);
    } else if (strcmp(scenario, "rng_get") == 0) {
        rng_setup(n);
        bench_rng_get(n);
    } else if (strcmp(scenario, "adc_same_channel") == 0 || strcmp(scenario, "adc_eight_channels") == 0) {
        adc_channel_spread = scenario[4] == 's' ? 1 : 8;
        adc_setup(n);
        bench_adc_sample(n);
        printf("hardware_conversions %u\n", sim_adc_conversions(&adc));
    } else if (strcmp(scenario, "udp_demux") == 0) {
        if (n > UDP_BENCH_CLIENTS)
            return 2;
        udp_setup(n);
        bench_udp_demux(n);
        printf("port_lookups %u port_probes %u port_probes_max %u\n", udp_mux.ports.stats.lookups,
               udp_mux.ports.stats.probes, udp_mux.ports.stats.probes_max);
    } else if (strcmp(scenario, "spi_transfer") == 0 ||
               strcmp(scenario, "i2c_transaction") == 0) {
        bool spi = scenario[0] == 's';
        if (n > BUS_BENCH_DEVICES)
            return 2;
        bus_setup(n, spi);
        if (spi)
            bench_spi_transfer(n);
        else
            bench_i2c_transaction(n);
        bus_fairness(n);
    } else if (strcmp(scenario, "screen_flush") == 0) {
        if (n > SCREEN_BENCH_CLIENTS)
            return 2;
        screen_setup(n);
        bench_screen_flush(n);
    } else if (strcmp(scenario, "alarm_insert") == 0) {
        alarm_setup(n);
        bench_alarm_insert(n);
    } else if (strcmp(scenario, "uart_frame") == 0) {
        bench_uart_frame(n);
    } else if (strcmp(scenario, "alarm_spurious") == 0) {
        alarm_setup(n);
        bench_alarm_spurious(n);
    } else if (strcmp(scenario, "alarm_fire") == 0) {
        alarm_setup(n);
        bench_alarm_fire(n);
    } else {
        return 2;
    }
    printf("operations %lu\n", operations);
    return 0;
}
