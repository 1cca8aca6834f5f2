#include "chips/sim/sim_gpio.h"

#include <string.h>

static struct sim_gpio *gpio_of(struct hil_gpio *hil)
{
    return container_of(hil, struct sim_gpio, hil);
}

static bool is_edge_fault(enum sim_fault_kind k)
{
    return k == SIM_FAULT_NEVER || k == SIM_FAULT_TWICE || k == SIM_FAULT_CORRUPT;
}

/* The armed fault, taken (and counted) only when it is of the kind this
 * operation uses; NONE otherwise. */
static enum sim_fault_kind take_fault(struct sim_gpio *g, bool edge)
{
    enum sim_fault_kind k = g->fault.fault.kind;
    if (k == SIM_FAULT_NONE || is_edge_fault(k) != edge || (!edge && k != SIM_FAULT_REFUSE))
        return SIM_FAULT_NONE;
    return sim_fault_take(&g->fault);
}

/* ------------------------------------------------------------ the pins */

/* The "interrupt": record the edge of pin, now at level, for the bottom
 * half. */
static void record_edge(struct sim_gpio *g, unsigned pin, bool level)
{
    uint32_t bit = 1u << pin;
    enum sim_fault_kind fault = take_fault(g, true);
    if (fault == SIM_FAULT_NEVER) {
        g->counters.lost++;
        return;
    }
    if (fault == SIM_FAULT_CORRUPT)
        level = !level;
    g->counters.edges++;
    if (g->pending & bit)
        g->counters.merged++;
    g->pending |= bit;
    g->pending_level = level ? g->pending_level | bit : g->pending_level & ~bit;
    g->twice = fault == SIM_FAULT_TWICE ? g->twice | bit : g->twice & ~bit;
    deferred_call_raise(&g->irq);
}

/* Work out the pin's level again after anything about it changed, and
 * take the interrupt if that was an armed edge. */
static void settle(struct sim_gpio *g, unsigned pin)
{
    struct sim_gpio_pin *p = &g->pins[pin];
    bool level = p->level;
    if (p->mode == HIL_GPIO_OUTPUT)
        level = p->latch;
    else if (p->driven)
        level = p->drive;
    else if (p->mode == HIL_GPIO_INPUT_PULL_UP || p->mode == HIL_GPIO_INPUT_PULL_DOWN)
        level = p->mode == HIL_GPIO_INPUT_PULL_UP;
    if (level == p->level)
        return;
    p->level = level;
    for (struct sim_gpio_listener *l = g->listeners; l; l = l->next)
        l->changed(l, g, pin, level);
    unsigned wanted = level ? HIL_GPIO_EDGE_RISING : HIL_GPIO_EDGE_FALLING;
    if (p->mode >= HIL_GPIO_INPUT && (p->edges & wanted))
        record_edge(g, pin, level);
}

static void bottom_half(struct deferred_call *dc)
{
    struct sim_gpio *g = container_of(dc, struct sim_gpio, irq);
    for (unsigned pin = 0; pin < g->pin_count; pin++) {
        uint32_t bit = 1u << pin;
        if (!(g->pending & bit))
            continue;
        bool level = (g->pending_level & bit) != 0;
        unsigned calls = g->twice & bit ? 2 : 1;
        g->pending &= ~bit;
        g->twice &= ~bit;
        for (unsigned i = 0; i < calls && g->hil.client; i++)
            g->hil.client->edge(g->hil.client, &g->hil, pin, level);
    }
}

/* ------------------------------------------------------------ the HIL */

static unsigned gpio_pin_count(struct hil_gpio *hil)
{
    return gpio_of(hil)->pin_count;
}

/* The pin's state for a request on it; NULL when out of range. */
static struct sim_gpio_pin *pin_of(struct sim_gpio *g, unsigned pin)
{
    return pin < g->pin_count ? &g->pins[pin] : NULL;
}

static vmux_err_t gpio_configure(struct hil_gpio *hil, unsigned pin, enum hil_gpio_mode mode)
{
    struct sim_gpio *g = gpio_of(hil);
    struct sim_gpio_pin *p = pin_of(g, pin);
    if (p == NULL || mode > HIL_GPIO_INPUT_PULL_DOWN)
        return VMUX_INVALID;
    if (mode != HIL_GPIO_DISABLED && take_fault(g, false) == SIM_FAULT_REFUSE)
        return sim_fault_error(&g->fault.fault);
    p->mode = (uint8_t)mode;
    if (mode == HIL_GPIO_DISABLED) {
        p->edges = 0;
        g->pending &= ~(1u << pin);
    }
    settle(g, pin);
    return VMUX_SUCCESS;
}

