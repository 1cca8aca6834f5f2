/* The storage drivers through scripted processes: isolated storage
 * 0x50004 and the key-value store 0x50003, as Tock's, over the storage
 * mux and a simulated block device. Each app's region is its own, bound
 * to its name (or ShortId), not its process slot or life; a removed
 * app's region is erased before anyone else gets the slot; no app reads
 * or changes another's keys without the permissions its header gives;
 * and a process's end leaves nothing behind. Tests named after the
 * policy clause they prove. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "capsules/drivers/isolated_storage_driver.h"
#include "capsules/drivers/kv_driver.h"
#include "tests/unit/kv_fixture.h"
#include "tests/unit/test_driver_common.h"

#define ISO ISOLATED_STORAGE_DRIVER_NUM
#define KV KV_DRIVER_NUM
#define SLOTS 3u
#define REGION 4u              /* blocks: 2 KiB each */
#define AREA 100u              /* the regions' first block */
#define KEY_AT 64
#define VALUE_AT 128
#define OUT_AT 256
#define DATA_AT 400         /* below the harness's break at 1 KiB */
#define DATA_LEN 512

static struct kv_fixture f;
static struct region_slot slots[SLOTS];
static struct client_entry *region_clients[4];
static uint32_t region_rr[RR_WORDS(4)];
static struct regions regions;
static struct isolated_storage_driver iso;
static struct kv_driver kvd;
static struct harness_process hp[3];
static const char *removed = "";   /* the app the board no longer has */

/* The board's table: names, ShortIds, storage permissions. */
static bool identify(const struct process *p, struct storage_identity *out)
{
    memset(out, 0, sizeof *out);
    strncpy(out->name, p->name, STORAGE_NAME_MAX);
    if (strcmp(p->name, "alpha") == 0 || strcmp(p->name, "beta") == 0) {
        uint32_t id = p->name[0] == 'a' ? 1 : 2;
        out->has_permissions = true;
        out->perms = (struct storage_permissions){ .write_id = id, .read_count = 1,
                                                   .modify_count = 1 };
        out->perms.read_ids[0] = out->perms.modify_ids[0] = id;
        return true;
    }
    if (strcmp(p->name, "shorty") == 0) {
        out->short_id = 0x5107;
        return true;
    }
    if (strcmp(p->name, "blind") == 0) { /* a header that denies it its own id */
        out->has_permissions = true;
        out->perms.write_id = 9;
        return true;
    }
    return strcmp(p->name, "nobody") != 0;
}

static bool installed(const struct storage_name *who)
{
    return strcmp(who->name, removed) != 0;
}

static bool storage_ready(void *ctx)
{
    (void)ctx;
    return kv_store_mounted(&f.kv) && regions_mounted(&regions);
}

static void boot(bool erase)
{
    assert_true(kf_boot(&f, erase, 32, 600, 64));
    assert_int_equal(regions_init(&regions, &f.sf.mux, client_make(CLIENT_KERNEL, 2, 0),
                                  test_board_cap_storage_window(), AREA, slots, SLOTS, REGION,
                                  region_clients, region_rr, 4, installed),
                     VMUX_SUCCESS);
    kv_store_mount(&f.kv);
    regions_mount(&regions);
    assert_true(sf_run_until(&f.sf, storage_ready, NULL));
    isolated_storage_driver_init(&iso, &regions, identify);
    kv_driver_init(&kvd, &f.kv, identify);
    harness_reset();
    assert_int_equal(process_register_driver(&iso.driver), VMUX_SUCCESS);
    assert_int_equal(process_register_driver(&kvd.driver), VMUX_SUCCESS);
}

static void spawn(unsigned i, const char *name)
{
    memset(&hp[i], 0, sizeof hp[i]);
    assert_non_null(harness_spawn(&hp[i], name, RESTART_NEVER));
    for (unsigned n = 0; n < 3; n++)
        td_subscribe(&hp[i], ISO, n);
    td_subscribe(&hp[i], KV, KV_UPCALL_DONE);
}

static int setup(void **state)
{
    (void)state;
    removed = "";
    boot(true);
    spawn(0, "alpha");
    spawn(1, "beta");
    return 0;
}

