#include "chips/sim/sim_block.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static struct sim_block *of(struct hil_block *h)
{
    return container_of(h, struct sim_block, hil);
}

/* ------------------------------------------------------------ the medium */

static bool medium_read(struct sim_block *b, uint32_t block, uint8_t *out)
{
    off_t at = (off_t)block * HIL_BLOCK_SIZE;
    if (b->memory) {
        memcpy(out, b->memory + at, HIL_BLOCK_SIZE);
        return true;
    }
    return pread(b->fd, out, HIL_BLOCK_SIZE, at) == (ssize_t)HIL_BLOCK_SIZE;
}

static bool medium_write(struct sim_block *b, uint32_t block, const uint8_t *in)
{
    off_t at = (off_t)block * HIL_BLOCK_SIZE;
    if (b->memory) {
        memcpy(b->memory + at, in, HIL_BLOCK_SIZE);
        return true;
    }
    return pwrite(b->fd, in, HIL_BLOCK_SIZE, at) == (ssize_t)HIL_BLOCK_SIZE;
}

static uint32_t next_garbage(uint32_t *seed)
{
    *seed = *seed * 1664525u + 1013904223u;
    return *seed >> 8;
}

/* The block a cut write or erase leaves behind. */
static void tear(struct sim_block *b, uint32_t block, const uint8_t *new_content)
{
    uint8_t cell[HIL_BLOCK_SIZE];
    switch (b->tear) {
    case SIM_TEAR_LOST:
        return;
    case SIM_TEAR_PREFIX:
        medium_read(b, block, cell);
        memcpy(cell, new_content,
               b->tear_bytes < HIL_BLOCK_SIZE ? b->tear_bytes : HIL_BLOCK_SIZE);
        break;
    case SIM_TEAR_GARBAGE:
        for (unsigned i = 0; i < HIL_BLOCK_SIZE; i++)
            cell[i] = (uint8_t)next_garbage(&b->garbage_seed);
        break;
    case SIM_TEAR_DONE:
        memcpy(cell, new_content, HIL_BLOCK_SIZE);
        break;
    }
    medium_write(b, block, cell);
}

static bool is_bad(const struct sim_block *b, uint32_t block)
{
    for (unsigned i = 0; i < b->bad_count; i++)
        if (b->bad[i] == block)
            return true;
    return false;
}

/* ------------------------------------------------------------ operations */

static void completed(struct sim_event *ev)
{
    struct sim_block *b = container_of(ev, struct sim_block, event);
    b->completing = true;
    deferred_call_raise(&b->irq);
}

/* The bottom half: the operation's effect and its done. */
static void bottom_half(struct deferred_call *dc)
{
    struct sim_block *b = container_of(dc, struct sim_block, irq);
    if (!b->completing || !b->busy)
        return;
    b->completing = false;
    b->busy = false;
    enum sim_fault_kind fault = b->applying;
    vmux_err_t status = fault == SIM_FAULT_ERROR ? b->status : VMUX_SUCCESS;
    uint8_t erased[HIL_BLOCK_SIZE];
    uint8_t stored[HIL_BLOCK_SIZE];
    unsigned calls = fault == SIM_FAULT_TWICE ? 2 : 1;
    struct hil_block_client *c = b->hil.client;
    switch (b->op) {
    case SIM_BLOCK_READ:
        if (status == VMUX_SUCCESS && (is_bad(b, b->block) || !medium_read(b, b->block, b->rbuf)))
            status = VMUX_FAIL;
        if (status != VMUX_SUCCESS)
            memset(b->rbuf, 0xa5, HIL_BLOCK_SIZE); /* what a failed transfer leaves */
        else if (fault == SIM_FAULT_CORRUPT)
            b->rbuf[b->block % HIL_BLOCK_SIZE] ^= 0x04;
        for (unsigned i = 0; i < calls && c; i++)
            c->read_done(c, b->block, b->rbuf, status);
        return;
    case SIM_BLOCK_WRITE:
        if (status == VMUX_SUCCESS) {
            memcpy(stored, b->wbuf, HIL_BLOCK_SIZE);
            if (fault == SIM_FAULT_CORRUPT)
                stored[b->block % HIL_BLOCK_SIZE] ^= 0x04;
            if (!medium_write(b, b->block, stored))
                status = VMUX_FAIL;
        }
        for (unsigned i = 0; i < calls && c; i++)
            c->write_done(c, b->block, b->wbuf, status);
        return;
    default:
        if (status == VMUX_SUCCESS) {
            memset(erased, HIL_BLOCK_ERASED, sizeof erased);
            if (!medium_write(b, b->block, erased))
                status = VMUX_FAIL;
        }
        for (unsigned i = 0; i < calls && c; i++)
            c->erase_done(c, b->block, status);
        return;
    }
}

