/* Kernel core: error codes, client identity, departure observers,
 * deferred calls, capabilities, wipe. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "boards/test/test_board.h"
#include "kernel/capability.h"
#include "kernel/client.h"
#include "kernel/client_table.h"
#include "kernel/deferred.h"
#include "kernel/errors.h"
#include "kernel/ring.h"
#include "kernel/wipe.h"

static int setup(void **state)
{
    (void)state;
    test_board_reset(0);
    return 0;
}

/* ------------------------------------------------------------ errors */

static void error_codes_have_trd104_numbers(void **state)
{
    (void)state;
    assert_int_equal(VMUX_SUCCESS, 0);
    assert_int_equal(VMUX_FAIL, 1);
    assert_int_equal(VMUX_BUSY, 2);
    assert_int_equal(VMUX_ALREADY, 3);
    assert_int_equal(VMUX_OFF, 4);
    assert_int_equal(VMUX_RESERVE, 5);
    assert_int_equal(VMUX_INVALID, 6);
    assert_int_equal(VMUX_SIZE, 7);
    assert_int_equal(VMUX_CANCEL, 8);
    assert_int_equal(VMUX_NOMEM, 9);
    assert_int_equal(VMUX_NOSUPPORT, 10);
    assert_int_equal(VMUX_NODEVICE, 11);
    assert_int_equal(VMUX_UNINSTALLED, 12);
    assert_int_equal(VMUX_NOACK, 13);
    assert_string_equal(vmux_err_name(VMUX_BUSY), "BUSY");
    assert_string_equal(vmux_err_name(VMUX_NOACK), "NOACK");
    assert_string_equal(vmux_err_name(14), "?");
    assert_string_equal(vmux_err_name(-1), "?");
    /* every code has its own name (the packed list is in code order) */
    static const char *const names[VMUX_ERR_COUNT] = {
        "SUCCESS", "FAIL", "BUSY", "ALREADY", "OFF", "RESERVE", "INVALID",
        "SIZE", "CANCEL", "NOMEM", "NOSUPPORT", "NODEVICE", "UNINSTALLED", "NOACK",
    };
    for (int e = 0; e < VMUX_ERR_COUNT; e++)
        assert_string_equal(vmux_err_name(e), names[e]);
    assert_string_equal(vmux_string_at("a\0\0bc", 0), "a");
    assert_string_equal(vmux_string_at("a\0\0bc", 1), "");
    assert_string_equal(vmux_string_at("a\0\0bc", 2), "bc");
}

/* ------------------------------------------------------------ clients */

static void restarted_process_is_a_different_client(void **state)
{
    (void)state;
    client_id_t first = client_process(3, 1);
    client_id_t again = client_process(3, 1);
    client_id_t restarted = client_process(3, 2);
    assert_true(client_same(first, again));
    assert_false(client_same(first, restarted));
    assert_true(client_is_process(first));
    assert_int_equal(client_index(restarted), 3);
    assert_int_equal(client_generation(restarted), 2);
}

static void kernel_clients_are_named_and_distinct(void **state)
{
    (void)state;
    client_id_t a = client_register_kernel("console");
    client_id_t b = client_register_kernel("udp-echo");
    assert_true(client_is_kernel(a));
    assert_false(client_same(a, b));
    assert_false(client_same(a, client_process(client_index(a), 0)));
    assert_string_equal(client_name(a), "console");
    assert_string_equal(client_name(b), "udp-echo");
    assert_string_equal(client_name(client_none()), "none");
    assert_string_equal(client_name(client_process(0, 1)), "process?");
}

static void kernel_client_table_is_bounded(void **state)
{
    (void)state;
    for (unsigned i = 0; i < CLIENT_KERNEL_MAX; i++)
        assert_true(client_is_kernel(client_register_kernel("k")));
    assert_true(client_is_none(client_register_kernel("one too many")));
}

static const char *name_of_process(client_id_t c)
{
    return client_index(c) == 2 ? "sensor" : NULL;
}

static void process_names_come_from_the_namer(void **state)
{
    (void)state;
    client_set_process_namer(name_of_process);
    assert_string_equal(client_name(client_process(2, 7)), "sensor");
    assert_string_equal(client_name(client_process(1, 7)), "process?");
}

