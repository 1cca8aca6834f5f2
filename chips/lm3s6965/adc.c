#include "chips/lm3s6965/adc.h"

#include <string.h>

#include "chips/lm3s6965/lm3s6965.h"
#include "chips/lm3s6965/sysctl.h"
#include "kernel/platform.h"

#define SS 3u                      /* sample sequencer 3: one step */
#define SS_BIT (1u << SS)
#define TRIGGER TIMER_BASE(1)
#define ADC_FIFO_MAX 16u           /* the deepest sequencer FIFO (QEMU's: every one) */

static struct lm3s_adc *instance;

static struct lm3s_adc *of(struct hil_adc *h)
{
    return container_of(h, struct lm3s_adc, hil);
}

/* ------------------------------------------------------------ hardware */

/* Is sequencer 3's FIFO empty? Not only the EMPTY flag: QEMU 7.2 fails to
 * set it when the entry it hands out is the last slot of its 16-entry
 * ring (it compares tail + 1 with the head without wrapping), and a loop
 * on the flag alone then reads forever. Equal read and write pointers
 * without FULL also mean empty (on hardware, with its one-entry FIFO,
 * EMPTY is set whenever that holds). */
static bool fifo_empty(void)
{
    uint32_t st = ADC_SSFSTAT(SS);
    if (st & ADC_SSFSTAT_EMPTY)
        return true;
    return !(st & ADC_SSFSTAT_FULL) && ((st >> 4) & 0xfu) == (st & 0xfu);
}

static void fifo_drain(void)
{
    for (unsigned i = 0; i < ADC_FIFO_MAX && !fifo_empty(); i++)
        (void)ADC_SSFIFO(SS);
}

static void hw_stop(void)
{
    GPTM_CTL(TRIGGER) = 0;
    ADC_ACTSS &= ~SS_BIT;
    ADC_IM &= ~SS_BIT;
    fifo_drain();
    ADC_ISC = SS_BIT;
    nvic_clear_pending(LM3S_IRQ_ADC_SS3);
}

/* Sequencer 3 converts `channel` on each timer trigger; the timer fires
 * once after `ticks`, or every `ticks`. */
static void hw_start(unsigned channel, uint32_t ticks, bool periodic)
{
    hw_stop();
    ADC_SSMUX(SS) = channel;
    ADC_SSCTL(SS) = ADC_SSCTL_END0 | ADC_SSCTL_IE0;
    ADC_EMUX = (ADC_EMUX & ~(0xfu << (4 * SS))) | (ADC_EMUX_TIMER << (4 * SS));
    ADC_IM |= SS_BIT;
    ADC_ACTSS |= SS_BIT;
    GPTM_CFG(TRIGGER) = GPTM_CFG_32BIT;
    GPTM_TAMR(TRIGGER) = periodic ? GPTM_TAMR_PERIODIC : GPTM_TAMR_ONESHOT;
    GPTM_TAILR(TRIGGER) = ticks ? ticks : 1u;
    GPTM_IMR(TRIGGER) = 0;
    GPTM_CTL(TRIGGER) = GPTM_CTL_TAEN | GPTM_CTL_TAOTE;
}

static void ring_clear(struct lm3s_adc *adc)
{
    adc->ring_head = 0;
    adc->ring_count = 0;
}

/* Stop converting, drop what the ring holds, and go to mode. Interrupts
 * masked by the caller. */
static void halt(struct lm3s_adc *adc, enum lm3s_adc_mode mode)
{
    hw_stop();
    ring_clear(adc);
    adc->mode = mode;
}

/* Interrupts masked by the caller. */
static bool ring_pop(struct lm3s_adc *adc, uint16_t *value)
{
    if (adc->ring_count == 0)
        return false;
    *value = adc->ring[adc->ring_head];
    adc->ring_head = (uint8_t)((adc->ring_head + 1u) % LM3S_ADC_RING);
    adc->ring_count--;
    return true;
}

