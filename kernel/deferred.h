/*
 * Deferred calls and the event loop.
 *
 * A deferred call is work that must run later from the kernel's main loop,
 * never from the caller's stack: split-phase completions ("done" callbacks
 * are never made from inside the request), and the bottom halves of
 * interrupts. Interrupt handlers (real ones on Cortex-M, simulated events on
 * the host board) only raise a deferred call; the loop runs its handler.
 * Both kinds therefore reach drivers through the same path.
 *
 * Raising is idempotent: a call raised twice before it runs, runs once.
 * Pending calls are served with the shared round-robin helper, so a call
 * that re-raises itself cannot starve the others.
 *
 *     static struct deferred_call uart_irq;
 *     deferred_call_register(&uart_irq, uart_bottom_half);  // at init
 *     deferred_call_raise(&uart_irq);                       // from the ISR
 *     ...
 *     kernel_loop_once();                                   // runs it
 */
#ifndef VMUX_KERNEL_DEFERRED_H
#define VMUX_KERNEL_DEFERRED_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/errors.h"
#include "kernel/rr.h"

#define DEFERRED_CALL_MAX 64u

struct deferred_call {
    void (*handler)(struct deferred_call *self);
    uint16_t index;       /* assigned by deferred_call_register */
    bool registered;
};

/* NOMEM when DEFERRED_CALL_MAX calls are registered already. */
vmux_err_t deferred_call_register(struct deferred_call *dc,
                                  void (*handler)(struct deferred_call *self));

/* Mark dc to run from the loop; safe from interrupt context. */
void deferred_call_raise(struct deferred_call *dc);

/* Is any call pending? Inline: the system call path asks after every
 * call. Word reads are atomic: a call raised during the check is seen by
 * the next one (the board checks again with interrupts masked before it
 * sleeps). */
extern uint32_t deferred_pending_words[RR_WORDS(DEFERRED_CALL_MAX)];
static inline __attribute__((always_inline)) bool deferred_call_pending(void)
{
    const volatile uint32_t *w = deferred_pending_words;
    return (w[0] | w[1]) != 0;
}
_Static_assert(RR_WORDS(DEFERRED_CALL_MAX) == 2, "deferred_call_pending reads two words");

/*
 * Run each call that is pending now, at most once each, in round-robin
 * order. Returns how many ran. Calls raised while running wait for the
 * next turn.
 */
unsigned kernel_loop_once(void);

/* Forget every registration (tests and board re-init only). */
void deferred_call_reset(void);

#endif
