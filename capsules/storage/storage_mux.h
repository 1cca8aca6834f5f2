/*
 * Storage mux: one block device (hil/block.h) shared by kernel
 * components and processes, each confined to its own window of blocks.
 *
 * Windows. A client sees blocks 0..count-1 of its window, which the mux
 * maps onto [first, first + count) of the device; anything outside is
 * INVALID, so no client can read or write another's blocks. Which
 * component gets which window is the board's decision
 * (storage_mux_attach needs cap_storage_window_t); a component may hand
 * parts of its own window to clients of its own (storage_mux_attach_part:
 * the isolated storage driver gives each process its region), never more.
 *
 * Turns, fairness, hangs, departures, conservation: the shape every bus
 * mux shares (capsules/bus_mux.h). Each client has one operation queued
 * at a time (BUSY otherwise); clients are served round robin, one
 * operation a turn, so with N clients nobody waits more than N-1 turns;
 * a turn the device does not end within the watchdog's timeout is
 * aborted (hil_block_abort) and fails its own client only.
 *
 * Buffers go down and back only. A client's buffer goes to the device in
 * its own turn and comes back to that client in its done callback; the
 * mux keeps no copy. A client may instead use the mux's own block
 * buffer (buf NULL): a read lands there and is lent to the client for
 * its read_done; a write asks the client to fill it first (fill(), with
 * what the client's previous operation of the same turn left there, or
 * zeroes). STORAGE_HOLD keeps the turn, and the mux buffer's content,
 * for the client's next operation: a read-modify-write of one block is
 * one turn. The mux wipes its buffer (kernel/wipe.h) at the end of every
 * turn that used it, however the turn ends, so no client ever sees what
 * another read or wrote.
 *
 * Wiring, in a board:
 *
 *     static struct client_entry *storage_slots[8];
 *     static uint32_t storage_rr_bits[RR_WORDS(8)];
 *     static struct virtual_alarm storage_watchdog;
 *     static struct storage_mux storage_mux;
 *     storage_mux_init(&storage_mux, &sd.hil, storage_slots, storage_rr_bits, 8,
 *                      &storage_watchdog.hil, 100000);
 *     storage_mux_attach(&storage_mux, &kv_blocks, kv_id, &board_cap_storage_window,
 *                        0, 64, &kv_block_ops);              // blocks 0..63
 *     storage_mux_read(&kv_blocks, 3, kv_buf, 0);            // read_done later
 */
#ifndef VMUX_CAPSULES_STORAGE_STORAGE_MUX_H
#define VMUX_CAPSULES_STORAGE_STORAGE_MUX_H

#include <stdbool.h>
#include <stdint.h>

#include "capsules/bus_mux.h"
#include "hil/block.h"
#include "kernel/capability.h"

#define STORAGE_HOLD 0x1u     /* keep the turn (and the mux buffer) after it */

struct storage_client;

struct storage_client_ops {
    void (*read_done)(struct storage_client *c, uint32_t block, uint8_t *buf, vmux_err_t status);
    void (*write_done)(struct storage_client *c, uint32_t block, vmux_err_t status);
    void (*erase_done)(struct storage_client *c, uint32_t block, vmux_err_t status);
    /* A write of the mux buffer is about to start: fill buf
     * (HIL_BLOCK_SIZE bytes). Needed only by clients that write it. */
    void (*fill)(struct storage_client *c, uint32_t block, uint8_t *buf);
};

enum storage_op { STORAGE_READ, STORAGE_WRITE, STORAGE_ERASE };

struct storage_client {
    struct bus_client bus;          /* first: the shared shape */
    const struct storage_client_ops *ops;
    uint32_t first, count;          /* its window on the device */
    /* the queued operation */
    uint8_t op;                     /* enum storage_op */
    uint8_t flags;
    uint32_t block;                 /* in the window */
    uint8_t *buf;                   /* the client's, or NULL: the mux's */
};

struct storage_mux_counters {
    uint32_t outside;               /* requests outside a window (INVALID) */
    uint32_t wipes;                 /* turns whose mux buffer was wiped */
};

struct storage_mux {
    struct bus_mux bus;
    struct hil_block *device;
    struct hil_block_client device_client;
    uint32_t device_blocks;
    bool buffer_used;               /* this turn used the mux buffer */
    struct storage_mux_counters counters;
    uint8_t buffer[HIL_BLOCK_SIZE];
};

vmux_err_t storage_mux_init(struct storage_mux *m, struct hil_block *device,
                            struct client_entry **storage, uint32_t *rr_words, unsigned capacity,
                            struct hil_alarm *watchdog, uint32_t timeout_us);

/* Attach c with blocks [first, first + count) of the device. RESERVE
 * without a valid capability; INVALID for an empty window or one past
 * the device's end, or ops without read_done, write_done and
 * erase_done; NOMEM, ALREADY as bus_mux_attach. */
vmux_err_t storage_mux_attach(struct storage_mux *m, struct storage_client *c, client_id_t id,
                              const cap_storage_window_t *cap, uint32_t first, uint32_t count,
                              const struct storage_client_ops *ops);

/* Attach c with blocks [offset, offset + count) of parent's window
 * (parent attached): INVALID outside it. */
vmux_err_t storage_mux_attach_part(struct storage_client *parent, struct storage_client *c,
                                   client_id_t id, uint32_t offset, uint32_t count,
                                   const struct storage_client_ops *ops);

/* Harmless when not attached; an operation on the device is aborted,
 * and no callback follows. */
void storage_mux_detach(struct storage_client *c);

/* Queue one operation on block (of the window). INVALID outside the
 * window, for unknown flags, or a write of the mux buffer without
 * fill(); OFF, BUSY, CANCEL as bus_mux_request. */
vmux_err_t storage_mux_read(struct storage_client *c, uint32_t block, uint8_t *buf,
                            unsigned flags);
vmux_err_t storage_mux_write(struct storage_client *c, uint32_t block, uint8_t *buf,
                             unsigned flags);
vmux_err_t storage_mux_erase(struct storage_client *c, uint32_t block, unsigned flags);

/* Give up a held turn with nothing queued. */
void storage_mux_release(struct storage_client *c);

#endif
