/* The key-value store over the storage mux and a simulated block device:
 * Tock's KV semantics, storage permissions, quotas (one client cannot
 * fill the store), round robin, remounting, garbage collection and wear,
 * damage on the medium. Tests named after the policy clause they prove
 * where one applies. The power-cut test is test_kv_crash.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "tests/unit/kv_fixture.h"

#define BLOCKS 32u
#define QUOTA 600u

static struct kv_fixture f;
static const uint32_t ONE[] = { 1, 0 }, TWO[] = { 2, 0 }, ONE_TWO[] = { 1, 2, 0 };

/* Clients: 0 and 1 own ids 1 and 2 and may read and change their own;
 * 2 reads both and changes neither; 3 has no write id. */
static void boot(bool erase, uint32_t blocks)
{
    assert_true(kf_boot(&f, erase, blocks, QUOTA, 64));
    assert_true(kf_mount(&f));
    assert_true(kf_attach(&f, 0, 1, ONE, ONE));
    assert_true(kf_attach(&f, 1, 2, TWO, TWO));
    assert_true(kf_attach(&f, 2, 3, ONE_TWO, NULL));
    assert_true(kf_attach(&f, 3, 0, ONE_TWO, ONE_TWO));
}

static int setup(void **state)
{
    (void)state;
    boot(true, BLOCKS);
    return 0;
}

static void get_set_add_update_delete_as_tock(void **state)
{
    (void)state;
    assert_int_equal(kf_call(&f, 0, KV_GET, "k", NULL, 0), VMUX_NOSUPPORT); /* missing */
    assert_int_equal(kf_set(&f, 0, "k", "one"), VMUX_SUCCESS);
    assert_true(kf_get_is(&f, 0, "k", "one"));
    assert_int_equal(kf_call(&f, 0, KV_ADD, "k", "x", 1), VMUX_NOSUPPORT); /* exists */
    assert_int_equal(kf_call(&f, 0, KV_ADD, "n", "new", 3), VMUX_SUCCESS);
    assert_int_equal(kf_call(&f, 0, KV_UPDATE, "k", "two", 3), VMUX_SUCCESS);
    assert_true(kf_get_is(&f, 0, "k", "two"));
    assert_int_equal(kf_call(&f, 0, KV_UPDATE, "none", "x", 1), VMUX_NOSUPPORT);
    assert_int_equal(kf_call(&f, 0, KV_DELETE, "k", NULL, 0), VMUX_SUCCESS);
    assert_int_equal(kf_call(&f, 0, KV_GET, "k", NULL, 0), VMUX_NOSUPPORT);
    assert_int_equal(kf_call(&f, 0, KV_DELETE, "k", NULL, 0), VMUX_NOSUPPORT);
    assert_int_equal(kf_set(&f, 0, "empty", ""), VMUX_SUCCESS);
    assert_true(kf_get_is(&f, 0, "empty", ""));
    assert_int_equal(kf_call(&f, 0, KV_GC, NULL, NULL, 0), VMUX_SUCCESS);
    assert_true(kf_get_is(&f, 0, "n", "new"));
}

static void sizes_are_checked(void **state)
{
    (void)state;
    uint8_t big[KV_VALUE_MAX + 1] = { 0 };
    char key[KV_KEY_MAX + 2];
    memset(key, 'k', sizeof key - 1);
    key[sizeof key - 1] = 0;
    struct kv_client *c = &f.probes[0].c;
    assert_int_equal(kv_store_request(c, KV_SET, (const uint8_t *)key, KV_KEY_MAX + 1, big, 1),
                     VMUX_SIZE);
    assert_int_equal(kv_store_request(c, KV_SET, (const uint8_t *)"k", 0, big, 1), VMUX_SIZE);
    assert_int_equal(kv_store_request(c, KV_SET, (const uint8_t *)"k", 1, big, KV_VALUE_MAX + 1),
                     VMUX_SIZE);
    assert_int_equal(kv_store_request(c, 9, (const uint8_t *)"k", 1, NULL, 0), VMUX_INVALID);
    assert_int_equal(kf_call(&f, 0, KV_SET, key + 1, big, KV_VALUE_MAX), VMUX_SUCCESS);
}

