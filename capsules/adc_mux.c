#include "capsules/adc_mux.h"

#include <string.h>

/* ------------------------------------------------------------ delivery */

/*
 * Give one reading of channel to every client waiting on it. Clients are
 * marked first and called after, so one that asks again from its callback
 * waits for the next reading instead of getting this one twice. Returns
 * how many got it.
 */
static struct adc_mux_client *client_at(const struct adc_mux *mux, unsigned slot)
{
    struct client_entry *e = client_table_at(&mux->clients, slot);
    return e ? container_of(e, struct adc_mux_client, entry) : NULL;
}

static void count(struct adc_mux_client *c, enum tally_field f, uint32_t samples)
{
    tally_count(&c->samples, &c->mux->counters.samples, f, samples);
}

/* A sample's ending, by its status. */
static void count_ending(struct adc_mux_client *c, vmux_err_t status, uint32_t samples)
{
    count(c, status == VMUX_SUCCESS ? TALLY_DELIVERED : TALLY_FAILED, samples);
}

static unsigned deliver(struct adc_mux *mux, unsigned channel, uint16_t value,
                        vmux_err_t status)
{
    for (unsigned i = 0; i < mux->clients.capacity; i++) {
        struct adc_mux_client *c = client_at(mux, i);
        if (c && c->waiting && c->channel == channel)
            c->in_delivery = true;
    }
    unsigned delivered = 0;
    for (unsigned i = 0; i < mux->clients.capacity; i++) {
        struct adc_mux_client *c = client_at(mux, i);
        if (c == NULL || !c->in_delivery)
            continue;
        c->in_delivery = false;
        c->waiting = false;
        rr_clear_pending(&mux->rr, c->entry.index);
        delivered++;
        count_ending(c, status, 1);
        c->ops->sample_done(c, channel, value, status);
    }
    return delivered;
}

static void count_shared(struct adc_mux *mux, unsigned delivered, vmux_err_t status)
{
    if (status == VMUX_SUCCESS && delivered > 1)
        mux->counters.shared += delivered - 1;
}

static void end_run(struct adc_mux *mux)
{
    memset(&mux->run, 0, sizeof mux->run);
}

/* ------------------------------------------------------------ starting work */

/* Arm the watchdog, then convert; false (and the waiting clients told) if
 * either cannot start. */
static bool start_conversion(struct adc_mux *mux, unsigned channel)
{
    vmux_err_t err = hil_alarm_set(mux->watchdog, hil_alarm_now(mux->watchdog),
                                   mux->timeout_ticks);
    if (err == VMUX_SUCCESS) {
        err = hil_adc_sample(mux->adc, channel);
        if (err != VMUX_SUCCESS)
            hil_alarm_disarm(mux->watchdog);
    }
    if (err != VMUX_SUCCESS) {
        mux->counters.errors++;
        deliver(mux, channel, 0, err);
        return false;
    }
    mux->hw = ADC_HW_SINGLE;
    mux->hw_channel = channel;
    mux->counters.conversions++;
    return true;
}

/* Start the requested run; false (and its holder told) if it cannot. */
static bool start_run(struct adc_mux *mux)
{
    struct adc_mux_run run = mux->run;
    vmux_err_t err;
    if (run.cancelled)
        err = VMUX_CANCEL;
    else if (run.kind == ADC_RUN_CONTINUOUS)
        err = hil_adc_sample_continuous(mux->adc, run.channel, run.hz);
    else
        err = hil_adc_sample_buffer(mux->adc, run.channel, run.hz, run.buf, run.len);
    if (err == VMUX_SUCCESS) {
        mux->hw = ADC_HW_RUN;
        mux->counters.runs++;
        return true;
    }
    if (err != VMUX_CANCEL)
        mux->counters.errors++;
    end_run(mux);
    if (run.kind == ADC_RUN_CONTINUOUS) {
        count(run.holder, TALLY_TAKEN, 1);
        count(run.holder, TALLY_FAILED, 1);
        run.holder->ops->sample_done(run.holder, run.channel, 0, err);
    } else {
        count(run.holder, TALLY_FAILED, (uint32_t)run.len);
        run.holder->ops->buffer_done(run.holder, run.channel, run.buf, 0, err);
    }
    return false;
}

