/* Round-robin helper: order, wrap-around, and the N-1 bound on waiting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernel/rr.h"

static void no_pending_gives_minus_one(void **state)
{
    (void)state;
    uint32_t bits[RR_WORDS(5)];
    struct rr r;
    rr_init(&r, bits, 5);
    assert_int_equal(rr_next(&r), -1);
    assert_false(rr_any_pending(&r));
}

static void first_turn_starts_at_zero_then_moves_on(void **state)
{
    (void)state;
    uint32_t bits[RR_WORDS(4)];
    struct rr r;
    rr_init(&r, bits, 4);
    for (unsigned i = 0; i < 4; i++)
        rr_set_pending(&r, i);
    /* All stay pending: the cursor alone must rotate service. */
    for (int round = 0; round < 3; round++)
        for (int i = 0; i < 4; i++)
            assert_int_equal(rr_next(&r), i);
}

static void not_lowest_index_first(void **state)
{
    (void)state;
    uint32_t bits[RR_WORDS(8)];
    struct rr r;
    rr_init(&r, bits, 8);
    rr_set_pending(&r, 5);
    assert_int_equal(rr_next(&r), 5);
    rr_set_pending(&r, 1);
    rr_set_pending(&r, 6);
    /* After 5, client 6 goes before client 1. */
    assert_int_equal(rr_next(&r), 6);
    assert_int_equal(rr_next(&r), 1);
}

static void spans_several_words(void **state)
{
    (void)state;
    uint32_t bits[RR_WORDS(100)];
    struct rr r;
    rr_init(&r, bits, 100);
    rr_set_pending(&r, 3);
    rr_set_pending(&r, 40);
    rr_set_pending(&r, 99);
    assert_int_equal(rr_next(&r), 3);
    assert_int_equal(rr_next(&r), 40);
    assert_int_equal(rr_next(&r), 99);
    assert_int_equal(rr_next(&r), 3);
    rr_clear_pending(&r, 40);
    assert_int_equal(rr_next(&r), 99);
    assert_false(rr_is_pending(&r, 40));
    rr_set_pending(&r, 1000); /* out of range: ignored */
    assert_false(rr_is_pending(&r, 1000));
}

/* Property: with every client pending all the time, or coming and going
 * at random, a pending client is served within n-1 other services. */
static void waits_at_most_n_minus_one_turns(void **state)
{
    (void)state;
    enum { N = 37 };
    uint32_t bits[RR_WORDS(N)];
    struct rr r;
    rr_init(&r, bits, N);
    unsigned waited[N] = {0};
    uint32_t seed = 12345;
    unsigned worst = 0;
    for (int step = 0; step < 20000; step++) {
        seed = seed * 1103515245u + 12345u;
        unsigned c = (seed >> 8) % N;
        if (!rr_is_pending(&r, c)) {
            rr_set_pending(&r, c);
            waited[c] = 0;
        }
        int s = rr_next(&r);
        assert_true(s >= 0);
        for (unsigned i = 0; i < N; i++)
            if (rr_is_pending(&r, i) && (int)i != s) {
                waited[i]++;
                if (waited[i] > worst)
                    worst = waited[i];
                assert_true(waited[i] <= N - 1);
            }
        waited[s] = 0;
        if ((seed >> 20) & 1)
            rr_clear_pending(&r, (unsigned)s);
    }
    assert_true(worst > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(no_pending_gives_minus_one),
        cmocka_unit_test(first_turn_starts_at_zero_then_moves_on),
        cmocka_unit_test(not_lowest_index_first),
        cmocka_unit_test(spans_several_words),
        cmocka_unit_test(waits_at_most_n_minus_one_turns),
    };
    return cmocka_run_group_tests_name("rr", tests, NULL, NULL);
}
