/*
 * GPIO syscall driver: driver 0x4, Tock's GPIO driver, over the pins a
 * board leaves free for processes (hil/gpio.h) and a held pin table
 * (pin_table.h).
 *
 *   command 0          the driver exists               Success
 *   command 1, n       make pin n an output            Success; INVALID
 *   command 2, n       set it (level 1)                n >= count; RESERVE
 *   command 3, n       clear it (level 0)              another process
 *   command 4, n       toggle it                       holds the pin, or
 *   command 5, n, m    make it an input; m: 0 no pull, the board gave it
 *                      1 pull-up, 2 pull-down          to another name;
 *   command 6, n       read it                         NOSUPPORT for an
 *                                                      unknown m (5, 7);
 *   command 7, n, m    report its edges; m: 0 both,    (read: Success u32,
 *                      1 rising, 2 falling             0 or 1)
 *   command 8, n       stop reporting and disable it
 *   command 9, n       disable it (input, no pull, no interrupt)
 *   command 10         number of pins                  Success u32
 *   other                                              NOSUPPORT
 *   subscribe 0        (pin n, level 0/1, 0) at each edge of a pin with
 *                      edges on
 *   no allows
 *
 * Ownership (beyond Tock, whose GPIO any process may drive, and whose
 * interrupt upcall goes to every process): a pin belongs to one process
 * at a time. The board's table names its owner or leaves it shared; the
 * first allowed process whose command names the pin holds it until it
 * ends. Errors are checked in the order INVALID, RESERVE, NOSUPPORT, so
 * a command with an unknown mode still takes a free pin. Everyone else
 * gets RESERVE, counted in pins.refused, and an edge of the pin reaches
 * its holder only (a full upcall queue: counted in the holder's
 * upcalls_dropped and counters.dropped). When the holder ends, its pins
 * are disabled (no drive, no pull, no interrupt) and free: the next
 * holder, even the same program restarted, starts from the reset state.
 *
 *     static const struct pin header[] = { { "pb0", &port_b.hil, 0, 0, NULL } };
 *     static client_id_t header_holders[1];
 *     check(gpio_driver_init(&gpio_driver, header, header_holders, 1));
 *     process_register_driver(&gpio_driver.driver);
 */
#ifndef VMUX_CAPSULES_DRIVERS_GPIO_DRIVER_H
#define VMUX_CAPSULES_DRIVERS_GPIO_DRIVER_H

#include "capsules/drivers/pin_table.h"
#include "kernel/syscall_driver.h"

#define GPIO_DRIVER_NUM 0x4u
#define GPIO_UPCALL 0u

enum gpio_driver_command {
    GPIO_CMD_OUTPUT = 1,
    GPIO_CMD_SET = 2,
    GPIO_CMD_CLEAR = 3,
    GPIO_CMD_TOGGLE = 4,
    GPIO_CMD_INPUT = 5,
    GPIO_CMD_READ = 6,
    GPIO_CMD_INTERRUPT = 7,
    GPIO_CMD_INTERRUPT_OFF = 8,
    GPIO_CMD_DISABLE = 9,
    GPIO_CMD_COUNT = 10,
};

struct gpio_driver_counters {
    uint32_t edges;       /* edges of any pin */
    uint32_t upcalls;     /* scheduled for the holder */
    uint32_t dropped;     /* lost to a full upcall queue */
};

struct gpio_driver {
    struct syscall_driver driver;   /* register &d->driver */
    struct pin_table pins;
    struct hil_gpio_client gpio;    /* the client of each pin's bank */
    struct gpio_driver_counters counters;
};

/* Disables every pin and becomes the interrupt client of their banks.
 * BUSY when a bank already has another client, or a bank's error. */
vmux_err_t gpio_driver_init(struct gpio_driver *d, const struct pin *pins, client_id_t *holders,
                            unsigned count);

#endif
