#include "capsules/sd_spi.h"

#include <string.h>

enum { OP_NONE, OP_READ, OP_WRITE, OP_ERASE };

enum {
    ST_IDLE,
    ST_FLUSH,    /* 0xff clocked out to end what the card was in */
    ST_CMD,      /* the command's bytes went out */
    ST_R1,       /* clocking for its R1 */
    ST_TAIL,     /* the 4 bytes after the R1 of CMD8 and CMD58 */
    ST_TOKEN,    /* read: clocking for the data token */
    ST_RDATA,
    ST_RCRC,
    ST_WTOKEN,   /* write: a gap byte and the token went out */
    ST_WDATA,
    ST_WCRC,
    ST_WRESP,    /* clocking for the data response */
    ST_WBUSY,    /* clocking while the card says busy (0x00) */
};

#define TOKEN 0xfeu
#define R1_IDLE 0x01u
#define R1_ILLEGAL 0x04u
#define DATA_ACCEPTED 0x05u
#define BUSY_POLLS 60000u
#define FLUSH_BYTES 544u   /* past the end of a block read or written */

static struct sd_spi *of_hil(struct hil_block *b)
{
    return container_of(b, struct sd_spi, hil);
}

static vmux_err_t xfer(struct sd_spi *sd, const uint8_t *write, uint8_t *read, size_t len)
{
    return spi_mux_transfer(&sd->dev, write, read, len, SPI_HOLD);
}

/* One byte in, 0xff out. */
static vmux_err_t poll(struct sd_spi *sd)
{
    sd->scratch[0] = 0xff;
    return xfer(sd, sd->scratch, sd->scratch, 1);
}

/* A command frame: a gap byte, the index, the argument, a CRC (checked
 * by the card only for CMD0 and CMD8, before SPI mode has CRCs off). */
static vmux_err_t command(struct sd_spi *sd, uint8_t index, uint32_t arg)
{
    uint8_t *f = sd->scratch;
    f[0] = 0xff;
    f[1] = (uint8_t)(0x40u | index);
    f[2] = (uint8_t)(arg >> 24);
    f[3] = (uint8_t)(arg >> 16);
    f[4] = (uint8_t)(arg >> 8);
    f[5] = (uint8_t)arg;
    f[6] = index == 0 ? 0x95u : index == 8 ? 0x87u : 0x01u;
    sd->cmd = index;
    sd->state = ST_CMD;
    sd->polls = 0;
    return xfer(sd, f, NULL, 7);
}

/* 0xff from the scratch buffer: the erase's data, the flush. */
static vmux_err_t ones_chunk(struct sd_spi *sd)
{
    memset(sd->scratch, 0xff, sizeof sd->scratch);
    sd->left = (uint16_t)(sd->left - sizeof sd->scratch);
    return xfer(sd, sd->scratch, NULL, sizeof sd->scratch);
}

/* Set the card up; after a failure or an abort the card may be in the
 * middle of a block (it ignores the select as QEMU's does, or was cut
 * off): first clock it past the end of one. */
static vmux_err_t set_up(struct sd_spi *sd)
{
    sd->tries = 0;
    if (!sd->flush)
        return command(sd, 0, 0);
    sd->state = ST_FLUSH;
    sd->left = FLUSH_BYTES;
    return ones_chunk(sd);
}

static vmux_err_t start_op(struct sd_spi *sd)
{
    uint32_t addr = sd->block_addressed ? sd->block : sd->block * HIL_BLOCK_SIZE;
    return command(sd, sd->op == OP_READ ? 17u : 24u, addr);
}

static void finish(struct sd_spi *sd, vmux_err_t status)
{
    unsigned op = sd->op;
    uint32_t block = sd->block;
    sd->op = OP_NONE;
    sd->state = ST_IDLE;
    spi_mux_release(&sd->dev);
    if (status != VMUX_SUCCESS) {
        sd->ready = false; /* set the card up again next time */
        sd->flush = true;
        spi_mux_configure(&sd->dev, HIL_SPI_MODE_0, SD_SPI_INIT_HZ);
    }
    struct hil_block_client *c = sd->hil.client;
    if (!c)
        return;
    if (op == OP_READ)
        c->read_done(c, block, sd->buf, status);
    else if (op == OP_WRITE)
        c->write_done(c, block, sd->wbuf, status);
    else if (op == OP_ERASE)
        c->erase_done(c, block, status);
}

static vmux_err_t card_error(struct sd_spi *sd)
{
    sd->counters.card_errors++;
    return VMUX_FAIL;
}

