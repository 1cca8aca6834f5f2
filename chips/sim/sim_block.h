/*
 * Simulated block device: struct hil_block (hil/block.h) on the host
 * board's simulated clock, backed by a file (the board's image, kept
 * across runs) or by memory the caller owns (tests, benchmarks).
 *
 * Timing. An operation started at t completes at t + read_ns (reads) or
 * t + write_ns (writes, erases): a simulated event that plays the
 * interrupt by raising the device's deferred call, from which the client
 * is called, never from inside a request.
 *
 * Power cuts, for crash-consistency tests. sim_block_cut_power_at(b, n,
 * tear) arms a cut at the n-th write point (writes and erases counted
 * from 1 since the arming): when that operation starts, its block is
 * left as the tear says, the device dies, and nothing after it happens:
 * no done follows, and every later request answers OFF, as a machine
 * without power would not make it. The test then discards the kernel's
 * state (its RAM), calls sim_block_power_on() and mounts again.
 *   SIM_TEAR_LOST     the block keeps its old content
 *   SIM_TEAR_PREFIX   the first tear_bytes bytes are new, the rest old
 *                     (a write cut halfway through the sector)
 *   SIM_TEAR_GARBAGE  the block holds pseudo-random bytes
 *   SIM_TEAR_DONE     the write reached the medium, but its done never
 *                     came (the power failed just after)
 * sim_block_writes() counts write points, so a test can run a workload
 * once to learn how many there are, then cut at each one.
 *
 * Faults (chips/sim/sim_fault.h), per kind of operation
 * (sim_block_inject_fault(b, SIM_BLOCK_READ / _WRITE / _ERASE, &fault)):
 *   REFUSE   the request answers the error
 *   ERROR    it completes at its time with the error; a read leaves
 *            garbage in the buffer, a write or erase changes nothing
 *   LATE     it completes delay_ns late
 *   NEVER    it never completes; only abort() ends it
 *   TWICE    its done is called twice
 *   CORRUPT  a read returns the block with one bit flipped; a write
 *            stores it so
 * Lasting damage: sim_block_set_bad(b, block) makes every read of that
 * block fail (FAIL); sim_block_flip(b, block, offset, mask) corrupts the
 * medium itself (bit rot).
 *
 * Counters: reads, writes, erases, and, when the test gives an array of
 * block_count words (sim_block_count_wear), writes and erases per block.
 */
#ifndef VMUX_CHIPS_SIM_SIM_BLOCK_H
#define VMUX_CHIPS_SIM_SIM_BLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "chips/sim/sim.h"
#include "chips/sim/sim_fault.h"
#include "hil/block.h"
#include "kernel/deferred.h"

enum sim_block_op { SIM_BLOCK_READ, SIM_BLOCK_WRITE, SIM_BLOCK_ERASE, SIM_BLOCK_OPS };

enum sim_block_tear { SIM_TEAR_LOST, SIM_TEAR_PREFIX, SIM_TEAR_GARBAGE, SIM_TEAR_DONE };

#define SIM_BLOCK_READ_NS 100000u    /* 100 us: an SD card's read, roughly */
#define SIM_BLOCK_WRITE_NS 500000u   /* 500 us */
#define SIM_BLOCK_BAD_MAX 8u

struct sim_block_counters {
    uint32_t reads, writes, erases;
    uint32_t refused_off;      /* requests after a power cut */
};

struct sim_block {
    struct hil_block hil;
    uint8_t *memory;           /* memory backing, or NULL: the file */
    int fd;                    /* file backing, or -1 */
    uint32_t count;
    uint32_t read_ns, write_ns;
    /* the operation in flight */
    bool busy, completing;
    enum sim_block_op op;
    enum sim_fault_kind applying;
    uint32_t block;
    uint8_t *rbuf;
    const uint8_t *wbuf;
    vmux_err_t status;
    struct sim_event event;
    struct deferred_call irq;
    struct sim_fault_slot faults[SIM_BLOCK_OPS];
    /* power */
    bool dead;
    uint32_t write_points;     /* writes and erases started since the arming */
    uint32_t cut_at;           /* 0: none armed */
    enum sim_block_tear tear;
    uint32_t tear_bytes;
    uint32_t garbage_seed;
    /* lasting damage */
    uint32_t bad[SIM_BLOCK_BAD_MAX];
    unsigned bad_count;
    uint32_t *wear;            /* optional: per block, writes + erases */
    struct sim_block_counters counters;
};

/* A device on count blocks of memory (count * HIL_BLOCK_SIZE bytes, the
 * caller's). */
vmux_err_t sim_block_init_memory(struct sim_block *b, uint8_t *memory, uint32_t count);

/* A device on the file at path, count blocks: created when missing,
 * extended (with erased blocks) when shorter. FAIL when it cannot be
 * opened. */
vmux_err_t sim_block_init_file(struct sim_block *b, const char *path, uint32_t count);

/* Close the file (the state stays valid for counters). */
void sim_block_close(struct sim_block *b);

/* Arm a power cut at the n-th write point from now (n >= 1); 0 disarms.
 * tear_bytes is SIM_TEAR_PREFIX's. Resets the write-point count. */
void sim_block_cut_power_at(struct sim_block *b, uint32_t n, enum sim_block_tear tear,
                            uint32_t tear_bytes);
/* Write points (writes and erases started) since the last arming. */
uint32_t sim_block_writes(const struct sim_block *b);
bool sim_block_is_dead(const struct sim_block *b);
/* Power back: the device answers again, nothing in flight. */
void sim_block_power_on(struct sim_block *b);

void sim_block_inject_fault(struct sim_block *b, enum sim_block_op op,
                            const struct sim_fault *fault);
/* Every read of block fails from now on (up to SIM_BLOCK_BAD_MAX blocks). */
void sim_block_set_bad(struct sim_block *b, uint32_t block);
/* XOR mask into the byte at offset of block, on the medium. */
void sim_block_flip(struct sim_block *b, uint32_t block, uint32_t offset, uint8_t mask);
/* Read a block straight from the medium (tests): false out of range. */
bool sim_block_peek(struct sim_block *b, uint32_t block, uint8_t *out);
/* Per-block wear counts into wear[count] (NULL: stop). */
void sim_block_count_wear(struct sim_block *b, uint32_t *wear);

#endif
