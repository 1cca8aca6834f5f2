/* The attack rig: see rig.h. */
#include "tests/attacks/rig.h"

#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "arch/host/loader.h"
#include "arch/host/process.h"
#include "boards/test/test_board.h"
#include "chips/sim/sim.h"
#include "kernel/deferred.h"
#include "kernel/syscall_driver.h"

#define MS_NS 1000000ull
#define TRAPS_PER_STEP (2u * PROCESS_MAX)
#define UART_BAUD 1000000u           /* fast: 10 us a character */
#define UART_WATCHDOG_US 50000u
#define CRYPTO_WATCHDOG_US 20000u
#define NET_WATCHDOG_US 20000u

struct rig rig;
struct rig_config rig_config = { RIG_CRYPTO_SLOTS, RIG_NET_FRAMES };
uint8_t rig_kernel_canary[64];
static char apps_dir[PATH_MAX];

static const uint8_t our_mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t peer_mac[6] = { 0x02, 0, 0, 0, 0, 0x02 };

/* ------------------------------------------------------------ the rig driver */

static struct syscall_return rig_command(const struct syscall_driver *d, struct process *p,
                                         void *state, uint32_t cmd, syscall_reg_t a,
                                         syscall_reg_t b)
{
    (void)d, (void)state;
    uintptr_t *store = rig.store[p->slot];
    unsigned key = (unsigned)(a % RIG_KEYS);
    switch (cmd) {
    case RIG_PUT:
        store[key] = b;
        return syscall_success();
    case RIG_GET:
        return syscall_success_u32(store[key]);
    case RIG_COUNT:
        return syscall_success_u32(++store[key]);
    default:
        return syscall_failure(VMUX_NOSUPPORT);
    }
}

static const struct syscall_driver rig_driver = {
    .number = RIG_DRIVER,
    .upcall_count = 1,
    .command = rig_command,
};

uintptr_t rig_get(const struct process *p, unsigned key)
{
    return rig.store[p->slot][key % RIG_KEYS];
}

void rig_set(const struct process *p, unsigned key, uintptr_t value)
{
    rig.store[p->slot][key % RIG_KEYS] = value;
}

/* ------------------------------------------------------------ bytes */

static void put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v >> 16);
    put16(p + 2, v & 0xffffu);
}

static unsigned get16(const uint8_t *p) { return (unsigned)p[0] << 8 | p[1]; }
static uint32_t get32(const uint8_t *p) { return (uint32_t)get16(p) << 16 | get16(p + 2); }

static uint16_t checksum2(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < alen + blen; i++) {
        uint8_t byte = i < alen ? a[i] : b[i - alen];
        sum += (i % 2 == 0) ? (uint64_t)byte << 8 : byte;
    }
    while (sum > 0xffff)
        sum = (sum >> 16) + (sum & 0xffff);
    return (uint16_t)~sum;
}

static uint16_t udp_checksum(uint32_t src, uint32_t dst, const uint8_t *udp, size_t len)
{
    uint8_t pseudo[12];
    put32(pseudo, src);
    put32(pseudo + 4, dst);
    pseudo[8] = 0;
    pseudo[9] = 17;
    put16(pseudo + 10, (unsigned)len);
    return checksum2(pseudo, sizeof pseudo, udp, len);
}

static void inject(const uint8_t *f, size_t len)
{
    if (sim_net_inject(&rig.nic, f, len) != VMUX_SUCCESS)
        abort();
}

static void peer_arp(unsigned op, const uint8_t *dst_mac)
{
    uint8_t f[60] = { 0 };
    memcpy(f, dst_mac, 6);
    memcpy(f + 6, peer_mac, 6);
    put16(f + 12, 0x0806);
    uint8_t *a = f + 14;
    put16(a, 1);
    put16(a + 2, 0x0800);
    a[4] = 6;
    a[5] = 4;
    put16(a + 6, op);
    memcpy(a + 8, peer_mac, 6);
    put32(a + 14, RIG_PEER_IP);
    if (op == 2)
        memcpy(a + 18, our_mac, 6);
    put32(a + 24, RIG_OUR_IP);
    inject(f, sizeof f);
}

