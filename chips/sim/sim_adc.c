#include "chips/sim/sim_adc.h"

#include <string.h>

#define NS_PER_S 1000000000ull

/* ------------------------------------------------------------ the signal */

/* A 64-bit integer hash (the splitmix64 finaliser): every input bit
 * affects every output bit, so neighbouring seeds, channels and times
 * give unrelated values. */
static uint64_t mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return x;
}

uint16_t sim_adc_model_value(uint32_t seed, unsigned channel, uint64_t t_ns)
{
    /* The wave's shape: fixed per (seed, channel). */
    uint64_t shape = mix(((uint64_t)seed << 32 | (uint32_t)channel) + 0x9e3779b97f4a7c15ull);
    uint64_t period_ns = (1000 + shape % 99001) * 1000;     /* 1 to 100 ms */
    uint64_t phase_ns = (shape >> 20) % period_ns;
    uint64_t base = (shape >> 40) % 1024;
    uint64_t swing = 1024 + (shape >> 50) % 2048;

    uint64_t half = period_ns / 2;
    uint64_t pos = (t_ns % period_ns + phase_ns) % period_ns;
    uint64_t rise = pos < half ? pos : period_ns - pos;     /* 0 to half */
    int64_t level = (int64_t)(base + rise * swing / half);

    int64_t noise = (int64_t)(mix(shape ^ mix(t_ns)) % 9) - 4;
    level += noise;
    if (level < 0)
        return 0;
    if (level > (int64_t)SIM_ADC_MAX_VALUE)
        return SIM_ADC_MAX_VALUE;
    return (uint16_t)level;
}

/* ------------------------------------------------------------ the hardware */

static struct sim_adc *adc_of(struct hil_adc *hil)
{
    return container_of(hil, struct sim_adc, hil);
}

/* floor(k * 1e9 / hz), split so that nothing overflows for any k. */
static uint64_t run_offset(uint64_t k, uint32_t hz)
{
    return (k / hz) * NS_PER_S + (k % hz) * NS_PER_S / hz;
}

static void conversion_complete(struct sim_event *ev);

static void schedule_next_of_run(struct sim_adc *adc)
{
    uint64_t at = adc->run_start_ns + adc->config.conversion_ns
                + run_offset(adc->next_index, adc->hz);
    sim_event_schedule(&adc->conversion, at, conversion_complete);
}

/* One conversion of the selected channel, now; an injected error takes the
 * place of the reading. */
static vmux_err_t convert(struct sim_adc *adc, uint16_t *value)
{
    adc->counters.conversions++;
    vmux_err_t err = adc->injected_error;
    if (adc->mode == SIM_ADC_SINGLE && adc->applying == SIM_FAULT_ERROR)
        err = sim_fault_error(&adc->fault.fault);
    if (err != VMUX_SUCCESS) {
        adc->injected_error = VMUX_SUCCESS;
        adc->counters.errors++;
        *value = 0;
        return err;
    }
    *value = sim_adc_model_value(adc->config.seed, adc->channel, sim_now_ns());
    if (adc->mode == SIM_ADC_SINGLE && adc->applying == SIM_FAULT_CORRUPT)
        *value ^= 0x8000u;
    return VMUX_SUCCESS;
}

static void finish_buffer(struct sim_adc *adc, vmux_err_t status)
{
    adc->finished = true;
    adc->finish_status = status;
    deferred_call_raise(&adc->irq);
}

/* Single and continuous: the reading waits in the data register for the
 * bottom half; an unread one is overwritten, as in hardware. */
static void latch(struct sim_adc *adc, uint16_t value, vmux_err_t status)
{
    adc->latched = true;
    adc->value = value;
    adc->status = status;
    deferred_call_raise(&adc->irq);
}

/* Buffered: simulated DMA writes the value straight into the buffer, and
 * only the end of the run interrupts. */
static void store(struct sim_adc *adc, uint16_t value, vmux_err_t status)
{
    if (status != VMUX_SUCCESS) {
        finish_buffer(adc, status);
        return;
    }
    adc->buf[adc->filled++] = value;
    if (adc->filled == adc->len) {
        finish_buffer(adc, VMUX_SUCCESS);
        return;
    }
    adc->next_index++;
    schedule_next_of_run(adc);
}

