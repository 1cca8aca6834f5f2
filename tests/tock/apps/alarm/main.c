/*
 * tock-alarm: the alarm driver (0x0) as a Tock app uses it: frequency,
 * the counter moving, a relative alarm that fires no earlier than asked,
 * an absolute alarm in the past that fires at once, cancel (then nothing
 * fires; cancel again is ALREADY).
 */
#include "../../tock.h"

static volatile uint32_t fired_now, fired_count;

static void alarm_fired(int now, int expiration, int unused, void *data)
{
    (void)expiration, (void)unused, (void)data;
    fired_now = (uint32_t)now;
    fired_count++;
}

int main(void)
{
    TOCK_EXPECT_EQ("alarm_exists", tock_command(TOCK_ALARM, 0, 0, 0).r0, TOCK_SUCCESS);
    struct tock_ret r = tock_command(TOCK_ALARM, 1, 0, 0);
    TOCK_EXPECT_EQ("frequency_is_success_u32", r.r0, TOCK_SUCCESS_U32);
    uint32_t hz = r.r1;
    TOCK_EXPECT("frequency_nonzero", hz >= 1000u);
    uint32_t t0 = tock_command(TOCK_ALARM, 2, 0, 0).r1;

    tock_subscribe(TOCK_ALARM, 0, alarm_fired, 0);
    uint32_t dt = hz / 100u; /* 10 ms */
    r = tock_command(TOCK_ALARM, 5, dt, 0);
    TOCK_EXPECT_EQ("set_relative_is_success_u32", r.r0, TOCK_SUCCESS_U32);
    uint32_t deadline = r.r1;
    while (fired_count == 0)
        tock_yield();
    TOCK_EXPECT("relative_alarm_not_early", fired_now - (deadline - dt) >= dt);
    TOCK_EXPECT("counter_moved", tock_command(TOCK_ALARM, 2, 0, 0).r1 - t0 >= dt);

    /* an absolute alarm whose time has passed fires at once */
    uint32_t now = tock_command(TOCK_ALARM, 2, 0, 0).r1;
    r = tock_command(TOCK_ALARM, 6, now - hz, 1);
    TOCK_EXPECT_EQ("set_absolute_returns_reference_plus_dt", r.r1, now - hz + 1);
    while (fired_count == 1)
        tock_yield();
    TOCK_EXPECT_EQ("past_alarm_fired", fired_count, 2);

    /* cancel: nothing fires (a later alarm proves the earlier did not) */
    tock_command(TOCK_ALARM, 5, dt, 0);
    TOCK_EXPECT_EQ("cancel", tock_command(TOCK_ALARM, 3, 0, 0).r0, TOCK_SUCCESS);
    TOCK_EXPECT_EQ("cancel_again_already", tock_command(TOCK_ALARM, 3, 0, 0).r1, TOCK_ALREADY);
    tock_subscribe(TOCK_ALARM, 0, 0, 0);
    tock_command(TOCK_ALARM, 5, 3u * dt, 0);
    tock_yield_wait_for(TOCK_ALARM, 0);
    TOCK_EXPECT_EQ("cancelled_alarm_never_ran", fired_count, 2);
    tock_done();
    return 0;
}