void rig_peer_udp(uint16_t sport, uint16_t dport, const void *data, size_t len)
{
    uint8_t f[NET_FRAME_MAX];
    if (len > NET_FRAME_MAX - 42)
        abort();
    memcpy(f, our_mac, 6);
    memcpy(f + 6, peer_mac, 6);
    put16(f + 12, 0x0800);
    uint8_t *ip = f + 14, *u = ip + 20;
    memset(ip, 0, 20);
    ip[0] = 0x45;
    put16(ip + 2, (unsigned)(28 + len));
    put16(ip + 4, 0x4242);
    ip[8] = 64;
    ip[9] = 17;
    put32(ip + 12, RIG_PEER_IP);
    put32(ip + 16, RIG_OUR_IP);
    put16(ip + 10, checksum2(ip, 20, NULL, 0));
    put16(u, sport);
    put16(u + 2, dport);
    put16(u + 4, (unsigned)(8 + len));
    put16(u + 6, 0);
    memcpy(u + 8, data, len);
    uint16_t sum = udp_checksum(RIG_PEER_IP, RIG_OUR_IP, u, 8 + len);
    put16(u + 6, sum ? sum : 0xffff);
    inject(f, 42 + len);
}

void rig_net_read(void)
{
    uint8_t f[NET_FRAME_MAX];
    size_t n;
    while ((n = sim_net_take_tx(&rig.nic, f, sizeof f)) > 0) {
        unsigned type = get16(f + 12);
        if (type == 0x0806 && n >= 42 && get16(f + 14 + 6) == 1 &&
            get32(f + 14 + 24) == RIG_PEER_IP) {
            peer_arp(2, our_mac); /* the peer answers who-has */
            rig.other_frames++;
            continue;
        }
        const uint8_t *ip = f + 14, *u = ip + 20;
        if (type != 0x0800 || n < 42 || ip[9] != 17 || checksum2(ip, 20, NULL, 0) != 0 ||
            udp_checksum(get32(ip + 12), get32(ip + 16), u, get16(u + 4)) != 0) {
            rig.other_frames++;
            continue;
        }
        struct rig_datagram *d = &rig.datagrams[rig.datagram_count++ % RIG_DATAGRAM_LOG];
        d->sport = (uint16_t)get16(u);
        rig.datagrams_from[d->sport]++;
        d->dport = (uint16_t)get16(u + 2);
        d->dst = get32(ip + 16);
        d->len = (uint16_t)(get16(u + 4) - 8);
        memcpy(d->data, u + 8, d->len < sizeof d->data ? d->len : sizeof d->data);
    }
}

unsigned rig_datagrams_from(uint16_t sport)
{
    return rig.datagrams_from[sport];
}

/* ------------------------------------------------------------ the UART peer */

void rig_uart_read(void)
{
    uint8_t buf[512];
    size_t n;
    while ((n = sim_uart_take_tx(&rig.uart, buf, sizeof buf)) > 0) {
        for (size_t i = 0; i < n; i++) {
            if (uart_frame_decoder_push(&rig.decoder, buf[i]) != UART_FRAME_READY)
                continue;
            uint8_t ch = uart_frame_channel(&rig.decoder);
            struct rig_channel *c = &rig.channels[ch];
            const uint8_t *payload = uart_frame_payload(&rig.decoder);
            size_t len = uart_frame_payload_len(&rig.decoder);
            c->frames++;
            c->bytes += (uint32_t)len;
            for (size_t k = 0; k < len; k++) {
                if (c->tail_len == sizeof c->tail) {
                    memmove(c->tail, c->tail + 1, sizeof c->tail - 1);
                    c->tail_len--;
                }
                c->tail[c->tail_len++] = payload[k];
            }
            if (ch != 0)
                rig.frame_log[rig.frame_count++ % RIG_FRAME_LOG] = ch;
            rig.serial_log[rig.serial_count++ % RIG_FRAME_LOG] = ch;
        }
    }
}

void rig_uart_send(uint8_t channel, const void *data, size_t len)
{
    uint8_t f[UART_FRAME_WIRE_MAX];
    size_t n = uart_frame_encode(channel, data, len, f, sizeof f);
    if (n == 0 || sim_uart_inject_rx(&rig.uart, f, n) != n)
        abort();
}

uint8_t rig_channel_of(const struct process *p)
{
    for (unsigned ch = 1; ch < 256; ch++) {
        struct uart_mux_client *c = uart_mux_channel_owner(&rig.uart_mux, (uint8_t)ch);
        if (c && client_same(c->entry.id, process_client(p)))
            return (uint8_t)ch;
    }
    return 0;
}

/* ------------------------------------------------------------ the console proxy */

/* The console driver, as registered: the real one's command, and a note
 * of the mux's transmit serial when a write is accepted (the moment the
 * process's channel becomes pending), for measuring waits in turns. */