/* The end-of-conversion "interrupt". stop() cancels the event, so it
 * never comes while idle. */
static void conversion_complete(struct sim_event *ev)
{
    struct sim_adc *adc = container_of(ev, struct sim_adc, conversion);
    uint16_t value;
    vmux_err_t status = convert(adc, &value);

    if (adc->mode == SIM_ADC_BUFFER) {
        store(adc, value, status);
        return;
    }
    latch(adc, value, status);
    if (adc->mode == SIM_ADC_CONTINUOUS) {
        adc->next_index++;
        schedule_next_of_run(adc);
    }
}

static void deliver_sample(struct sim_adc *adc)
{
    struct hil_adc_client *client = adc->hil.client;
    unsigned channel = adc->channel, calls = 1;
    uint16_t value = adc->value;
    vmux_err_t status = adc->status;
    adc->latched = false;
    if (adc->mode != SIM_ADC_CONTINUOUS) {
        calls = adc->applying == SIM_FAULT_TWICE ? 2 : 1;
        adc->applying = SIM_FAULT_NONE;
    }
    for (unsigned i = 0; i < calls; i++)
        if (client && client->sample_done)
            client->sample_done(client, channel, value, status);
}

/* Bottom half. Flags, not the raise itself, say what is to deliver: a
 * stop() may have come between the interrupt and the loop. The mode is
 * settled before the client runs, so it may start the next request from
 * its callback. */
static void adc_bottom_half(struct deferred_call *dc)
{
    struct sim_adc *adc = container_of(dc, struct sim_adc, irq);
    switch (adc->mode) {
    case SIM_ADC_SINGLE:
        if (!adc->latched)
            return;
        adc->mode = SIM_ADC_IDLE;
        deliver_sample(adc);
        break;
    case SIM_ADC_CONTINUOUS:
        if (adc->latched)
            deliver_sample(adc);
        break;
    case SIM_ADC_BUFFER: {
        if (!adc->finished)
            return;
        struct hil_adc_client *client = adc->hil.client;
        uint16_t *buf = adc->buf;
        size_t filled = adc->filled;
        adc->mode = SIM_ADC_IDLE;
        adc->finished = false;
        adc->buf = NULL;
        if (client && client->buffer_done)
            client->buffer_done(client, adc->channel, buf, filled, adc->finish_status);
        break;
    }
    case SIM_ADC_IDLE:
        break;
    }
}

/* ------------------------------------------------------------ the HIL */

static unsigned adc_channel_count(struct hil_adc *hil)
{
    return adc_of(hil)->config.channels;
}

static unsigned adc_resolution_bits(struct hil_adc *hil)
{
    (void)hil;
    return SIM_ADC_RESOLUTION_BITS;
}

static bool rate_ok(const struct sim_adc *adc, uint32_t hz)
{
    if (hz == 0 || hz > SIM_ADC_MAX_HZ)
        return false;
    /* The period may not be shorter than one conversion. */
    return (uint64_t)hz * adc->config.conversion_ns <= NS_PER_S;
}

static void start_run(struct sim_adc *adc, enum sim_adc_mode mode,
                      unsigned channel, uint32_t hz)
{
    adc->mode = mode;
    adc->channel = channel;
    adc->hz = hz;
    adc->latched = false;
    adc->run_start_ns = sim_now_ns();
    adc->next_index = 0;
    schedule_next_of_run(adc);
}

static vmux_err_t adc_sample(struct hil_adc *hil, unsigned channel)
{
    struct sim_adc *adc = adc_of(hil);
    if (channel >= adc->config.channels)
        return VMUX_INVALID;
    if (adc->mode != SIM_ADC_IDLE)
        return VMUX_BUSY;
    enum sim_fault_kind fault = sim_fault_take(&adc->fault);
    if (fault == SIM_FAULT_REFUSE)
        return sim_fault_error(&adc->fault.fault);
    adc->mode = SIM_ADC_SINGLE;
    adc->channel = channel;
    adc->latched = false;
    adc->applying = fault;
    if (adc->hang_next || fault == SIM_FAULT_NEVER) {
        /* The wedged converter: accepted, and then nothing, ever. */
        adc->hang_next = false;
        return VMUX_SUCCESS;
    }
    uint64_t delay = fault == SIM_FAULT_LATE ? adc->fault.fault.delay_ns : 0;
    sim_event_schedule(&adc->conversion, sim_now_ns() + adc->config.conversion_ns + delay,
                       conversion_complete);
    return VMUX_SUCCESS;
}