static vmux_err_t set_latch(struct hil_gpio *hil, unsigned pin, bool level, bool toggle)
{
    struct sim_gpio *g = gpio_of(hil);
    struct sim_gpio_pin *p = pin_of(g, pin);
    if (p == NULL)
        return VMUX_INVALID;
    p->latch = toggle ? !p->latch : level;
    settle(g, pin);
    return VMUX_SUCCESS;
}

static vmux_err_t gpio_write(struct hil_gpio *hil, unsigned pin, bool level)
{
    return set_latch(hil, pin, level, false);
}

static vmux_err_t gpio_toggle(struct hil_gpio *hil, unsigned pin)
{
    return set_latch(hil, pin, false, true);
}

static vmux_err_t gpio_read(struct hil_gpio *hil, unsigned pin, bool *level)
{
    struct sim_gpio_pin *p = pin_of(gpio_of(hil), pin);
    if (p == NULL)
        return VMUX_INVALID;
    *level = p->level;
    return VMUX_SUCCESS;
}

static vmux_err_t gpio_interrupt(struct hil_gpio *hil, unsigned pin, enum hil_gpio_edge edges)
{
    struct sim_gpio *g = gpio_of(hil);
    struct sim_gpio_pin *p = pin_of(g, pin);
    if (p == NULL || edges > HIL_GPIO_EDGE_BOTH)
        return VMUX_INVALID;
    if (edges != HIL_GPIO_EDGE_NONE && take_fault(g, false) == SIM_FAULT_REFUSE)
        return sim_fault_error(&g->fault.fault);
    p->edges = (uint8_t)edges;
    if (edges == HIL_GPIO_EDGE_NONE)
        g->pending &= ~(1u << pin);
    return VMUX_SUCCESS;
}

static const struct hil_gpio_ops sim_gpio_ops = {
    .pin_count = gpio_pin_count,
    .configure = gpio_configure,
    .write = gpio_write,
    .toggle = gpio_toggle,
    .read = gpio_read,
    .interrupt = gpio_interrupt,
};

/* ------------------------------------------------------------ outside */

vmux_err_t sim_gpio_init(struct sim_gpio *g, unsigned pin_count)
{
    memset(g, 0, sizeof *g);
    if (pin_count == 0 || pin_count > SIM_GPIO_PINS)
        return VMUX_INVALID;
    g->pin_count = pin_count;
    for (unsigned i = 0; i < pin_count; i++)
        g->pins[i].index = (uint8_t)i;
    g->hil.ops = &sim_gpio_ops;
    return deferred_call_register(&g->irq, bottom_half);
}

void sim_gpio_drive(struct sim_gpio *g, unsigned pin, bool level)
{
    struct sim_gpio_pin *p = pin_of(g, pin);
    if (p == NULL)
        return;
    p->driven = true;
    p->drive = level;
    settle(g, pin);
}

void sim_gpio_release(struct sim_gpio *g, unsigned pin)
{
    struct sim_gpio_pin *p = pin_of(g, pin);
    if (p == NULL)
        return;
    sim_event_cancel(&p->release);
    p->driven = false;
    settle(g, pin);
}

/* The finger comes off, unless the press is still waiting for the loop:
 * then a little later (PRESS_RECHECK_NS), so that a press is never
 * merged into its own release however late the loop runs. */
#define PRESS_RECHECK_NS 1000000ull

static void press_over(struct sim_event *ev)
{
    struct sim_gpio_pin *p = container_of(ev, struct sim_gpio_pin, release);
    struct sim_gpio *g = container_of(p - p->index, struct sim_gpio, pins);
    if (g->pending & (1u << p->index))
        sim_event_schedule(ev, sim_now_ns() + PRESS_RECHECK_NS, press_over);
    else
        sim_gpio_release(g, p->index);
}

void sim_gpio_press(struct sim_gpio *g, unsigned pin, bool level, uint64_t hold_ns)
{
    sim_gpio_drive(g, pin, level);
    if (pin < g->pin_count)
        sim_event_schedule(&g->pins[pin].release, sim_now_ns() + hold_ns, press_over);
}

void sim_gpio_listen(struct sim_gpio *g, struct sim_gpio_listener *l)
{
    l->next = g->listeners;
    g->listeners = l;
}

bool sim_gpio_level(const struct sim_gpio *g, unsigned pin)
{
    return pin < g->pin_count && g->pins[pin].level;
}

void sim_gpio_inject_fault(struct sim_gpio *g, const struct sim_fault *fault)
{
    sim_fault_arm(&g->fault, fault);
}