/* Clock one more byte for an answer, unless the limit is reached. */
static vmux_err_t wait_more(struct sd_spi *sd, unsigned limit)
{
    if (++sd->polls >= limit) {
        sd->counters.no_answer++;
        return VMUX_FAIL;
    }
    return poll(sd);
}

/* The R1 (and tail) of sd->cmd arrived: the next step. */
static vmux_err_t answered(struct sd_spi *sd, uint8_t r1)
{
    const uint8_t *tail = sd->scratch;
    if (sd->cmd != 17 && sd->cmd != 24)
        spi_mux_release(&sd->dev); /* one transaction per set-up command */
    switch (sd->cmd) {
    case 0:
        if (r1 == R1_IDLE)
            return command(sd, 8, 0x1aau);
        return ++sd->tries < SD_SPI_INIT_TRIES ? command(sd, 0, 0) : card_error(sd);
    case 8:
        if (r1 & R1_ILLEGAL)
            sd->v2 = false;
        else if ((r1 & ~R1_IDLE) || (tail[2] & 0x0fu) != 1u || tail[3] != 0xaau)
            return card_error(sd);
        else
            sd->v2 = true;
        sd->tries = 0;
        return command(sd, 55, 0);
    case 55:
        return r1 & ~R1_IDLE ? card_error(sd) : command(sd, 41, sd->v2 ? 1ul << 30 : 0);
    case 41:
        if (r1 == 0)
            return command(sd, 58, 0);
        if (r1 == R1_IDLE && ++sd->tries < SD_SPI_INIT_TRIES)
            return command(sd, 55, 0);
        return card_error(sd);
    case 58:
        if (r1 & ~R1_IDLE)
            return card_error(sd);
        sd->block_addressed = sd->v2 && (tail[0] & 0x40u);
        if (!sd->block_addressed)
            return command(sd, 16, HIL_BLOCK_SIZE);
        /* fall through */
    case 16:
        if (r1 & ~R1_IDLE)
            return card_error(sd);
        sd->ready = true;
        sd->counters.setups++;
        spi_mux_configure(&sd->dev, HIL_SPI_MODE_0, sd->fast_hz);
        return start_op(sd);
    case 17:
        if (r1)
            return card_error(sd);
        sd->state = ST_TOKEN;
        sd->polls = 0;
        return poll(sd);
    default: /* 24 */
        if (r1)
            return card_error(sd);
        sd->state = ST_WTOKEN;
        sd->scratch[0] = 0xff;
        sd->scratch[1] = TOKEN;
        return xfer(sd, sd->scratch, NULL, 2);
    }
}

static vmux_err_t step(struct sd_spi *sd)
{
    uint8_t b = sd->scratch[0];
    switch (sd->state) {
    case ST_FLUSH:
        if (sd->left)
            return ones_chunk(sd);
        sd->flush = false;
        spi_mux_release(&sd->dev);
        return command(sd, 0, 0);
    case ST_CMD:
        sd->state = ST_R1;
        return poll(sd);
    case ST_R1:
        if (b & 0x80u)
            return wait_more(sd, SD_SPI_POLLS);
        if (sd->cmd == 8 || sd->cmd == 58) {
            sd->state = ST_TAIL;
            sd->polls = b; /* the R1, kept while the tail comes */
            memset(sd->scratch, 0xff, 4);
            return xfer(sd, sd->scratch, sd->scratch, 4);
        }
        return answered(sd, b);
    case ST_TAIL:
        return answered(sd, (uint8_t)sd->polls);
    case ST_TOKEN:
        if (b == TOKEN) {
            sd->state = ST_RDATA;
            memset(sd->buf, 0xff, HIL_BLOCK_SIZE);
            return xfer(sd, sd->buf, sd->buf, HIL_BLOCK_SIZE);
        }
        return b == 0xff ? wait_more(sd, SD_SPI_POLLS) : card_error(sd); /* an error token */
    case ST_RDATA:
        sd->state = ST_RCRC;
        memset(sd->scratch, 0xff, 2);
        return xfer(sd, sd->scratch, sd->scratch, 2);
    case ST_RCRC:
        sd->counters.reads++;
        sd->state = ST_IDLE; /* done */
        return VMUX_SUCCESS;
    case ST_WTOKEN:
        sd->state = ST_WDATA;
        if (sd->op == OP_WRITE)
            return xfer(sd, sd->wbuf, NULL, HIL_BLOCK_SIZE);
        sd->left = HIL_BLOCK_SIZE;
        return ones_chunk(sd);
    case ST_WDATA:
        if (sd->op == OP_ERASE && sd->left)
            return ones_chunk(sd);
        sd->state = ST_WCRC;
        memset(sd->scratch, 0xff, 2);
        return xfer(sd, sd->scratch, NULL, 2);
    case ST_WCRC:
        sd->state = ST_WRESP;
        sd->polls = 0;
        return poll(sd);
    case ST_WRESP:
        if (b == 0xff)
            return wait_more(sd, SD_SPI_POLLS);
        if ((b & 0x1fu) != DATA_ACCEPTED)
            return card_error(sd);
        sd->state = ST_WBUSY;
        sd->polls = 0;
        return poll(sd);
    default: /* ST_WBUSY */
        if (b == 0x00)
            return wait_more(sd, BUSY_POLLS);
        if (sd->op == OP_WRITE)
            sd->counters.writes++;
        else
            sd->counters.erases++;
        sd->state = ST_IDLE; /* done */
        return VMUX_SUCCESS;
    }
}

