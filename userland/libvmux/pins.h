/*
 * LEDs (driver 0x2) and buttons (0x3), with Tock's numbers.
 *
 * An LED belongs to one process at a time: the first of its calls on an
 * LED takes it (or the board gives it to a process by name), and every
 * other process gets VMUX_ERESERVE until the holder ends. Buttons are
 * shared: each process enables the ones it wants to hear, and hears only
 * those.
 */
#ifndef VMUX_LIBVMUX_PINS_H
#define VMUX_LIBVMUX_PINS_H

#include <stdbool.h>
#include <stdint.h>

#define VMUX_DRIVER_LED 0x2u
#define VMUX_DRIVER_BUTTON 0x3u

int vmux_led_count(uint32_t *count);
int vmux_led_on(uint32_t led);
int vmux_led_off(uint32_t led);
int vmux_led_toggle(uint32_t led);

int vmux_button_count(uint32_t *count);
int vmux_button_read(uint32_t button, bool *pressed);
/* cb(button, pressed, ctx) from a yield, for every press and release of
 * the buttons enabled; one callback for all of them. */
typedef void (*vmux_button_cb)(uint32_t button, bool pressed, void *ctx);
int vmux_button_subscribe(vmux_button_cb cb, void *ctx);
int vmux_button_enable(uint32_t button);
int vmux_button_disable(uint32_t button);

#endif