/*
 * Keep the converter busy: a requested run first, else the next waiting
 * client's channel, round robin. After a failed start, try again on the
 * next turn of the loop, so a client retrying from its error callback
 * cannot spin here.
 */
static void start_next(struct adc_mux *mux)
{
    if (mux->hw != ADC_HW_IDLE)
        return;
    bool started;
    if (mux->run.kind != ADC_RUN_NONE) {
        started = start_run(mux);
    } else {
        int i = rr_next(&mux->rr);
        if (i < 0)
            return;
        started = start_conversion(mux, client_at(mux, (unsigned)i)->channel);
    }
    if (!started)
        deferred_call_raise(&mux->work);
}

static void do_work(struct deferred_call *dc)
{
    start_next(container_of(dc, struct adc_mux, work));
}

/* ------------------------------------------------------------ hardware events */

static void hw_sample_done(struct hil_adc_client *self, unsigned channel, uint16_t value,
                           vmux_err_t status)
{
    struct adc_mux *mux = container_of(self, struct adc_mux, hw_client);
    if (status == VMUX_SUCCESS && value > mux->max_value) {
        mux->counters.out_of_range++;   /* a garbled reading: nobody gets it */
        value = 0;
        status = VMUX_FAIL;
    }
    if (mux->hw == ADC_HW_SINGLE && channel == mux->hw_channel) {
        hil_alarm_disarm(mux->watchdog);
        mux->hw = ADC_HW_IDLE;
        if (status != VMUX_SUCCESS)
            mux->counters.errors++;
        count_shared(mux, deliver(mux, channel, value, status), status);
        deferred_call_raise(&mux->work); /* the next conversion, from the loop */
    } else if (mux->hw == ADC_HW_RUN && mux->run.kind == ADC_RUN_CONTINUOUS &&
               channel == mux->run.channel) {
        if (status != VMUX_SUCCESS)
            mux->counters.errors++;
        struct adc_mux_client *holder = mux->run.holder;
        count(holder, TALLY_TAKEN, 1);
        count_ending(holder, status, 1);
        holder->ops->sample_done(holder, channel, value, status);
        count_shared(mux, 1 + deliver(mux, channel, value, status), status);
    } else {
        /* A reading nobody asked for, e.g. one that raced a stop(), or a
         * second completion: dropped. */
        mux->counters.spurious++;
    }
}

static void hw_buffer_done(struct hil_adc_client *self, unsigned channel, uint16_t *buf,
                           size_t count, vmux_err_t status)
{
    struct adc_mux *mux = container_of(self, struct adc_mux, hw_client);
    if (mux->hw != ADC_HW_RUN || mux->run.kind != ADC_RUN_BUFFER) {
        mux->counters.spurious++;
        return;
    }
    struct adc_mux_client *holder = mux->run.holder;
    size_t len = mux->run.len;
    mux->hw = ADC_HW_IDLE;
    end_run(mux);
    if (status != VMUX_SUCCESS && status != VMUX_CANCEL)
        mux->counters.errors++;
    if (holder) {
        count = count < len ? count : len;
        count_ending(holder, VMUX_SUCCESS, (uint32_t)count);
        count_ending(holder, VMUX_FAIL, (uint32_t)(len - count));
        holder->ops->buffer_done(holder, channel, buf, count, status);
    }
    deferred_call_raise(&mux->work); /* the next conversion or run, from the loop */
}

/* The conversion in flight has not completed in time. */
static void watchdog_fired(struct hil_alarm_client *self)
{
    struct adc_mux *mux = container_of(self, struct adc_mux, watchdog_client);
    if (mux->hw != ADC_HW_SINGLE)
        return;
    if (hil_adc_stop(mux->adc) == VMUX_ALREADY)
        return;     /* it did complete: its reading is on its way */
    mux->hw = ADC_HW_IDLE;
    mux->counters.timeouts++;
    deliver(mux, mux->hw_channel, 0, VMUX_FAIL);
    start_next(mux);
}

