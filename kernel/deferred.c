#include "kernel/deferred.h"

#include <stddef.h>

#include "kernel/platform.h"
#include "kernel/rr.h"

static struct deferred_call *calls[DEFERRED_CALL_MAX];
uint32_t deferred_pending_words[RR_WORDS(DEFERRED_CALL_MAX)];
#define pending_words deferred_pending_words
static struct rr pending = { pending_words, DEFERRED_CALL_MAX, DEFERRED_CALL_MAX - 1 };
static unsigned call_count;

vmux_err_t deferred_call_register(struct deferred_call *dc,
                                  void (*handler)(struct deferred_call *self))
{
    if (dc == NULL || handler == NULL)
        return VMUX_INVALID;
    if (dc->registered && dc->index < call_count && calls[dc->index] == dc) {
        dc->handler = handler;
        return VMUX_SUCCESS;
    }
    if (call_count >= DEFERRED_CALL_MAX)
        return VMUX_NOMEM;
    dc->handler = handler;
    dc->index = (uint16_t)call_count;
    dc->registered = true;
    calls[call_count++] = dc;
    return VMUX_SUCCESS;
}

void deferred_call_raise(struct deferred_call *dc)
{
    if (dc == NULL || !dc->registered)
        return;
    uint32_t state = platform_irq_save();
    bitmap_set(pending_words, dc->index); /* below DEFERRED_CALL_MAX: registered */
    platform_irq_restore(state);
}


unsigned kernel_loop_once(void)
{
    /* Snapshot what is pending now, so a self-raising call runs once. */
    uint32_t snapshot[RR_WORDS(DEFERRED_CALL_MAX)];
    uint32_t state = platform_irq_save();
    for (unsigned w = 0; w < RR_WORDS(DEFERRED_CALL_MAX); w++) {
        snapshot[w] = pending_words[w];
        pending_words[w] = 0;
    }
    platform_irq_restore(state);

    struct rr turn = { snapshot, (uint16_t)call_count, pending.last };
    if (call_count == 0)
        return 0;
    if (turn.last >= call_count)
        turn.last = (uint16_t)(call_count - 1);
    unsigned ran = 0;
    int i;
    while ((i = rr_next(&turn)) >= 0) {
        rr_clear_pending(&turn, (unsigned)i);
        calls[i]->handler(calls[i]);
        ran++;
    }
    if (ran)
        pending.last = turn.last;
    return ran;
}

void deferred_call_reset(void)
{
    for (unsigned i = 0; i < call_count; i++)
        calls[i]->registered = false;
    call_count = 0;
    rr_init(&pending, pending_words, DEFERRED_CALL_MAX);
}
