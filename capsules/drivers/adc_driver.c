#include "capsules/drivers/adc_driver.h"

#include "capsules/drivers/driver_common.h"
#include "kernel/wipe.h"

/* A process's use of the ADC, in its grant. */
struct adc_grant {
    struct driver_owner owner;       /* first: see driver_grant_init */
    struct adc_mux_client adc;       /* attached on the first sampling command */
    bool continuous;                 /* holds a stream */
    bool buffering;                  /* holds a buffered run */
    bool alternate;                  /* command 4: allows 0 and 1 in turn */
    unsigned channel;
    uint32_t hz;
    unsigned target;                 /* the read-write allow being filled */
    size_t filled;                   /* samples copied into it */
};

static struct adc_driver *driver_of(const struct syscall_driver *d)
{
    return container_of(d, struct adc_driver, driver);
}

static struct adc_grant *grant_of(struct adc_mux_client *c)
{
    return container_of(c, struct adc_grant, adc);
}

/* Samples the read-write allow num holds (0 when none). */
__attribute__((noinline)) /* called from five places: smaller as a call */
static size_t allow_samples(struct process *p, const struct syscall_driver *d, unsigned num)
{
    size_t len;
    process_allowed_rw(p, d, num, &len);
    return len / 2;
}

/* ------------------------------------------------------------ buffered runs */

/* Lend the driver's buffer to the mux for the next chunk of the target. */
static vmux_err_t start_chunk(struct adc_grant *s, struct process *p)
{
    struct adc_driver *drv = driver_of(s->owner.driver);
    size_t want = allow_samples(p, s->owner.driver, s->target);
    if (s->filled >= want)
        return VMUX_SIZE;
    return adc_mux_sample_buffer(&s->adc, drv->cap, s->channel, s->hz, drv->samples,
                                 driver_min(want - s->filled, ADC_DRIVER_BUF_SAMPLES));
}

/* Copy count samples, left-justified and little-endian, to the target
 * after those there. They are put in that order in place, in the
 * driver's buffer, which is wiped next. */
static void copy_chunk(struct adc_grant *s, struct process *p, uint16_t *samples, size_t count)
{
    uint8_t *bytes = (uint8_t *)samples;
    unsigned shift = driver_of(s->owner.driver)->shift;
    count = driver_min(count, ADC_DRIVER_BUF_SAMPLES);
    for (size_t i = 0; i < count; i++) {
        uint16_t v = (uint16_t)(samples[i] << shift);
        bytes[2 * i] = (uint8_t)v;
        bytes[2 * i + 1] = (uint8_t)(v >> 8);
    }
    s->filled += driver_copy_out(p, s->owner.driver, s->target, 2 * s->filled, bytes,
                                 2 * count, NULL) / 2;
}

/* The process hears that the target holds s->filled samples. */
static void report_buffer(struct adc_grant *s, struct process *p, unsigned channel)
{
    size_t len;
    uint8_t *target = process_allowed_rw(p, s->owner.driver, s->target, &len);
    driver_owner_upcall(&s->owner, ADC_UPCALL_DONE,
                        s->alternate ? ADC_MODE_CONTINUOUS_BUFFER : ADC_MODE_BUFFER,
                        (uint32_t)(s->filled << 8) | (channel & 0xffu),
                        (uint32_t)(uintptr_t)target);
}

static void buffer_done(struct adc_mux_client *c, unsigned channel, uint16_t *buf,
                        size_t count, vmux_err_t status)
{
    struct adc_grant *s = grant_of(c);
    struct process *p = s->buffering ? driver_owner_process(&s->owner) : NULL;
    if (p != NULL)
        copy_chunk(s, p, buf, count);
    wipe(buf, ADC_DRIVER_BUF_SAMPLES * sizeof *buf);
    if (p == NULL)
        return; /* stopped: nothing to report */
    bool full = s->filled >= allow_samples(p, s->owner.driver, s->target);
    if (status == VMUX_SUCCESS && !full && start_chunk(s, p) == VMUX_SUCCESS)
        return; /* the next chunk of the same buffer */
    report_buffer(s, p, channel);
    s->buffering = false;
    if (!s->alternate || status != VMUX_SUCCESS || !full)
        return;
    /* command 4: the other buffer next, if there is one */
    if (allow_samples(p, s->owner.driver, 1u - s->target) > 0)
        s->target = 1u - s->target;
    s->filled = 0;
    s->buffering = start_chunk(s, p) == VMUX_SUCCESS;
}

static struct syscall_return start_buffering(struct adc_grant *s, struct process *p,
                                             unsigned channel, uint32_t hz, bool alternate)
{
    if (allow_samples(p, s->owner.driver, 0) == 0)
        return syscall_failure(VMUX_NOMEM);
    if (s->continuous || s->buffering)
        return syscall_failure(VMUX_BUSY);
    s->channel = channel;
    s->hz = hz;
    s->target = 0;
    s->filled = 0;
    s->alternate = alternate;
    vmux_err_t err = start_chunk(s, p);
    if (err != VMUX_SUCCESS)
        return syscall_failure(err);
    s->buffering = true;
    return syscall_success();
}

/* ------------------------------------------------------------ samples */

