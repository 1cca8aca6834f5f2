/*
 * LED syscall driver: driver 0x2, Tock's LED driver, over the board's LED
 * pins (hil/gpio.h) and a held pin table (pin_table.h).
 *
 *   command 0          number of LEDs                 Success u32
 *   command 1, n       turn LED n on                  Success; INVALID
 *   command 2, n       turn LED n off                 n >= count; RESERVE
 *   command 3, n       toggle LED n                   another holds it, or
 *                                                     the board gave it to
 *                                                     another name
 *   other                                             NOSUPPORT
 *   no subscribe, no allows
 *
 * Ownership (beyond Tock, which lets every process drive every LED): an
 * LED belongs to one process at a time. The board's table names its
 * owner, or leaves it shared: then the first process that uses it holds
 * it. Either way the holder keeps it until it ends; then the LED is
 * turned off and free, and a restarted process is a new client that has
 * to take it again. Everyone else gets RESERVE, counted in
 * leds.refused.
 *
 * The LEDs start off. "On" is the pin's active level (PIN_ACTIVE_LOW for
 * an LED wired to light at 0).
 *
 *     static const struct pin leds[] = { { "led0", &port_f.hil, 0, 0, NULL } };
 *     static client_id_t led_holders[1];
 *     check(led_driver_init(&led_driver, leds, led_holders, 1));
 *     process_register_driver(&led_driver.driver);
 */
#ifndef VMUX_CAPSULES_DRIVERS_LED_DRIVER_H
#define VMUX_CAPSULES_DRIVERS_LED_DRIVER_H

#include "capsules/drivers/pin_table.h"
#include "kernel/syscall_driver.h"

#define LED_DRIVER_NUM 0x2u

enum led_driver_command {
    LED_CMD_ON = 1,
    LED_CMD_OFF = 2,
    LED_CMD_TOGGLE = 3,
};

struct led_driver {
    struct syscall_driver driver;   /* register &d->driver */
    struct pin_table leds;
};

/* Configures every LED as an output, off; the first error of a bank. */
vmux_err_t led_driver_init(struct led_driver *d, const struct pin *leds, client_id_t *holders,
                           unsigned count);

#endif
