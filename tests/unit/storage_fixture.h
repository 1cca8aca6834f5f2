/*
 * What the storage tests share: a simulated block device on memory, the
 * storage mux over it with its watchdog, and a loop that runs the
 * simulation until a condition holds. Include after <cmocka.h> (or from
 * a fuzzer, which needs no cmocka).
 */
#ifndef VMUX_TESTS_UNIT_STORAGE_FIXTURE_H
#define VMUX_TESTS_UNIT_STORAGE_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "boards/test/test_board.h"
#include "capsules/alarm_mux.h"
#include "capsules/storage/storage_mux.h"
#include "chips/sim/sim.h"
#include "chips/sim/sim_alarm.h"
#include "chips/sim/sim_block.h"

#define SF_DEVICE_BLOCKS 256u
#define SF_CLIENTS 8u
#define SF_TIMEOUT_US 50000u

struct storage_fixture {
    struct sim_alarm hw_alarm;
    struct alarm_mux alarms;
    struct virtual_alarm *alarm_heap[4];
    struct virtual_alarm watchdog;
    struct sim_block device;
    struct storage_mux mux;
    struct client_entry *slots[SF_CLIENTS];
    uint32_t rr_bits[RR_WORDS(SF_CLIENTS)];
    uint8_t medium[SF_DEVICE_BLOCKS * HIL_BLOCK_SIZE];
};

/* A fresh kernel (deferred calls, clients, a virtual clock at 0) with
 * the device and the mux; erase: the medium erased (else kept, for a
 * remount after a power cut). */
static inline bool sf_boot(struct storage_fixture *f, bool erase)
{
    test_board_reset(0);
    if (erase)
        memset(f->medium, HIL_BLOCK_ERASED, sizeof f->medium);
    if (sim_alarm_init(&f->hw_alarm, 0) != VMUX_SUCCESS)
        return false;
    alarm_mux_init(&f->alarms, &f->hw_alarm.hil, f->alarm_heap, 4);
    virtual_alarm_init(&f->watchdog, &f->alarms);
    return sim_block_init_memory(&f->device, f->medium, SF_DEVICE_BLOCKS) == VMUX_SUCCESS &&
           storage_mux_init(&f->mux, &f->device.hil, f->slots, f->rr_bits, SF_CLIENTS,
                            &f->watchdog.hil, SF_TIMEOUT_US) == VMUX_SUCCESS;
}

/* Run the simulation until done(ctx) holds, the device loses power, or
 * nothing is left to happen (or a bound of simulated time passes).
 * Returns done(ctx). */
static inline bool sf_run_until(struct storage_fixture *f, bool (*done)(void *ctx), void *ctx)
{
    for (unsigned rounds = 0; rounds < 1000000u; rounds++) {
        sim_settle();
        if (done && done(ctx))
            return true;
        if (sim_block_is_dead(&f->device))
            return false;
        uint64_t next;
        if (!sim_next_event(&next))
            return false;
        sim_advance(next > sim_now_ns() ? next - sim_now_ns() : 0);
    }
    return done ? done(ctx) : false;
}

#endif