static struct syscall_return console_command(const struct syscall_driver *d, struct process *p,
                                             void *state, uint32_t cmd, syscall_reg_t a,
                                             syscall_reg_t b)
{
    struct syscall_return r = rig.console_driver.driver.command(d, p, state, cmd, a, b);
    if (cmd == CONSOLE_CMD_WRITE && r.r[0] == RET_SUCCESS &&
        rig.writes[p->slot] < RIG_WRITE_LOG)
        rig.write_serial[p->slot][rig.writes[p->slot]++] = rig.uart_mux.tx_serial;
    return r;
}

/* ------------------------------------------------------------ the kernel echo */

static void echo_sent(struct udp_client *c, struct udp_binding *b, const uint8_t *buf,
                      size_t len, vmux_err_t status)
{
    (void)c, (void)b, (void)buf, (void)len, (void)status;
    udp_mux_receive(&rig.echo, rig.echo_buf, sizeof rig.echo_buf);
}

static void echo_received(struct udp_client *c, uint8_t *buf, size_t len,
                          const struct udp_received *info, vmux_err_t status)
{
    (void)c, (void)status;
    rig.echoes++;
    if (udp_mux_send(&rig.echo_port, &info->from, buf, len) != VMUX_SUCCESS)
        udp_mux_receive(&rig.echo, rig.echo_buf, sizeof rig.echo_buf);
}

static const struct udp_client_ops echo_ops = { echo_sent, echo_received };

/* ------------------------------------------------------------ setup */

static void check(vmux_err_t err, const char *what)
{
    if (err != VMUX_SUCCESS) {
        fprintf(stderr, "rig: %s: %s\n", what, vmux_err_name(err));
        abort();
    }
}

void rig_program_start(const char *argv0, unsigned watchdog_s)
{
    char self[PATH_MAX];
    snprintf(self, sizeof self, "%s", argv0);
    snprintf(apps_dir, sizeof apps_dir, "%s/../attacks", dirname(self));
    alarm(watchdog_s);
    prctl(PR_SET_TIMERSLACK, 1ul);
}

int rig_test_setup(void **state)
{
    (void)state;
    rig_setup(NULL);
    return 0;
}

int rig_test_teardown(void **state)
{
    (void)state;
    rig_teardown();
    return 0;
}

void rig_setup(const char *dir)
{
    if (dir)
        snprintf(apps_dir, sizeof apps_dir, "%s", dir);
    memset(&rig, 0, sizeof rig);
    memset(rig_kernel_canary, 0x5a, sizeof rig_kernel_canary);
    test_board_reset(0);
    process_reset();
    process_set_arch(&host_arch_ops);
    process_set_timeslice_us(500);

    check(sim_uart_init(&rig.uart, &(struct sim_uart_config){ .backend = SIM_UART_MEMORY,
                                                               .baud = UART_BAUD }),
          "uart");
    check(sim_alarm_init(&rig.hw_alarm, 0), "alarm");
    check(sim_alarm_init(&rig.net_alarm, 0), "net alarm");
    check(sim_adc_init(&rig.adc, NULL), "adc");
    check(crypto_engine_init(&rig.engine, rig.key_registers, rig_config.crypto_slots),
          "crypto engine");
    check(sim_crypto_fault_init(&rig.crypto, &rig.engine.hil), "crypto faults");
    check(sim_net_init(&rig.nic, our_mac), "nic");

    alarm_mux_init(&rig.alarm_mux, &rig.hw_alarm.hil, rig.alarm_heap, 64);
    virtual_alarm_init(&rig.uart_wd, &rig.alarm_mux);
    virtual_alarm_init(&rig.adc_wd, &rig.alarm_mux);
    virtual_alarm_init(&rig.crypto_wd, &rig.alarm_mux);
    virtual_alarm_init(&rig.net_wd, &rig.alarm_mux);
    uart_mux_init(&rig.uart_mux, &rig.uart.hil, rig.uart_slots, rig.uart_rr, RIG_UART_CLIENTS);
    uart_mux_set_watchdog(&rig.uart_mux, &rig.uart_wd.hil, UART_WATCHDOG_US);
    check(adc_mux_init(&rig.adc_mux, &rig.adc.hil, &rig.adc_wd.hil, rig.adc_slots, rig.adc_rr,
                       PROCESS_MAX + 8),
          "adc mux");
    check(crypto_mux_init(&rig.crypto_mux, &rig.crypto.hil, rig.crypto_slots, rig.crypto_rr,
                          PROCESS_MAX + 8),
          "crypto mux");
    crypto_mux_set_watchdog(&rig.crypto_mux, &rig.crypto_wd.hil, CRYPTO_WATCHDOG_US);
    static const struct ipv4_config ip = { RIG_OUR_IP, 0xffffff00u, 0 };
    check(netif_init(&rig.net, &rig.nic.hil, &ip, rig.net_frames, rig_config.net_frames,
                     &rig.net_alarm.hil),
          "netif");
    netif_set_watchdog(&rig.net, &rig.net_wd.hil, NET_WATCHDOG_US);
    static const struct udp_mux_config udp_config = { 1, 1023, 8 };
    check(udp_mux_init(&rig.udp_mux, &rig.net, &udp_config, rig.udp_ports, 128, rig.udp_slots,
                       rig.udp_rr, RIG_UDP_CLIENTS),
          "udp mux");
    netif_start(&rig.net);

    alarm_driver_init(&rig.alarm_driver, &rig.alarm_mux);
    console_driver_init(&rig.console_driver, &rig.uart_mux);
    adc_driver_init(&rig.adc_driver, &rig.adc_mux, NULL);
    crypto_driver_init(&rig.crypto_driver, &rig.crypto_mux);
    udp_driver_init(&rig.udp_driver, &rig.udp_mux);
    check(process_register_driver(&rig.alarm_driver.driver), "alarm driver");
    rig.console_proxy = rig.console_driver;
    rig.console_proxy.driver.command = console_command;
    check(process_register_driver(&rig.console_proxy.driver), "console driver");
    check(process_register_driver(&rig.adc_driver.driver), "adc driver");
    check(process_register_driver(&rig.crypto_driver.driver), "crypto driver");
    check(process_register_driver(&rig.udp_driver.driver), "udp driver");
    check(process_register_driver(&rig_driver), "rig driver");

    check(udp_mux_attach(&rig.udp_mux, &rig.echo, client_register_kernel("echo"), &echo_ops,
                         rig.echo_hold, sizeof rig.echo_hold),
          "echo attach");
    check(udp_mux_bind(&rig.echo, &rig.echo_port, RIG_ECHO_PORT,
                       test_board_cap_udp_reserved_port()),
          "echo bind");
    check(udp_mux_receive(&rig.echo, rig.echo_buf, sizeof rig.echo_buf), "echo receive");

    uart_frame_decoder_init(&rig.decoder);
    check(uart_mux_start(&rig.uart_mux), "uart start");
    peer_arp(1, (const uint8_t[6]){ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }); /* the peer says hello */
    sim_advance(MS_NS);
    rig_uart_read();
    rig_net_read();
}