/* Run until i has an upcall queued. */
static bool has_upcall(void *ctx)
{
    return td_pending((struct harness_process *)ctx) > 0;
}

static void wait_upcall(unsigned i)
{
    assert_true(sf_run_until(&f.sf, has_upcall, &hp[i]));
}

/* ------------------------------------------------------------ isolated */

static void iso_expect(unsigned i, unsigned upcall, vmux_err_t status, uint32_t value)
{
    wait_upcall(i);
    td_expect_upcall(&hp[i], ISO, upcall, status, value, 0);
}

static void iso_write(unsigned i, uint32_t offset, const void *bytes, size_t len)
{
    memcpy(&hp[i].ram[DATA_AT], bytes, len);
    td_allow(&hp[i], true, ISO, ISOLATED_ALLOW_RO_WRITE, DATA_AT, len);
    td_assert_success(td_command(&hp[i], ISO, ISOLATED_CMD_WRITE, offset, 0));
    iso_expect(i, ISOLATED_UPCALL_WRITE, VMUX_SUCCESS, (uint32_t)len);
}

static uint8_t *iso_read(unsigned i, uint32_t offset, size_t len)
{
    td_fill(&hp[i], DATA_AT, 0x5a, DATA_LEN);
    td_allow(&hp[i], false, ISO, ISOLATED_ALLOW_RW_READ, DATA_AT, len);
    td_assert_success(td_command(&hp[i], ISO, ISOLATED_CMD_READ, offset, 0));
    iso_expect(i, ISOLATED_UPCALL_READ, VMUX_SUCCESS, (uint32_t)len);
    return &hp[i].ram[DATA_AT];
}

static void isolated_storage_reads_back_what_it_wrote(void **state)
{
    (void)state;
    td_assert_success(td_command(&hp[0], ISO, ISOLATED_CMD_SIZE, 0, 0));
    iso_expect(0, ISOLATED_UPCALL_SIZE, VMUX_SUCCESS, REGION * HIL_BLOCK_SIZE);
    /* a new region reads erased */
    assert_true(td_all(iso_read(0, 0, 64), 0xff, 64));
    /* across a block boundary, and a whole block */
    uint8_t pattern[DATA_LEN];
    for (unsigned k = 0; k < sizeof pattern; k++)
        pattern[k] = (uint8_t)(k * 7 + 1);
    iso_write(0, 500, pattern, 40);
    iso_write(0, 1024, pattern, 512);
    assert_memory_equal(iso_read(0, 500, 40), pattern, 40);
    assert_memory_equal(iso_read(0, 1024, 512), pattern, 512);
    uint8_t *around = iso_read(0, 490, 60); /* the bytes around it as they were */
    assert_true(td_all(around, 0xff, 10));
    assert_true(td_all(around + 50, 0xff, 10));
    /* the mux buffer that carried them is wiped */
    for (unsigned k = 0; k < HIL_BLOCK_SIZE; k++)
        assert_int_equal(f.sf.mux.buffer[k], 0);
}

static void isolated_storage_refuses_as_tock(void **state)
{
    (void)state;
    /* nothing allowed */
    td_assert_success(td_command(&hp[0], ISO, ISOLATED_CMD_READ, 0, 0));
    iso_expect(0, ISOLATED_UPCALL_READ, VMUX_RESERVE, 0);
    /* outside the region */
    td_allow(&hp[0], false, ISO, ISOLATED_ALLOW_RW_READ, DATA_AT, 16);
    td_assert_success(td_command(&hp[0], ISO, ISOLATED_CMD_READ, REGION * HIL_BLOCK_SIZE - 8, 0));
    iso_expect(0, ISOLATED_UPCALL_READ, VMUX_INVALID, 0);
    td_assert_success(td_command(&hp[0], ISO, ISOLATED_CMD_READ, REGION * HIL_BLOCK_SIZE, 0));
    iso_expect(0, ISOLATED_UPCALL_READ, VMUX_INVALID, 0);
    assert_int_equal(iso.counters.outside, 2);
    /* one at a time */
    td_assert_success(td_command(&hp[0], ISO, ISOLATED_CMD_READ, 0, 0));
    td_assert_failure(td_command(&hp[0], ISO, ISOLATED_CMD_READ, 0, 0), VMUX_BUSY);
    iso_expect(0, ISOLATED_UPCALL_READ, VMUX_SUCCESS, 16);
    td_assert_failure(td_command(&hp[0], ISO, 4, 0, 0), VMUX_NOSUPPORT);
    /* no identity, or a header denying it its own id */
    spawn(2, "nobody");
    td_assert_failure(td_command(&hp[2], ISO, ISOLATED_CMD_SIZE, 0, 0), VMUX_NOSUPPORT);
    process_end(hp[2].process, false, 0);
    spawn(2, "blind");
    td_assert_failure(td_command(&hp[2], ISO, ISOLATED_CMD_READ, 0, 0), VMUX_NOSUPPORT);
    td_assert_failure(td_command(&hp[2], ISO, ISOLATED_CMD_WRITE, 0, 0), VMUX_NOSUPPORT);
}

