/*
 * The attack rig: a host board inside a test program, for the adversarial
 * suite (tests/unit/test_host_attacks.c) and the load test
 * (tests/unit/test_load.c).
 *
 * It is the host board's real machinery: apps loaded by arch/host/loader.c
 * and run on their own threads by arch/host/process.c, the real syscall
 * drivers (alarm, console, ADC without the continuous capability, crypto,
 * UDP) over the real muxes and network stack, over the simulated
 * peripherals on a virtual clock. The test plays everything outside:
 *
 *   - the peer on the UART (it injects frames, and decodes every byte the
 *     board transmits, by channel, in order);
 *   - the other host on the Ethernet link, 10.0.0.2 (it injects
 *     datagrams, and parses every frame the board transmits);
 *   - the board's own kernel client: a UDP echo service on reserved port
 *     7, bound with the capability, which processes never get.
 *
 * The loop (rig_run) gives every ready process a few traps, runs the
 * kernel loop, and only then lets virtual time move to the next event
 * (at most 1 ms), so processes react to completions "at once" in
 * simulated time, as the real board's loop approximates.
 */
#ifndef VMUX_TESTS_ATTACKS_RIG_H
#define VMUX_TESTS_ATTACKS_RIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capsules/adc_mux.h"
#include "capsules/alarm_mux.h"
#include "capsules/crypto_mux.h"
#include "capsules/drivers/adc_driver.h"
#include "capsules/drivers/alarm_driver.h"
#include "capsules/drivers/console_driver.h"
#include "capsules/drivers/crypto_driver.h"
#include "capsules/drivers/udp_driver.h"
#include "capsules/net/netif.h"
#include "capsules/net/udp_mux.h"
#include "capsules/uart_mux.h"
#include "chips/sim/sim_adc.h"
#include "chips/sim/sim_alarm.h"
#include "chips/sim/sim_crypto_fault.h"
#include "chips/sim/sim_net.h"
#include "chips/sim/sim_uart.h"
#include "chips/soft/crypto_engine.h"
#include "kernel/process.h"
#include "tests/attacks/rig_abi.h"

#define RIG_OUR_IP 0x0a000001u     /* 10.0.0.1 */
#define RIG_PEER_IP 0x0a000002u    /* 10.0.0.2 */
#define RIG_ECHO_PORT 7u           /* the kernel's echo service, reserved */
#define RIG_CRYPTO_SLOTS 4u        /* the default; at most RIG_CRYPTO_SLOTS_MAX */
#define RIG_CRYPTO_SLOTS_MAX 8u
#define RIG_UART_CLIENTS 16u
#define RIG_UDP_CLIENTS 16u
#define RIG_NET_FRAMES 8u          /* the default; at least NETIF_FRAMES_MIN */
#define RIG_FRAME_LOG 16384u       /* channels of the last frames on the UART wire */
#define RIG_DATAGRAM_LOG 256u
#define RIG_WRITE_LOG 2048u        /* console writes remembered per process */

/* What the peer saw on one UART channel. */
struct rig_channel {
    uint32_t frames, bytes;
    uint8_t tail[256];             /* the last bytes, oldest first once full */
    uint32_t tail_len;
};

/* One datagram the board sent, as the peer parsed it. */
struct rig_datagram {
    uint16_t sport, dport;
    uint32_t dst;
    uint16_t len;
    uint8_t data[64];              /* the first bytes */
};

