#include "capsules/drivers/spi_driver.h"

#include "capsules/drivers/driver_common.h"
#include "capsules/drivers/owners.h"
#include "kernel/wipe.h"

#define ALLOW_WRITE 0u    /* read-only */
#define ALLOW_READ 0u     /* read-write */
#define UPCALL_DONE 0u

/* A process's use of the bus, in its grant. */
struct spi_grant {
    struct driver_owner owner;       /* first: see driver_grant_init */
    struct spi_device dev;           /* attached to its chip */
    uint8_t chip;                    /* the chip's number + 1; 0: none yet */
    bool hold;                       /* command 11 in force */
    bool reading;                    /* the transfer stores what comes in */
    uint16_t len, done;              /* its transfer: bytes asked, done */
    uint8_t buf[SPI_DRIVER_CHUNK];   /* the chunk on the bus, out then in */
};

static struct spi_driver *driver_of(const struct syscall_driver *d)
{
    return container_of(d, struct spi_driver, driver);
}

static void transfer_done(struct spi_device *dev, const uint8_t *write, uint8_t *read,
                          size_t len, vmux_err_t status);
static const struct spi_device_ops spi_ops = { transfer_done };

/* Chip n for p from now on. */
static vmux_err_t use_chip(struct spi_grant *g, struct process *p, uintptr_t n)
{
    struct spi_driver *d = driver_of(g->owner.driver);
    if (n >= d->count)
        return VMUX_INVALID;
    if (!owners_include(d->chips[n].owners, p->name)) {
        d->refused++;
        return VMUX_RESERVE;
    }
    if (g->chip == n + 1)
        return VMUX_SUCCESS;
    if (g->len != 0 || bus_mux_has_turn(&g->dev.bus))
        return VMUX_BUSY;
    spi_mux_detach(&g->dev);
    vmux_err_t err = spi_mux_attach(d->mux, &g->dev, g->owner.id, d->cap, &d->chips[n], &spi_ops);
    g->chip = err == VMUX_SUCCESS ? (uint8_t)(n + 1) : 0;
    return err;
}

/* The chip p uses: the one it chose, else the first given to it. */
static vmux_err_t chip_in_use(struct spi_grant *g, struct process *p)
{
    struct spi_driver *d = driver_of(g->owner.driver);
    if (g->chip)
        return VMUX_SUCCESS;
    unsigned n = 0;
    while (n < d->count && !owners_include(d->chips[n].owners, p->name))
        n++;
    if (n == d->count) {
        d->refused++;
        return VMUX_RESERVE;
    }
    return use_chip(g, p, n);
}

/* The next chunk of the transfer, from the write allow as it is now. */
static vmux_err_t start_chunk(struct spi_grant *g, struct process *p)
{
    size_t n = driver_min(g->len - g->done, SPI_DRIVER_CHUNK);
    if (driver_copy_in(p, g->owner.driver, ALLOW_WRITE, g->done, g->buf, n, NULL) < n)
        return VMUX_SIZE; /* the allow shrank */
    unsigned flags = g->done + n < g->len || g->hold ? SPI_HOLD : 0;
    return spi_mux_transfer(&g->dev, g->buf, g->reading ? g->buf : NULL, n, flags);
}

static void transfer_done(struct spi_device *dev, const uint8_t *write, uint8_t *read,
                          size_t len, vmux_err_t status)
{
    struct spi_grant *g = container_of(dev, struct spi_grant, dev);
    struct process *p = driver_owner_process(&g->owner);
    (void)write;
    if (read && status == VMUX_SUCCESS && p)
        driver_copy_out(p, g->owner.driver, ALLOW_READ, g->done, read, len, NULL);
    wipe(g->buf, sizeof g->buf);
    if (status == VMUX_SUCCESS) {
        g->done = (uint16_t)(g->done + len);
        if (g->done < g->len && p && (status = start_chunk(g, p)) == VMUX_SUCCESS)
            return;
    }
    driver_owner_upcall(&g->owner, UPCALL_DONE, g->done, driver_statuscode(status), 0);
    g->len = 0;
}

