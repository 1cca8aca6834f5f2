#include "capsules/drivers/gpio_driver.h"

static struct gpio_driver *driver_of(const struct syscall_driver *d)
{
    return container_of(d, struct gpio_driver, driver);
}

static void disable(const struct pin *pin)
{
    hil_gpio_configure(pin->bank, pin->index, HIL_GPIO_DISABLED);
}

/* An edge goes to the pin's holder, and to nobody else. */
static void gpio_edge(struct hil_gpio_client *self, struct hil_gpio *bank, unsigned index,
                      bool level)
{
    struct gpio_driver *d = container_of(self, struct gpio_driver, gpio);
    int n = pin_table_find(&d->pins, bank, index);
    if (n < 0)
        return;
    d->counters.edges++;
    struct process *p = process_of_client(d->pins.holders[n]);
    if (p == NULL)
        hil_gpio_interrupt(bank, index, HIL_GPIO_EDGE_NONE); /* nobody to tell */
    else if (process_schedule_upcall(p, &d->driver, GPIO_UPCALL, (uint32_t)n, level, 0))
        d->counters.upcalls++;
    else
        d->counters.dropped++;
}

/* Pin modes (m) are 0, 1, 2: a pull (none, up, down), or which edges
 * (both, rising, falling). */
static vmux_err_t pin_command(const struct pin *pin, uint32_t cmd, syscall_reg_t m, bool *level)
{
    struct hil_gpio *g = pin->bank;
    unsigned i = pin->index;
    if ((cmd == GPIO_CMD_INPUT || cmd == GPIO_CMD_INTERRUPT) && m > 2)
        return VMUX_NOSUPPORT;
    switch (cmd) {
    case GPIO_CMD_OUTPUT:
        return hil_gpio_configure(g, i, HIL_GPIO_OUTPUT);
    case GPIO_CMD_SET:
    case GPIO_CMD_CLEAR:
        return hil_gpio_write(g, i, cmd == GPIO_CMD_SET);
    case GPIO_CMD_TOGGLE:
        return hil_gpio_toggle(g, i);
    case GPIO_CMD_INPUT:
        return hil_gpio_configure(g, i, (enum hil_gpio_mode)(HIL_GPIO_INPUT + m));
    case GPIO_CMD_READ:
        return hil_gpio_read(g, i, level);
    case GPIO_CMD_INTERRUPT:
        return hil_gpio_interrupt(g, i, m ? (enum hil_gpio_edge)m : HIL_GPIO_EDGE_BOTH);
    default: /* GPIO_CMD_INTERRUPT_OFF, GPIO_CMD_DISABLE: disabled, no edges */
        return hil_gpio_configure(g, i, HIL_GPIO_DISABLED);
    }
}

static struct syscall_return command(const struct syscall_driver *d, struct process *p,
                                     void *state, uint32_t cmd, syscall_reg_t arg1,
                                     syscall_reg_t arg2)
{
    struct pin_table *t = &driver_of(d)->pins;
    (void)state;
    if (cmd == GPIO_CMD_COUNT)
        return syscall_success_u32(t->count);
    if (cmd < GPIO_CMD_OUTPUT || cmd > GPIO_CMD_DISABLE)
        return syscall_failure(VMUX_NOSUPPORT);
    bool level = false;
    vmux_err_t err = pin_table_use(t, arg1, p);
    if (err == VMUX_SUCCESS)
        err = pin_command(&t->pins[arg1], cmd, arg2, &level);
    if (err == VMUX_SUCCESS && cmd == GPIO_CMD_READ)
        return syscall_success_u32(level);
    return syscall_status(err);
}

/* Its pins go back to the reset state and are free. */
static void process_ended(const struct syscall_driver *d, struct process *p, void *state)
{
    (void)state;
    pin_table_release(&driver_of(d)->pins, process_client(p), disable);
}

vmux_err_t gpio_driver_init(struct gpio_driver *d, const struct pin *pins, client_id_t *holders,
                            unsigned count)
{
    static const struct syscall_driver gpio = {
        .number = GPIO_DRIVER_NUM,
        .upcall_count = 1,
        .command = command,
        .process_ended = process_ended,
    };
    d->driver = gpio;
    pin_table_init(&d->pins, pins, holders, count);
    d->gpio.edge = gpio_edge;
    d->counters = (struct gpio_driver_counters){ 0 };
    vmux_err_t err = pin_table_listen(&d->pins, &d->gpio);
    for (unsigned i = 0; i < count && err == VMUX_SUCCESS; i++)
        err = hil_gpio_configure(pins[i].bank, pins[i].index, HIL_GPIO_DISABLED);
    return err;
}
