/*
 * LM3S6965 I2C0 master: struct hil_i2c (hil/i2c.h), 100 kHz, interrupt
 * driven, one byte per interrupt.
 *
 * Pins: PB2 clock, PB3 data, open drain, set to their I2C function at
 * init.
 *
 * A transaction is a write part and a read part, each its own START and
 * ended with a STOP: QEMU's controller (hw/arm/stellaris.c) cannot
 * repeat a START (a second START with the bus held is not sent to the
 * device), so a write-then-read is a write, a STOP and a read. The
 * devices of the board keep their register pointer across it (the
 * TMP105's pointer, the AT24C's address counter, the DS1338's register
 * pointer), as real ones do.
 *
 * Interrupt. Each byte's end is the top half: it clears the interrupt,
 * and either starts the next byte (the last of a part with STOP, reads
 * acknowledged but the last) or ends the transaction and raises the
 * deferred call, whose bottom half calls done(). An error ends it: NOACK
 * when the address or a byte was not acknowledged, or when arbitration
 * was "lost" at an address (QEMU's way of saying nobody answered), FAIL
 * otherwise; a STOP is sent if the bus is still held. QEMU raises no
 * interrupt when a START finds nobody: a START that ends in an error at
 * once pends the interrupt itself, so the same top half reports it.
 *
 * reset(): forgets the transaction, sends a STOP, and disables and
 * enables the master again. The LM3S6965's master cannot clock SCL on
 * its own to free a device holding SDA low; on a board whose devices can
 * do that the pins would be switched to GPIO for nine clocks (QEMU's
 * devices never hold the bus).
 *
 * One instance (I2C0), the board's static storage.
 */
#ifndef VMUX_CHIPS_LM3S6965_I2C_H
#define VMUX_CHIPS_LM3S6965_I2C_H

#include <stdbool.h>
#include <stdint.h>

#include "hil/i2c.h"
#include "kernel/deferred.h"

struct lm3s_i2c {
    struct hil_i2c hil;
    uint8_t *buf;
    uint16_t write_len, read_len, at;
    uint8_t address;
    volatile uint8_t phase;        /* 0 idle, 1 writing, 2 reading, 3 ended */
    volatile vmux_err_t status;
    struct deferred_call irq;
};

/* The interrupt's handler. The board routes the vector to it
 * (lm3s_i2c0_isr in chips/lm3s6965/vectors.c is weak), so an image
 * without the driver links none of it. */
void lm3s_i2c0_irq(void);

/* VMUX_NOMEM when no deferred call is left. After lm3s_clock_init(). */
vmux_err_t lm3s_i2c0_init(struct lm3s_i2c *i);

#endif
