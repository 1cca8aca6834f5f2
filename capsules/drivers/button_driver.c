#include "capsules/drivers/button_driver.h"

/* A process's listening, in its grant. */
struct button_grant {
    uint32_t enabled;       /* bit n: it hears button n */
    uint32_t heard;         /* the number of the last edge it was given */
};

static struct button_driver *driver_of(const struct syscall_driver *d)
{
    return container_of(d, struct button_driver, driver);
}

/* ------------------------------------------------------------ presses */

struct edge {
    uint32_t bit, number;
};

/* Listens to this button and was not given this edge yet. */
static bool still_to_hear(struct process *p, void *state, void *ctx)
{
    const struct button_grant *s = state;
    const struct edge *e = ctx;
    (void)p;
    return (s->enabled & e->bit) && s->heard != e->number;
}

/* Button n went to pressed: an upcall for every process that listens. */
static void tell(struct button_driver *d, unsigned n, bool pressed)
{
    if (++d->edge_number == 0)
        d->edge_number = 1;
    struct edge e = { 1u << n, d->edge_number };
    struct process *p;
    while ((p = process_next_with_grant(&d->driver, still_to_hear, &e)) != NULL) {
        struct button_grant *s = process_grant(p, &d->driver);
        s->heard = e.number;
        if (process_schedule_upcall(p, &d->driver, BUTTON_UPCALL, n, pressed, 0))
            d->counters.upcalls++;
        else
            d->counters.dropped++;
    }
}

/* An edge that leaves the button as it was reported last (pressed twice,
 * released twice) stands for two: the one in between merged into it. */
static void button_edge(struct hil_gpio_client *self, struct hil_gpio *bank, unsigned index,
                        bool level)
{
    struct button_driver *d = container_of(self, struct button_driver, gpio);
    int n = pin_table_find(&d->buttons, bank, index);
    if (n < 0)
        return;
    uint32_t bit = 1u << n;
    bool pressed = pin_active(&d->buttons.pins[n], level);
    d->counters.edges++;
    if (((d->down & bit) != 0) == pressed) {
        d->counters.merged++;
        tell(d, (unsigned)n, !pressed);
    }
    d->down = pressed ? d->down | bit : d->down & ~bit;
    tell(d, (unsigned)n, pressed);
}

/* ------------------------------------------------------------ driver */

static struct syscall_return command_zero(const struct syscall_driver *d)
{
    return syscall_success_u32(driver_of(d)->buttons.count);
}

static struct syscall_return command(const struct syscall_driver *d, struct process *p,
                                     void *state, uint32_t cmd, syscall_reg_t arg1,
                                     syscall_reg_t arg2)
{
    struct pin_table *t = &driver_of(d)->buttons;
    struct button_grant *s = state;
    (void)arg2;
    if (cmd < BUTTON_CMD_ENABLE || cmd > BUTTON_CMD_READ)
        return syscall_failure(VMUX_NOSUPPORT);
    vmux_err_t err = pin_table_use(t, arg1, p);
    if (err != VMUX_SUCCESS)
        return syscall_failure(err);
    const struct pin *b = &t->pins[arg1];
    uint32_t bit = 1u << arg1;
    bool level = false;
    switch (cmd) {
    case BUTTON_CMD_ENABLE:
        s->enabled |= bit;
        return syscall_success();
    case BUTTON_CMD_DISABLE:
        s->enabled &= ~bit;
        return syscall_success();
    default: /* BUTTON_CMD_READ */
        err = hil_gpio_read(b->bank, b->index, &level);
        return err == VMUX_SUCCESS ? syscall_success_u32(pin_active(b, level))
                                   : syscall_failure(err);
    }
}

vmux_err_t button_driver_init(struct button_driver *d, const struct pin *buttons, unsigned count)
{
    static const struct syscall_driver button = {
        .number = BUTTON_DRIVER_NUM,
        .upcall_count = 1,
        .state_size = sizeof(struct button_grant),
        .command = command,
        .command_zero = command_zero,
    };
    if (count > BUTTON_MAX)
        return VMUX_INVALID;
    d->driver = button;
    pin_table_init(&d->buttons, buttons, NULL, count);
    d->gpio.edge = button_edge;
    d->edge_number = 0;
    d->down = 0;
    d->counters = (struct button_counters){ 0 };
    vmux_err_t err = pin_table_listen(&d->buttons, &d->gpio);
    for (unsigned i = 0; i < count && err == VMUX_SUCCESS; i++) {
        const struct pin *b = &buttons[i];
        err = hil_gpio_configure(b->bank, b->index, pin_input_mode(b));
        if (err == VMUX_SUCCESS)
            err = hil_gpio_interrupt(b->bank, b->index, HIL_GPIO_EDGE_BOTH);
    }
    return err;
}
