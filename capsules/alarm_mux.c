#include "capsules/alarm_mux.h"

#include <stddef.h>

/* ------------------------------------------------------------ time */

/* The hardware is never armed further than this ahead: while the heap is
 * not empty, the counter is read at least every HW_REACH ticks (plus the
 * interrupt's latency), so last_now is never more than about 2^30 old,
 * and a reference within the last 2^31 ticks (hil/alarm.h) is within
 * 2^31 of it either way: virtual_set() extends it without reading the
 * counter. */
#define HW_REACH 0x40000000u

/* Read the hardware counter and extend it to 64 bits. Correct as long as
 * reads are less than 2^32 ticks apart while alarms are in the heap; they
 * are at most ALARM_DT_MAX apart because the hardware alarm is then
 * always armed within that distance. */
static uint64_t extended_now(struct alarm_mux *mux)
{
    uint32_t now = hil_alarm_now(mux->hw);
    mux->extended_now += (uint32_t)(now - mux->last_now);
    mux->last_now = now;
    return mux->extended_now;
}

/* ------------------------------------------------------------ heap */

static void heap_place(struct alarm_mux *mux, uint32_t i, struct virtual_alarm *va)
{
    mux->heap[i] = va;
    va->heap_index = i;
}

static void sift_up(struct alarm_mux *mux, uint32_t i)
{
    struct virtual_alarm *va = mux->heap[i];
    uint64_t d = va->deadline;
    while (i > 0) {
        uint32_t parent = (i - 1) / 2;
        struct virtual_alarm *p = mux->heap[parent];
        if (d >= p->deadline)
            break;
        heap_place(mux, i, p);
        i = parent;
    }
    heap_place(mux, i, va);
}

static void sift_down(struct alarm_mux *mux, uint32_t i)
{
    struct virtual_alarm *va = mux->heap[i];
    uint64_t d = va->deadline;
    for (;;) {
        uint32_t child = 2 * i + 1;
        if (child >= mux->count)
            break;
        struct virtual_alarm *c = mux->heap[child];
        if (child + 1 < mux->count && mux->heap[child + 1]->deadline < c->deadline)
            c = mux->heap[++child];
        if (c->deadline >= d)
            break;
        heap_place(mux, i, c);
        i = child;
    }
    heap_place(mux, i, va);
}

/* Move va to where its (changed) deadline belongs. */
static void heap_fix(struct alarm_mux *mux, struct virtual_alarm *va, uint64_t old_deadline)
{
    if (va->deadline < old_deadline)
        sift_up(mux, va->heap_index);
    else
        sift_down(mux, va->heap_index);
}

static void heap_remove(struct alarm_mux *mux, struct virtual_alarm *va)
{
    uint32_t i = va->heap_index;
    struct virtual_alarm *last = mux->heap[--mux->count];
    va->in_heap = false;
    if (i == mux->count)
        return;
    uint64_t old = va->deadline;
    heap_place(mux, i, last);
    heap_fix(mux, last, old);
}

static void heap_insert(struct alarm_mux *mux, struct virtual_alarm *va)
{
    heap_place(mux, mux->count++, va);
    va->in_heap = true;
    sift_up(mux, va->heap_index);
}

/* Take every tombstone out (a set found the heap full). */
static void purge_cancelled(struct alarm_mux *mux)
{
    for (uint32_t i = mux->count; i-- > 0;)
        if (i < mux->count && !mux->heap[i]->armed)
            heap_remove(mux, mux->heap[i]);
}

/* ------------------------------------------------------------ hardware */

/* Arm the hardware compare for deadline (clamped to ALARM_DT_MAX). */
static void arm_hardware(struct alarm_mux *mux, uint64_t deadline)
{
    uint64_t now = extended_now(mux);
    uint64_t dt = deadline > now ? deadline - now : 0;
    if (dt > HW_REACH)
        dt = HW_REACH;
    mux->hw_deadline = now + dt;
    mux->hw_armed = true;
    hil_alarm_set(mux->hw, mux->last_now, (uint32_t)dt);
}

