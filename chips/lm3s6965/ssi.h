/*
 * LM3S6965 SSI0: struct hil_spi (hil/spi.h) on the PL022 synchronous
 * serial port as an SPI master, 8-bit frames, interrupt driven.
 *
 * Pins: PA2 clock, PA4 receive, PA5 transmit, set to their SSI function
 * at init. Chip selects are GPIO pins of the board's choosing (the EVB:
 * PD0 the SD card, PA3 the OLED, hil/gpio.h); PA3 is not given to the
 * SSI's own frame signal.
 *
 * Transfers. The interrupt is the top half: it empties the receive FIFO
 * (into read, or nowhere) and refills the transmit FIFO, again until it
 * can send nothing more, keeping at most SSI_FIFO_DEPTH bytes in flight,
 * so the receive FIFO can never overrun;
 * its mask follows the transfer (transmit half empty while bytes remain
 * to send, then receive and receive timeout), and once every byte is in,
 * it masks itself and raises the deferred call, whose bottom half calls
 * transfer_done. QEMU's PL022 (hw/ssi/pl022.c) moves a byte the moment it
 * is written and has no receive timeout (its receive interrupt needs
 * four bytes): the loop takes the whole transfer in one interrupt there,
 * where hardware takes the last few bytes at the receive timeout.
 *
 * configure(mode, rate): CPOL and CPHA in CR0, and the clock prescaler
 * and serial clock rate that give the fastest clock not above rate (the
 * slowest is sysclk / 65024, about 769 Hz at 50 MHz). abort(): masks the
 * interrupt, empties the receive FIFO, and forgets the transfer; a
 * bottom half already raised finds nothing to complete.
 *
 * One instance (SSI0), the board's static storage.
 */
#ifndef VMUX_CHIPS_LM3S6965_SSI_H
#define VMUX_CHIPS_LM3S6965_SSI_H

#include <stdbool.h>
#include <stdint.h>

#include "hil/spi.h"
#include "kernel/deferred.h"

struct lm3s_ssi {
    struct hil_spi hil;
    const uint8_t *write;
    uint8_t *read;
    uint16_t len;
    volatile uint16_t sent, got;   /* the top half's progress */
    bool busy;
    struct deferred_call irq;
};

/* The interrupt's handler. The board routes the vector to it
 * (lm3s_ssi0_isr in chips/lm3s6965/vectors.c is weak), so an image
 * without the driver links none of it. */
void lm3s_ssi0_irq(void);

/* VMUX_NOMEM when no deferred call is left. After lm3s_clock_init(). */
vmux_err_t lm3s_ssi0_init(struct lm3s_ssi *s);

#endif
