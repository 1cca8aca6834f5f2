/*
 * Kernel-side demo clients, shared by every board (boards/host,
 * boards/lm3s6965evb): each is a client of the virtualizers, with its own
 * channel on the UART mux.
 *
 *   kernel    the banner (board name, what is wired)
 *   mgmt      the management console: "stats", "clients", "help" (and
 *             "adc [CH]" when the board wires an ADC mux)
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

#define DEMO_TICKER_PERIOD_MS 5000u   /* default; the first tick comes after 1 s */

struct console;

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
    bool (*mgmt_command)(struct console *c, const char *line);
};

void demo_start(const struct demo_board *board);

/* The kernel's channel ("kernel"), for the board's own reports (after
 * demo_start). */
struct console *demo_kernel_console(void);

#endif