static void a_client_reads_only_the_ids_it_may_read(void **state)
{
    (void)state;
    assert_int_equal(kf_set(&f, 0, "mine", "secret"), VMUX_SUCCESS);
    /* client 1 may not read id 1: the same answer as for a missing key */
    assert_int_equal(kf_call(&f, 1, KV_GET, "mine", NULL, 0), VMUX_NOSUPPORT);
    assert_int_equal(f.probes[1].value_len, 0);
    assert_true(kf_get_is(&f, 2, "mine", "secret")); /* client 2 may */
    assert_int_equal(kf_call(&f, 1, KV_GET, "none", NULL, 0), VMUX_NOSUPPORT);
    /* the same answer, told apart for the board */
    assert_int_equal(f.kv.counters.denied, 1);
    assert_int_equal(f.kv.counters.absent, 1);
}

static void overwriting_and_deleting_need_modify_permission(void **state)
{
    (void)state;
    assert_int_equal(kf_set(&f, 0, "mine", "v1"), VMUX_SUCCESS);
    assert_int_equal(kf_set(&f, 1, "mine", "taken"), VMUX_NOSUPPORT);
    assert_int_equal(kf_call(&f, 1, KV_UPDATE, "mine", "x", 1), VMUX_NOSUPPORT);
    assert_int_equal(kf_call(&f, 1, KV_DELETE, "mine", NULL, 0), VMUX_NOSUPPORT);
    assert_int_equal(kf_call(&f, 2, KV_DELETE, "mine", NULL, 0), VMUX_NOSUPPORT);
    assert_true(kf_get_is(&f, 0, "mine", "v1"));
    /* client 3 may modify ids 1 and 2 but has no write id: it may delete,
     * not write (INVALID, as Tock) */
    assert_int_equal(kf_set(&f, 3, "mine", "x"), VMUX_INVALID);
    assert_int_equal(f.kv.counters.no_write_id, 1);
    assert_int_equal(f.kv.counters.denied, 4);
    assert_int_equal(kf_call(&f, 3, KV_DELETE, "mine", NULL, 0), VMUX_SUCCESS);
    assert_int_equal(kf_call(&f, 0, KV_GET, "mine", NULL, 0), VMUX_NOSUPPORT);
}

static void an_item_belongs_to_its_last_writer(void **state)
{
    (void)state;
    /* client 4: write id 2, may modify id 1: its update makes the item its */
    static const uint32_t modify1[] = { 1, 0 };
    assert_true(kf_attach(&f, 4, 2, TWO, modify1));
    assert_int_equal(kf_set(&f, 0, "shared", "from1"), VMUX_SUCCESS);
    assert_int_equal(kf_call(&f, 4, KV_UPDATE, "shared", "from2", 5), VMUX_SUCCESS);
    assert_true(kf_get_is(&f, 1, "shared", "from2"));                          /* id 2 now */
    assert_int_equal(kf_call(&f, 0, KV_GET, "shared", NULL, 0), VMUX_NOSUPPORT); /* not id 1 */
    assert_int_equal(kf_used(&f, 1), 0);
    assert_int_equal(kf_used(&f, 2), kv_record_size(6, 5));
}

static void kernel_items_need_the_capability(void **state)
{
    (void)state;
    static struct kv_probe kernel;
    assert_int_equal(storage_permissions_kernel(&kernel.perms, NULL, 0), VMUX_RESERVE);
    assert_int_equal(storage_permissions_kernel(&kernel.perms, test_board_cap_storage_kernel(), 0),
                     VMUX_SUCCESS);
    f.probes[5] = kernel;
    assert_int_equal(kv_store_attach(&f.kv, &f.probes[5].c, client_make(CLIENT_KERNEL, 2, 0),
                                     &f.probes[5].perms, &kf_ops),
                     VMUX_SUCCESS);
    assert_int_equal(kf_set(&f, 5, "boot", "7"), VMUX_SUCCESS);
    assert_true(kf_get_is(&f, 5, "boot", "7"));
    for (unsigned i = 0; i < 4; i++) { /* id 0: no process reads or changes it */
        assert_int_equal(kf_call(&f, i, KV_GET, "boot", NULL, 0), VMUX_NOSUPPORT);
        assert_int_equal(kf_call(&f, i, KV_DELETE, "boot", NULL, 0), VMUX_NOSUPPORT);
    }
    assert_int_equal(kf_set(&f, 0, "boot", "x"), VMUX_NOSUPPORT);
    /* and the kernel reads no process's items it is not given */
    assert_int_equal(kf_set(&f, 0, "app", "a"), VMUX_SUCCESS);
    assert_int_equal(kf_call(&f, 5, KV_GET, "app", NULL, 0), VMUX_NOSUPPORT);
}

