/*
 * Alarm mux: any number of virtual alarms over one hardware alarm.
 *
 * Each struct virtual_alarm is itself a struct hil_alarm, so a client
 * cannot tell it from hardware: same counter, same frequency, same
 * set/disarm contract and wrap-around rules (hil/alarm.h).
 *
 * Deadlines are kept in a binary min-heap whose storage the board
 * provides, so insert, cancel and fire are O(log n). To order deadlines
 * across counter wrap-around, the mux extends the 32-bit counter to 64
 * bits: it reads the counter at least once per armed interval, which is
 * always under 2^31 ticks, so every wrap is seen.
 *
 * Never early: an alarm fires only once its deadline has passed on the
 * hardware counter. Never missed: after each batch the hardware alarm is
 * re-armed for the earliest remaining deadline (at once if it passed
 * meanwhile). Alarms set from a fired() callback wait for the next
 * interrupt, so a client that re-arms with dt = 0 cannot monopolise the
 * loop.
 *
 * Constant cost for the common case, a timeout set and cancelled before
 * it fires (a watchdog, a process's alarm replaced by the next):
 *   - cancel is lazy: the alarm is marked disarmed and stays in the heap
 *     as a tombstone, O(1); it leaves the heap when it reaches the top
 *     (at an interrupt) or when it is set again;
 *   - set on an alarm still in the heap moves it in place (an unchanged
 *     or slightly later deadline at the top stays there: O(1));
 *   - the hardware is reprogrammed only when the earliest deadline moves
 *     earlier than the one it is armed for; one armed for a deadline
 *     that is no longer wanted fires spuriously, and that interrupt
 *     costs O(1) when the top's children are live (it re-arms for the
 *     earlier child and leaves the tombstone to the next real fire).
 * Tombstones hold no client state: an alarm whose memory goes away (a
 * process's, in its grant) must leave with virtual_alarm_release().
 *
 * Wiring, in a board:
 *
 *     static struct virtual_alarm *alarm_heap[16];
 *     static struct alarm_mux alarm_mux;
 *     static struct virtual_alarm console_alarm;
 *     alarm_mux_init(&alarm_mux, &sim_alarm.hil, alarm_heap, 16);
 *     virtual_alarm_init(&console_alarm, &alarm_mux);
 *     hil_alarm_set_client(&console_alarm.hil, &console.alarm_client);
 *     hil_alarm_set(&console_alarm.hil, hil_alarm_now(&console_alarm.hil), 1000);
 *
 * A set() on a full heap returns VMUX_NOMEM.
 */
#ifndef VMUX_CAPSULES_ALARM_MUX_H
#define VMUX_CAPSULES_ALARM_MUX_H

#include <stdbool.h>
#include <stdint.h>

#include "hil/alarm.h"

struct alarm_mux;

struct virtual_alarm {
    struct hil_alarm hil;       /* what the client uses */
    struct alarm_mux *mux;
    uint64_t deadline;          /* extended counter value */
    uint32_t heap_index;        /* position in the heap while in_heap */
    bool armed;                 /* set and neither fired nor cancelled */
    bool in_heap;               /* armed, or a cancelled one still there */
    struct virtual_alarm *next_to_fire;
};

struct alarm_mux_counters {
    uint32_t sets;
    uint32_t fires;
    uint32_t heap_full;
    uint32_t hw_interrupts;
    uint32_t spurious;          /* interrupts that fired nothing */
};

struct alarm_mux {
    struct hil_alarm *hw;
    struct hil_alarm_client hw_client;
    struct virtual_alarm **heap;
    uint32_t capacity;
    uint32_t count;             /* in the heap, tombstones included */
    uint32_t armed;             /* of which armed */
    uint32_t last_now;          /* last hardware counter value read */
    uint64_t extended_now;      /* 64-bit extension of last_now */
    uint64_t hw_deadline;       /* what the hardware is armed for */
    bool hw_armed;
    bool firing;                /* inside a batch of fired() calls */
    struct alarm_mux_counters counters;
};

void alarm_mux_init(struct alarm_mux *mux, struct hil_alarm *hw,
                    struct virtual_alarm **heap_storage, uint32_t capacity);

void virtual_alarm_init(struct virtual_alarm *va, struct alarm_mux *mux);

/* Take va out of the mux for good (disarmed, out of the heap): before
 * its memory is reused. O(log n). */
void virtual_alarm_release(struct virtual_alarm *va);

/* Number of armed virtual alarms. */
static inline uint32_t alarm_mux_armed_count(const struct alarm_mux *mux)
{
    return mux->armed;
}

#endif