/* ------------------------------------------------------------ top half */

void lm3s_adc_ss3_isr(void)
{
    ADC_ISC = SS_BIT;
    struct lm3s_adc *adc = instance;
    bool got = false;
    uint16_t value = 0;
    for (unsigned i = 0; i < ADC_FIFO_MAX && !fifo_empty(); i++) {
        if (got && adc)
            adc->counters.extra_readings++;
        value = (uint16_t)(ADC_SSFIFO(SS) & 0x3ffu);
        got = true;
    }
    if (!got || adc == NULL || adc->mode == LM3S_ADC_IDLE ||
        adc->mode == LM3S_ADC_BUFFER_ENDING)
        return;
    adc->counters.conversions++;
    if (adc->ring_count == LM3S_ADC_RING) {
        adc->counters.overruns++;
    } else {
        adc->ring[(adc->ring_head + adc->ring_count) % LM3S_ADC_RING] = value;
        adc->ring_count++;
    }
    deferred_call_raise(&adc->irq);
}

/* ------------------------------------------------------------ bottom half */

static void end_buffer(struct lm3s_adc *adc)
{
    uint16_t *buf = adc->buf;
    size_t filled = adc->filled;
    vmux_err_t status = adc->end_status;
    adc->buf = NULL;
    adc->mode = LM3S_ADC_IDLE;
    struct hil_adc_client *c = adc->hil.client;
    if (c && c->buffer_done)
        c->buffer_done(c, adc->channel, buf, filled, status);
}

static void bottom_half(struct deferred_call *dc)
{
    struct lm3s_adc *adc = container_of(dc, struct lm3s_adc, irq);
    /* At most one ring's worth per turn; more raised meanwhile wait. */
    for (unsigned turn = 0; turn < LM3S_ADC_RING; turn++) {
        uint16_t value;
        uint32_t state = platform_irq_save();
        enum lm3s_adc_mode mode = adc->mode;
        if (mode == LM3S_ADC_BUFFER_ENDING) {
            platform_irq_restore(state);
            end_buffer(adc);
            return;
        }
        if (mode == LM3S_ADC_IDLE || !ring_pop(adc, &value)) {
            platform_irq_restore(state);
            return;
        }
        if (mode == LM3S_ADC_SINGLE) {
            halt(adc, LM3S_ADC_IDLE);
        } else if (mode == LM3S_ADC_BUFFER) {
            adc->buf[adc->filled++] = value;
            if (adc->filled == adc->len) {
                adc->end_status = VMUX_SUCCESS;
                halt(adc, LM3S_ADC_BUFFER_ENDING);
            }
        }
        platform_irq_restore(state);

        struct hil_adc_client *c = adc->hil.client;
        if (mode == LM3S_ADC_SINGLE || mode == LM3S_ADC_CONTINUOUS) {
            if (c && c->sample_done)
                c->sample_done(c, adc->channel, value, VMUX_SUCCESS);
            if (mode == LM3S_ADC_SINGLE)
                return;
        }
    }
    if (adc->ring_count || adc->mode == LM3S_ADC_BUFFER_ENDING)
        deferred_call_raise(&adc->irq);
}

/* ------------------------------------------------------------ HIL ops */

static unsigned adc_channel_count(struct hil_adc *h)
{
    (void)h;
    return LM3S_ADC_CHANNELS;
}

static unsigned adc_resolution_bits(struct hil_adc *h)
{
    (void)h;
    return LM3S_ADC_RESOLUTION_BITS;
}

static uint32_t period_ticks(uint32_t hz)
{
    return lm3s_sysclk_hz() / hz;
}