/* After a set: the hardware must be armed no later than the earliest
 * deadline; armed earlier (for a tombstone) is fine, it fires spuriously. */
static void hardware_before(struct alarm_mux *mux, uint64_t deadline)
{
    if (!mux->firing && (!mux->hw_armed || deadline < mux->hw_deadline))
        arm_hardware(mux, deadline);
}

static void hw_fired(struct hil_alarm_client *self)
{
    struct alarm_mux *mux = container_of(self, struct alarm_mux, hw_client);
    mux->counters.hw_interrupts++;
    mux->hw_armed = false;
    uint64_t now = extended_now(mux);

    /* Take every expired alarm out first, then call the clients: an alarm
     * set from a callback waits for the next interrupt. Expired
     * tombstones leave too, but a tombstone on top whose children are
     * not due is left there: re-arming for its earlier child costs O(1)
     * (the next real fire takes it out). */
    struct virtual_alarm *to_fire = NULL, **tail = &to_fire;
    while (mux->count > 0) {
        struct virtual_alarm *top = mux->heap[0];
        if (top->deadline > now)
            break;
        if (!top->armed) {
            if (to_fire == NULL && mux->count > 1) {
                struct virtual_alarm *c = mux->heap[1];
                if (mux->count > 2 && mux->heap[2]->deadline < c->deadline)
                    c = mux->heap[2];
                if (c->armed && c->deadline > now) {
                    mux->counters.spurious++;
                    arm_hardware(mux, c->deadline);
                    return;
                }
            }
            heap_remove(mux, top);
            continue;
        }
        heap_remove(mux, top);
        top->armed = false;
        mux->armed--;
        top->next_to_fire = NULL;
        *tail = top;
        tail = &top->next_to_fire;
    }
    if (to_fire == NULL)
        mux->counters.spurious++;
    mux->firing = true;
    while (to_fire) {
        struct virtual_alarm *va = to_fire;
        to_fire = va->next_to_fire;
        mux->counters.fires++;
        if (va->hil.client)
            va->hil.client->fired(va->hil.client);
    }
    mux->firing = false;
    if (mux->count > 0)
        arm_hardware(mux, mux->heap[0]->deadline);
}

/* ------------------------------------------------------------ virtual HIL */

static uint32_t virtual_now(struct hil_alarm *a)
{
    struct virtual_alarm *va = container_of(a, struct virtual_alarm, hil);
    return hil_alarm_now(va->mux->hw);
}

static uint32_t virtual_frequency(struct hil_alarm *a)
{
    struct virtual_alarm *va = container_of(a, struct virtual_alarm, hil);
    return hil_alarm_frequency_hz(va->mux->hw);
}

/* Would the entry at i keep its place with deadline d: no child earlier,
 * no parent later? (The common re-set of a timeout: O(1).) */
static inline bool keeps_place(const struct alarm_mux *mux, uint32_t i, uint64_t d)
{
    uint32_t c = 2 * i + 1;
    if (c < mux->count && mux->heap[c]->deadline < d)
        return false;
    if (c + 1 < mux->count && mux->heap[c + 1]->deadline < d)
        return false;
    return i == 0 || mux->heap[(i - 1) / 2]->deadline <= d;
}

/* va is armed for deadline, in its place in the heap. */
static inline vmux_err_t now_armed(struct alarm_mux *mux, struct virtual_alarm *va,
                                   uint64_t deadline)
{
    if (!va->armed) {
        va->armed = true;
        mux->armed++;
    }
    mux->counters.sets++;
    hardware_before(mux, deadline);
    return VMUX_SUCCESS;
}

/* A set that moves va in the heap or puts it there (off the fast path:
 * virtual_set() tail-calls it, so the common case saves no registers). */
static __attribute__((noinline)) vmux_err_t set_moving(struct alarm_mux *mux,
                                                        struct virtual_alarm *va,
                                                        uint64_t deadline)
{
    if (va->in_heap) {
        uint64_t old = va->deadline;
        va->deadline = deadline;
        heap_fix(mux, va, old);
        return now_armed(mux, va, deadline);
    }
    if (mux->count >= mux->capacity)
        purge_cancelled(mux);
    if (mux->count >= mux->capacity) {
        mux->counters.heap_full++;
        return VMUX_NOMEM;
    }
    va->deadline = deadline;
    heap_insert(mux, va);
    return now_armed(mux, va, deadline);
}

