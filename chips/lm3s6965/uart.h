/*
 * LM3S6965 UART0 (an ARM PL011): struct hil_uart (hil/uart.h), interrupt
 * driven, 8N1 at the configured baud rate, FIFOs on (16 bytes each way).
 *
 * Transmit. transmit(buf, len) puts up to 16 bytes into the TX FIFO at
 * once. If that was all of them, the buffer is no longer needed and the
 * completion is raised straight away; otherwise the TX interrupt is
 * enabled, and each TX interrupt (FIFO drained to 1/8) refills at most
 * 16 bytes. Once the last byte is in the FIFO the interrupt is masked and
 * the completion raised: transmit_done(buf, len, SUCCESS) runs from the
 * loop. "Sent" means handed to the FIFO, which drains on its own;
 * lm3s_uart_tx_idle() says when the line is quiet.
 *
 * Receive. receive(buf, len) enables the RX, receive-timeout (RT)
 * interrupts and makes the UART interrupt pending, so bytes already
 * waiting in the FIFO are taken at once. The top half moves bytes from
 * the FIFO straight into buf; it raises the completion when buf is full
 * and otherwise raises the receive bottom half, which completes the
 * receive once the line is idle after at least one byte:
 *   - the RT interrupt (32 bit times without a byte, with bytes still
 *     in the FIFO) says so on hardware;
 *   - or one character time (10 bit times at the baud rate, on the
 *     timebase) has passed since the newest byte: QEMU's PL011 never
 *     raises RT, so the bottom half re-raises itself until that holds.
 *     It polls for at most one character time after the last byte.
 * With no receive outstanding the RX interrupts are masked and bytes
 * wait in the 16-byte hardware FIFO; more are overruns, counted when the
 * next byte read carries the overrun flag (QEMU holds them back instead).
 *
 * Completions (both directions) come from deferred calls, never from
 * inside a request and never from the interrupt handler; the operation
 * is over before the callback runs, so the client may start the next
 * one from it. One transmit and one receive at a time (VMUX_BUSY); NULL
 * buffer VMUX_INVALID; len 0 VMUX_SIZE.
 *
 * Aborts. abort_transmit / abort_receive stop the operation (masking its
 * interrupt) and its completion follows with VMUX_CANCEL and the count
 * done (bytes put in the FIFO / received). An abort after the operation
 * finished but before its completion ran turns that completion into
 * VMUX_CANCEL. VMUX_ALREADY when nothing is owed.
 *
 * Buffers belong to the driver from the request to its completion.
 * Everything else is in struct lm3s_uart (static, the board's).
 */
#ifndef VMUX_CHIPS_LM3S6965_UART_H
#define VMUX_CHIPS_LM3S6965_UART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hil/uart.h"
#include "kernel/deferred.h"

#define LM3S_UART_DEFAULT_BAUD 115200u

enum lm3s_uart_op { LM3S_UART_IDLE, LM3S_UART_RUNNING, LM3S_UART_FINISHING };

struct lm3s_uart_dir {
    volatile enum lm3s_uart_op op;
    uint8_t *buf;
    size_t len;
    volatile size_t count;          /* bytes into the FIFO / out of it */
    vmux_err_t status;
    struct deferred_call done;
};

struct lm3s_uart_counters {
    uint32_t sent;
    uint32_t received;
    uint32_t overruns;
    uint32_t line_errors;           /* framing, parity, break */
    uint32_t interrupts;
    uint32_t idle_by_timeout;       /* receives ended by the RT interrupt */
};

struct lm3s_uart {
    struct hil_uart hil;
    uint32_t base;
    uint32_t char_ticks;            /* one character time on the timebase */
    struct lm3s_uart_dir tx;
    struct lm3s_uart_dir rx;
    volatile bool rx_idle;          /* RT seen for the running receive */
    volatile uint32_t last_rx;      /* timebase when the newest byte was read */
    struct lm3s_uart_counters counters;
};

/* UART0 on PA0/PA1. Call after lm3s_clock_init() and
 * lm3s_timebase_init(). baud 0 means LM3S_UART_DEFAULT_BAUD. */
vmux_err_t lm3s_uart0_init(struct lm3s_uart *u, uint32_t baud);

/* No transmit owed and the FIFO and shift register empty. */
bool lm3s_uart_tx_idle(const struct lm3s_uart *u);

/* Panic output: write one byte to UART0 by polling, interrupts or not
 * (arch_set_panic_output). */
void lm3s_uart0_putc_polled(char c);

#endif
