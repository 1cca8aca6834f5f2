/*
 * UART HIL: a byte stream with split-phase transmit and receive.
 *
 * transmit(buf, len): sends len (>= 1) bytes; transmit_done returns the
 *   same buffer with the count sent (len unless aborted) and a status.
 * receive(buf, len): fills buf with at least 1 and at most len bytes;
 *   receive_done fires when buf is full or when the line goes idle after
 *   at least one byte (no byte in one character time), whichever is first.
 *   Bytes that arrive with no receive outstanding are held in the driver's
 *   hardware FIFO up to its depth and counted as overruns past that.
 * abort_transmit / abort_receive: stop the operation in flight; its
 *   completion still follows, with VMUX_CANCEL and the partial count.
 *   VMUX_ALREADY when nothing is in flight.
 */
#ifndef VMUX_HIL_UART_H
#define VMUX_HIL_UART_H

#include <stddef.h>
#include <stdint.h>

#include "hil/hil.h"

struct hil_uart;

struct hil_uart_client {
    void (*transmit_done)(struct hil_uart_client *self, uint8_t *buf,
                          size_t sent, vmux_err_t status);
    void (*receive_done)(struct hil_uart_client *self, uint8_t *buf,
                         size_t received, vmux_err_t status);
};

struct hil_uart_ops {
    vmux_err_t (*transmit)(struct hil_uart *u, uint8_t *buf, size_t len);
    vmux_err_t (*receive)(struct hil_uart *u, uint8_t *buf, size_t len);
    vmux_err_t (*abort_transmit)(struct hil_uart *u);
    vmux_err_t (*abort_receive)(struct hil_uart *u);
};

struct hil_uart {
    const struct hil_uart_ops *ops;
    struct hil_uart_client *client;
};

static inline void hil_uart_set_client(struct hil_uart *u, struct hil_uart_client *c)
{
    u->client = c;
}

static inline vmux_err_t hil_uart_transmit(struct hil_uart *u, uint8_t *buf, size_t len)
{
    return u->ops->transmit(u, buf, len);
}

static inline vmux_err_t hil_uart_receive(struct hil_uart *u, uint8_t *buf, size_t len)
{
    return u->ops->receive(u, buf, len);
}

static inline vmux_err_t hil_uart_abort_transmit(struct hil_uart *u)
{
    return u->ops->abort_transmit(u);
}

static inline vmux_err_t hil_uart_abort_receive(struct hil_uart *u)
{
    return u->ops->abort_receive(u);
}

#endif