void rig_teardown(void)
{
    host_loader_reset();
    process_reset();
    sim_uart_close(&rig.uart);
    sim_reset();
}

struct process *rig_load(const char *app, const char *name, enum process_restart_policy policy)
{
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s.so", apps_dir, app);
    struct process *p = NULL;
    vmux_err_t err = host_load_app(path, name ? name : app, 0, policy,
                                   test_board_cap_process_management(), &p);
    if (err != VMUX_SUCCESS) {
        fprintf(stderr, "rig: loading %s: %s (%s)\n", path, vmux_err_name(err),
                host_loader_error());
        abort();
    }
    return p;
}

uint64_t rig_now_ms(void)
{
    return sim_now_ns() / MS_NS;
}

/* One turn of the board: processes (a few traps each; at most one whole
 * time slice, which costs CPU time), then the kernel, then time. */
static void step(void)
{
    uint32_t expired = process_slices_expired();
    for (unsigned i = 0; i < TRAPS_PER_STEP; i++)
        if (!process_run_next(rig_now_ms()) || process_slices_expired() != expired)
            break;
    sim_run_due();
    kernel_loop_once();
    rig_uart_read();
    rig_net_read();
    /* Time moves to the next event, by at most 1 ms (0.25 ms while some
     * process is busy), once the kernel has nothing left to do now. */
    uint64_t now = sim_now_ns(), next;
    uint64_t to = deferred_call_pending() ? now
                  : now + (process_any_runnable() ? MS_NS / 4 : MS_NS);
    if (to > now && sim_next_event(&next) && next < to)
        to = next > now ? next : now;
    sim_advance(to - now);
    rig.steps++;
}

bool rig_run(uint64_t max_ns, bool (*until)(void *ctx), void *ctx)
{
    uint64_t end = sim_now_ns() + max_ns;
    while (sim_now_ns() < end) {
        if (until && until(ctx))
            return true;
        step();
    }
    return until && until(ctx);
}

bool rig_done(void *process)
{
    return rig_get(process, K_DONE) != 0;
}

bool rig_ended(void *process)
{
    return ((struct process *)process)->state == PROCESS_ENDED;
}