static void a_region_is_bound_to_the_app_not_the_process(void **state)
{
    (void)state;
    iso_write(0, 0, "alpha's", 7);
    iso_write(1, 0, "beta's!", 7);
    /* beta's region is another: it reads its own */
    assert_memory_equal(iso_read(1, 0, 7), "beta's!", 7);
    /* alpha restarted (a new life): its data */
    td_end_long_life(&hp[0], false);
    assert_int_equal(process_start(test_board_cap_process_management(), hp[0].process),
                     VMUX_SUCCESS);
    for (unsigned n = 0; n < 3; n++)
        td_subscribe(&hp[0], ISO, n);
    assert_memory_equal(iso_read(0, 0, 7), "alpha's", 7);
    /* after a reboot, each in the other's process slot: its own data */
    boot(false);
    spawn(0, "beta");
    spawn(1, "alpha");
    assert_memory_equal(iso_read(0, 0, 7), "beta's!", 7);
    assert_memory_equal(iso_read(1, 0, 7), "alpha's", 7);
    /* a ShortId decides over the name */
    spawn(2, "shorty");
    assert_true(td_all(iso_read(2, 0, 7), 0xff, 7));
    assert_int_equal(regions.counters.allocated, 1); /* shorty's; the others found theirs */
}

static void regions_are_first_come_first_served(void **state)
{
    (void)state;
    iso_write(0, 0, "a", 1);
    iso_write(1, 0, "b", 1);
    spawn(2, "gamma");
    iso_write(2, 0, "c", 1);
    process_end(hp[2].process, false, 0);
    spawn(2, "delta"); /* all three slots are taken */
    td_allow(&hp[2], false, ISO, ISOLATED_ALLOW_RW_READ, DATA_AT, 1);
    td_assert_success(td_command(&hp[2], ISO, ISOLATED_CMD_READ, 0, 0));
    iso_expect(2, ISOLATED_UPCALL_READ, VMUX_NOMEM, 0);
    assert_int_equal(regions.counters.refused, 1);
    assert_memory_equal(iso_read(1, 0, 1), "b", 1); /* nobody lost theirs */
}

static void a_removed_apps_region_is_erased_before_reuse(void **state)
{
    (void)state;
    spawn(2, "gamma");
    iso_write(2, 0, "gamma's secret", 14);
    iso_write(0, 0, "a", 1);
    iso_write(1, 0, "b", 1);
    /* the board no longer has gamma: at the next boot its region goes */
    removed = "gamma";
    boot(false);
    assert_int_equal(regions.counters.reclaimed, 1);
    for (unsigned b = 0; b < (1 + REGION) * SLOTS; b++) { /* its bytes are nowhere */
        uint8_t blk[HIL_BLOCK_SIZE];
        assert_true(sim_block_peek(&f.sf.device, AREA + b, blk));
        assert_null(memmem(blk, sizeof blk, "gamma's secret", 14));
    }
    /* a new app takes the slot and finds it erased */
    spawn(2, "delta");
    assert_true(td_all(iso_read(2, 0, 64), 0xff, 64));
    spawn(0, "alpha");
    assert_memory_equal(iso_read(0, 0, 1), "a", 1);
}