static vmux_err_t start(struct sim_block *b, enum sim_block_op op, uint32_t block, uint8_t *rbuf,
                        const uint8_t *wbuf)
{
    if (b->hil.client == NULL)
        return VMUX_OFF;
    if (block >= b->count || (op == SIM_BLOCK_READ && rbuf == NULL) ||
        (op == SIM_BLOCK_WRITE && wbuf == NULL))
        return VMUX_INVALID;
    if (b->dead) {
        b->counters.refused_off++;
        return VMUX_OFF;
    }
    if (b->busy)
        return VMUX_BUSY;
    enum sim_fault_kind fault = sim_fault_take(&b->faults[op]);
    if (fault == SIM_FAULT_REFUSE)
        return sim_fault_error(&b->faults[op].fault);
    if (op != SIM_BLOCK_READ) {
        b->write_points++;
        if (b->wear)
            b->wear[block]++;
        if (b->cut_at != 0 && b->write_points == b->cut_at) {
            uint8_t erased[HIL_BLOCK_SIZE];
            memset(erased, HIL_BLOCK_ERASED, sizeof erased);
            tear(b, block, op == SIM_BLOCK_WRITE ? wbuf : erased);
            b->dead = true;
            return VMUX_SUCCESS; /* accepted; nothing ever follows */
        }
    }
    b->counters.reads += op == SIM_BLOCK_READ;
    b->counters.writes += op == SIM_BLOCK_WRITE;
    b->counters.erases += op == SIM_BLOCK_ERASE;
    b->busy = true;
    b->op = op;
    b->block = block;
    b->rbuf = rbuf;
    b->wbuf = wbuf;
    b->applying = fault;
    b->status = sim_fault_error(&b->faults[op].fault);
    if (fault == SIM_FAULT_NEVER)
        return VMUX_SUCCESS;
    uint64_t ns = op == SIM_BLOCK_READ ? b->read_ns : b->write_ns;
    if (fault == SIM_FAULT_LATE)
        ns += b->faults[op].fault.delay_ns;
    sim_event_schedule(&b->event, sim_now_ns() + ns, completed);
    return VMUX_SUCCESS;
}

static uint32_t block_count(struct hil_block *h)
{
    return of(h)->count;
}

static vmux_err_t op_read(struct hil_block *h, uint32_t block, uint8_t *buf)
{
    return start(of(h), SIM_BLOCK_READ, block, buf, NULL);
}

static vmux_err_t op_write(struct hil_block *h, uint32_t block, const uint8_t *buf)
{
    return start(of(h), SIM_BLOCK_WRITE, block, NULL, buf);
}

static vmux_err_t op_erase(struct hil_block *h, uint32_t block)
{
    return start(of(h), SIM_BLOCK_ERASE, block, NULL, NULL);
}

static void op_abort(struct hil_block *h)
{
    struct sim_block *b = of(h);
    sim_event_cancel(&b->event);
    b->busy = false;
    b->completing = false;
}

static const struct hil_block_ops ops = {
    .block_count = block_count,
    .read = op_read,
    .write = op_write,
    .erase = op_erase,
    .abort = op_abort,
};

static vmux_err_t init_common(struct sim_block *b, uint32_t count)
{
    b->hil.ops = &ops;
    b->count = count;
    b->read_ns = SIM_BLOCK_READ_NS;
    b->write_ns = SIM_BLOCK_WRITE_NS;
    b->garbage_seed = 0x5eed;
    return deferred_call_register(&b->irq, bottom_half);
}

vmux_err_t sim_block_init_memory(struct sim_block *b, uint8_t *memory, uint32_t count)
{
    if (memory == NULL || count == 0)
        return VMUX_INVALID;
    memset(b, 0, sizeof *b);
    b->memory = memory;
    b->fd = -1;
    return init_common(b, count);
}

vmux_err_t sim_block_init_file(struct sim_block *b, const char *path, uint32_t count)
{
    if (path == NULL || count == 0)
        return VMUX_INVALID;
    memset(b, 0, sizeof *b);
    b->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (b->fd < 0)
        return VMUX_FAIL;
    struct stat st;
    if (fstat(b->fd, &st) != 0) {
        sim_block_close(b);
        return VMUX_FAIL;
    }
    uint8_t erased[HIL_BLOCK_SIZE];
    memset(erased, HIL_BLOCK_ERASED, sizeof erased);
    for (uint32_t i = (uint32_t)(st.st_size / HIL_BLOCK_SIZE); i < count; i++) {
        if (!medium_write(b, i, erased)) {
            sim_block_close(b);
            return VMUX_FAIL;
        }
    }
    return init_common(b, count);
}

void sim_block_close(struct sim_block *b)
{
    if (b->hil.ops && b->fd >= 0) /* a device that was never opened: nothing */
        close(b->fd);
    b->fd = -1;
}

void sim_block_cut_power_at(struct sim_block *b, uint32_t n, enum sim_block_tear t,
                            uint32_t tear_bytes)
{
    b->cut_at = n;
    b->tear = t;
    b->tear_bytes = tear_bytes;
    b->write_points = 0;
}

uint32_t sim_block_writes(const struct sim_block *b)
{
    return b->write_points;
}

bool sim_block_is_dead(const struct sim_block *b)
{
    return b->dead;
}

void sim_block_power_on(struct sim_block *b)
{
    op_abort(&b->hil);
    b->dead = false;
    b->cut_at = 0;
}

void sim_block_inject_fault(struct sim_block *b, enum sim_block_op op,
                            const struct sim_fault *fault)
{
    if ((unsigned)op < SIM_BLOCK_OPS)
        sim_fault_arm(&b->faults[op], fault);
}

void sim_block_set_bad(struct sim_block *b, uint32_t block)
{
    if (b->bad_count < SIM_BLOCK_BAD_MAX)
        b->bad[b->bad_count++] = block;
}

void sim_block_flip(struct sim_block *b, uint32_t block, uint32_t offset, uint8_t mask)
{
    uint8_t cell[HIL_BLOCK_SIZE];
    if (block >= b->count || offset >= HIL_BLOCK_SIZE || !medium_read(b, block, cell))
        return;
    cell[offset] ^= mask;
    medium_write(b, block, cell);
}

bool sim_block_peek(struct sim_block *b, uint32_t block, uint8_t *out)
{
    return block < b->count && medium_read(b, block, out);
}

void sim_block_count_wear(struct sim_block *b, uint32_t *wear)
{
    b->wear = wear;
}
