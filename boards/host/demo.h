/*
 * Kernel-side demo clients of the host board: each is a client of the
 * virtualizers, with its own channel on the UART mux.
 */
#ifndef VMUX_BOARDS_HOST_DEMO_H
#define VMUX_BOARDS_HOST_DEMO_H

#include <stdint.h>

#include "capsules/alarm_mux.h"
#include "capsules/crypto_mux.h"
#include "capsules/net/udp_mux.h"
#include "capsules/uart_mux.h"
#include "hil/adc.h"
#include "kernel/capability.h"

struct console;

struct demo_board {
    struct uart_mux *uart_mux;
    struct alarm_mux *alarm_mux;
    struct crypto_mux *crypto_mux;
    struct hil_adc *adc;
    const cap_adc_continuous_t *adc_continuous;
    struct udp_mux *udp_mux;
    const cap_udp_reserved_port_t *udp_reserved;
    uint16_t udp_echo_port;   /* the kernel's echo client; 0 for none */
    /* Board commands on the management channel; true when handled. */
    bool (*mgmt_command)(struct console *c, const char *line);
};

void demo_start(const struct demo_board *board);

#endif