static void one_client_cannot_fill_the_store(void **state)
{
    (void)state;
    char key[8];
    unsigned n = 0;
    vmux_err_t err;
    do {
        snprintf(key, sizeof key, "k%u", n++);
        err = kf_set(&f, 0, key, "0123456789abcdef0123456789abcdef");
    } while (err == VMUX_SUCCESS && n < 200);
    assert_int_equal(err, VMUX_NOMEM); /* its quota, for it alone */
    assert_true(kf_used(&f, 1) <= QUOTA);
    assert_true(kf_used(&f, 1) > QUOTA - kv_record_size(4, 32));
    /* everyone else still has its whole quota */
    for (n = 0; n < 10; n++) {
        snprintf(key, sizeof key, "o%u", n);
        assert_int_equal(kf_set(&f, 1, key, "0123456789abcdef0123456789abcdef"), VMUX_SUCCESS);
    }
    /* and it can go on changing what it has */
    assert_int_equal(kf_set(&f, 0, "k0", "short"), VMUX_SUCCESS);
    assert_true(kf_get_is(&f, 0, "k0", "short"));
}

static void reservations_are_first_come_first_served(void **state)
{
    (void)state;
    /* the capacity holds this many default quotas; later owners get none */
    unsigned room = kv_store_capacity(BLOCKS) / QUOTA;
    static const uint32_t nothing[] = { 0 };
    unsigned owners = 0;
    char key[8];
    for (unsigned id = 10; id < 10 + KF_OWNERS; id++) {
        assert_true(kf_attach(&f, 4, id, nothing, nothing));
        snprintf(key, sizeof key, "x%u", id);
        vmux_err_t err = kf_set(&f, 4, key, "y");
        if (owners < room && owners < KF_OWNERS) {
            assert_int_equal(err, VMUX_SUCCESS);
            owners++;
        } else {
            assert_int_equal(err, VMUX_NOMEM);
        }
        kv_store_detach(&f.probes[4].c);
    }
    assert_true(owners >= 2);
    assert_true(f.kv.reserved_total <= f.kv.capacity);
}

static void a_reservation_ends_with_its_owners_data(void **state)
{
    (void)state;
    assert_int_equal(kf_set(&f, 1, "churn", "first"), VMUX_SUCCESS);
    uint32_t before = f.kv.reserved_total;
    assert_int_equal(kf_set(&f, 0, "a", "1"), VMUX_SUCCESS);
    assert_int_equal(f.kv.reserved_total, before + QUOTA);
    assert_int_equal(kf_call(&f, 0, KV_DELETE, "a", NULL, 0), VMUX_SUCCESS);
    assert_int_equal(kf_used(&f, 1), kv_record_size(1, 0)); /* its tombstone */
    /* the log's tail passes the tombstone: the reservation goes */
    for (unsigned i = 0; i < 3 * BLOCKS; i++)
        assert_int_equal(kf_set(&f, 1, "churn", i % 2 ? "odd" : "even"), VMUX_SUCCESS);
    assert_int_equal(kf_used(&f, 1), 0);
    assert_int_equal(f.kv.reserved_total, before);
}

