/*
 * tock-console: the console driver (0x1) as a Tock app uses it: command 0,
 * a write with an upcall (subscribe 1, yield until it runs), a write
 * waited for with yield-wait-for and nothing subscribed, a write of a
 * length longer than the allow (what was allowed goes out), the previous
 * allow coming back from allow.
 */
#include "../../tock.h"

static volatile int written = -1;

static void write_done(int bytes, int unused1, int unused2, void *data)
{
    (void)unused1, (void)unused2;
    if (data == (void *)&written)
        written = bytes;
}

int main(void)
{
    TOCK_EXPECT_EQ("console_exists", tock_command(TOCK_CONSOLE, 0, 0, 0).r0, TOCK_SUCCESS);
    static const char line[] = "hello from a Tock app\n";
    struct tock_ret r = tock_allow_ro(TOCK_CONSOLE, 1, line, sizeof line - 1);
    TOCK_EXPECT_EQ("allow_ro_first_returns_null", r.r1, 0);
    r = tock_subscribe(TOCK_CONSOLE, 1, write_done, (void *)&written);
    TOCK_EXPECT_EQ("subscribe_first_returns_null", r.r1, 0);
    r = tock_command(TOCK_CONSOLE, 1, sizeof line - 1, 0);
    TOCK_EXPECT_EQ("write_accepted", r.r0, TOCK_SUCCESS);
    while (written < 0)
        tock_yield();
    TOCK_EXPECT_EQ("write_upcall_counts_bytes", written, sizeof line - 1);
    r = tock_subscribe(TOCK_CONSOLE, 1, 0, 0);
    TOCK_EXPECT_EQ("subscribe_returns_previous", r.r1, (uint32_t)(uintptr_t)write_done);
    TOCK_EXPECT_EQ("subscribe_returns_previous_data", r.r2, (uint32_t)(uintptr_t)&written);

    static const char shortline[] = "short\n";
    r = tock_allow_ro(TOCK_CONSOLE, 1, shortline, sizeof shortline - 1);
    TOCK_EXPECT_EQ("allow_returns_previous_buffer", r.r1, (uint32_t)(uintptr_t)line);
    TOCK_EXPECT_EQ("allow_returns_previous_length", r.r2, sizeof line - 1);
    r = tock_command(TOCK_CONSOLE, 1, 100, 0); /* more than allowed */
    TOCK_EXPECT_EQ("long_write_accepted", r.r0, TOCK_SUCCESS);
    r = tock_yield_wait_for(TOCK_CONSOLE, 1);
    TOCK_EXPECT_EQ("write_clamped_to_the_allow", r.r0, sizeof shortline - 1);
    TOCK_EXPECT_EQ("unknown_command", tock_command(TOCK_CONSOLE, 99, 0, 0).r1,
                   TOCK_NOSUPPORT);
    tock_done();
    return 0;
}
