#include "chips/lm3s6965/timebase.h"

#include "arch/cortex-m3/arch.h"
#include "arch/cortex-m3/cortex_m3.h"
#include "chips/lm3s6965/sysctl.h"
#include "kernel/platform.h"

#define PERIOD (SYST_MAX + 1u)   /* ticks per SysTick wrap */

/* The count at the start of the current SysTick period, and how far
 * into it the last read was. Only advance(), with interrupts masked,
 * changes them. */
static uint32_t period_start;
static uint32_t last_elapsed;
static uint32_t hz;

/*
 * Read the counter and account for a wrap since the last read: the
 * elapsed part only ever grows within a period, so a smaller value means
 * the counter was reloaded. This does not depend on when the SysTick
 * exception becomes pending relative to the reload (QEMU reloads first
 * and pends a little later), only on a read at least once per period,
 * which the SysTick handler guarantees.
 */
static uint32_t advance(void)
{
    uint32_t elapsed = SYST_MAX - (SYST_CVR & SYST_MAX);
    if (elapsed < last_elapsed)
        period_start += PERIOD;
    last_elapsed = elapsed;
    return period_start + elapsed;
}

void lm3s_timebase_init(uint32_t start)
{
    hz = lm3s_sysclk_hz();
    SYST_CSR = SYST_CSR_CLKSOURCE;   /* choose the clock before enabling */
    SYST_RVR = SYST_MAX;
    SYST_CVR = 0;     /* any write clears it: counting starts from RVR */
    last_elapsed = 0;
    SCB_ICSR = ICSR_PENDSTCLR;
    SYST_CSR = SYST_CSR_CLKSOURCE | SYST_CSR_TICKINT | SYST_CSR_ENABLE;
    /* The count reads 0 until the first reload (one clock on hardware,
     * up to 10 us in QEMU). Start the clock after it, or that reload
     * would count as a wrap and time would jump by a period. */
    for (uint32_t spins = 0; spins < 100000u && (SYST_CVR & SYST_MAX) == 0; spins++)
        ;
    last_elapsed = SYST_MAX - (SYST_CVR & SYST_MAX);
    period_start = start - last_elapsed;
}

uint32_t lm3s_timebase_hz(void)
{
    return hz;
}

/* Top half: one read per period, so no wrap goes unseen. */
void systick_handler(void)
{
    uint32_t state = platform_irq_save();
    (void)advance();
    platform_irq_restore(state);
}

uint32_t lm3s_timebase_now(void)
{
    uint32_t state = platform_irq_save();
    uint32_t now = advance();
    platform_irq_restore(state);
    return now;
}