struct recorder {
    struct client_observer obs;
    client_id_t seen[4];
    unsigned count;
};

static void record_departure(struct client_observer *self, client_id_t gone)
{
    struct recorder *r = (struct recorder *)self;
    r->seen[r->count++] = gone;
}

static void observers_learn_of_departures(void **state)
{
    (void)state;
    struct recorder a = { .obs = { .client_gone = record_departure } };
    struct recorder b = { .obs = { .client_gone = record_departure } };
    client_observe(&a.obs);
    client_observe(&b.obs);
    client_observe(&a.obs); /* registering twice is harmless */
    client_departed(client_process(4, 9));
    assert_int_equal(a.count, 1);
    assert_int_equal(b.count, 1);
    assert_true(client_same(a.seen[0], client_process(4, 9)));
}

/* ------------------------------------------------------------ deferred */

static unsigned order[16];
static unsigned order_len;
static struct deferred_call calls[4];

static void note_call(struct deferred_call *dc)
{
    order[order_len++] = (unsigned)(dc - calls);
}

static void reraise_self(struct deferred_call *dc)
{
    note_call(dc);
    deferred_call_raise(dc);
}

static void deferred_calls_run_later_once_each(void **state)
{
    (void)state;
    order_len = 0;
    for (int i = 0; i < 3; i++)
        assert_int_equal(deferred_call_register(&calls[i], note_call), VMUX_SUCCESS);
    deferred_call_raise(&calls[1]);
    deferred_call_raise(&calls[1]);
    assert_int_equal(order_len, 0); /* nothing runs from the raise */
    assert_true(deferred_call_pending());
    assert_int_equal(kernel_loop_once(), 1);
    assert_int_equal(order_len, 1);
    assert_int_equal(order[0], 1);
    assert_false(deferred_call_pending());
    assert_int_equal(kernel_loop_once(), 0);
}

static void deferred_calls_are_served_round_robin(void **state)
{
    (void)state;
    order_len = 0;
    assert_int_equal(deferred_call_register(&calls[0], reraise_self), VMUX_SUCCESS);
    assert_int_equal(deferred_call_register(&calls[1], note_call), VMUX_SUCCESS);
    assert_int_equal(deferred_call_register(&calls[2], note_call), VMUX_SUCCESS);
    deferred_call_raise(&calls[0]);
    /* A call that re-raises itself runs once per loop, and cannot starve
     * the others raised after it. */
    assert_int_equal(kernel_loop_once(), 1);
    deferred_call_raise(&calls[2]);
    deferred_call_raise(&calls[1]);
    assert_int_equal(kernel_loop_once(), 3);
    /* Served in ring order after call 0, which ran last: 1, 2, then 0. */
    assert_int_equal(order_len, 4);
    assert_int_equal(order[1], 1);
    assert_int_equal(order[2], 2);
    assert_int_equal(order[3], 0);
}

static void deferred_registration_is_bounded(void **state)
{
    (void)state;
    static struct deferred_call many[DEFERRED_CALL_MAX + 1];
    for (unsigned i = 0; i < DEFERRED_CALL_MAX; i++)
        assert_int_equal(deferred_call_register(&many[i], note_call), VMUX_SUCCESS);
    assert_int_equal(deferred_call_register(&many[DEFERRED_CALL_MAX], note_call), VMUX_NOMEM);
    assert_int_equal(deferred_call_register(NULL, note_call), VMUX_INVALID);
    /* Raising an unregistered call is ignored, not a crash. */
    deferred_call_raise(&many[DEFERRED_CALL_MAX]);
    assert_false(deferred_call_pending());
}

/* ------------------------------------------------------------ capabilities */

static void minted_capabilities_are_valid_and_forgeries_are_not(void **state)
{
    (void)state;
    assert_true(capability_valid(test_board_cap_adc_continuous()));
    assert_true(capability_valid(test_board_cap_udp_reserved_port()));
    assert_true(capability_valid(test_board_cap_process_management()));
    assert_true(capability_valid(test_board_cap_client_management()));
    assert_true(capability_valid(test_board_cap_raw_hardware()));
    assert_true(capability_valid(test_board_cap_storage_window()));
    assert_true(capability_valid(test_board_cap_storage_kernel()));
    assert_true(capability_valid(test_board_cap_bus_device()));
    assert_false(capability_valid(NULL));
    uint32_t zeroes[4] = {0};
    assert_false(capability_valid(zeroes));
}