static void a_process_end_leaves_nothing_under_way(void **state)
{
    (void)state;
    iso_write(0, 0, "x", 1);
    td_allow(&hp[0], false, ISO, ISOLATED_ALLOW_RW_READ, DATA_AT, 512);
    td_assert_success(td_command(&hp[0], ISO, ISOLATED_CMD_READ, 100, 0));
    sim_settle();
    process_end(hp[0].process, false, 0);
    sf_run_until(&f.sf, NULL, NULL);
    assert_int_equal(td_pending(&hp[0]), 0);
    assert_int_equal(iso.counters.ops.n[TALLY_DEPARTED], 1);
    assert_int_equal(tally_in_flight(&iso.counters.ops), 0);
    assert_memory_equal(iso_read(1, 0, 1), "\xff", 1); /* the others go on */
}

/* ------------------------------------------------------------ key-value */

static void kv_put(unsigned i, const char *key, const char *value)
{
    memcpy(&hp[i].ram[KEY_AT], key, strlen(key));
    td_allow(&hp[i], true, KV, KV_ALLOW_RO_KEY, KEY_AT, strlen(key));
    if (value) {
        memcpy(&hp[i].ram[VALUE_AT], value, strlen(value));
        td_allow(&hp[i], true, KV, KV_ALLOW_RO_VALUE, VALUE_AT, strlen(value));
    }
}

static void kv_expect(unsigned i, vmux_err_t status, uint32_t len)
{
    wait_upcall(i);
    td_expect_upcall(&hp[i], KV, KV_UPCALL_DONE, status, len, 0);
}

static void kv_driver_as_tock(void **state)
{
    (void)state;
    kv_put(0, "name", "value!");
    td_assert_success(td_command(&hp[0], KV, KV_SET, 0, 0));
    td_assert_failure(td_command(&hp[0], KV, KV_GET, 0, 0), VMUX_BUSY);
    kv_expect(0, VMUX_SUCCESS, 0);
    td_allow(&hp[0], false, KV, KV_ALLOW_RW_VALUE, OUT_AT, 16);
    td_fill(&hp[0], OUT_AT, 0xee, 16);
    td_assert_success(td_command(&hp[0], KV, KV_GET, 0, 0));
    kv_expect(0, VMUX_SUCCESS, 6);
    assert_memory_equal(&hp[0].ram[OUT_AT], "value!", 6);
    assert_true(td_all(&hp[0].ram[OUT_AT + 6], 0xee, 10));
    /* too short an allow: what fits, SIZE, and the whole length */
    td_allow(&hp[0], false, KV, KV_ALLOW_RW_VALUE, OUT_AT, 3);
    td_assert_success(td_command(&hp[0], KV, KV_GET, 0, 0));
    kv_expect(0, VMUX_SIZE, 6);
    /* none: RESERVE */
    td_allow(&hp[0], false, KV, KV_ALLOW_RW_VALUE, OUT_AT, 0);
    td_assert_success(td_command(&hp[0], KV, KV_GET, 0, 0));
    kv_expect(0, VMUX_RESERVE, 6);
    td_assert_success(td_command(&hp[0], KV, KV_ADD, 0, 0));
    kv_expect(0, VMUX_NOSUPPORT, 0);
    td_assert_success(td_command(&hp[0], KV, KV_DELETE, 0, 0));
    kv_expect(0, VMUX_SUCCESS, 0);
    td_assert_success(td_command(&hp[0], KV, KV_UPDATE, 0, 0));
    kv_expect(0, VMUX_NOSUPPORT, 0);
    td_assert_success(td_command(&hp[0], KV, KV_GC, 0, 0));
    kv_expect(0, VMUX_SUCCESS, 0);
    td_assert_failure(td_command(&hp[0], KV, 7, 0, 0), VMUX_NOSUPPORT);
    /* sizes */
    td_allow(&hp[0], true, KV, KV_ALLOW_RO_KEY, KEY_AT, KV_KEY_MAX + 1);
    td_assert_failure(td_command(&hp[0], KV, KV_GET, 0, 0), VMUX_SIZE);
    td_allow(&hp[0], true, KV, KV_ALLOW_RO_KEY, KEY_AT, 0);
    td_assert_failure(td_command(&hp[0], KV, KV_GET, 0, 0), VMUX_SIZE);
    kv_put(0, "k", NULL);
    td_allow(&hp[0], true, KV, KV_ALLOW_RO_VALUE, VALUE_AT, KV_VALUE_MAX + 1);
    td_assert_failure(td_command(&hp[0], KV, KV_SET, 0, 0), VMUX_SIZE);
    /* no storage permissions: INVALID, as Tock */
    spawn(2, "gamma");
    kv_put(2, "name", NULL);
    td_assert_failure(td_command(&hp[2], KV, KV_GET, 0, 0), VMUX_INVALID);
}

