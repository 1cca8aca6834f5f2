/*
 * The kernel's own channels and its demo clients, shared by every board
 * (boards/host, boards/lm3s6965evb): each is a client of the
 * virtualizers, with its own channel on the UART mux.
 *
 * demo_start (demo.c) starts the kernel's channels:
 *   kernel    the banner (board name, what is wired), then the board's
 *             reports (the loader's, faults)
 *   mgmt      the management console: "stats", "clients", "help", the
 *             board's commands (mgmt_command), and "adc [CH]" when the
 *             demo clients run with an ADC mux
 * and demo_clients_start (demo_clients.c; a kernel that does not call it
 * links none of their code) the demo clients:
 *   ticker    a line every ticker_period_ms on a virtual alarm
 *   crypto    AES-128-CTR of "attack at dawn" through the crypto mux
 *   udp-echo  echoes UDP datagrams on udp_echo_port (when non-zero)
 *   adc       one sample and one buffered run through the ADC mux (when
 *             the board wires one)
 *
 * The board fills struct demo_board; fields left zero or NULL take the
 * defaults below or leave that client out.
 */
#ifndef VMUX_BOARDS_COMMON_DEMO_H
#define VMUX_BOARDS_COMMON_DEMO_H

#include <stdbool.h>
#include <stdint.h>

#include "capsules/adc_mux.h"
#include "capsules/alarm_mux.h"
#include "capsules/crypto_mux.h"
#include "capsules/net/udp_mux.h"
#include "capsules/uart_mux.h"
#include "hil/adc.h"
#include "kernel/capability.h"
#include "kernel/process.h"

#define DEMO_TICKER_PERIOD_MS 5000u   /* default; the first tick comes after 1 s */

struct console;
struct demo_board;

/* A command on the management channel: true when it was handled. */
typedef bool (*demo_command_fn)(struct console *mgmt, const char *line);

struct demo_board {
    const char *name;              /* "host": the banner says "vmux host board up" */
    struct uart_mux *uart_mux;
    struct alarm_mux *alarm_mux;
    struct crypto_mux *crypto_mux;
    struct hil_adc *adc;           /* for the banner's channel count */
    struct adc_mux *adc_mux;       /* NULL: no adc client, no "adc" command */
    const cap_adc_continuous_t *adc_continuous;
    struct udp_mux *udp_mux;
    const cap_udp_reserved_port_t *udp_reserved;
    uint16_t udp_echo_port;        /* the kernel's echo client; 0 for none */
    uint32_t ticker_period_ms;     /* 0: DEMO_TICKER_PERIOD_MS */
    /* Board commands on the management channel; true when handled. */
    demo_command_fn mgmt_command;
};

void demo_start(const struct demo_board *board);

/* The management channel, after demo_start (a board that does not call
 * it links none of its code). */
void demo_mgmt_start(void);

/* The demo clients, after demo_start, with the same board. */
void demo_clients_start(const struct demo_board *board);

/* The management channel (after demo_start), and a command of the demo
 * clients to try on it before the board's. */
struct console *demo_mgmt_console(void);
void demo_set_clients_command(demo_command_fn command);

/* The kernel's channel ("kernel"), for the board's own reports (after
 * demo_start). */
struct console *demo_kernel_console(void);

/* For process_set_exit_reporter(): "process NAME exited: CODE" on the
 * kernel's channel. */
void demo_report_exit(const struct process *p);

#endif