/* ------------------------------------------------------------ wipe */

/* A secret copied onto the stack, then wiped: the bytes must be zero in
 * memory afterwards, even though the buffer is never read again by its
 * owner (a dead store the compiler could drop for memset). */
static volatile uint8_t *last_wiped;

static void __attribute__((noinline)) use_and_wipe(uint8_t *out_copy)
{
    uint8_t secret[32];
    for (unsigned i = 0; i < sizeof secret; i++)
        secret[i] = (uint8_t)(0xa5 ^ i);
    memcpy(out_copy, secret, sizeof secret);
    wipe(secret, sizeof secret);
    last_wiped = secret;
}

static void wipe_zeroes_memory(void **state)
{
    (void)state;
    uint8_t buf[64];
    memset(buf, 0xee, sizeof buf);
    wipe(buf + 8, 16);
    for (unsigned i = 0; i < sizeof buf; i++)
        assert_int_equal(buf[i], (i >= 8 && i < 24) ? 0 : 0xee);
    wipe(NULL, 10);     /* harmless */
    wipe(buf, 0);
    assert_int_equal(buf[0], 0xee);
}

static void wipe_is_not_optimised_away(void **state)
{
    (void)state;
    uint8_t copy[32];
    use_and_wipe(copy);
    assert_int_equal(copy[1], 0xa4);
    /* The object file of wipe() must contain the stores: check that the
     * function, called through a volatile pointer, really writes. */
    void (*volatile fn)(void *, size_t) = wipe;
    uint8_t probe[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    fn(probe, sizeof probe);
    for (unsigned i = 0; i < sizeof probe; i++)
        assert_int_equal(probe[i], 0);
}

/* ------------------------------------------------------------ client table */

static void client_table_gives_slots_and_finds_departed_clients(void **state)
{
    (void)state;
    struct client_entry *storage[3];
    struct client_table t;
    client_table_init(&t, storage, 3);
    struct client_entry a = {0}, b = {0}, c = {0}, d = {0};
    client_id_t p1 = client_process(1, 1), p2 = client_process(2, 1);
    assert_int_equal(client_table_add(&t, &a, p1), VMUX_SUCCESS);
    assert_int_equal(client_table_add(&t, &b, p2), VMUX_SUCCESS);
    assert_int_equal(client_table_add(&t, &c, p1), VMUX_SUCCESS); /* one client, two entries */
    assert_int_equal(client_table_add(&t, &d, p2), VMUX_NOMEM);
    assert_int_equal(client_table_add(&t, &a, p1), VMUX_ALREADY);
    assert_int_equal(client_table_add(&t, NULL, p1), VMUX_INVALID);
    assert_int_equal(b.index, 1);
    unsigned at = 0, found = 0;
    struct client_entry *e;
    while ((e = client_table_next_of(&t, p1, &at)) != NULL) {
        assert_true(client_same(e->id, p1));
        client_table_remove(&t, e); /* safe while iterating */
        found++;
    }
    assert_int_equal(found, 2);
    assert_false(a.attached);
    assert_ptr_equal(client_table_at(&t, 1), &b);
    assert_null(client_table_at(&t, 0));
    assert_null(client_table_at(&t, 7));
    assert_int_equal(client_table_add(&t, &d, p2), VMUX_SUCCESS); /* freed slot reused */
    assert_int_equal(d.index, 0);
    /* a restarted process (new generation) matches none of the old entries */
    at = 0;
    assert_null(client_table_next_of(&t, client_process(2, 2), &at));
}

/* ------------------------------------------------------------ ring */

static void ring_is_a_bounded_fifo_that_wipes_what_it_hands_out(void **state)
{
    (void)state;
    uint8_t storage[8];
    struct ring r;
    ring_init(&r, storage, sizeof storage);
    assert_int_equal(ring_push(&r, (const uint8_t *)"abcdef", 6), 6);
    assert_int_equal(ring_push(&r, (const uint8_t *)"ghijk", 5), 2); /* only 2 fit */
    assert_int_equal(ring_space(&r), 0);
    uint8_t out[16];
    assert_int_equal(ring_pop(&r, out, 3), 3);
    assert_memory_equal(out, "abc", 3);
    assert_int_equal(storage[0], 0); /* wiped in place */
    assert_int_equal(ring_push(&r, (const uint8_t *)"xyz", 3), 3); /* wraps */
    size_t n;
    const uint8_t *front = ring_front(&r, &n);
    assert_int_equal(n, 5); /* "defgh" up to the end of storage */
    assert_memory_equal(front, "defgh", 5);
    ring_drop(&r, 5);
    assert_int_equal(ring_pop(&r, out, sizeof out), 3);
    assert_memory_equal(out, "xyz", 3);
    assert_int_equal(ring_count(&r), 0);
    ring_push(&r, (const uint8_t *)"secret", 6);
    ring_clear(&r);
    for (unsigned i = 0; i < sizeof storage; i++)
        assert_int_equal(storage[i], 0);
    ring_drop(&r, 100); /* more than held: harmless */
    assert_int_equal(ring_count(&r), 0);
}

/* The ring against a model, at random: every byte comes out in order,
 * and every byte taken out is wiped in the storage. */
static void ring_random_pushes_and_pops_match_a_model(void **state)
{
    (void)state;
    uint8_t storage[37], model[64], in[64], out[64];
    struct ring r;
    ring_init(&r, storage, sizeof storage);
    memset(storage, 0, sizeof storage);
    size_t model_len = 0;
    uint32_t seed = 99;
    uint8_t next = 1;
    for (int step = 0; step < 20000; step++) {
        seed = seed * 1103515245u + 12345u;
        size_t n = (seed >> 16) % 50u;
        if ((seed >> 8) & 1u) {
            for (size_t i = 0; i < n; i++)
                in[i] = next == 0 ? ++next : next++;
            size_t fit = sizeof storage - model_len < n ? sizeof storage - model_len : n;
            assert_int_equal(ring_push(&r, in, n), fit);
            memcpy(model + model_len, in, fit);
            model_len += fit;
        } else {
            size_t want = n < model_len ? n : model_len;
            assert_int_equal(ring_pop(&r, out, n), want);
            assert_memory_equal(out, model, want);
            memmove(model, model + want, model_len - want);
            model_len -= want;
        }
        assert_int_equal(ring_count(&r), model_len);
        /* what the ring does not hold is zero in its storage */
        size_t held = 0;
        for (size_t i = 0; i < sizeof storage; i++)
            held += storage[i] != 0;
        assert_int_equal(held, model_len);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ring_random_pushes_and_pops_match_a_model),
        cmocka_unit_test_setup(error_codes_have_trd104_numbers, setup),
        cmocka_unit_test_setup(restarted_process_is_a_different_client, setup),
        cmocka_unit_test_setup(kernel_clients_are_named_and_distinct, setup),
        cmocka_unit_test_setup(kernel_client_table_is_bounded, setup),
        cmocka_unit_test_setup(process_names_come_from_the_namer, setup),
        cmocka_unit_test_setup(observers_learn_of_departures, setup),
        cmocka_unit_test_setup(deferred_calls_run_later_once_each, setup),
        cmocka_unit_test_setup(deferred_calls_are_served_round_robin, setup),
        cmocka_unit_test_setup(deferred_registration_is_bounded, setup),
        cmocka_unit_test_setup(minted_capabilities_are_valid_and_forgeries_are_not, setup),
        cmocka_unit_test_setup(wipe_zeroes_memory, setup),
        cmocka_unit_test_setup(wipe_is_not_optimised_away, setup),
        cmocka_unit_test_setup(ring_is_a_bounded_fifo_that_wipes_what_it_hands_out, setup),
        cmocka_unit_test_setup(client_table_gives_slots_and_finds_departed_clients, setup),
    };
    return cmocka_run_group_tests_name("kernel_core", tests, NULL, NULL);
}
