/* Crash consistency of the key-value store: a scripted workload of three
 * clients (sets, adds, updates, deletes, an item changing owner; enough
 * to collect the log several times over) is run once to count its write
 * points, then again with the power cut at each one, in each way a write
 * can be cut (lost, torn after some bytes, garbage, done without its
 * completion). After each cut the store mounts again from the medium
 * alone, and:
 *   - every request acknowledged before the cut reads back with its value;
 *   - the request in flight is wholly there or wholly not (no key shows
 *     a state no request made);
 *   - every item is its owner's: each client reads exactly the items of
 *     the ids it may read, and nothing of the others;
 *   - the store takes requests again and keeps them across a remount.
 * The policy's clauses: nothing lost (availability) and no client sees
 * another's data (confidentiality), at every write point. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/unit/kv_fixture.h"

#define BLOCKS KV_BLOCKS_MIN
#define QUOTA 700u
#define CLIENTS 3u
#define KEYS 12u
#define OPS 200u
#define AUDITOR 3u

static struct kv_fixture f;

/* client i has write id i + 1; client 2 may also read and change id 1's */
static const uint32_t read_ids[CLIENTS][3] = { { 1, 0 }, { 2, 0 }, { 3, 1, 0 } };
static const uint32_t modify_ids[CLIENTS][3] = { { 1, 0 }, { 2, 0 }, { 3, 1, 0 } };
static const uint32_t audit_ids[] = { 1, 2, 3, 0 };

struct op {
    unsigned client;
    enum kv_op kind;
    char key[8];
    char value[KV_VALUE_MAX + 1];
    vmux_err_t status;           /* in the run without a cut */
};
static struct op script[OPS];

/* What a key holds: nothing, or a value and its owner. */
struct item {
    bool present;
    uint32_t owner;
    char value[KV_VALUE_MAX + 1];
};

static void make_script(void)
{
    uint32_t seed = 12345;
    for (unsigned i = 0; i < OPS; i++) {
        seed = seed * 1103515245u + 12345u;
        struct op *o = &script[i];
        o->client = (seed >> 8) % CLIENTS;
        /* mostly the client's own keys, now and then anyone's */
        unsigned k = (seed >> 12) % 5 ? o->client * (KEYS / CLIENTS) + (seed >> 16) % (KEYS / CLIENTS)
                                      : (seed >> 16) % KEYS;
        unsigned pick = (seed >> 20) % 10;
        o->kind = pick < 5 ? KV_SET : pick < 6 ? KV_ADD : pick < 8 ? KV_UPDATE : KV_DELETE;
        snprintf(o->key, sizeof o->key, "key%u", k);
        unsigned len = 1 + (seed >> 4) % KV_VALUE_MAX;
        for (unsigned j = 0; j < len; j++)
            o->value[j] = (char)('a' + (i + j) % 26);
        o->value[len] = 0;
        snprintf(o->value, 8, "%03u", i); /* every value tells its request */
        o->value[3] = len > 3 ? '-' : o->value[3];
    }
}

static void apply(struct item *state, const struct op *o)
{
    unsigned k = (unsigned)atoi(o->key + 3);
    if (o->kind == KV_DELETE) {
        state[k].present = false;
        return;
    }
    state[k].present = true;
    state[k].owner = o->client + 1;
    strcpy(state[k].value, o->value);
}

static void boot(bool erase)
{
    assert_true(kf_boot(&f, erase, BLOCKS, QUOTA, 32));
    assert_true(kf_mount(&f));
    for (unsigned i = 0; i < CLIENTS; i++)
        assert_true(kf_attach(&f, i, i + 1, read_ids[i], modify_ids[i]));
    assert_true(kf_attach(&f, AUDITOR, 0, audit_ids, NULL));
}

/* Run the script from its start until the device dies (or the end):
 * the number of requests acknowledged, and whether one was in flight. */
static unsigned run_script(bool reference, bool *in_flight)
{
    *in_flight = false;
    for (unsigned i = 0; i < OPS; i++) {
        struct op *o = &script[i];
        struct kv_probe *p = &f.probes[o->client];
        struct kf_wait w = { p, p->done + 1 };
        bool with_value = o->kind != KV_DELETE;
        assert_int_equal(kv_store_request(&p->c, o->kind, (const uint8_t *)o->key,
                                          strlen(o->key), (const uint8_t *)o->value,
                                          with_value ? strlen(o->value) : 0),
                         VMUX_SUCCESS);
        if (!sf_run_until(&f.sf, kf_probe_done, &w)) {
            assert_false(reference);
            *in_flight = true;
            return i;
        }
        if (reference)
            o->status = p->status;
        else
            assert_int_equal(p->status, o->status); /* the same run, so far */
    }
    return OPS;
}

