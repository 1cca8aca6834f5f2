/* The storage mux over a simulated block device: windows (no client
 * reaches another's blocks), the board's capability, round robin, a
 * held read-modify-write as one turn, the mux buffer wiped after every
 * turn, a hung device failing its own client only, departures. Tests
 * named after the policy clause they prove. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tests/unit/storage_fixture.h"

#define N 4

static struct storage_fixture f;

static struct user {
    struct storage_client c;
    uint8_t buf[HIL_BLOCK_SIZE];
    unsigned done;
    vmux_err_t status;
    uint32_t block;
    uint8_t seen[HIL_BLOCK_SIZE];   /* what the lent buffer held */
    bool again;                      /* read again from the callback */
    bool modify;                     /* read held, then write the mux buffer */
} users[N];

static unsigned order[256], order_count;

static unsigned index_of(struct storage_client *c)
{
    return (unsigned)(container_of(c, struct user, c) - users);
}

static void read_done(struct storage_client *c, uint32_t block, uint8_t *buf, vmux_err_t status)
{
    struct user *u = &users[index_of(c)];
    u->done++;
    u->status = status;
    u->block = block;
    memcpy(u->seen, buf, HIL_BLOCK_SIZE);
    if (order_count < 256)
        order[order_count++] = index_of(c);
    if (u->modify && status == VMUX_SUCCESS)
        assert_int_equal(storage_mux_write(c, block, NULL, 0), VMUX_SUCCESS);
    else if (u->again)
        assert_int_equal(storage_mux_read(c, block, u->buf, 0), VMUX_SUCCESS);
}

static void write_done(struct storage_client *c, uint32_t block, vmux_err_t status)
{
    struct user *u = &users[index_of(c)];
    u->done++;
    u->status = status;
    u->block = block;
}

static void erase_done(struct storage_client *c, uint32_t block, vmux_err_t status)
{
    write_done(c, block, status);
}

/* The read-modify-write: what was read, with byte 0 changed. */
static void fill(struct storage_client *c, uint32_t block, uint8_t *buf)
{
    (void)block;
    struct user *u = &users[index_of(c)];
    assert_memory_equal(buf, u->seen, HIL_BLOCK_SIZE); /* still the block read */
    buf[0] = (uint8_t)(0x80 + index_of(c));
}

static const struct storage_client_ops ops = { read_done, write_done, erase_done, fill };

static int setup(void **state)
{
    (void)state;
    assert_true(sf_boot(&f, true));
    memset(users, 0, sizeof users);
    order_count = 0;
    for (unsigned i = 0; i < N; i++) {
        assert_int_equal(storage_mux_attach(&f.mux, &users[i].c, client_process(i, 1),
                                            test_board_cap_storage_window(), 10 * i, 10, &ops),
                         VMUX_SUCCESS);
        uint8_t blk[HIL_BLOCK_SIZE];
        memset(blk, 0x10 + i, sizeof blk); /* each window's own bytes */
        for (unsigned b = 0; b < 10; b++)
            memcpy(f.medium + (10 * i + b) * HIL_BLOCK_SIZE, blk, sizeof blk);
    }
    return 0;
}

static bool all_done(void *ctx)
{
    unsigned want = *(unsigned *)ctx, n = 0;
    for (unsigned i = 0; i < N; i++)
        n += users[i].done;
    return n >= want;
}

static void run(unsigned completions)
{
    assert_true(sf_run_until(&f, all_done, &completions));
}

static void a_window_is_the_only_place_a_client_reaches(void **state)
{
    (void)state;
    struct storage_client *c = &users[1].c;
    assert_int_equal(storage_mux_read(c, 10, users[1].buf, 0), VMUX_INVALID);
    assert_int_equal(storage_mux_write(c, 10, users[1].buf, 0), VMUX_INVALID);
    assert_int_equal(storage_mux_erase(c, 0xffffffffu, 0), VMUX_INVALID);
    assert_int_equal(f.mux.counters.outside, 3);
    assert_int_equal(storage_mux_read(c, 9, users[1].buf, 0), VMUX_SUCCESS);
    run(1);
    for (unsigned k = 0; k < HIL_BLOCK_SIZE; k++)
        assert_int_equal(users[1].buf[k], 0x11); /* its own block 9, device block 19 */
    memset(users[1].buf, 0xab, HIL_BLOCK_SIZE);
    assert_int_equal(storage_mux_write(c, 0, users[1].buf, 0), VMUX_SUCCESS);
    run(2);
    assert_int_equal(f.medium[10 * HIL_BLOCK_SIZE], 0xab);
    assert_int_equal(f.medium[9 * HIL_BLOCK_SIZE], 0x10);  /* the neighbours untouched */
    assert_int_equal(f.medium[20 * HIL_BLOCK_SIZE], 0x12);
}

