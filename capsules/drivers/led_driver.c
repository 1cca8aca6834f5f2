#include "capsules/drivers/led_driver.h"

static struct led_driver *driver_of(const struct syscall_driver *d)
{
    return container_of(d, struct led_driver, driver);
}

/* Drive the LED to on or off: its active level, or the other. */
static vmux_err_t light(const struct pin *led, bool on)
{
    return hil_gpio_write(led->bank, led->index, on != ((led->flags & PIN_ACTIVE_LOW) != 0));
}

static void turn_off(const struct pin *led)
{
    light(led, false);
}

static struct syscall_return command_zero(const struct syscall_driver *d)
{
    return syscall_success_u32(driver_of(d)->leds.count);
}

static struct syscall_return command(const struct syscall_driver *d, struct process *p,
                                     void *state, uint32_t cmd, syscall_reg_t arg1,
                                     syscall_reg_t arg2)
{
    struct pin_table *t = &driver_of(d)->leds;
    (void)state, (void)arg2;
    if (cmd < LED_CMD_ON || cmd > LED_CMD_TOGGLE)
        return syscall_failure(VMUX_NOSUPPORT);
    vmux_err_t err = pin_table_use(t, arg1, p);
    if (err == VMUX_SUCCESS) {
        const struct pin *led = &t->pins[arg1];
        err = cmd == LED_CMD_TOGGLE ? hil_gpio_toggle(led->bank, led->index)
                                    : light(led, cmd == LED_CMD_ON);
    }
    return syscall_status(err);
}

/* Its LEDs go off and are free for the next process. */
static void process_ended(const struct syscall_driver *d, struct process *p, void *state)
{
    (void)state;
    pin_table_release(&driver_of(d)->leds, process_client(p), turn_off);
}

vmux_err_t led_driver_init(struct led_driver *d, const struct pin *leds, client_id_t *holders,
                           unsigned count)
{
    static const struct syscall_driver led = {
        .number = LED_DRIVER_NUM,
        .command = command,
        .process_ended = process_ended,
        .command_zero = command_zero,
    };
    d->driver = led;
    pin_table_init(&d->leds, leds, holders, count);
    vmux_err_t err = VMUX_SUCCESS;
    for (unsigned i = 0; i < count && err == VMUX_SUCCESS; i++) {
        err = light(&leds[i], false);
        if (err == VMUX_SUCCESS)
            err = hil_gpio_configure(leds[i].bank, leds[i].index, HIL_GPIO_OUTPUT);
    }
    return err;
}