static void an_app_reads_and_changes_only_what_its_header_allows(void **state)
{
    (void)state;
    kv_put(0, "secret", "alpha only");
    td_assert_success(td_command(&hp[0], KV, KV_SET, 0, 0));
    kv_expect(0, VMUX_SUCCESS, 0);
    kv_put(1, "secret", "beta's try");
    td_allow(&hp[1], false, KV, KV_ALLOW_RW_VALUE, OUT_AT, 16);
    td_fill(&hp[1], OUT_AT, 0xee, 16);
    td_assert_success(td_command(&hp[1], KV, KV_GET, 0, 0));
    kv_expect(1, VMUX_NOSUPPORT, 0);
    assert_true(td_all(&hp[1].ram[OUT_AT], 0xee, 16)); /* nothing of alpha's */
    td_assert_success(td_command(&hp[1], KV, KV_SET, 0, 0));
    kv_expect(1, VMUX_NOSUPPORT, 0);
    td_assert_success(td_command(&hp[1], KV, KV_DELETE, 0, 0));
    kv_expect(1, VMUX_NOSUPPORT, 0);
    /* alpha's key survives a reboot, still alpha's alone */
    boot(false);
    spawn(0, "beta");
    spawn(1, "alpha");
    kv_put(0, "secret", NULL);
    td_assert_success(td_command(&hp[0], KV, KV_GET, 0, 0));
    kv_expect(0, VMUX_NOSUPPORT, 0);
    kv_put(1, "secret", NULL);
    td_allow(&hp[1], false, KV, KV_ALLOW_RW_VALUE, OUT_AT, 16);
    td_assert_success(td_command(&hp[1], KV, KV_GET, 0, 0));
    kv_expect(1, VMUX_SUCCESS, 10);
    assert_memory_equal(&hp[1].ram[OUT_AT], "alpha only", 10);
}

static void a_process_end_drops_its_request(void **state)
{
    (void)state;
    kv_put(0, "k", "v");
    td_assert_success(td_command(&hp[0], KV, KV_SET, 0, 0));
    kv_put(1, "j", "w");
    td_assert_success(td_command(&hp[1], KV, KV_SET, 0, 0));
    process_end(hp[0].process, false, 0);
    process_end(hp[1].process, false, 0);
    sf_run_until(&f.sf, NULL, NULL);
    assert_int_equal(td_pending(&hp[0]) + td_pending(&hp[1]), 0);
    struct tally *t = &f.kv.counters.requests;
    assert_int_equal(t->n[TALLY_DEPARTED], 2);
    assert_int_equal(tally_in_flight(t), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(isolated_storage_reads_back_what_it_wrote, setup),
        cmocka_unit_test_setup(isolated_storage_refuses_as_tock, setup),
        cmocka_unit_test_setup(a_region_is_bound_to_the_app_not_the_process, setup),
        cmocka_unit_test_setup(regions_are_first_come_first_served, setup),
        cmocka_unit_test_setup(a_removed_apps_region_is_erased_before_reuse, setup),
        cmocka_unit_test_setup(a_process_end_leaves_nothing_under_way, setup),
        cmocka_unit_test_setup(kv_driver_as_tock, setup),
        cmocka_unit_test_setup(an_app_reads_and_changes_only_what_its_header_allows, setup),
        cmocka_unit_test_setup(a_process_end_drops_its_request, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