static void board_grants_are_kept_empty_or_not(void **state)
{
    (void)state;
    assert_true(kf_boot(&f, true, BLOCKS, QUOTA, 64));
    assert_int_equal(kv_store_grant(&f.kv, 7, 2000), VMUX_SUCCESS);
    assert_int_equal(kv_store_grant(&f.kv, 7, 100), VMUX_ALREADY);
    assert_int_equal(kv_store_grant(&f.kv, 8, f.kv.capacity), VMUX_NOMEM);
    assert_true(kf_mount(&f));
    static const uint32_t seven[] = { 7, 0 };
    assert_true(kf_attach(&f, 0, 7, seven, seven));
    char key[8];
    for (unsigned n = 0; n < 40; n++) {
        snprintf(key, sizeof key, "g%u", n);
        assert_int_equal(kf_set(&f, 0, key, "0123456789abcdef0123456789"), VMUX_SUCCESS);
    }
    assert_true(kf_used(&f, 7) > QUOTA); /* more than a default quota */
}

static void clients_are_served_round_robin(void **state)
{
    (void)state;
    /* every client queues at once, again and again: between two of one
     * client's requests every other client is served once */
    unsigned order[60], count = 0;
    for (unsigned round = 0; round < 10; round++) {
        for (unsigned i = 0; i < 3; i++)
            assert_int_equal(kv_store_request(&f.probes[i].c, KV_GET, (const uint8_t *)"x", 1,
                                              NULL, 0),
                             VMUX_SUCCESS);
        unsigned seen[3] = { f.probes[0].done, f.probes[1].done, f.probes[2].done };
        for (unsigned k = 0; k < 3; k++) {
            sim_settle();
            for (unsigned i = 0; i < 3; i++)
                if (f.probes[i].done != seen[i]) {
                    seen[i] = f.probes[i].done;
                    order[count++] = i;
                }
        }
    }
    assert_int_equal(count, 30);
    for (unsigned k = 3; k < count; k++)
        assert_int_equal(order[k], order[k - 3]);
    assert_int_equal(kv_store_request(&f.probes[0].c, KV_GET, (const uint8_t *)"x", 1, NULL, 0),
                     VMUX_SUCCESS);
    assert_int_equal(kv_store_request(&f.probes[0].c, KV_GET, (const uint8_t *)"x", 1, NULL, 0),
                     VMUX_BUSY);
}

static void everything_acknowledged_survives_a_remount(void **state)
{
    (void)state;
    char key[8], value[16];
    for (unsigned n = 0; n < 12; n++) {
        snprintf(key, sizeof key, "k%u", n);
        snprintf(value, sizeof value, "v%u", n * 7);
        assert_int_equal(kf_set(&f, n % 2, key, value), VMUX_SUCCESS);
    }
    assert_int_equal(kf_call(&f, 0, KV_DELETE, "k4", NULL, 0), VMUX_SUCCESS);
    assert_int_equal(kf_set(&f, 1, "k3", "changed"), VMUX_SUCCESS);
    uint32_t used1 = kf_used(&f, 1), used2 = kf_used(&f, 2);
    boot(false, BLOCKS); /* the kernel's RAM is gone; the medium stays */
    for (unsigned n = 0; n < 12; n++) {
        snprintf(key, sizeof key, "k%u", n);
        snprintf(value, sizeof value, "v%u", n * 7);
        if (n == 4)
            assert_int_equal(kf_call(&f, 2, KV_GET, key, NULL, 0), VMUX_NOSUPPORT);
        else
            assert_true(kf_get_is(&f, 2, key, n == 3 ? "changed" : value));
    }
    assert_int_equal(kf_used(&f, 1), used1);
    assert_int_equal(kf_used(&f, 2), used2);
    assert_int_equal(f.kv.counters.bad_blocks + f.kv.counters.bad_records, 0);
}

