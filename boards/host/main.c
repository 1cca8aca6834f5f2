/*
 * The host board: vmux as a Linux program with simulated peripherals.
 *
 * This file is the board: it creates every peripheral, wires the
 * virtualizers over them, mints the capabilities it hands out, and runs
 * the kernel loop. See docs/architecture.md.
 *
 *   vmux [--uart stdio|pty|tcp[:PORT]] [--udp-forward HOST:GUEST]
 *        [--adc-seed N] [--crypto-slots K] [--run-for MS]
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boards/common/console.h"
#include "boards/common/demo.h"
#include "capsules/alarm_mux.h"
#include "capsules/crypto_mux.h"
#include "capsules/net/netif.h"
#include "capsules/net/udp_mux.h"
#include "capsules/uart_mux.h"
#include "chips/sim/sim.h"
#include "chips/sim/sim_adc.h"
#include "chips/sim/sim_alarm.h"
#include "chips/sim/sim_net.h"
#include "chips/sim/sim_uart.h"
#include "chips/soft/crypto_engine.h"
#include "kernel/capability_mint.h"
#include "kernel/deferred.h"

#define UART_CLIENTS 16
#define ALARMS 32
#define CRYPTO_CLIENTS 8
#define CRYPTO_SLOTS_MAX 16
#define NET_FRAMES 8
#define UDP_PORTS 128          /* 64 bindings at 3/4 load, with room */
#define UDP_CLIENTS 16

struct board_options {
    struct sim_uart_config uart;
    uint16_t udp_host_port, udp_guest_port;
    uint32_t adc_seed;
    unsigned crypto_slots;
    long run_for_ms;
};

/* ------------------------------------------------------------ peripherals */
static struct sim_uart uart;
static struct sim_alarm alarm_hw;
static struct sim_adc adc;
static struct sim_net nic;
static struct crypto_engine_slot key_registers[CRYPTO_SLOTS_MAX];
static struct crypto_engine crypto;

/* ------------------------------------------------------------ virtualizers */
static struct client_entry *uart_slots[UART_CLIENTS];
static uint32_t uart_rr[RR_WORDS(UART_CLIENTS)];
static struct uart_mux uart_mux;
static struct virtual_alarm *alarm_heap[ALARMS];
static struct alarm_mux alarm_mux;
static struct client_entry *crypto_clients[CRYPTO_CLIENTS];
static uint32_t crypto_rr[RR_WORDS(CRYPTO_CLIENTS)];
static struct crypto_mux crypto_mux;
static struct netif_frame net_frames[NET_FRAMES];
static struct netif net;
static struct virtual_alarm net_alarm;
static struct port_entry *udp_ports[UDP_PORTS];
static struct client_entry *udp_clients[UDP_CLIENTS];
static uint32_t udp_rr[RR_WORDS(UDP_CLIENTS)];
static struct udp_mux udp_mux;
static const struct udp_mux_config udp_config = { 1, 1023, 8 };

/* ------------------------------------------------------------ capabilities */
VMUX_MINT_CAPABILITY(cap_adc_continuous, board_adc_continuous);
VMUX_MINT_CAPABILITY(cap_udp_reserved_port, board_udp_reserved_port);

static volatile sig_atomic_t stop_requested;

static void request_stop(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void usage(void)
{
    fprintf(stderr, "usage: vmux [--uart stdio|pty|tcp[:PORT]] [--udp-forward HOST:GUEST]\n"
                    "            [--adc-seed N] [--crypto-slots K] [--run-for MS]\n");
    exit(2);
}

static void parse_options(int argc, char **argv, struct board_options *o)
{
    memset(o, 0, sizeof *o);
    o->uart.backend = SIM_UART_STDIO;
    o->adc_seed = 1;
    o->crypto_slots = 4;
    o->run_for_ms = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--uart") == 0 && v) {
            if (strcmp(v, "stdio") == 0)
                o->uart.backend = SIM_UART_STDIO;
            else if (strcmp(v, "pty") == 0)
                o->uart.backend = SIM_UART_PTY;
            else if (strncmp(v, "tcp", 3) == 0) {
                o->uart.backend = SIM_UART_TCP;
                o->uart.tcp_port = (uint16_t)(v[3] == ':' ? atoi(v + 4) : 0);
            } else
                usage();
        } else if (strcmp(a, "--udp-forward") == 0 && v) {
            unsigned host, guest;
            if (sscanf(v, "%u:%u", &host, &guest) != 2 || host > 65535 || guest > 65535)
                usage();
            o->udp_host_port = (uint16_t)host;
            o->udp_guest_port = (uint16_t)guest;
        } else if (strcmp(a, "--adc-seed") == 0 && v) {
            o->adc_seed = (uint32_t)strtoul(v, NULL, 0);
        } else if (strcmp(a, "--crypto-slots") == 0 && v) {
            o->crypto_slots = (unsigned)atoi(v);
            if (o->crypto_slots < 1 || o->crypto_slots > CRYPTO_SLOTS_MAX)
                usage();
        } else if (strcmp(a, "--run-for") == 0 && v) {
            o->run_for_ms = atol(v);
        } else {
            usage();
        }
        i++;
    }
}