/* Does what the store holds after a mount equal state, for every key and
 * every client's view of it? */
static bool store_is(const struct item *state)
{
    char key[8];
    for (unsigned k = 0; k < KEYS; k++) {
        snprintf(key, sizeof key, "key%u", k);
        const struct item *it = &state[k];
        for (unsigned c = 0; c < CLIENTS; c++) {
            bool may = it->present && (read_ids[c][0] == it->owner || read_ids[c][1] == it->owner);
            vmux_err_t err = kf_call(&f, c, KV_GET, key, NULL, 0);
            if (!may) {
                if (err != VMUX_NOSUPPORT)
                    return false;
                continue;
            }
            struct kv_probe *p = &f.probes[c];
            if (err != VMUX_SUCCESS || p->value_len != strlen(it->value) ||
                memcmp(p->value, it->value, p->value_len) != 0)
                return false;
        }
    }
    return true;
}

static void expect_after_cut(unsigned acked, bool in_flight)
{
    static struct item before[KEYS], after[KEYS];
    memset(before, 0, sizeof before);
    for (unsigned i = 0; i < acked; i++)
        if (script[i].status == VMUX_SUCCESS)
            apply(before, &script[i]);
    memcpy(after, before, sizeof after);
    bool changes = in_flight && script[acked].status == VMUX_SUCCESS;
    if (changes)
        apply(after, &script[acked]);
    assert_true(store_is(before) || (changes && store_is(after)));
    assert_int_equal(f.kv.counters.mount_dropped, 0);
    for (unsigned c = 0; c < CLIENTS; c++)
        assert_true(kf_used(&f, c + 1) <= QUOTA);
}

static unsigned reference_run(void)
{
    make_script();
    boot(true);
    bool in_flight;
    sim_block_cut_power_at(&f.sf.device, 0, SIM_TEAR_LOST, 0);
    assert_int_equal(run_script(true, &in_flight), OPS);
    unsigned points = sim_block_writes(&f.sf.device);
    /* the script exercises what it should */
    unsigned ok = 0, nomem = 0, denied = 0;
    for (unsigned i = 0; i < OPS; i++) {
        ok += script[i].status == VMUX_SUCCESS;
        nomem += script[i].status == VMUX_NOMEM;
        denied += script[i].status == VMUX_NOSUPPORT;
    }
    print_message("requests: %u ok, %u nomem, %u denied; %u write points, %u collected\n", ok,
                  nomem, denied, points, f.kv.counters.gc_steps);
    assert_true(ok > OPS / 2);
    assert_true(denied > 0);
    assert_true(points > 4 * BLOCKS);              /* the log went round */
    assert_true(f.kv.counters.gc_steps > BLOCKS);   /* live blocks collected */
    (void)nomem;
    return points;
}

static void cut_everywhere(enum sim_block_tear tear)
{
    unsigned points = reference_run();
    for (unsigned w = 1; w <= points; w++) {
        boot(true);
        sim_block_cut_power_at(&f.sf.device, w, tear, 1 + (w * 37) % (HIL_BLOCK_SIZE - 1));
        bool in_flight;
        unsigned acked = run_script(false, &in_flight);
        assert_true(sim_block_is_dead(&f.sf.device));
        /* the kernel's RAM is gone; the medium is what the cut left */
        boot(false);
        expect_after_cut(acked, in_flight);
        /* and it goes on: a change, a remount, the change is there */
        assert_int_equal(kf_set(&f, 1, "after", "the cut"), VMUX_SUCCESS);
        boot(false);
        assert_true(kf_get_is(&f, 1, "after", "the cut"));
    }
}

static void every_acked_write_survives_a_cut_that_loses_the_write(void **state)
{
    (void)state;
    cut_everywhere(SIM_TEAR_LOST);
}

static void every_acked_write_survives_a_cut_that_tears_the_write(void **state)
{
    (void)state;
    cut_everywhere(SIM_TEAR_PREFIX);
}

static void every_acked_write_survives_a_cut_that_leaves_garbage(void **state)
{
    (void)state;
    cut_everywhere(SIM_TEAR_GARBAGE);
}

static void every_acked_write_survives_a_cut_after_the_write(void **state)
{
    (void)state;
    cut_everywhere(SIM_TEAR_DONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_acked_write_survives_a_cut_that_loses_the_write),
        cmocka_unit_test(every_acked_write_survives_a_cut_that_tears_the_write),
        cmocka_unit_test(every_acked_write_survives_a_cut_that_leaves_garbage),
        cmocka_unit_test(every_acked_write_survives_a_cut_after_the_write),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