static void the_log_collects_and_spreads_wear(void **state)
{
    (void)state;
    static uint32_t wear[SF_DEVICE_BLOCKS];
    memset(wear, 0, sizeof wear);
    sim_block_count_wear(&f.sf.device, wear);
    assert_int_equal(kf_set(&f, 0, "static", "never changes"), VMUX_SUCCESS);
    char value[16];
    for (unsigned i = 0; i < 20 * BLOCKS; i++) {
        snprintf(value, sizeof value, "%u", i);
        assert_int_equal(kf_set(&f, 1, i % 3 ? "hot" : "warm", value), VMUX_SUCCESS);
    }
    assert_true(f.kv.counters.gc_steps > 10);
    uint32_t lo = UINT32_MAX, hi = 0;
    for (unsigned b = 0; b < BLOCKS; b++) {
        lo = wear[b] < lo ? wear[b] : lo;
        hi = wear[b] > hi ? wear[b] : hi;
    }
    assert_true(lo >= 15); /* every block, the static item's too, taken its turns */
    assert_true(hi - lo <= 1);
    for (unsigned b = BLOCKS; b < SF_DEVICE_BLOCKS; b++)
        assert_int_equal(wear[b], 0); /* nothing outside the window */
    assert_true(kf_get_is(&f, 2, "static", "never changes"));
    sim_block_count_wear(&f.sf.device, NULL);
    boot(false, BLOCKS);
    assert_true(kf_get_is(&f, 2, "static", "never changes"));
}

static void a_failed_write_is_never_seen(void **state)
{
    (void)state;
    assert_int_equal(kf_set(&f, 0, "k", "old"), VMUX_SUCCESS);
    sim_block_inject_fault(&f.sf.device, SIM_BLOCK_WRITE,
                           &(struct sim_fault){ .kind = SIM_FAULT_ERROR, .count = 1 });
    assert_int_equal(kf_set(&f, 0, "k", "new"), VMUX_FAIL);
    assert_true(kf_get_is(&f, 0, "k", "old"));
    assert_int_equal(kf_set(&f, 0, "j", "next"), VMUX_SUCCESS);
    boot(false, BLOCKS);
    assert_true(kf_get_is(&f, 0, "k", "old"));
    assert_true(kf_get_is(&f, 0, "j", "next"));
    assert_int_equal(f.kv.counters.write_errors, 0);
}

static void a_read_error_fails_that_request_only(void **state)
{
    (void)state;
    /* "a" in a block of its own, sealed: a get must read it */
    assert_int_equal(kf_set(&f, 0, "a", "alpha"), VMUX_SUCCESS);
    char value[KV_VALUE_MAX + 1];
    memset(value, 'x', KV_VALUE_MAX);
    value[KV_VALUE_MAX] = 0;
    for (unsigned i = 0; i < 6; i++)
        assert_int_equal(kf_set(&f, 1, i % 2 ? "b1" : "b2", value), VMUX_SUCCESS);
    sim_block_inject_fault(&f.sf.device, SIM_BLOCK_READ,
                           &(struct sim_fault){ .kind = SIM_FAULT_ERROR, .count = 1 });
    assert_int_equal(kf_call(&f, 2, KV_GET, "a", NULL, 0), VMUX_FAIL);
    assert_int_equal(f.kv.counters.read_errors, 1);
    assert_true(kf_get_is(&f, 2, "a", "alpha")); /* nothing lost */
    assert_int_equal(f.kv.counters.lost, 0);
}

static void damage_loses_only_what_it_touched(void **state)
{
    (void)state;
    assert_int_equal(kf_set(&f, 0, "a", "alpha"), VMUX_SUCCESS);
    assert_int_equal(kf_set(&f, 1, "b", "beta"), VMUX_SUCCESS);
    /* a flipped bit in a's record (the newest image's first): a is lost
     * at the next mount, with what follows it in that image */
    uint8_t blk[HIL_BLOCK_SIZE];
    struct kv_log_header h;
    uint32_t at = UINT32_MAX, seq = 0;
    for (uint32_t b = 0; b < BLOCKS; b++)
        if (sim_block_peek(&f.sf.device, b, blk) && kv_log_header_ok(blk, &h) &&
            (at == UINT32_MAX || h.seq > seq)) {
            at = b;
            seq = h.seq;
        }
    sim_block_flip(&f.sf.device, at, KV_LOG_HEADER + 8, 0x01); /* a's key byte */
    boot(false, BLOCKS);
    assert_int_equal(kf_call(&f, 2, KV_GET, "a", NULL, 0), VMUX_NOSUPPORT);
    assert_int_equal(kf_call(&f, 2, KV_GET, "b", NULL, 0), VMUX_NOSUPPORT);
    assert_int_equal(f.kv.counters.bad_records, 1);
    assert_int_equal(kf_used(&f, 1) + kf_used(&f, 2), 0);
    /* the store works on, and never hands out damaged data */
    assert_int_equal(kf_set(&f, 1, "d", "delta"), VMUX_SUCCESS);
    assert_true(kf_get_is(&f, 2, "d", "delta"));
}

