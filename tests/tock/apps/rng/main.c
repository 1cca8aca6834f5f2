/*
 * tock-rng: the RNG driver (0x40001) as a Tock app (libtock-c's rng)
 * uses it: allow a buffer, subscribe, command 1 with a count, wait for
 * the upcall; its second argument is how many bytes came. A request
 * longer than the buffer gets what fits; two fills differ; a count of 0
 * completes at once with nothing; an unknown command is NOSUPPORT. The
 * same program would have reached vmux's crypto key slots before the
 * crypto driver moved to 0x40100.
 */
#include "../../tock.h"

#define RNG 0x40001u

static volatile uint32_t done_count, done_status, done_bytes;

static void rng_done(int status, int bytes, int unused, void *data)
{
    (void)unused, (void)data;
    done_status = (uint32_t)status;
    done_bytes = (uint32_t)bytes;
    done_count++;
}

static uint32_t get(uint8_t *buf, uint32_t size, uint32_t n)
{
    tock_allow_rw(RNG, 0, buf, size);
    uint32_t before = done_count;
    struct tock_ret r = tock_command(RNG, 1, n, 0);
    if (r.r0 != TOCK_SUCCESS)
        return 0xffffffffu;
    while (done_count == before)
        tock_yield();
    tock_allow_rw(RNG, 0, 0, 0);
    return done_bytes;
}

int main(void)
{
    static uint8_t a[48], b[48], small[8];
    struct tock_ret r = tock_subscribe(RNG, 0, rng_done, 0);
    TOCK_EXPECT_EQ("subscribe", r.r0, TOCK_SUCCESS_2U32);
    TOCK_EXPECT_EQ("get_48_bytes", get(a, sizeof a, sizeof a), sizeof a);
    TOCK_EXPECT_EQ("status_zero", done_status, 0);
    TOCK_EXPECT_EQ("get_48_more", get(b, sizeof b, sizeof b), sizeof b);
    unsigned same = 0, zero = 0;
    for (unsigned i = 0; i < sizeof a; i++) {
        same += a[i] == b[i];
        zero += a[i] == 0;
    }
    TOCK_EXPECT("two_fills_differ", same < sizeof a / 2);
    TOCK_EXPECT("not_all_zero", zero < sizeof a / 2);
    TOCK_EXPECT_EQ("longer_request_gets_what_fits", get(small, sizeof small, 100), sizeof small);
    TOCK_EXPECT_EQ("zero_count_completes_with_nothing", get(small, sizeof small, 0), 0);
    TOCK_EXPECT_EQ("unknown_command", tock_command(RNG, 9, 0, 0).r1, TOCK_NOSUPPORT);
    tock_done();
    return 0;
}