static void fail(const char *what, vmux_err_t err)
{
    fprintf(stderr, "vmux: %s failed: %s\n", what, vmux_err_name(err));
    exit(1);
}

static void check(const char *what, vmux_err_t err)
{
    if (err != VMUX_SUCCESS)
        fail(what, err);
}

static void wire_board(const struct board_options *o)
{
    sim_init(SIM_CLOCK_REAL, 0);
    check("uart", sim_uart_init(&uart, &o->uart));
    if (o->uart.backend == SIM_UART_PTY)
        fprintf(stderr, "vmux: UART on %s (attach: vmuxterm %s)\n", sim_uart_pty_path(&uart),
                sim_uart_pty_path(&uart));
    if (o->uart.backend == SIM_UART_TCP)
        fprintf(stderr, "vmux: UART on 127.0.0.1:%u (attach: vmuxterm --tcp 127.0.0.1:%u)\n",
                sim_uart_tcp_port(&uart), sim_uart_tcp_port(&uart));
    check("alarm", sim_alarm_init(&alarm_hw, 0));
    struct sim_adc_config adc_config = { .seed = o->adc_seed };
    check("adc", sim_adc_init(&adc, &adc_config));
    check("crypto engine", crypto_engine_init(&crypto, key_registers, o->crypto_slots));
    static const uint8_t mac[NET_MAC_SIZE] = { 0x02, 0x76, 0x6d, 0x75, 0x78, 0x01 };
    check("nic", sim_net_init(&nic, mac));
    check("slirp", sim_net_attach_slirp(&nic));
    if (o->udp_host_port)
        check("udp forward", sim_net_slirp_add_udp_forward(&nic, o->udp_host_port,
                                                           o->udp_guest_port));

    uart_mux_init(&uart_mux, &uart.hil, uart_slots, uart_rr, UART_CLIENTS);
    alarm_mux_init(&alarm_mux, &alarm_hw.hil, alarm_heap, ALARMS);
    check("crypto mux", crypto_mux_init(&crypto_mux, &crypto.hil, crypto_clients, crypto_rr,
                                        CRYPTO_CLIENTS));
    /* 10.0.2.15/24 behind slirp's gateway 10.0.2.2 */
    static const struct ipv4_config ip = { 0x0a00020f, 0xffffff00, 0x0a000202 };
    virtual_alarm_init(&net_alarm, &alarm_mux);
    check("netif", netif_init(&net, &nic.hil, &ip, net_frames, NET_FRAMES, &net_alarm.hil));
    check("udp mux", udp_mux_init(&udp_mux, &net, &udp_config, udp_ports, UDP_PORTS,
                                  udp_clients, udp_rr, UDP_CLIENTS));
    netif_start(&net);

    struct demo_board demo = {
        .uart_mux = &uart_mux,
        .alarm_mux = &alarm_mux,
        .crypto_mux = &crypto_mux,
        .adc = &adc.hil,
        .adc_continuous = &board_adc_continuous,
        .udp_mux = &udp_mux,
        .udp_reserved = &board_udp_reserved_port,
        .udp_host_port = o->udp_host_port,
        .udp_guest_port = o->udp_guest_port,
    };
    demo_start(&demo);
    uart_mux_start(&uart_mux);
}

int main(int argc, char **argv)
{
    struct board_options options;
    parse_options(argc, argv, &options);
    signal(SIGINT, request_stop);
    signal(SIGTERM, request_stop);
    signal(SIGPIPE, SIG_IGN);
    wire_board(&options);

    uint64_t deadline = options.run_for_ms >= 0
                            ? sim_now_ns() + (uint64_t)options.run_for_ms * 1000000u
                            : UINT64_MAX;
    while (!stop_requested && sim_now_ns() < deadline) {
        sim_run_due();
        kernel_loop_once();
        if (!deferred_call_pending())
            sim_wait(100000000u);
    }
    /* let the last output drain */
    for (int i = 0; i < 50 && (uart_mux.tx_busy || deferred_call_pending()); i++) {
        sim_run_due();
        kernel_loop_once();
        sim_wait(10000000u);
    }
    sim_net_detach(&nic);
    sim_uart_close(&uart);
    return 0;
}
