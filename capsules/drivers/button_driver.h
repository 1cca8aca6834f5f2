/*
 * Button syscall driver: driver 0x3, Tock's button driver, over the
 * board's button pins (hil/gpio.h) and an open pin table (pin_table.h).
 *
 *   command 0          number of buttons             Success u32
 *   command 1, n       report presses and releases   Success; INVALID
 *                      of button n to this process   n >= count; RESERVE
 *   command 2, n       stop reporting button n       the board gives
 *   command 3, n       read button n: 1 pressed,     button n only to
 *                      0 not                          another name
 *                                                    (read: Success u32)
 *   other                                            NOSUPPORT
 *   subscribe 0        (button n, 1 pressed / 0 released, 0) at each
 *                      edge of a button the process enabled
 *   no allows
 *
 * Who hears a press. Buttons are shared: any number of processes may
 * read a button and enable it (unless the board's table names the one
 * process it is for). An edge of button n reaches exactly the processes
 * that enabled button n with command 1 and have not disabled it, each
 * with its own upcall, in round-robin order; never a process that did
 * not ask for that button. As in Tock the upcall is scheduled whether or
 * not the process subscribed: libtock-c's synchronous library enables a
 * button and waits for the upcall with yield-wait-for, without a
 * subscribe (docs/syscalls.md, Subscribe). A process whose upcall queue
 * is full loses that one upcall, counted in its upcalls_dropped (`ps`)
 * and in counters.dropped.
 *
 * Edges. Both edges of every button interrupt from the start, whoever
 * listens, so the driver always knows which buttons are down (all up at
 * start, as nobody holds one at reset). An edge that leaves a button as
 * it was reported last stands for two, the one between them merged into
 * it (edges faster than the loop; QEMU under -icount, which can warp a
 * `sendkey` press and release into one instant; QEMU's gamepad lines,
 * low until each key's first press): its listeners get both, the missed
 * one first, counted in counters.merged. A process's enabled buttons live
 * in its grant, so its end forgets them: the next life enables its own.
 *
 * "Pressed" is the pin's active level (PIN_ACTIVE_LOW for a switch to
 * ground with a pull-up). The board's flags give each button's pull.
 *
 *     static const struct pin buttons[] = {
 *         { "up", &port_e.hil, 0, PIN_ACTIVE_LOW | PIN_PULL_UP, NULL },
 *     };
 *     check(button_driver_init(&button_driver, buttons, 1));
 *     process_register_driver(&button_driver.driver);
 */
#ifndef VMUX_CAPSULES_DRIVERS_BUTTON_DRIVER_H
#define VMUX_CAPSULES_DRIVERS_BUTTON_DRIVER_H

#include "capsules/drivers/pin_table.h"
#include "kernel/syscall_driver.h"

#define BUTTON_DRIVER_NUM 0x3u
#define BUTTON_MAX 32u              /* a bit each in a process's grant */
#define BUTTON_UPCALL 0u

enum button_driver_command {
    BUTTON_CMD_ENABLE = 1,
    BUTTON_CMD_DISABLE = 2,
    BUTTON_CMD_READ = 3,
};

struct button_counters {
    uint32_t edges;       /* edges of any button */
    uint32_t merged;      /* of those, standing for two (both reported) */
    uint32_t upcalls;     /* scheduled for processes */
    uint32_t dropped;     /* lost to a full upcall queue */
};

struct button_driver {
    struct syscall_driver driver;   /* register &d->driver */
    struct pin_table buttons;
    struct hil_gpio_client gpio;    /* the client of each button's bank */
    uint32_t edge_number;           /* of the latest report, never 0 */
    uint32_t down;                  /* bit n: button n reported pressed */
    struct button_counters counters;
};

/* Configures every button as an input with its pull and both edges, and
 * becomes the interrupt client of their banks. INVALID over BUTTON_MAX
 * buttons, BUSY when a bank already has another client, or a bank's
 * error. */
vmux_err_t button_driver_init(struct button_driver *d, const struct pin *buttons, unsigned count);

#endif
