#include "capsules/alarm_mux.h"

#include <stddef.h>

/* ------------------------------------------------------------ time */

/* Read the hardware counter and extend it to 64 bits. Correct as long as
 * reads are less than 2^32 ticks apart while alarms are armed; they are
 * at most ALARM_DT_MAX apart because the hardware alarm is always armed
 * within that distance. */
static uint64_t extended_now(struct alarm_mux *mux)
{
    uint32_t now = hil_alarm_now(mux->hw);
    mux->extended_now += (uint32_t)(now - mux->last_now);
    mux->last_now = now;
    return mux->extended_now;
}

/* ------------------------------------------------------------ heap */

static bool earlier(const struct virtual_alarm *a, const struct virtual_alarm *b)
{
    return a->deadline < b->deadline;
}

static void heap_place(struct alarm_mux *mux, uint32_t i, struct virtual_alarm *va)
{
    mux->heap[i] = va;
    va->heap_index = i;
}

static void sift_up(struct alarm_mux *mux, uint32_t i)
{
    struct virtual_alarm *va = mux->heap[i];
    while (i > 0) {
        uint32_t parent = (i - 1) / 2;
        if (!earlier(va, mux->heap[parent]))
            break;
        heap_place(mux, i, mux->heap[parent]);
        i = parent;
    }
    heap_place(mux, i, va);
}

static void sift_down(struct alarm_mux *mux, uint32_t i)
{
    struct virtual_alarm *va = mux->heap[i];
    for (;;) {
        uint32_t child = 2 * i + 1;
        if (child >= mux->count)
            break;
        if (child + 1 < mux->count && earlier(mux->heap[child + 1], mux->heap[child]))
            child++;
        if (!earlier(mux->heap[child], va))
            break;
        heap_place(mux, i, mux->heap[child]);
        i = child;
    }
    heap_place(mux, i, va);
}

static void heap_remove(struct alarm_mux *mux, struct virtual_alarm *va)
{
    uint32_t i = va->heap_index;
    struct virtual_alarm *last = mux->heap[--mux->count];
    va->armed = false;
    if (i == mux->count)
        return;
    heap_place(mux, i, last);
    sift_up(mux, i);
    sift_down(mux, last->heap_index);
}

static void heap_insert(struct alarm_mux *mux, struct virtual_alarm *va)
{
    heap_place(mux, mux->count++, va);
    va->armed = true;
    sift_up(mux, va->heap_index);
}

/* ------------------------------------------------------------ hardware */

/* Arm the hardware compare for the earliest deadline, or disarm it. */
static void rearm_hardware(struct alarm_mux *mux)
{
    if (mux->firing)
        return; /* the batch in progress re-arms when it ends */
    if (mux->count == 0) {
        if (hil_alarm_is_armed(mux->hw))
            hil_alarm_disarm(mux->hw);
        return;
    }
    uint64_t now = extended_now(mux);
    uint64_t deadline = mux->heap[0]->deadline;
    uint64_t dt = deadline > now ? deadline - now : 0;
    if (dt > ALARM_DT_MAX)
        dt = ALARM_DT_MAX;
    hil_alarm_set(mux->hw, mux->last_now, (uint32_t)dt);
}

static void hw_fired(struct hil_alarm_client *self)
{
    struct alarm_mux *mux = container_of(self, struct alarm_mux, hw_client);
    mux->counters.hw_interrupts++;
    uint64_t now = extended_now(mux);

    /* Take every expired alarm out first, then call the clients: an alarm
     * set from a callback waits for the next interrupt. */
    struct virtual_alarm *to_fire = NULL, **tail = &to_fire;
    while (mux->count > 0 && mux->heap[0]->deadline <= now) {
        struct virtual_alarm *va = mux->heap[0];
        heap_remove(mux, va);
        va->next_to_fire = NULL;
        *tail = va;
        tail = &va->next_to_fire;
    }
    mux->firing = true;
    while (to_fire) {
        struct virtual_alarm *va = to_fire;
        to_fire = va->next_to_fire;
        mux->counters.fires++;
        if (va->hil.client)
            va->hil.client->fired(va->hil.client);
    }
    mux->firing = false;
    rearm_hardware(mux);
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

static vmux_err_t virtual_set(struct hil_alarm *a, uint32_t reference, uint32_t dt)
{
    struct virtual_alarm *va = container_of(a, struct virtual_alarm, hil);
    struct alarm_mux *mux = va->mux;
    if (dt > ALARM_DT_MAX)
        return VMUX_INVALID;
    uint64_t now = extended_now(mux);
    /* reference lies at most 2^31 ticks in the past (hil/alarm.h). */
    uint64_t reference64 = now - (uint32_t)(mux->last_now - reference);
    if (va->armed)
        heap_remove(mux, va);
    else if (mux->count >= mux->capacity) {
        mux->counters.heap_full++;
        return VMUX_NOMEM;
    }
    va->deadline = reference64 + dt;
    heap_insert(mux, va);
    mux->counters.sets++;
    rearm_hardware(mux);
    return VMUX_SUCCESS;
}

static vmux_err_t virtual_disarm(struct hil_alarm *a)
{
    struct virtual_alarm *va = container_of(a, struct virtual_alarm, hil);
    if (!va->armed)
        return VMUX_ALREADY;
    heap_remove(va->mux, va);
    rearm_hardware(va->mux);
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

void alarm_mux_init(struct alarm_mux *mux, struct hil_alarm *hw,
                    struct virtual_alarm **heap_storage, uint32_t capacity)
{
    mux->hw = hw;
    mux->hw_client.fired = hw_fired;
    mux->heap = heap_storage;
    mux->capacity = capacity;
    mux->count = 0;
    mux->firing = false;
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
    va->deadline = 0;
    va->heap_index = 0;
    va->next_to_fire = NULL;
}
