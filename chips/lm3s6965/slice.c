#include "chips/lm3s6965/slice.h"

#include "chips/lm3s6965/lm3s6965.h"
#include "chips/lm3s6965/sysctl.h"

#define TIMER TIMER_BASE(2)

static uint32_t per_us; /* timer ticks per microsecond */

/* Armed: count down from the slice. Disarmed: stopped, and neither the
 * time-out flag nor the NVIC remembers a time-out from before. */
static void slice_arm(uint32_t us)
{
    uint32_t ticks = us > UINT32_MAX / per_us ? UINT32_MAX : us * per_us;
    GPTM_CTL(TIMER) = 0;
    GPTM_TAILR(TIMER) = ticks ? ticks : 1u;
    GPTM_CTL(TIMER) = GPTM_CTL_TAEN;
}

static void slice_disarm(void)
{
    GPTM_CTL(TIMER) = 0;
    GPTM_ICR(TIMER) = GPTM_INT_TATO;
    nvic_clear_pending(LM3S_IRQ_TIMER2A);
}

void lm3s_timer2a_isr(void)
{
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
