/*
 * buttons: listens to every button and toggles LED 0 at each press, if
 * it could take the LED (the first process to use it holds it; another
 * instance is refused and only reports). Prints each press and release.
 * On the host board, press a button from the management channel:
 * "@mgmt press up"; "@mgmt pins" shows the LED.
 */
#include "libvmux.h"

static bool has_led;

static void on_button(uint32_t button, bool pressed, void *ctx)
{
    (void)ctx;
    vmux_printf("button %u %s\n", (unsigned)button, pressed ? "pressed" : "released");
    if (pressed && has_led)
        vmux_printf("led 0 toggled: %s\n", vmux_error_name(vmux_led_toggle(0)));
}

int main(void)
{
    uint32_t buttons = 0, leds = 0;
    int err = vmux_button_count(&buttons);
    if (err == VMUX_OK)
        err = vmux_led_count(&leds);
    if (err != VMUX_OK) {
        vmux_printf("no buttons or LEDs: %s\n", vmux_error_name(err));
        return 1;
    }
    err = leds ? vmux_led_off(0) : VMUX_ENODEVICE;
    has_led = err == VMUX_OK;
    vmux_printf("led 0: %s\n", vmux_error_name(err));
    vmux_button_subscribe(on_button, NULL);
    for (uint32_t b = 0; b < buttons; b++)
        vmux_button_enable(b);
    vmux_printf("listening to %u buttons\n", (unsigned)buttons);
    for (;;)
        vmux_yield_wait();
}
