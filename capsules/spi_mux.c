#include "capsules/spi_mux.h"

static struct spi_device *device_of(struct bus_client *c)
{
    return container_of(c, struct spi_device, bus);
}

static struct spi_mux *mux_of(struct bus_mux *b)
{
    return container_of(b, struct spi_mux, bus);
}

/* Drive line to its asserted level (on) or the other. */
static void drive(const struct spi_line *line, bool on)
{
    if (line->bank)
        hil_gpio_write(line->bank, line->pin, on == (line->active_high != 0));
}

/* The chip's select an output, released; its data/command line an
 * output. */
static void park(const struct spi_chip *chip)
{
    drive(&chip->cs, false);
    hil_gpio_configure(chip->cs.bank, chip->cs.pin, HIL_GPIO_OUTPUT);
    if (chip->dc.bank)
        hil_gpio_configure(chip->dc.bank, chip->dc.pin, HIL_GPIO_OUTPUT);
}

static vmux_err_t start(struct bus_mux *b, struct bus_client *c)
{
    struct spi_device *d = device_of(c);
    struct hil_spi *spi = mux_of(b)->spi;
    vmux_err_t err = hil_spi_configure(spi, d->mode, d->rate_hz);
    if (err != VMUX_SUCCESS)
        return err;
    drive(&d->chip->dc, d->flags & SPI_DATA);
    drive(&d->chip->cs, true);
    return hil_spi_transfer(spi, d->write, d->read, d->len);
}

static void recover(struct bus_mux *b, struct bus_client *c)
{
    hil_spi_abort(mux_of(b)->spi);
    drive(&device_of(c)->chip->cs, false);
}

static void finish(struct bus_client *c, vmux_err_t status)
{
    struct spi_device *d = device_of(c);
    d->ops->transfer_done(d, d->write, d->read, d->len, status);
}

static const struct bus_mux_ops spi_bus_ops = { start, recover, finish };

static void transfer_done(struct hil_spi_client *self, const uint8_t *write, uint8_t *read,
                          size_t len, vmux_err_t status)
{
    struct spi_mux *m = container_of(self, struct spi_mux, spi_client);
    (void)write, (void)read, (void)len;
    struct bus_client *c = bus_mux_running(&m->bus);
    bool keep = c != NULL && (device_of(c)->flags & SPI_HOLD) && status == VMUX_SUCCESS;
    if (c != NULL && !keep)
        drive(&device_of(c)->chip->cs, false); /* before anyone else's turn */
    bus_mux_complete(&m->bus, status, keep);
}

vmux_err_t spi_mux_init(struct spi_mux *m, struct hil_spi *spi, struct client_entry **storage,
                        uint32_t *rr_words, unsigned capacity, struct hil_alarm *watchdog,
                        uint32_t timeout_us)
{
    vmux_err_t err =
        bus_mux_init(&m->bus, &spi_bus_ops, storage, rr_words, capacity, watchdog, timeout_us);
    m->spi = spi;
    m->spi_client.transfer_done = transfer_done;
    hil_spi_set_client(spi, &m->spi_client);
    return err;
}

vmux_err_t spi_mux_attach(struct spi_mux *m, struct spi_device *d, client_id_t id,
                          const cap_bus_device_t *cap, const struct spi_chip *chip,
                          const struct spi_device_ops *ops)
{
    if (!capability_valid(cap))
        return VMUX_RESERVE;
    if (chip == NULL || chip->cs.bank == NULL || ops == NULL)
        return VMUX_INVALID;
    vmux_err_t err = bus_mux_attach(&m->bus, &d->bus, id);
    if (err != VMUX_SUCCESS)
        return err;
    d->ops = ops;
    d->chip = chip;
    d->mode = HIL_SPI_MODE_0;
    d->rate_hz = SPI_MUX_DEFAULT_RATE_HZ;
    park(chip);
    return VMUX_SUCCESS;
}

void spi_mux_park(const struct spi_chip *chips, unsigned count)
{
    for (unsigned i = 0; i < count; i++)
        park(&chips[i]);
}

void spi_mux_detach(struct spi_device *d)
{
    bus_mux_detach(&d->bus);
}

vmux_err_t spi_mux_configure(struct spi_device *d, unsigned mode, uint32_t rate_hz)
{
    if (mode > HIL_SPI_MODE_3 || rate_hz == 0)
        return VMUX_INVALID;
    d->mode = (uint8_t)mode;
    d->rate_hz = rate_hz;
    return VMUX_SUCCESS;
}

vmux_err_t spi_mux_transfer(struct spi_device *d, const uint8_t *write, uint8_t *read,
                            size_t len, unsigned flags)
{
    if (write == NULL || flags > (SPI_HOLD | SPI_DATA))
        return VMUX_INVALID;
    if (len == 0 || len > UINT16_MAX)
        return VMUX_SIZE;
    if (d->bus.queued)
        return VMUX_BUSY; /* before its fields change */
    d->write = write;
    d->read = read;
    d->len = (uint16_t)len;
    d->flags = (uint8_t)flags;
    return bus_mux_request(&d->bus);
}

void spi_mux_release(struct spi_device *d)
{
    if (d->bus.queued) {
        d->flags &= (uint8_t)~SPI_HOLD;
    } else if (bus_mux_has_turn(&d->bus)) {
        drive(&d->chip->cs, false);
        bus_mux_end_turn(&d->bus);
    }
}
