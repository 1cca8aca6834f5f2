/*
 * GPIO HIL: a bank of digital pins, numbered 0 .. pin_count() - 1 (one
 * port of a chip, or a simulated header).
 *
 * Configuration, writes and reads act at once and return a status: a pin
 * is a register bit, there is nothing to wait for. Only edges are split
 * phase: interrupt() arms a pin, and each edge reaches the bank's client
 * later, from the kernel loop (the interrupt handler only records it and
 * raises the bank's deferred call), never from inside a request.
 *
 *   configure(pin, mode)     HIL_GPIO_OUTPUT: drive the pin with its
 *                            output latch; HIL_GPIO_INPUT(_PULL_UP,
 *                            _PULL_DOWN): read it, with a pull-up, a
 *                            pull-down or neither; HIL_GPIO_DISABLED: the
 *                            reset state, for low power: input, no pull,
 *                            no interrupt
 *   write(pin, level)        set (true) or clear the output latch; on a
 *                            pin that is not an output it takes effect
 *                            when the pin becomes one
 *   toggle(pin)              invert the output latch
 *   read(pin, &level)        the level on the pin now (an output pin
 *                            reads what it drives)
 *   interrupt(pin, edges)    report rising, falling or both edges of the
 *                            pin's input (HIL_GPIO_EDGE_*) from now on,
 *                            in place of the earlier choice; EDGE_NONE:
 *                            no more, and one recorded and not yet
 *                            delivered is dropped (so does DISABLED).
 *                            Only inputs have edges: an output pin reports
 *                            nothing until it is an input
 *
 * Every request on a pin >= pin_count(), or with an unknown mode or edge,
 * is VMUX_INVALID and changes nothing. A driver may refuse a
 * configuration it cannot make (VMUX_NOSUPPORT, or a fault injected in
 * the simulator).
 *
 * Edges. edge(client, bank, pin, level) gives the level the pin had when
 * the interrupt was taken. Edges that come faster than the loop runs
 * merge, as they do in the hardware's status register: one callback, the
 * latest level; the driver counts the merged ones.
 *
 * One client per bank: the bank's interrupts go to one client (set once
 * by the board, before any pin interrupts). Pins without interrupts may be
 * driven by other components; the board decides which component uses
 * which pin, and no two use the same one.
 *
 *     hil_gpio_configure(bank, 3, HIL_GPIO_INPUT_PULL_UP);
 *     hil_gpio_set_client(bank, &buttons.gpio_client);
 *     hil_gpio_interrupt(bank, 3, HIL_GPIO_EDGE_BOTH);
 *     ...                    // from the loop, at each edge:
 *     buttons.gpio_client.edge(&buttons.gpio_client, bank, 3, level);
 */
#ifndef VMUX_HIL_GPIO_H
#define VMUX_HIL_GPIO_H

#include <stdbool.h>

#include "hil/hil.h"

enum hil_gpio_mode {
    HIL_GPIO_DISABLED = 0,
    HIL_GPIO_OUTPUT = 1,
    HIL_GPIO_INPUT = 2,             /* no pull */
    HIL_GPIO_INPUT_PULL_UP = 3,
    HIL_GPIO_INPUT_PULL_DOWN = 4,
};

/* Bits: BOTH is RISING | FALLING. */
enum hil_gpio_edge {
    HIL_GPIO_EDGE_NONE = 0,
    HIL_GPIO_EDGE_RISING = 1,
    HIL_GPIO_EDGE_FALLING = 2,
    HIL_GPIO_EDGE_BOTH = 3,
};

struct hil_gpio;

struct hil_gpio_client {
    void (*edge)(struct hil_gpio_client *self, struct hil_gpio *bank, unsigned pin, bool level);
};

struct hil_gpio_ops {
    unsigned (*pin_count)(struct hil_gpio *g);
    vmux_err_t (*configure)(struct hil_gpio *g, unsigned pin, enum hil_gpio_mode mode);
    vmux_err_t (*write)(struct hil_gpio *g, unsigned pin, bool level);
    vmux_err_t (*toggle)(struct hil_gpio *g, unsigned pin);
    vmux_err_t (*read)(struct hil_gpio *g, unsigned pin, bool *level);
    vmux_err_t (*interrupt)(struct hil_gpio *g, unsigned pin, enum hil_gpio_edge edges);
};

struct hil_gpio {
    const struct hil_gpio_ops *ops;
    struct hil_gpio_client *client;
};

static inline void hil_gpio_set_client(struct hil_gpio *g, struct hil_gpio_client *c)
{
    g->client = c;
}
static inline unsigned hil_gpio_pin_count(struct hil_gpio *g) { return g->ops->pin_count(g); }
static inline vmux_err_t hil_gpio_configure(struct hil_gpio *g, unsigned pin,
                                            enum hil_gpio_mode mode)
{
    return g->ops->configure(g, pin, mode);
}
static inline vmux_err_t hil_gpio_write(struct hil_gpio *g, unsigned pin, bool level)
{
    return g->ops->write(g, pin, level);
}
static inline vmux_err_t hil_gpio_toggle(struct hil_gpio *g, unsigned pin)
{
    return g->ops->toggle(g, pin);
}
static inline vmux_err_t hil_gpio_read(struct hil_gpio *g, unsigned pin, bool *level)
{
    return g->ops->read(g, pin, level);
}
static inline vmux_err_t hil_gpio_interrupt(struct hil_gpio *g, unsigned pin,
                                            enum hil_gpio_edge edges)
{
    return g->ops->interrupt(g, pin, edges);
}

#endif
