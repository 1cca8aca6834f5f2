#include "chips/lm3s6965/slice.h"

#include "chips/lm3s6965/lm3s6965.h"
#include "chips/lm3s6965/sysctl.h"

#define TIMER TIMER_BASE(2)

static uint32_t per_us; /* timer ticks per microsecond */

static uint32_t last_us, last_ticks; /* the slice last armed, in ticks */

/* Armed: counting down from the slice, with the time-out flag cleared.
 * A time-out already pending in the NVIC from before still runs the
 * handler, which finds the flag clear and ignores it: arming stays
 * short, since it comes with every switch to a process. */
static void slice_arm(uint32_t us)
{
    if (us != last_us || last_ticks == 0) {
        last_us = us;
        last_ticks = us > UINT32_MAX / per_us ? UINT32_MAX : us * per_us;
        if (last_ticks == 0)
            last_ticks = 1;
    }
    GPTM_CTL(TIMER) = 0;
    GPTM_ICR(TIMER) = GPTM_INT_TATO;
    GPTM_TAILR(TIMER) = last_ticks;
    GPTM_CTL(TIMER) = GPTM_CTL_TAEN;
}

/* Disarmed: stopped, and neither the time-out flag nor the NVIC
 * remembers a time-out from before. */
static void slice_disarm(void)
{
    GPTM_CTL(TIMER) = 0;
    GPTM_ICR(TIMER) = GPTM_INT_TATO;
    nvic_clear_pending(LM3S_IRQ_TIMER2A);
}

void lm3s_timer2a_isr(void)
{
    if (!(GPTM_RIS(TIMER) & GPTM_INT_TATO))
        return; /* a time-out of a slice since re-armed */
    GPTM_ICR(TIMER) = GPTM_INT_TATO;
    cm3_process_slice_expired();
}

const struct cm3_slice_timer lm3s_slice_timer = { slice_arm, slice_disarm };

void lm3s_slice_init(void)
{
    per_us = lm3s_sysclk_hz() / 1000000u;
    lm3s_clock_enable(0, RCGC1_TIMER(2), 0);
    GPTM_CTL(TIMER) = 0;
    GPTM_CFG(TIMER) = GPTM_CFG_32BIT;
    GPTM_TAMR(TIMER) = GPTM_TAMR_ONESHOT;
    GPTM_ICR(TIMER) = GPTM_INT_TATO;
    GPTM_IMR(TIMER) = GPTM_INT_TATO;
    nvic_enable_irq(LM3S_IRQ_TIMER2A);
}