static vmux_err_t transfer(struct spi_grant *g, struct process *p, uintptr_t len)
{
    size_t wlen, rlen;
    process_allowed_ro(p, g->owner.driver, ALLOW_WRITE, &wlen);
    process_allowed_rw(p, g->owner.driver, ALLOW_READ, &rlen);
    if (len == 0 || len > wlen || (rlen && len > rlen) || len > UINT16_MAX)
        return VMUX_INVALID;
    if (g->len != 0)
        return VMUX_BUSY;
    g->len = (uint16_t)len;
    g->done = 0;
    g->reading = rlen != 0;
    vmux_err_t err = start_chunk(g, p);
    if (err != VMUX_SUCCESS) {
        wipe(g->buf, sizeof g->buf);
        g->len = 0;
    }
    return err;
}

static struct syscall_return command(const struct syscall_driver *d, struct process *p,
                                     void *state, uint32_t cmd, syscall_reg_t arg1,
                                     syscall_reg_t arg2)
{
    struct spi_grant *g = state;
    (void)d, (void)arg2;
    if (cmd < SPI_CMD_TRANSFER || cmd > SPI_CMD_RELEASE)
        return syscall_failure(VMUX_NOSUPPORT);
    if (cmd == SPI_CMD_SELECT)
        return syscall_status(use_chip(g, p, arg1));
    vmux_err_t err = chip_in_use(g, p);
    if (err != VMUX_SUCCESS)
        return syscall_failure(err);
    struct spi_device *dev = &g->dev;
    unsigned bit = cmd <= SPI_CMD_PHASE ? HIL_SPI_CPHA : HIL_SPI_CPOL;
    switch (cmd) {
    case SPI_CMD_TRANSFER:
        return syscall_status(transfer(g, p, arg1));
    case SPI_CMD_SELECTED:
        return syscall_success_u32(g->chip - 1u);
    case SPI_CMD_SET_RATE:
        return syscall_status(spi_mux_configure(dev, dev->mode, (uint32_t)arg1));
    case SPI_CMD_RATE:
        return syscall_success_u32(dev->rate_hz);
    case SPI_CMD_SET_PHASE:
    case SPI_CMD_SET_POLARITY:
        return syscall_status(
            spi_mux_configure(dev, arg1 ? dev->mode | bit : dev->mode & ~bit, dev->rate_hz));
    case SPI_CMD_PHASE:
    case SPI_CMD_POLARITY:
        return syscall_success_u32((dev->mode & bit) != 0);
    case SPI_CMD_HOLD:
        g->hold = true;
        return syscall_success();
    default: /* SPI_CMD_RELEASE */
        g->hold = false;
        spi_mux_release(dev);
        return syscall_success();
    }
}

/* Its transfer aborted, its chip select released: no callback follows. */
static void process_ended(const struct syscall_driver *d, struct process *p, void *state)
{
    struct spi_grant *g = state;
    (void)d, (void)p;
    spi_mux_detach(&g->dev);
    wipe(g->buf, sizeof g->buf);
}

void spi_driver_init(struct spi_driver *d, struct spi_mux *mux, const cap_bus_device_t *cap,
                     const struct spi_chip *chips, unsigned count)
{
    d->mux = mux;
    d->cap = cap;
    d->chips = chips;
    d->count = (uint8_t)count;
    d->refused = 0;
    spi_mux_park(chips, count);
    d->driver = (struct syscall_driver){
        .number = SPI_DRIVER_NUM,
        .upcall_count = 1,
        .allow_rw_count = 1,
        .allow_ro_count = 1,
        .state_size = sizeof(struct spi_grant),
        .grant_init = driver_grant_init,
        .command = command,
        .process_ended = process_ended,
    };
}
