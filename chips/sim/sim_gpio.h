/*
 * Simulated GPIO: struct hil_gpio (hil/gpio.h) as a bank of up to
 * SIM_GPIO_PINS pins on the host board, with the outside world (buttons,
 * a tester) driving them through the functions below.
 *
 * A pin's level. An output pin is at its output latch. Any other pin is
 * at the level something outside drives it to (sim_gpio_drive), and when
 * nothing does, its pull decides: 1 with a pull-up, 0 with a pull-down,
 * and without a pull it keeps the level it had (a floating line holds its
 * charge). At init every pin is disabled, undriven and at 0.
 *
 * Edges. Whenever a pin's level changes (a drive, a release, a pull, an
 * output becoming an input), an input pin whose interrupt is armed for
 * that direction records the edge at once, with the new level, and
 * raises the bank's deferred call: that is the interrupt. The bottom half
 * calls the client's edge() for each recorded pin, in pin order. A second
 * edge of a pin before the bottom half ran replaces the first (counted
 * in counters.merged), as the hardware's status bit would.
 *
 * Buttons. sim_gpio_press(g, pin, level, hold_ns) drives the pin to level
 * now and lets it go hold_ns later (a simulated event), as a finger on a
 * switch with a pull resistor would: a press, then a release. A finger is
 * slower than any interrupt: if the press's edge has not reached the
 * client by then (a host board whose loop was not scheduled for a
 * while), the release waits for it, so the two never merge.
 *
 * Listeners. Something outside wired to the bank's pins (a simulated
 * device's chip select, chips/sim/sim_spi.h) registers a struct
 * sim_gpio_listener (sim_gpio_listen, after init): its changed() is
 * called at once, whatever mode the pin is in, each time a pin's level
 * changes, from the call that changed it.
 *
 * Faults (chips/sim/sim_fault.h), armed with sim_gpio_inject_fault:
 *   REFUSE   configure (except to DISABLED) and interrupt (except to
 *            EDGE_NONE) return the error and change nothing.
 *   NEVER    the next edges are lost: recorded by nobody (counted in
 *            counters.lost), as a missed interrupt.
 *   TWICE    edge() is called twice for the next edges (a bouncing
 *            contact seen as two interrupts).
 *   CORRUPT  the next edges are delivered with the level inverted.
 *   ERROR, LATE: not used by this driver.
 *
 * Storage: everything in struct sim_gpio (the board's, static).
 */
#ifndef VMUX_CHIPS_SIM_SIM_GPIO_H
#define VMUX_CHIPS_SIM_SIM_GPIO_H

#include <stdbool.h>
#include <stdint.h>

#include "chips/sim/sim.h"
#include "chips/sim/sim_fault.h"
#include "hil/gpio.h"
#include "kernel/deferred.h"

#define SIM_GPIO_PINS 16u

struct sim_gpio_pin {
    uint8_t mode;            /* enum hil_gpio_mode */
    uint8_t edges;           /* enum hil_gpio_edge bits armed */
    bool latch;              /* output latch */
    bool driven, drive;      /* something outside drives it, to drive */
    bool level;              /* the level on the pin now */
    uint8_t index;           /* its number in the bank */
    struct sim_event release;  /* end of a sim_gpio_press */
};

struct sim_gpio_counters {
    uint32_t edges;          /* recorded (interrupts taken) */
    uint32_t merged;         /* replaced an edge not yet delivered */
    uint32_t lost;           /* dropped by an injected NEVER */
};

struct sim_gpio;

struct sim_gpio_listener {
    void (*changed)(struct sim_gpio_listener *self, struct sim_gpio *g, unsigned pin, bool level);
    struct sim_gpio_listener *next;
};

struct sim_gpio {
    struct hil_gpio hil;
    unsigned pin_count;
    struct sim_gpio_pin pins[SIM_GPIO_PINS];
    uint32_t pending;        /* pins with an edge to deliver */
    uint32_t pending_level;  /* their levels */
    struct sim_fault_slot fault;
    uint32_t twice;          /* pending pins to deliver twice (TWICE) */
    struct deferred_call irq;
    struct sim_gpio_listener *listeners;
    struct sim_gpio_counters counters;
};

/* A bank of pin_count pins (1..SIM_GPIO_PINS, else VMUX_INVALID), all
 * disabled. VMUX_NOMEM when no deferred call is left. */
vmux_err_t sim_gpio_init(struct sim_gpio *g, unsigned pin_count);

/* The outside world: drive the pin to level, or let go of it. Out of
 * range pins are ignored. */
void sim_gpio_drive(struct sim_gpio *g, unsigned pin, bool level);
void sim_gpio_release(struct sim_gpio *g, unsigned pin);
/* Drive to level now, let go hold_ns later. */
void sim_gpio_press(struct sim_gpio *g, unsigned pin, bool level, uint64_t hold_ns);

/* l->changed() at each change of a pin's level from now on. */
void sim_gpio_listen(struct sim_gpio *g, struct sim_gpio_listener *l);

/* What the pin is at now (an LED's state, for a test or the board). */
bool sim_gpio_level(const struct sim_gpio *g, unsigned pin);

/* NULL or SIM_FAULT_NONE disarms. */
void sim_gpio_inject_fault(struct sim_gpio *g, const struct sim_fault *fault);

#endif
