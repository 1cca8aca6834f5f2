/*
 * Block storage HIL: a device of block_count() blocks of block_size()
 * bytes each (HIL_BLOCK_SIZE on every vmux device: an SD card's sector),
 * read, written and erased one whole block at a time, split phase.
 *
 *   read(block, buf)    fill buf (block_size bytes) with the block;
 *                       read_done(block, buf, status) hands buf back
 *   write(block, buf)   store buf as the block; write_done(block, buf,
 *                       status) hands it back
 *   erase(block)        afterwards the block reads as block_size bytes of
 *                       HIL_BLOCK_ERASED; erase_done(block, status)
 *   abort()             end the operation in flight, if any: no done
 *                       follows for it, not even one already on its way,
 *                       and once abort() returns the driver no longer
 *                       touches its buffer. The block being written or
 *                       erased is left as a power cut would leave it.
 *
 * INVALID for a block at or past block_count() or a NULL buffer, BUSY
 * while an operation runs (one at a time), OFF when no client is set.
 * A failed read leaves the buffer's content undefined (the driver may
 * have written part of it); the client must not use it.
 *
 * Durability. A write or erase whose done came with SUCCESS is on the
 * medium. A power cut during one may leave that block (and only that
 * block) with any content: the old, the new, a mix of both, garbage.
 * Writes are not reordered: each one starts after the previous ended.
 *
 * Buffers: a buffer passed down belongs to the driver until its done
 * callback (or abort()) hands it back (hil/hil.h). One client per
 * device: sharing is capsules/storage_mux.h's.
 */
#ifndef VMUX_HIL_BLOCK_H
#define VMUX_HIL_BLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "hil/hil.h"

#define HIL_BLOCK_SIZE 512u
#define HIL_BLOCK_ERASED 0xffu

struct hil_block;

struct hil_block_client {
    void (*read_done)(struct hil_block_client *self, uint32_t block, uint8_t *buf,
                      vmux_err_t status);
    void (*write_done)(struct hil_block_client *self, uint32_t block, const uint8_t *buf,
                       vmux_err_t status);
    void (*erase_done)(struct hil_block_client *self, uint32_t block, vmux_err_t status);
};

struct hil_block_ops {
    uint32_t (*block_count)(struct hil_block *b);
    vmux_err_t (*read)(struct hil_block *b, uint32_t block, uint8_t *buf);
    vmux_err_t (*write)(struct hil_block *b, uint32_t block, const uint8_t *buf);
    vmux_err_t (*erase)(struct hil_block *b, uint32_t block);
    void (*abort)(struct hil_block *b);
};

struct hil_block {
    const struct hil_block_ops *ops;
    struct hil_block_client *client;
};

static inline void hil_block_set_client(struct hil_block *b, struct hil_block_client *c)
{
    b->client = c;
}
static inline uint32_t hil_block_count(struct hil_block *b)
{
    return b->ops->block_count(b);
}
static inline vmux_err_t hil_block_read(struct hil_block *b, uint32_t block, uint8_t *buf)
{
    return b->ops->read(b, block, buf);
}
static inline vmux_err_t hil_block_write(struct hil_block *b, uint32_t block, const uint8_t *buf)
{
    return b->ops->write(b, block, buf);
}
static inline vmux_err_t hil_block_erase(struct hil_block *b, uint32_t block)
{
    return b->ops->erase(b, block);
}
static inline void hil_block_abort(struct hil_block *b)
{
    b->ops->abort(b);
}

#endif
