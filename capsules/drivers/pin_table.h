/*
 * pin_table: who may use which of a board's pins. The one piece of
 * ownership the LED (0x2), button (0x3) and GPIO (0x4) syscall drivers
 * share; each driver keeps one table.
 *
 * The board describes its pins once, in a const array of struct pin:
 * where the pin is (a hil_gpio bank and a pin of it), its name (for the
 * management channel), its flags (the level that means "on" or
 * "pressed", the pull an input needs) and its owner:
 *
 *   owner = "blink"   only processes named blink may use the pin (a
 *                     list of names, "a b", for several: owners.h)
 *   owner = NULL      any process may (a shared pin)
 *
 * Held tables (LEDs, GPIO pins: pin_table_init with holders). A pin
 * belongs to one client at a time: the first process allowed to use it
 * that does so holds it, and keeps it until it ends (exit, fault, stop,
 * restart: the next life is another client and starts with nothing).
 * For a shared pin that is the policy's first-come-first-served
 * reservation; for a named one, the board's assignment. The driver calls
 * pin_table_release() from its process_ended, which gives every pin of
 * the process back and puts it in its idle state (reset), so the next
 * holder never finds what the last one left.
 *
 * Open tables (buttons: no holders). Nobody holds a pin; a named pin may
 * be used only by processes of that name, a shared one by every process.
 *
 * Every refusal is RESERVE (Tock's code for "someone else holds it") and
 * counts in refused; a pin number at or beyond the count is INVALID.
 *
 *     static const struct pin leds[] = {
 *         { "led0", &port_f.hil, 0, 0, NULL },          // shared, FCFS
 *         { "led1", &port_f.hil, 2, PIN_ACTIVE_LOW, "blink" },
 *     };
 *     static client_id_t led_holders[2];
 *     pin_table_init(&t, leds, led_holders, 2);
 *     err = pin_table_use(&t, n, p);        // each command on pin n
 *     pin_table_release(&t, process_client(p), led_off);  // at its end
 */
#ifndef VMUX_CAPSULES_DRIVERS_PIN_TABLE_H
#define VMUX_CAPSULES_DRIVERS_PIN_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "hil/gpio.h"
#include "kernel/client.h"
#include "kernel/process.h"

#define PIN_ACTIVE_LOW 0x1u   /* on / pressed is level 0 */
#define PIN_PULL_UP    0x2u   /* an input with a pull-up (buttons) */
#define PIN_PULL_DOWN  0x4u   /* (one pull at most) */

struct pin {
    const char *name;
    struct hil_gpio *bank;
    uint8_t index;            /* the pin in its bank */
    uint8_t flags;            /* PIN_* */
    const char *owner;        /* process name; NULL: shared */
};

struct pin_table {
    const struct pin *pins;
    client_id_t *holders;     /* per pin, the board's storage; NULL: open */
    uint8_t count;
    uint32_t refused;         /* RESERVE answers */
};

void pin_table_init(struct pin_table *t, const struct pin *pins, client_id_t *holders,
                    unsigned count);

/* May p use pin n now? In a held table the pin becomes p's. SUCCESS,
 * INVALID (n out of range), RESERVE (counted). */
vmux_err_t pin_table_use(struct pin_table *t, uintptr_t n, const struct process *p);

/* Give back every pin id holds, calling reset on each. */
void pin_table_release(struct pin_table *t, client_id_t id, void (*reset)(const struct pin *));

/* Make c the interrupt client of every bank of t's pins; BUSY when one
 * has another client (a board gave one bank's interrupts to two). */
vmux_err_t pin_table_listen(const struct pin_table *t, struct hil_gpio_client *c);

/* The number of the pin at (bank, index), -1 when it is none of t's. */
int pin_table_find(const struct pin_table *t, const struct hil_gpio *bank, unsigned index);

/* The mode of the pin as an input: with the pull its flags give. */
static inline enum hil_gpio_mode pin_input_mode(const struct pin *pin)
{
    return (enum hil_gpio_mode)(HIL_GPIO_INPUT + ((pin->flags >> 1) & 3u));
}

/* Is the pin at its active level (on, pressed) when it reads level? */
static inline bool pin_active(const struct pin *pin, bool level)
{
    return level != ((pin->flags & PIN_ACTIVE_LOW) != 0);
}

#endif
