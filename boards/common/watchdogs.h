/*
 * Watchdogs for the muxes whose drivers could stall them: a transmit, a
 * crypt or a frame that never completes costs its client an error, not
 * the mux. Each gets a virtual alarm of its own. 100 ms is far above the
 * longest UART frame at 115200 baud (about 23 ms), a crypt or a frame on
 * the wire. Every board calls this once, after wiring the muxes.
 */
#ifndef VMUX_BOARDS_COMMON_WATCHDOGS_H
#define VMUX_BOARDS_COMMON_WATCHDOGS_H

#include "capsules/alarm_mux.h"
#include "capsules/crypto_mux.h"
#include "capsules/net/netif.h"
#include "capsules/uart_mux.h"

#define BOARD_WATCHDOG_US 100000u

void board_watchdogs_start(struct alarm_mux *alarms, struct uart_mux *uart,
                           struct crypto_mux *crypto, struct netif *net);

#endif
