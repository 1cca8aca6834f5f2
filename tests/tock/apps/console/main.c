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
    /* tock_print() uses the console's allow and upcall too: every call
     * under test happens first, the checks print after. */
    struct tock_ret exists = tock_command(TOCK_CONSOLE, 0, 0, 0);
    static const char line[] = "hello from a Tock app\n";
    struct tock_ret first_allow = tock_allow_ro(TOCK_CONSOLE, 1, line, sizeof line - 1);
    struct tock_ret first_sub = tock_subscribe(TOCK_CONSOLE, 1, write_done, (void *)&written);
    struct tock_ret write = tock_command(TOCK_CONSOLE, 1, sizeof line - 1, 0);
    while (written < 0)
        tock_yield();
    struct tock_ret resub = tock_subscribe(TOCK_CONSOLE, 1, 0, 0);
    static const char shortline[] = "short\n";
    struct tock_ret reallow = tock_allow_ro(TOCK_CONSOLE, 1, shortline, sizeof shortline - 1);
    struct tock_ret longwrite = tock_command(TOCK_CONSOLE, 1, 100, 0); /* more than allowed */
    struct tock_ret clamped = tock_yield_wait_for(TOCK_CONSOLE, 1);
    struct tock_ret unknown = tock_command(TOCK_CONSOLE, 99, 0, 0);

    TOCK_EXPECT_EQ("console_exists", exists.r0, TOCK_SUCCESS);
    TOCK_EXPECT_EQ("allow_ro_first_returns_null", first_allow.r1, 0);
    TOCK_EXPECT_EQ("subscribe_first_returns_null", first_sub.r1, 0);
    TOCK_EXPECT_EQ("write_accepted", write.r0, TOCK_SUCCESS);
    TOCK_EXPECT_EQ("write_upcall_counts_bytes", written, sizeof line - 1);
    TOCK_EXPECT_EQ("subscribe_returns_previous", resub.r1, (uint32_t)(uintptr_t)write_done);
    TOCK_EXPECT_EQ("subscribe_returns_previous_data", resub.r2, (uint32_t)(uintptr_t)&written);
    TOCK_EXPECT_EQ("allow_returns_previous_buffer", reallow.r1, (uint32_t)(uintptr_t)line);
    TOCK_EXPECT_EQ("allow_returns_previous_length", reallow.r2, sizeof line - 1);
    TOCK_EXPECT_EQ("long_write_accepted", longwrite.r0, TOCK_SUCCESS);
    TOCK_EXPECT_EQ("write_clamped_to_the_allow", clamped.r0, sizeof shortline - 1);
    TOCK_EXPECT_EQ("unknown_command", unknown.r1, TOCK_NOSUPPORT);
    tock_done();
    return 0;
}