struct rig {
    /* peripherals */
    struct sim_uart uart;
    struct sim_alarm hw_alarm, net_alarm;
    struct sim_adc adc;
    struct crypto_engine_slot key_registers[RIG_CRYPTO_SLOTS_MAX];
    struct crypto_engine engine;
    struct sim_crypto_fault crypto;   /* in front of the engine, for fault tests */
    struct sim_net nic;
    /* virtualizers */
    struct virtual_alarm *alarm_heap[64];
    struct alarm_mux alarm_mux;
    struct virtual_alarm uart_wd, adc_wd, crypto_wd, net_wd;
    struct client_entry *uart_slots[RIG_UART_CLIENTS];
    uint32_t uart_rr[RR_WORDS(RIG_UART_CLIENTS)];
    struct uart_mux uart_mux;
    struct client_entry *adc_slots[PROCESS_MAX + 8];
    uint32_t adc_rr[RR_WORDS(PROCESS_MAX + 8)];
    struct adc_mux adc_mux;
    struct client_entry *crypto_slots[PROCESS_MAX + 8];
    uint32_t crypto_rr[RR_WORDS(PROCESS_MAX + 8)];
    struct crypto_mux crypto_mux;
    struct netif_frame net_frames[RIG_NET_FRAMES];
    struct netif net;
    struct port_entry *udp_ports[128];
    struct client_entry *udp_slots[RIG_UDP_CLIENTS];
    uint32_t udp_rr[RR_WORDS(RIG_UDP_CLIENTS)];
    struct udp_mux udp_mux;
    /* syscall drivers */
    struct alarm_driver alarm_driver;
    struct console_driver console_driver;
    struct console_driver console_proxy;   /* what is registered: notes each write */
    struct adc_driver adc_driver;
    struct crypto_driver crypto_driver;
    struct udp_driver udp_driver;
    /* the kernel's own UDP echo client on port 7 */
    struct udp_client echo;
    struct udp_binding echo_port;
    uint8_t echo_hold[1024], echo_buf[512];
    uint32_t echoes;
    /* the peer on the UART */
    struct uart_frame_decoder decoder;
    struct rig_channel channels[256];
    uint8_t frame_log[RIG_FRAME_LOG];  /* channel of each client frame, in order */
    uint32_t frame_count;
    /* Every frame decoded, control frames too, is one transmit of the mux:
     * the n-th (from 1) is the one started when its tx_serial became n. */
    uint8_t serial_log[RIG_FRAME_LOG]; /* channel of the frame of serial n + 1 */
    uint32_t serial_count;
    /* The mux's tx_serial when each console write of a process was accepted. */
    uint32_t write_serial[PROCESS_MAX][RIG_WRITE_LOG];
    uint32_t writes[PROCESS_MAX];
    /* the peer on the link */
    struct rig_datagram datagrams[RIG_DATAGRAM_LOG];
    uint32_t datagram_count;           /* all datagrams, also beyond the log */
    uint32_t datagrams_from[65536];    /* all datagrams, by source port */
    uint32_t other_frames;             /* ARP and anything not UDP */
    /* the rig driver's store */
    uintptr_t store[PROCESS_MAX][RIG_KEYS];
    /* loop statistics */
    uint64_t steps;
};

extern struct rig rig;

/* How the next rig_setup() wires the board: key registers in the engine,
 * frames in the network interface (3: one UDP frame, so that datagrams
 * go out one at a time). Defaults RIG_CRYPTO_SLOTS, RIG_NET_FRAMES. */
struct rig_config {
    unsigned crypto_slots;
    unsigned net_frames;
};
extern struct rig_config rig_config;

/* A static buffer of the kernel (the test's), which no process may name. */
extern uint8_t rig_kernel_canary[64];

/* Wire the board on a fresh virtual clock and start its kernel echo
 * client. The apps are looked for in apps_dir (NULL: where
 * rig_program_start found them). */
void rig_setup(const char *apps_dir);

/* For a cmocka program on the rig: the start of its main (the apps in
 * ../attacks next to the program, an alarm that ends a hung run after
 * watchdog_s seconds, 1 ns of timer slack), and fixtures that set the
 * rig up before each test and tear it down after. */
void rig_program_start(const char *argv0, unsigned watchdog_s);
int rig_test_setup(void **state);
int rig_test_teardown(void **state);
/* End every process, unload them, stop the simulation. */
void rig_teardown(void);

/* Load tests/attacks/apps/<app>.c's object as process name (NULL: app). */
struct process *rig_load(const char *app, const char *name, enum process_restart_policy policy);

uint64_t rig_now_ms(void);

/* Run the board until until(ctx) (NULL: never) or max_ns of virtual time
 * passed; true when until() held. */
bool rig_run(uint64_t max_ns, bool (*until)(void *ctx), void *ctx);

/* The rig driver's store of p's slot. */
uintptr_t rig_get(const struct process *p, unsigned key);
void rig_set(const struct process *p, unsigned key, uintptr_t value);

/* Until-conditions. */
bool rig_done(void *process);        /* K_DONE set */
bool rig_ended(void *process);       /* PROCESS_ENDED */

/* ---- the UART peer ---- */
/* The channel of p's console, 0 when it has none. */
uint8_t rig_channel_of(const struct process *p);
/* A frame for channel arrives on the wire. */
void rig_uart_send(uint8_t channel, const void *data, size_t len);
/* Decode what the board transmitted since the last call. */
void rig_uart_read(void);

/* ---- the Ethernet peer ---- */
/* A datagram from 10.0.0.2:sport to 10.0.0.1:dport arrives. */
void rig_peer_udp(uint16_t sport, uint16_t dport, const void *data, size_t len);
/* Parse what the board transmitted since the last call. */
void rig_net_read(void);
/* Datagrams seen with this source port. */
unsigned rig_datagrams_from(uint16_t sport);

#endif