static void sample_done(struct adc_mux_client *c, unsigned channel, uint16_t value,
                        vmux_err_t status)
{
    struct adc_grant *s = grant_of(c);
    unsigned mode = s->continuous ? ADC_MODE_CONTINUOUS : ADC_MODE_SINGLE;
    if (s->continuous && !adc_mux_holds_run(c))
        s->continuous = false; /* the stream could not start */
    uint16_t left_justified = (uint16_t)(value << driver_of(s->owner.driver)->shift);
    driver_owner_upcall(&s->owner, ADC_UPCALL_DONE, mode, channel,
                        status == VMUX_SUCCESS ? left_justified : 0);
}

static struct syscall_return start_continuous(struct adc_grant *s, unsigned channel,
                                              uint32_t hz)
{
    if (s->continuous || s->buffering)
        return syscall_failure(VMUX_BUSY);
    vmux_err_t err =
        adc_mux_start_continuous(&s->adc, driver_of(s->owner.driver)->cap, channel, hz);
    if (err != VMUX_SUCCESS)
        return syscall_failure(err);
    s->continuous = true;
    return syscall_success();
}

/* Command 5: end this process's run, quietly. */
static struct syscall_return stop(struct adc_grant *s)
{
    if (s->continuous)
        adc_mux_stop_continuous(&s->adc);
    if (s->buffering)
        adc_mux_stop_buffer(&s->adc); /* its buffer_done finds nothing to report */
    s->continuous = s->buffering = false;
    return syscall_success();
}

/* ------------------------------------------------------------ driver */

static const struct adc_mux_client_ops adc_ops = { sample_done, buffer_done };

static bool needs_capability(uint32_t cmd)
{
    return cmd >= ADC_CMD_CONTINUOUS && cmd <= ADC_CMD_STOP;
}

static struct syscall_return command(const struct syscall_driver *d, struct process *p,
                                     void *state, uint32_t cmd, syscall_reg_t arg1,
                                     syscall_reg_t arg2)
{
    struct adc_driver *drv = driver_of(d);
    struct adc_grant *s = state;
    bool bad_channel = arg1 >= drv->mux->channel_count;
    if (needs_capability(cmd) && drv->cap == NULL)
        return syscall_failure(VMUX_NOSUPPORT);
    switch (cmd) {
    case ADC_CMD_RESOLUTION:
        if (bad_channel)
            return syscall_failure(VMUX_NODEVICE);
        return syscall_success_u32(hil_adc_resolution_bits(drv->mux->adc));
    case ADC_CMD_REFERENCE_MV:
        return syscall_failure(bad_channel ? VMUX_NODEVICE : VMUX_NOSUPPORT);
    case ADC_CMD_SINGLE:
        if (bad_channel)
            return syscall_failure(VMUX_NODEVICE);
        break;
    case ADC_CMD_CONTINUOUS:
    case ADC_CMD_BUFFER:
    case ADC_CMD_CONTINUOUS_BUFFER:
    case ADC_CMD_STOP:
        break; /* the mux checks channel and rate: INVALID */
    default:
        return syscall_failure(VMUX_NOSUPPORT);
    }
    if (!s->adc.entry.attached) {
        vmux_err_t err = adc_mux_attach(drv->mux, &s->adc, s->owner.id, &adc_ops);
        if (err != VMUX_SUCCESS)
            return syscall_failure(err);
    }
    switch (cmd) {
    case ADC_CMD_SINGLE:
        return syscall_status(adc_mux_sample(&s->adc, (unsigned)arg1));
    case ADC_CMD_CONTINUOUS:
        return start_continuous(s, (unsigned)arg1, (uint32_t)arg2);
    case ADC_CMD_BUFFER:
    case ADC_CMD_CONTINUOUS_BUFFER:
        return start_buffering(s, p, (unsigned)arg1, (uint32_t)arg2,
                               cmd == ADC_CMD_CONTINUOUS_BUFFER);
    default: /* ADC_CMD_STOP */
        return stop(s);
    }
}

static struct syscall_return channel_count(const struct syscall_driver *d)
{
    return syscall_success_u32(driver_of(d)->mux->channel_count);
}

/* Drop the waiting request, stop the run: no callback follows. A buffered
 * run keeps the driver's buffer until the ADC hands it back to the mux. */
static void process_ended(const struct syscall_driver *d, struct process *p, void *state)
{
    struct adc_grant *s = state;
    (void)d, (void)p;
    adc_mux_detach(&s->adc);
    s->continuous = s->buffering = false;
}

void adc_driver_init(struct adc_driver *d, struct adc_mux *mux,
                     const cap_adc_continuous_t *cap_or_null)
{
    d->mux = mux;
    d->cap = cap_or_null;
    unsigned bits = hil_adc_resolution_bits(mux->adc);
    d->shift = (uint8_t)(bits < 16u ? 16u - bits : 0u);
    wipe(d->samples, sizeof d->samples);
    d->driver = (struct syscall_driver){
        .number = ADC_DRIVER_NUM,
        .upcall_count = 1,
        .allow_rw_count = 2,
        .state_size = sizeof(struct adc_grant),
        .grant_init = driver_grant_init,
        .command = command,
        .process_ended = process_ended,
        .command_zero = channel_count,
    };
}