/* A set into an empty heap: last_now may be old, read the counter. */
static __attribute__((noinline)) vmux_err_t set_first(struct alarm_mux *mux,
                                                       struct virtual_alarm *va,
                                                       uint32_t reference, uint32_t dt)
{
    uint64_t deadline = extended_now(mux) - (uint32_t)(mux->last_now - reference) + dt;
    return set_moving(mux, va, deadline);
}

/* The hardware must go off earlier: off the fast path, as above. */
static __attribute__((noinline)) vmux_err_t set_rearming(struct alarm_mux *mux, uint64_t deadline)
{
    arm_hardware(mux, deadline);
    return VMUX_SUCCESS;
}

static vmux_err_t virtual_set(struct hil_alarm *a, uint32_t reference, uint32_t dt)
{
    struct virtual_alarm *va = container_of(a, struct virtual_alarm, hil);
    struct alarm_mux *mux = va->mux;
    if (dt > ALARM_DT_MAX)
        return VMUX_INVALID;
    /* reference lies at most 2^31 ticks in the past (hil/alarm.h). With
     * alarms in the heap last_now is recent enough (HW_REACH); otherwise
     * read the counter. */
    if (mux->count == 0)
        return set_first(mux, va, reference, dt);
    uint64_t deadline =
        mux->extended_now + (uint64_t)(int64_t)(int32_t)(reference - mux->last_now) + dt;
    if (!va->in_heap || !keeps_place(mux, va->heap_index, deadline))
        return set_moving(mux, va, deadline);
    va->deadline = deadline;
    if (!va->armed) {
        va->armed = true;
        mux->armed++;
    }
    mux->counters.sets++;
    if (!mux->firing && (!mux->hw_armed || deadline < mux->hw_deadline))
        return set_rearming(mux, deadline);
    return VMUX_SUCCESS;
}

static vmux_err_t virtual_disarm(struct hil_alarm *a)
{
    struct virtual_alarm *va = container_of(a, struct virtual_alarm, hil);
    if (!va->armed)
        return VMUX_ALREADY;
    va->armed = false; /* a tombstone: see alarm_mux.h */
    va->mux->armed--;
    return VMUX_SUCCESS;
}

static bool virtual_is_armed(struct hil_alarm *a)
{
    return container_of(a, struct virtual_alarm, hil)->armed;
}

static const struct hil_alarm_ops virtual_alarm_ops = {
    .now = virtual_now,
    .frequency_hz = virtual_frequency,
    .set = virtual_set,
    .disarm = virtual_disarm,
    .is_armed = virtual_is_armed,
};

void virtual_alarm_release(struct virtual_alarm *va)
{
    if (va->armed) {
        va->armed = false;
        va->mux->armed--;
    }
    if (va->in_heap)
        heap_remove(va->mux, va);
}

void alarm_mux_init(struct alarm_mux *mux, struct hil_alarm *hw,
                    struct virtual_alarm **heap_storage, uint32_t capacity)
{
    mux->hw = hw;
    mux->hw_client.fired = hw_fired;
    mux->heap = heap_storage;
    mux->capacity = capacity;
    mux->count = 0;
    mux->armed = 0;
    mux->firing = false;
    mux->hw_armed = false;
    mux->hw_deadline = 0;
    mux->last_now = hil_alarm_now(hw);
    mux->extended_now = mux->last_now;
    mux->counters = (struct alarm_mux_counters){0};
    hil_alarm_set_client(hw, &mux->hw_client);
}

void virtual_alarm_init(struct virtual_alarm *va, struct alarm_mux *mux)
{
    va->hil.ops = &virtual_alarm_ops;
    va->hil.client = NULL;
    va->mux = mux;
    va->armed = false;
    va->in_heap = false;
    va->deadline = 0;
    va->heap_index = 0;
    va->next_to_fire = NULL;
}
