/*
 * LED 0x2: command 0 count, 1 on, 2 off, 3 toggle (argument: the LED).
 * Button 0x3: command 0 count, 1 enable, 2 disable, 3 read; upcall 0 with
 * (button, 1 pressed / 0 released).
 */
#include "pins.h"

#include "syscall.h"

static int count(uint32_t driver, uint32_t *out)
{
    return vmux_result_u32(vmux_command(driver, 0, 0, 0), out);
}

int vmux_led_count(uint32_t *n) { return count(VMUX_DRIVER_LED, n); }
int vmux_led_on(uint32_t led) { return vmux_command_status(VMUX_DRIVER_LED, 1, led, 0); }
int vmux_led_off(uint32_t led) { return vmux_command_status(VMUX_DRIVER_LED, 2, led, 0); }
int vmux_led_toggle(uint32_t led) { return vmux_command_status(VMUX_DRIVER_LED, 3, led, 0); }

int vmux_button_count(uint32_t *n) { return count(VMUX_DRIVER_BUTTON, n); }

int vmux_button_read(uint32_t button, bool *pressed)
{
    uint32_t value = 0;
    int err = vmux_result_u32(vmux_command(VMUX_DRIVER_BUTTON, 3, button, 0), &value);
    *pressed = value != 0;
    return err;
}

static vmux_button_cb button_cb;
static void *button_ctx;

static void button_upcall(uint32_t button, uint32_t pressed, uint32_t unused, uintptr_t appdata)
{
    (void)unused, (void)appdata;
    if (button_cb)
        button_cb(button, pressed != 0, button_ctx);
}

int vmux_button_subscribe(vmux_button_cb cb, void *ctx)
{
    button_cb = cb;
    button_ctx = ctx;
    return vmux_subscribe_status(VMUX_DRIVER_BUTTON, 0, button_upcall, 0);
}

int vmux_button_enable(uint32_t b) { return vmux_command_status(VMUX_DRIVER_BUTTON, 1, b, 0); }
int vmux_button_disable(uint32_t b) { return vmux_command_status(VMUX_DRIVER_BUTTON, 2, b, 0); }