static void windows_come_from_the_board(void **state)
{
    (void)state;
    static struct storage_client extra, part;
    assert_int_equal(storage_mux_attach(&f.mux, &extra, client_process(7, 1), NULL, 0, 1, &ops),
                     VMUX_RESERVE);
    assert_int_equal(storage_mux_attach(&f.mux, &extra, client_process(7, 1),
                                        test_board_cap_storage_window(), SF_DEVICE_BLOCKS - 1, 2,
                                        &ops),
                     VMUX_INVALID);
    /* a part of a window, never more */
    assert_int_equal(storage_mux_attach_part(&users[0].c, &part, client_process(7, 1), 5, 6, &ops),
                     VMUX_INVALID);
    assert_int_equal(storage_mux_attach_part(&users[0].c, &part, client_process(7, 1), 5, 5, &ops),
                     VMUX_SUCCESS);
    assert_int_equal(part.first, 5);
    assert_int_equal(storage_mux_read(&part, 5, NULL, 0), VMUX_INVALID);
}

static void clients_are_served_round_robin(void **state)
{
    (void)state;
    for (unsigned i = 0; i < N; i++) {
        users[i].again = true;
        assert_int_equal(storage_mux_read(&users[i].c, 0, users[i].buf, 0), VMUX_SUCCESS);
    }
    run(4 * 8);
    for (unsigned k = N; k < 4 * 8; k++)
        assert_int_equal(order[k], order[k - N]); /* nobody waits more than N-1 turns */
    for (unsigned i = 0; i < N; i++)
        users[i].again = false;
    sf_run_until(&f, NULL, NULL);
}

static void a_read_modify_write_is_one_turn_and_the_buffer_is_wiped(void **state)
{
    (void)state;
    users[0].modify = true;
    users[1].modify = true;
    assert_int_equal(storage_mux_read(&users[0].c, 2, NULL, STORAGE_HOLD), VMUX_SUCCESS);
    assert_int_equal(storage_mux_read(&users[1].c, 2, NULL, STORAGE_HOLD), VMUX_SUCCESS);
    assert_int_equal(storage_mux_read(&users[2].c, 2, NULL, 0), VMUX_SUCCESS);
    run(5);
    /* 0 read and wrote, then 1 read (its own block, not 0's) and wrote */
    assert_int_equal(f.medium[2 * HIL_BLOCK_SIZE], 0x80);
    assert_int_equal(f.medium[2 * HIL_BLOCK_SIZE + 1], 0x10);
    assert_int_equal(f.medium[12 * HIL_BLOCK_SIZE], 0x81);
    assert_int_equal(users[2].seen[0], 0x12); /* 2 saw only its own bytes */
    for (unsigned k = 0; k < HIL_BLOCK_SIZE; k++)
        assert_int_equal(f.mux.buffer[k], 0);
    assert_int_equal(f.mux.counters.wipes, 3); /* after each turn that used it */
}

static void a_hung_device_fails_its_own_client_only(void **state)
{
    (void)state;
    sim_block_inject_fault(&f.device, SIM_BLOCK_READ,
                           &(struct sim_fault){ .kind = SIM_FAULT_NEVER, .count = 1 });
    assert_int_equal(storage_mux_read(&users[0].c, 0, NULL, 0), VMUX_SUCCESS);
    assert_int_equal(storage_mux_read(&users[1].c, 0, users[1].buf, 0), VMUX_SUCCESS);
    run(2);
    assert_int_equal(users[0].status, VMUX_FAIL);
    assert_int_equal(users[1].status, VMUX_SUCCESS);
    assert_int_equal(users[1].buf[0], 0x11);
    assert_int_equal(f.mux.bus.counters.timeouts, 1);
    assert_int_equal(f.mux.buffer[0], 0); /* wiped when the turn was ended */
}

static void a_departed_client_gets_no_callback(void **state)
{
    (void)state;
    assert_int_equal(storage_mux_read(&users[0].c, 0, users[0].buf, 0), VMUX_SUCCESS);
    assert_int_equal(storage_mux_read(&users[1].c, 0, users[1].buf, 0), VMUX_SUCCESS);
    sim_settle(); /* 0's read is on the device */
    storage_mux_detach(&users[0].c);
    storage_mux_detach(&users[1].c);
    sf_run_until(&f, NULL, NULL);
    assert_int_equal(users[0].done + users[1].done, 0);
    struct tally *t = &f.mux.bus.counters.ops;
    assert_int_equal(t->n[TALLY_DEPARTED], 2);
    assert_int_equal(tally_in_flight(t), 0);
    assert_int_equal(storage_mux_read(&users[2].c, 0, users[2].buf, 0), VMUX_SUCCESS);
    run(1);
    assert_int_equal(users[2].status, VMUX_SUCCESS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(a_window_is_the_only_place_a_client_reaches, setup),
        cmocka_unit_test_setup(windows_come_from_the_board, setup),
        cmocka_unit_test_setup(clients_are_served_round_robin, setup),
        cmocka_unit_test_setup(a_read_modify_write_is_one_turn_and_the_buffer_is_wiped, setup),
        cmocka_unit_test_setup(a_hung_device_fails_its_own_client_only, setup),
        cmocka_unit_test_setup(a_departed_client_gets_no_callback, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
