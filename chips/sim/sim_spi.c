#include "chips/sim/sim_spi.h"

#include <string.h>

static struct sim_spi *spi_of(struct hil_spi *hil)
{
    return container_of(hil, struct sim_spi, hil);
}

/* ------------------------------------------------------------ the wire */

/* The bytes cross the bus, with whoever is selected now. */
static void exchange(struct sim_spi *s)
{
    unsigned selected = 0;
    for (struct sim_spi_device *d = s->devices; d; d = d->next) {
        if (!d->selected)
            continue;
        selected++;
        d->mode = s->mode;
        d->rate_hz = s->rate_hz;
        d->bytes += (uint32_t)s->len;
    }
    if (selected > 1)
        s->counters.conflicts++;
    for (size_t i = 0; i < s->len; i++) {
        uint8_t in = 0xff;
        for (struct sim_spi_device *d = s->devices; d; d = d->next) {
            if (!d->selected)
                continue;
            bool data = d->dc_bank == NULL || sim_gpio_level(d->dc_bank, d->dc_pin);
            in &= d->ops->exchange(d, s->write[i], data);
        }
        if (s->read)
            s->read[i] = in;
    }
    if (s->read && s->applying == SIM_FAULT_CORRUPT)
        s->read[0] ^= 1u;
    s->counters.bytes += (uint32_t)s->len;
}

static void completed(struct sim_event *ev)
{
    struct sim_spi *s = container_of(ev, struct sim_spi, completion);
    if (s->applying == SIM_FAULT_ERROR)
        s->status = sim_fault_error(&s->fault.fault);
    else
        exchange(s);
    deferred_call_raise(&s->irq);
}

static void bottom_half(struct deferred_call *dc)
{
    struct sim_spi *s = container_of(dc, struct sim_spi, irq);
    if (!s->busy)
        return;
    s->busy = false;
    s->counters.transfers++;
    unsigned calls = s->applying == SIM_FAULT_TWICE ? 2 : 1;
    for (unsigned i = 0; i < calls && s->hil.client; i++)
        s->hil.client->transfer_done(s->hil.client, s->write, s->read, s->len, s->status);
}

/* ------------------------------------------------------------ the HIL */

static vmux_err_t spi_configure(struct hil_spi *hil, unsigned mode, uint32_t rate_hz)
{
    struct sim_spi *s = spi_of(hil);
    if (mode > HIL_SPI_MODE_3 || rate_hz == 0)
        return VMUX_INVALID;
    if (s->busy)
        return VMUX_BUSY;
    s->mode = (uint8_t)mode;
    s->rate_hz = rate_hz;
    return VMUX_SUCCESS;
}

static vmux_err_t spi_transfer(struct hil_spi *hil, const uint8_t *write, uint8_t *read,
                               size_t len)
{
    struct sim_spi *s = spi_of(hil);
    if (write == NULL)
        return VMUX_INVALID;
    if (len == 0)
        return VMUX_SIZE;
    if (s->busy)
        return VMUX_BUSY;
    enum sim_fault_kind fault = sim_fault_take(&s->fault);
    if (fault == SIM_FAULT_REFUSE)
        return sim_fault_error(&s->fault.fault);
    s->busy = true;
    s->applying = fault;
    s->write = write;
    s->read = read;
    s->len = len;
    s->status = VMUX_SUCCESS;
    if (fault == SIM_FAULT_NEVER)
        return VMUX_SUCCESS;
    uint64_t ns = (uint64_t)len * 8u * 1000000000u / s->rate_hz + 1u;
    if (fault == SIM_FAULT_LATE)
        ns += s->fault.fault.delay_ns;
    sim_event_schedule(&s->completion, sim_now_ns() + ns, completed);
    return VMUX_SUCCESS;
}

static void spi_abort(struct hil_spi *hil)
{
    struct sim_spi *s = spi_of(hil);
    if (!s->busy)
        return;
    sim_event_cancel(&s->completion);
    s->busy = false;
    s->counters.aborts++;
}

static const struct hil_spi_ops sim_spi_ops = {
    .configure = spi_configure,
    .transfer = spi_transfer,
    .abort = spi_abort,
};

vmux_err_t sim_spi_init(struct sim_spi *s)
{
    memset(s, 0, sizeof *s);
    s->hil.ops = &sim_spi_ops;
    s->rate_hz = 1000000u;
    return deferred_call_register(&s->irq, bottom_half);
}

/* ------------------------------------------------------------ devices */

static void cs_changed(struct sim_gpio_listener *l, struct sim_gpio *g, unsigned pin, bool level)
{
    struct sim_spi_device *d = container_of(l, struct sim_spi_device, listener);
    if (g != d->cs_bank || pin != d->cs_pin)
        return;
    bool selected = level == d->cs_active_high;
    if (selected == d->selected)
        return;
    d->selected = selected;
    if (selected)
        d->selects++;
    if (d->ops->select)
        d->ops->select(d, selected);
}

void sim_spi_attach(struct sim_spi *s, struct sim_spi_device *d,
                    const struct sim_spi_device_ops *ops, struct sim_gpio *cs_bank,
                    unsigned cs_pin, bool cs_active_high, struct sim_gpio *dc_bank,
                    unsigned dc_pin)
{
    d->ops = ops;
    d->cs_bank = cs_bank;
    d->cs_pin = (uint8_t)cs_pin;
    d->cs_active_high = cs_active_high;
    d->dc_bank = dc_bank;
    d->dc_pin = (uint8_t)dc_pin;
    d->selected = sim_gpio_level(cs_bank, cs_pin) == cs_active_high;
    d->listener.changed = cs_changed;
    sim_gpio_listen(cs_bank, &d->listener);
    d->next = s->devices;
    s->devices = d;
}

void sim_spi_inject_fault(struct sim_spi *s, const struct sim_fault *fault)
{
    sim_fault_arm(&s->fault, fault);
}

/* ------------------------------------------------------------ shift register */

static void shift_select(struct sim_spi_device *dev, bool selected)
{
    struct sim_spi_shift *d = container_of(dev, struct sim_spi_shift, dev);
    if (selected)
        d->last = d->first;
}

static uint8_t shift_exchange(struct sim_spi_device *dev, uint8_t out, bool data)
{
    struct sim_spi_shift *d = container_of(dev, struct sim_spi_shift, dev);
    uint8_t answer = d->last;
    d->last = out;
    d->seen[d->seen_count++ % SIM_SPI_SHIFT_SEEN] = out;
    if (data)
        d->data_bytes++;
    return answer;
}

static const struct sim_spi_device_ops shift_ops = { shift_select, shift_exchange };

void sim_spi_shift_attach(struct sim_spi *s, struct sim_spi_shift *d, uint8_t first,
                          struct sim_gpio *cs_bank, unsigned cs_pin, bool cs_active_high,
                          struct sim_gpio *dc_bank, unsigned dc_pin)
{
    memset(d, 0, sizeof *d);
    d->first = d->last = first;
    sim_spi_attach(s, &d->dev, &shift_ops, cs_bank, cs_pin, cs_active_high, dc_bank, dc_pin);
}

bool sim_spi_shift_saw(const struct sim_spi_shift *d, uint8_t b)
{
    uint32_t n = d->seen_count < SIM_SPI_SHIFT_SEEN ? d->seen_count : SIM_SPI_SHIFT_SEEN;
    for (uint32_t i = 0; i < n; i++)
        if (d->seen[i] == b)
            return true;
    return false;
}
