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

/* The SPI and I2C muxes take their watchdog at init (capsules/bus_mux.h):
 * a turn, one transfer or one held transaction, may last this long. An
 * SD card's 512-byte block at 400 kHz takes about 10 ms, the longest
 * I2C transaction of the drivers (34 bytes at 100 kHz) about 3 ms; a
 * process holding a chip select between transfers waits for its time
 * slices. */
#define BOARD_BUS_TIMEOUT_US 100000u

void board_watchdogs_start(struct alarm_mux *alarms, struct uart_mux *uart,
                           struct crypto_mux *crypto, struct netif *net);

#endif