/* ------------------------------------------------------------ clients */

static void client_gone(struct client_observer *self, client_id_t gone)
{
    struct adc_mux *mux = container_of(self, struct adc_mux, departures);
    unsigned at = 0;
    struct client_entry *e;
    while ((e = client_table_next_of(&mux->clients, gone, &at)) != NULL)
        adc_mux_detach(container_of(e, struct adc_mux_client, entry));
}

vmux_err_t adc_mux_init(struct adc_mux *mux, struct hil_adc *adc, struct hil_alarm *watchdog,
                        struct client_entry **client_storage, uint32_t *rr_words,
                        unsigned client_capacity)
{
    if (adc == NULL || watchdog == NULL || client_storage == NULL || rr_words == NULL ||
        client_capacity == 0 || client_capacity > UINT16_MAX)
        return VMUX_INVALID;
    memset(mux, 0, sizeof *mux);
    mux->adc = adc;
    mux->channel_count = hil_adc_channel_count(adc);
    unsigned bits = hil_adc_resolution_bits(adc);
    mux->max_value = bits >= 16 ? 0xffffu : (1u << bits) - 1u;
    mux->hw_client.sample_done = hw_sample_done;
    mux->hw_client.buffer_done = hw_buffer_done;
    hil_adc_set_client(adc, &mux->hw_client);
    mux->watchdog = watchdog;
    mux->watchdog_client.fired = watchdog_fired;
    hil_alarm_set_client(watchdog, &mux->watchdog_client);
    adc_mux_set_timeout_us(mux, ADC_MUX_DEFAULT_TIMEOUT_US);
    client_table_init(&mux->clients, client_storage, client_capacity);
    rr_init(&mux->rr, rr_words, client_capacity);
    mux->departures.client_gone = client_gone;
    client_observe(&mux->departures);
    return deferred_call_register(&mux->work, do_work);
}

void adc_mux_set_timeout_us(struct adc_mux *mux, uint32_t timeout_us)
{
    mux->timeout_ticks = hil_alarm_timeout_ticks(mux->watchdog, timeout_us);
}

vmux_err_t adc_mux_attach(struct adc_mux *mux, struct adc_mux_client *c, client_id_t id,
                          const struct adc_mux_client_ops *ops)
{
    if (c == NULL || ops == NULL || ops->sample_done == NULL)
        return VMUX_INVALID;
    vmux_err_t err = client_table_attach(&mux->clients, c, sizeof *c, &c->entry, id);
    if (err == VMUX_SUCCESS) {
        c->mux = mux;
        c->ops = ops;
    }
    return err;
}

/* The holder leaves its run. A stream stops at once; a buffered run that
 * has started keeps the converter until buffer_done returns the buffer,
 * which then goes to nobody. */
static void leave_run(struct adc_mux *mux)
{
    if (mux->hw != ADC_HW_RUN) {
        end_run(mux);
        return;
    }
    hil_adc_stop(mux->adc);
    if (mux->run.kind == ADC_RUN_CONTINUOUS) {
        mux->hw = ADC_HW_IDLE;
        end_run(mux);
    } else {
        mux->run.holder = NULL;
    }
}

void adc_mux_detach(struct adc_mux_client *c)
{
    if (c == NULL || !c->entry.attached)
        return;
    struct adc_mux *mux = c->mux;
    if (mux->run.holder == c) {
        if (mux->run.kind == ADC_RUN_BUFFER)
            count(c, TALLY_DEPARTED, (uint32_t)mux->run.len);
        leave_run(mux);
    }
    rr_clear_pending(&mux->rr, c->entry.index);
    client_table_remove(&mux->clients, &c->entry);
    if (c->waiting)
        count(c, TALLY_DEPARTED, 1);
    c->waiting = false;
    c->in_delivery = false;
    deferred_call_raise(&mux->work);    /* whatever waited behind it may start */
}