static vmux_err_t adc_sample_continuous(struct hil_adc *hil, unsigned channel, uint32_t hz)
{
    struct sim_adc *adc = adc_of(hil);
    if (channel >= adc->config.channels || !rate_ok(adc, hz))
        return VMUX_INVALID;
    if (adc->mode != SIM_ADC_IDLE)
        return VMUX_BUSY;
    start_run(adc, SIM_ADC_CONTINUOUS, channel, hz);
    return VMUX_SUCCESS;
}

static vmux_err_t adc_sample_buffer(struct hil_adc *hil, unsigned channel, uint32_t hz,
                                    uint16_t *buf, size_t len)
{
    struct sim_adc *adc = adc_of(hil);
    if (buf == NULL)
        return VMUX_INVALID;
    if (len == 0)
        return VMUX_SIZE;
    if (channel >= adc->config.channels || !rate_ok(adc, hz))
        return VMUX_INVALID;
    if (adc->mode != SIM_ADC_IDLE)
        return VMUX_BUSY;
    adc->buf = buf;
    adc->len = len;
    adc->filled = 0;
    adc->finished = false;
    start_run(adc, SIM_ADC_BUFFER, channel, hz);
    return VMUX_SUCCESS;
}

static vmux_err_t adc_stop(struct hil_adc *hil)
{
    struct sim_adc *adc = adc_of(hil);
    switch (adc->mode) {
    case SIM_ADC_IDLE:
        return VMUX_ALREADY;
    case SIM_ADC_SINGLE:
        if (adc->latched)
            return VMUX_ALREADY;    /* converted; sample_done is on its way */
        sim_event_cancel(&adc->conversion);
        adc->mode = SIM_ADC_IDLE;
        return VMUX_SUCCESS;
    case SIM_ADC_CONTINUOUS:
        sim_event_cancel(&adc->conversion);
        adc->latched = false;
        adc->mode = SIM_ADC_IDLE;
        return VMUX_SUCCESS;
    case SIM_ADC_BUFFER:
        if (adc->finished)
            return VMUX_ALREADY;    /* buffer_done is on its way */
        sim_event_cancel(&adc->conversion);
        finish_buffer(adc, VMUX_CANCEL);
        return VMUX_SUCCESS;
    }
    return VMUX_FAIL;
}

static const struct hil_adc_ops sim_adc_ops = {
    .channel_count = adc_channel_count,
    .resolution_bits = adc_resolution_bits,
    .sample = adc_sample,
    .sample_continuous = adc_sample_continuous,
    .sample_buffer = adc_sample_buffer,
    .stop = adc_stop,
};

vmux_err_t sim_adc_init(struct sim_adc *adc, const struct sim_adc_config *config)
{
    memset(adc, 0, sizeof *adc);
    if (config)
        adc->config = *config;
    if (adc->config.channels == 0)
        adc->config.channels = SIM_ADC_DEFAULT_CHANNELS;
    if (adc->config.conversion_ns == 0)
        adc->config.conversion_ns = SIM_ADC_DEFAULT_CONVERSION_NS;
    adc->hil.ops = &sim_adc_ops;
    return deferred_call_register(&adc->irq, adc_bottom_half);
}

uint32_t sim_adc_conversions(const struct sim_adc *adc)
{
    return adc->counters.conversions;
}

void sim_adc_inject_error(struct sim_adc *adc, vmux_err_t err)
{
    adc->injected_error = err;
}

void sim_adc_inject_hang(struct sim_adc *adc)
{
    adc->hang_next = true;
}

void sim_adc_inject_fault(struct sim_adc *adc, const struct sim_fault *fault)
{
    sim_fault_arm(&adc->fault, fault);
}

uint32_t sim_adc_faults_applied(const struct sim_adc *adc)
{
    return adc->fault.applied;
}
