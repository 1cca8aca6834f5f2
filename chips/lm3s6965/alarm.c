#include "chips/lm3s6965/alarm.h"

#include <string.h>

#include "chips/lm3s6965/lm3s6965.h"
#include "chips/lm3s6965/sysctl.h"
#include "chips/lm3s6965/timebase.h"
#include "kernel/platform.h"

#define TIMER TIMER_BASE(0)

static struct lm3s_alarm *instance;

static struct lm3s_alarm *of(struct hil_alarm *h)
{
    return container_of(h, struct lm3s_alarm, hil);
}

static void compare_stop(void)
{
    GPTM_CTL(TIMER) = 0;
    GPTM_ICR(TIMER) = GPTM_INT_TATO;
    nvic_clear_pending(LM3S_IRQ_TIMER0A);
}

/* Arm the one-shot for the ticks left until the deadline, or go straight
 * to the bottom half when there are none. Interrupts masked by caller. */
static void compare_start(struct lm3s_alarm *a)
{
    uint32_t now = lm3s_timebase_now();
    compare_stop();
    a->due = false;
    if (alarm_expired(now, a->reference, a->dt)) {
        a->due = true;
        deferred_call_raise(&a->irq);
        return;
    }
    uint32_t left = a->dt - (now - a->reference);
    GPTM_TAILR(TIMER) = left;
    GPTM_CTL(TIMER) = GPTM_CTL_TAEN;
}

/* Top half (timer 0A time-out). */
void lm3s_timer0a_isr(void)
{
    GPTM_ICR(TIMER) = GPTM_INT_TATO;
    if (instance == NULL)
        return;
    instance->counters.interrupts++;
    instance->due = true;
    deferred_call_raise(&instance->irq);
}

static void bottom_half(struct deferred_call *dc)
{
    struct lm3s_alarm *a = container_of(dc, struct lm3s_alarm, irq);
    uint32_t state = platform_irq_save();
    if (!a->armed || !a->due) {
        platform_irq_restore(state);
        return;
    }
    if (!alarm_expired(lm3s_timebase_now(), a->reference, a->dt)) {
        a->counters.early++;
        compare_start(a);
        platform_irq_restore(state);
        return;
    }
    a->armed = false;
    a->due = false;
    platform_irq_restore(state);
    a->counters.fires++;
    if (a->hil.client && a->hil.client->fired)
        a->hil.client->fired(a->hil.client);
}

static uint32_t alarm_now(struct hil_alarm *h)
{
    (void)h;
    return lm3s_timebase_now();
}

static uint32_t alarm_frequency(struct hil_alarm *h)
{
    (void)h;
    return lm3s_timebase_hz();
}

static vmux_err_t alarm_set(struct hil_alarm *h, uint32_t reference, uint32_t dt)
{
    struct lm3s_alarm *a = of(h);
    if (dt > ALARM_DT_MAX)
        return VMUX_INVALID;
    uint32_t state = platform_irq_save();
    a->reference = reference;
    a->dt = dt;
    a->armed = true;
    a->counters.sets++;
    compare_start(a);
    platform_irq_restore(state);
    return VMUX_SUCCESS;
}

static vmux_err_t alarm_disarm(struct hil_alarm *h)
{
    struct lm3s_alarm *a = of(h);
    uint32_t state = platform_irq_save();
    bool was = a->armed;
    a->armed = false;
    a->due = false;
    compare_stop();
    platform_irq_restore(state);
    return was ? VMUX_SUCCESS : VMUX_ALREADY;
}

static bool alarm_is_armed(struct hil_alarm *h)
{
    return of(h)->armed;
}

static const struct hil_alarm_ops lm3s_alarm_ops = {
    .now = alarm_now,
    .frequency_hz = alarm_frequency,
    .set = alarm_set,
    .disarm = alarm_disarm,
    .is_armed = alarm_is_armed,
};

vmux_err_t lm3s_alarm_init(struct lm3s_alarm *a)
{
    if (instance != NULL && instance != a)
        return VMUX_BUSY;
    memset(a, 0, sizeof *a);
    a->hil.ops = &lm3s_alarm_ops;
    vmux_err_t err = deferred_call_register(&a->irq, bottom_half);
    if (err != VMUX_SUCCESS)
        return err;
    lm3s_clock_enable(0, RCGC1_TIMER(0), 0);
    GPTM_CTL(TIMER) = 0;
    GPTM_CFG(TIMER) = GPTM_CFG_32BIT;
    GPTM_TAMR(TIMER) = GPTM_TAMR_ONESHOT;
    GPTM_ICR(TIMER) = GPTM_INT_TATO;
    GPTM_IMR(TIMER) = GPTM_INT_TATO;
    instance = a;
    nvic_enable_irq(LM3S_IRQ_TIMER0A);
    return VMUX_SUCCESS;
}