/* May a new single request on channel go ahead while a run is held? */
static bool run_admits(const struct adc_mux_run *run, unsigned channel)
{
    return run->kind == ADC_RUN_NONE ||
           (run->kind == ADC_RUN_CONTINUOUS && run->channel == channel);
}

vmux_err_t adc_mux_sample(struct adc_mux_client *c, unsigned channel)
{
    if (c == NULL || !c->entry.attached)
        return VMUX_OFF;
    struct adc_mux *mux = c->mux;
    if (channel >= mux->channel_count)
        return VMUX_INVALID;
    if (c->waiting || mux->run.holder == c || !run_admits(&mux->run, channel))
        return VMUX_BUSY;
    c->waiting = true;
    c->channel = channel;
    count(c, TALLY_TAKEN, 1);
    rr_set_pending(&mux->rr, c->entry.index);
    deferred_call_raise(&mux->work);
    return VMUX_SUCCESS;
}

/* Check a run request in the order of the HIL (capability, arguments,
 * busy) and record it; the loop starts it. */
static vmux_err_t request_run(struct adc_mux_client *c, const cap_adc_continuous_t *cap,
                              struct adc_mux_run run)
{
    if (c == NULL || !c->entry.attached)
        return VMUX_OFF;
    struct adc_mux *mux = c->mux;
    if (!capability_valid(cap)) {
        mux->counters.refused_no_capability++;
        return VMUX_RESERVE;
    }
    if (run.channel >= mux->channel_count || run.hz == 0)
        return VMUX_INVALID;
    if (run.kind == ADC_RUN_BUFFER) {
        if (run.buf == NULL || c->ops->buffer_done == NULL)
            return VMUX_INVALID;
        if (run.len == 0)
            return VMUX_SIZE;
    }
    if (c->waiting || mux->run.kind != ADC_RUN_NONE)
        return VMUX_BUSY;
    run.holder = c;
    mux->run = run;
    if (run.kind == ADC_RUN_BUFFER)
        count(c, TALLY_TAKEN, (uint32_t)run.len);
    deferred_call_raise(&mux->work);
    return VMUX_SUCCESS;
}

vmux_err_t adc_mux_start_continuous(struct adc_mux_client *c, const cap_adc_continuous_t *cap,
                                    unsigned channel, uint32_t hz)
{
    return request_run(c, cap, (struct adc_mux_run){
        .kind = ADC_RUN_CONTINUOUS, .channel = channel, .hz = hz });
}

vmux_err_t adc_mux_sample_buffer(struct adc_mux_client *c, const cap_adc_continuous_t *cap,
                                 unsigned channel, uint32_t hz, uint16_t *buf, size_t len)
{
    return request_run(c, cap, (struct adc_mux_run){
        .kind = ADC_RUN_BUFFER, .channel = channel, .hz = hz, .buf = buf, .len = len });
}

static bool holds(const struct adc_mux_client *c, enum adc_mux_run_kind kind)
{
    return c && c->entry.attached && c->mux->run.holder == c && c->mux->run.kind == kind &&
           !c->mux->run.cancelled;
}

vmux_err_t adc_mux_stop_continuous(struct adc_mux_client *c)
{
    if (!holds(c, ADC_RUN_CONTINUOUS))
        return VMUX_ALREADY;
    leave_run(c->mux);
    deferred_call_raise(&c->mux->work);
    return VMUX_SUCCESS;
}

vmux_err_t adc_mux_stop_buffer(struct adc_mux_client *c)
{
    if (!holds(c, ADC_RUN_BUFFER))
        return VMUX_ALREADY;
    struct adc_mux *mux = c->mux;
    if (mux->hw == ADC_HW_RUN)
        return hil_adc_stop(mux->adc);  /* buffer_done follows from the driver */
    mux->run.cancelled = true;          /* and from the loop, with nothing filled */
    deferred_call_raise(&mux->work);
    return VMUX_SUCCESS;
}

bool adc_mux_holds_run(const struct adc_mux_client *c)
{
    return holds(c, ADC_RUN_CONTINUOUS) || holds(c, ADC_RUN_BUFFER);
}