static vmux_err_t begin(struct lm3s_adc *adc, enum lm3s_adc_mode mode, unsigned channel,
                        uint32_t ticks)
{
    uint32_t state = platform_irq_save();
    if (adc->mode != LM3S_ADC_IDLE) {
        platform_irq_restore(state);
        return VMUX_BUSY;
    }
    adc->mode = mode;
    adc->channel = channel;
    ring_clear(adc);
    hw_start(channel, ticks, mode != LM3S_ADC_SINGLE);
    platform_irq_restore(state);
    return VMUX_SUCCESS;
}

static vmux_err_t adc_sample(struct hil_adc *h, unsigned channel)
{
    if (channel >= LM3S_ADC_CHANNELS)
        return VMUX_INVALID;
    uint32_t ticks = lm3s_sysclk_hz() / 1000000u * LM3S_ADC_TRIGGER_US;
    return begin(of(h), LM3S_ADC_SINGLE, channel, ticks);
}

static vmux_err_t adc_sample_continuous(struct hil_adc *h, unsigned channel, uint32_t hz)
{
    if (channel >= LM3S_ADC_CHANNELS || hz == 0 || hz > LM3S_ADC_MAX_HZ)
        return VMUX_INVALID;
    return begin(of(h), LM3S_ADC_CONTINUOUS, channel, period_ticks(hz));
}

static vmux_err_t adc_sample_buffer(struct hil_adc *h, unsigned channel, uint32_t hz,
                                    uint16_t *buf, size_t len)
{
    struct lm3s_adc *adc = of(h);
    if (channel >= LM3S_ADC_CHANNELS || hz == 0 || hz > LM3S_ADC_MAX_HZ || buf == NULL)
        return VMUX_INVALID;
    if (len == 0)
        return VMUX_SIZE;
    uint32_t state = platform_irq_save();
    if (adc->mode != LM3S_ADC_IDLE) {
        platform_irq_restore(state);
        return VMUX_BUSY;
    }
    adc->buf = buf;
    adc->len = len;
    adc->filled = 0;
    vmux_err_t err = begin(adc, LM3S_ADC_BUFFER, channel, period_ticks(hz));
    platform_irq_restore(state);
    return err;
}

static vmux_err_t adc_stop(struct hil_adc *h)
{
    struct lm3s_adc *adc = of(h);
    vmux_err_t result = VMUX_SUCCESS;
    uint32_t state = platform_irq_save();
    switch (adc->mode) {
    case LM3S_ADC_SINGLE:
        if (adc->ring_count) {
            result = VMUX_ALREADY;   /* the reading is on its way */
            break;
        }
        /* fall through */
    case LM3S_ADC_CONTINUOUS:
        halt(adc, LM3S_ADC_IDLE);
        break;
    case LM3S_ADC_BUFFER:
        adc->end_status = VMUX_CANCEL;
        halt(adc, LM3S_ADC_BUFFER_ENDING);
        deferred_call_raise(&adc->irq);
        break;
    default:
        result = VMUX_ALREADY;
        break;
    }
    platform_irq_restore(state);
    return result;
}

static const struct hil_adc_ops lm3s_adc_ops = {
    .channel_count = adc_channel_count,
    .resolution_bits = adc_resolution_bits,
    .sample = adc_sample,
    .sample_continuous = adc_sample_continuous,
    .sample_buffer = adc_sample_buffer,
    .stop = adc_stop,
};

vmux_err_t lm3s_adc_init(struct lm3s_adc *adc)
{
    if (adc == NULL)
        return VMUX_INVALID;
    memset(adc, 0, sizeof *adc);
    adc->hil.ops = &lm3s_adc_ops;
    vmux_err_t err = deferred_call_register(&adc->irq, bottom_half);
    if (err != VMUX_SUCCESS)
        return err;
    lm3s_clock_enable(RCGC0_ADC, RCGC1_TIMER(1), 0);
    GPTM_CTL(TRIGGER) = 0;
    hw_stop();
    instance = adc;
    nvic_enable_irq(LM3S_IRQ_ADC_SS3);
    return VMUX_SUCCESS;
}
