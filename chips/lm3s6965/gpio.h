/*
 * LM3S6965 GPIO: struct hil_gpio (hil/gpio.h) on one PL061 port, pins 0-7
 * (ports A..G: 0..6; GPIO_BASE in lm3s6965.h; QEMU models the same
 * PL061 with the Stellaris registers, hw/gpio/pl061.c).
 *
 * Registers. Levels go through the address-masked DATA register, so a
 * write or toggle touches only its own bit, atomically, with no
 * read-modify-write of the port. configure() sets DIR for an output, PUR
 * or PDR for an input's pull, DEN unless DISABLED (which also clears the
 * pin's interrupt mask), and clears AFSEL: the pin is a GPIO from then
 * on. Interrupts are edge-sensitive (IS clear): both edges with IBE, one
 * with IEV (1 rising).
 *
 * Interrupt. The port's IRQ is the top half: it reads MIS, acknowledges
 * it in ICR, records those pins and their levels from DATA, and raises
 * the deferred call the ports share; a pin recorded again before the
 * bottom half ran is counted in merged. The bottom half calls edge() per
 * recorded pin, port by port, pin by pin. interrupt(EDGE_NONE) and configure(DISABLED) drop a recorded
 * edge of the pin.
 *
 * QEMU. Its PL061 does not apply PUR or PDR to what an input reads: an
 * input nothing drives reads 0. The lm3s6965evb's gamepad (up, down,
 * left, right on PE0-PE3, select on PF1; hw/arm/stellaris.c) pulls a
 * line low while its key is down, but leaves every line low until that
 * key is first pressed and released: before that, a key reads as
 * pressed and its first press makes no edge. Real hardware, with the
 * EVB's pull-ups, reads 1 from the start.
 *
 * One instance per port, in the board's static storage; the port's
 * clock is enabled by init.
 */
#ifndef VMUX_CHIPS_LM3S6965_GPIO_H
#define VMUX_CHIPS_LM3S6965_GPIO_H

#include <stdint.h>

#include "hil/gpio.h"

#define LM3S_GPIO_PINS 8u

struct lm3s_gpio {
    struct hil_gpio hil;
    uint8_t port;             /* 0 (A) .. 6 (G) */
    volatile uint8_t pending; /* pins with an edge to deliver */
    volatile uint8_t levels;  /* their levels at the interrupt */
    uint32_t merged;          /* edges recorded on a pin still waiting */
};

/* Port 0 (A) .. 6 (G), once each; VMUX_INVALID for another port,
 * VMUX_NOMEM when no deferred call is left (the first port registers the
 * one they share). Call after lm3s_clock_init(). */
vmux_err_t lm3s_gpio_init(struct lm3s_gpio *g, unsigned port);

#endif