static void a_departed_client_gets_no_callback(void **state)
{
    (void)state;
    assert_int_equal(kv_store_request(&f.probes[0].c, KV_SET, (const uint8_t *)"k", 1,
                                      (const uint8_t *)"v", 1),
                     VMUX_SUCCESS);
    assert_int_equal(kv_store_request(&f.probes[1].c, KV_SET, (const uint8_t *)"q", 1,
                                      (const uint8_t *)"v", 1),
                     VMUX_SUCCESS);
    sim_settle(); /* client 0's request is under way */
    client_departed(client_process(0, 1));
    client_departed(client_process(1, 1));
    sf_run_until(&f.sf, NULL, NULL);
    assert_int_equal(f.probes[0].done, 0);
    assert_int_equal(f.probes[1].done, 0);
    struct tally *t = &f.kv.counters.requests;
    assert_int_equal(t->n[TALLY_TAKEN], 2);
    assert_int_equal(t->n[TALLY_DEPARTED], 2);
    assert_int_equal(tally_in_flight(t), 0);
    /* the store is consistent and free for others */
    assert_true(kf_get_is(&f, 2, "k", "v")); /* the one under way completed */
    assert_int_equal(kf_call(&f, 2, KV_GET, "q", NULL, 0), VMUX_NOSUPPORT);
}

static void staging_buffers_are_wiped(void **state)
{
    (void)state;
    assert_int_equal(kf_set(&f, 0, "secret-key", "secret-value"), VMUX_SUCCESS);
    assert_true(kf_get_is(&f, 0, "secret-key", "secret-value"));
    uint8_t zero[KV_VALUE_MAX] = { 0 };
    assert_memory_equal(f.kv.key, zero, KV_KEY_MAX);
    assert_memory_equal(f.kv.value, zero, KV_VALUE_MAX);
    /* nothing of another window is in the store's block buffers: they
     * only ever held its own blocks; and the mux buffer was never used */
    assert_int_equal(f.sf.mux.counters.wipes, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(get_set_add_update_delete_as_tock, setup),
        cmocka_unit_test_setup(sizes_are_checked, setup),
        cmocka_unit_test_setup(a_client_reads_only_the_ids_it_may_read, setup),
        cmocka_unit_test_setup(overwriting_and_deleting_need_modify_permission, setup),
        cmocka_unit_test_setup(an_item_belongs_to_its_last_writer, setup),
        cmocka_unit_test_setup(kernel_items_need_the_capability, setup),
        cmocka_unit_test_setup(one_client_cannot_fill_the_store, setup),
        cmocka_unit_test_setup(reservations_are_first_come_first_served, setup),
        cmocka_unit_test_setup(a_reservation_ends_with_its_owners_data, setup),
        cmocka_unit_test_setup(board_grants_are_kept_empty_or_not, setup),
        cmocka_unit_test_setup(clients_are_served_round_robin, setup),
        cmocka_unit_test_setup(everything_acknowledged_survives_a_remount, setup),
        cmocka_unit_test_setup(the_log_collects_and_spreads_wear, setup),
        cmocka_unit_test_setup(a_failed_write_is_never_seen, setup),
        cmocka_unit_test_setup(a_read_error_fails_that_request_only, setup),
        cmocka_unit_test_setup(damage_loses_only_what_it_touched, setup),
        cmocka_unit_test_setup(a_departed_client_gets_no_callback, setup),
        cmocka_unit_test_setup(staging_buffers_are_wiped, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