static void transfer_done(struct spi_device *d, const uint8_t *write, uint8_t *read, size_t len,
                          vmux_err_t status)
{
    struct sd_spi *sd = container_of(d, struct sd_spi, dev);
    (void)write, (void)read, (void)len;
    if (sd->op == OP_NONE)
        return;
    if (status != VMUX_SUCCESS) {
        sd->counters.bus_errors++;
        finish(sd, status);
        return;
    }
    vmux_err_t err = step(sd);
    if (err != VMUX_SUCCESS)
        finish(sd, err);
    else if (sd->state == ST_IDLE)
        finish(sd, VMUX_SUCCESS);
}

static const struct spi_device_ops sd_spi_ops = { transfer_done };

static vmux_err_t begin(struct hil_block *b, unsigned op, uint32_t block, uint8_t *buf,
                        const uint8_t *wbuf)
{
    struct sd_spi *sd = of_hil(b);
    if (!b->client)
        return VMUX_OFF;
    if (block >= sd->blocks || (op != OP_ERASE && !buf && !wbuf))
        return VMUX_INVALID;
    if (sd->op != OP_NONE)
        return VMUX_BUSY;
    sd->op = (uint8_t)op;
    sd->block = block;
    sd->buf = buf;
    sd->wbuf = wbuf;
    vmux_err_t err = sd->ready ? start_op(sd) : set_up(sd);
    if (err != VMUX_SUCCESS) {
        sd->op = OP_NONE;
        sd->state = ST_IDLE;
        sd->counters.bus_errors++;
    }
    return err;
}

static uint32_t sd_block_count(struct hil_block *b)
{
    return of_hil(b)->blocks;
}

static vmux_err_t sd_read(struct hil_block *b, uint32_t block, uint8_t *buf)
{
    return begin(b, OP_READ, block, buf, NULL);
}

static vmux_err_t sd_write(struct hil_block *b, uint32_t block, const uint8_t *buf)
{
    return begin(b, OP_WRITE, block, NULL, buf);
}

static vmux_err_t sd_erase(struct hil_block *b, uint32_t block)
{
    return begin(b, OP_ERASE, block, NULL, NULL);
}

static vmux_err_t attach(struct sd_spi *sd)
{
    vmux_err_t err = spi_mux_attach(sd->mux, &sd->dev, sd->id, sd->cap, sd->chip, &sd_spi_ops);
    if (err == VMUX_SUCCESS)
        err = spi_mux_configure(&sd->dev, HIL_SPI_MODE_0, SD_SPI_INIT_HZ);
    return err;
}

/* Off the bus and on again: the mux ends the transfer in flight. */
static void sd_abort(struct hil_block *b)
{
    struct sd_spi *sd = of_hil(b);
    if (sd->op == OP_NONE)
        return;
    sd->counters.aborts++;
    sd->op = OP_NONE;
    sd->state = ST_IDLE;
    sd->ready = false;
    sd->flush = true;
    spi_mux_detach(&sd->dev);
    if (attach(sd) != VMUX_SUCCESS)
        sd->counters.bus_errors++;
}

static const struct hil_block_ops sd_block_ops = {
    sd_block_count, sd_read, sd_write, sd_erase, sd_abort,
};

vmux_err_t sd_spi_init(struct sd_spi *sd, struct spi_mux *mux, client_id_t id,
                       const cap_bus_device_t *cap, const struct spi_chip *chip, uint32_t blocks,
                       uint32_t fast_hz)
{
    *sd = (struct sd_spi){ 0 };
    if (blocks == 0 || fast_hz == 0)
        return VMUX_INVALID;
    sd->hil.ops = &sd_block_ops;
    sd->mux = mux;
    sd->cap = cap;
    sd->chip = chip;
    sd->id = id;
    sd->blocks = blocks;
    sd->fast_hz = fast_hz;
    return attach(sd);
}
