/*
 * Fuzz mounting a damaged storage image: the key-value store's log and
 * the isolated regions (capsules/storage/kv_store.h, regions.h) on one
 * simulated device (tests/unit/kv_fixture.h).
 *
 * An image is made once: three owners (write ids 1-3, each allowed to
 * read and change its own items only) set, update and delete items of a
 * shared pool of keys until the log has gone round several times; three
 * apps (a1-a3) get a region each, filled with their bytes. Every value
 * and region byte of owner or app j is TAG(j), so whose data a byte is
 * can be told anywhere.
 *
 * Each input then damages a copy of that image as a medium is damaged,
 * and says which apps are still installed. Its first byte: the installed
 * apps (bits 0-2); then up to OPS_MAX operations of 4 bytes [kind, a, b,
 * c]:
 *   0 flip bits (mask c) of byte b (+256 with kind bit 3) of log block a
 *   1 a torn write: log block a erased (0xff) from byte 2b on
 *   2 a torn write: log block a zeroed from byte 2b on
 *   3 a misdirected write: log block b's content over log block a
 *   4 log block a filled with garbage (bytes below 0x80, from seed b, c)
 *   5 region area block a: c % 3 = 0 flips bits (mask kind / 7) of byte
 *     b % 40 of a header (not of data: a flip could turn one tag into
 *     another), 1 erased, 2 garbage
 *   6 block a (log or area, by c's low bit) unreadable from now on
 * The damage is a medium's, not a forger's: a checksum is no signature,
 * and regions hold raw bytes (a region block written in another region's
 * place would hand its bytes over, which no format without a tag on each
 * block could notice), so blocks are not copied into the region area.
 *
 * Then the store and the regions mount, and the checks abort when:
 *  1. mounting does not finish, or the sanitizers see anything;
 *  2. a get by owner j answers SUCCESS with a value holding a byte other
 *     than TAG(j) (another owner's data, or garbage taken for a value);
 *  3. an owner's usage passes its quota;
 *  4. an installed app's region holds a byte of another app's tag, or an
 *     app that is not installed still has a region;
 *  5. a new app (a4) is given a region that is not wholly erased, or the
 *     store refuses a new item of an owner with room (anything but
 *     SUCCESS or NOMEM), or an item set after mounting does not read
 *     back.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capsules/storage/regions.h"
#include "tests/unit/kv_fixture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define LOG_BLOCKS KV_BLOCKS_MIN
#define QUOTA 700u
#define OWNERS 3u
#define KEYS 12u
#define WORKLOAD 300u
#define SLOTS 4u
#define REGION 2u                          /* blocks */
#define AREA LOG_BLOCKS                    /* the regions' first block */
#define AREA_BLOCKS (SLOTS * (1u + REGION))
#define APPS 4u                            /* a1-a3 in the image; a4 new */
#define OPS_MAX 16u
#define TAG(j) ((uint8_t)(0xa0u + (j)))   /* owner or app j, 1-based */

#define CHECK(cond)                                                                   \
    do {                                                                              \
        if (!(cond)) {                                                                \
            fprintf(stderr, "fuzz_storage_mount: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
            abort();                                                                  \
        }                                                                             \
    } while (0)

static struct kv_fixture f;
static struct regions regions;
static struct region_slot slots[SLOTS];
static struct client_entry *region_clients[4];
static uint32_t region_rr[RR_WORDS(4)];
static struct region_request requests[APPS];
static uint8_t image[(AREA + AREA_BLOCKS) * HIL_BLOCK_SIZE];
static bool image_made;
static unsigned installed_mask;

static const char *const keys[KEYS] = { "k0", "k1", "k2", "k3", "k4",  "k5",
                                        "k6", "k7", "k8", "k9", "k10", "k11" };

static void app_name(struct storage_name *n, unsigned j)
{
    memset(n, 0, sizeof *n);
    n->name[0] = 'a';
    n->name[1] = (char)('0' + j);
}

static unsigned app_of(const struct storage_name *n)
{
    if (n->short_id == 0 && n->name[0] == 'a' && n->name[1] >= '1' && n->name[1] <= '4' &&
        n->name[2] == '\0')
        return (unsigned)(n->name[1] - '0');
    return 0;
}

static bool installed(const struct storage_name *who)
{
    unsigned j = app_of(who);
    return j != 0 && (installed_mask & (1u << (j - 1))) != 0;
}

/* The store and the regions on a fresh kernel, the medium as it is. */
static void boot(void)
{
    CHECK(kf_boot(&f, false, LOG_BLOCKS, QUOTA, 32));
    for (unsigned i = 0; i < OWNERS; i++) {
        const uint32_t own[] = { i + 1, 0 };
        CHECK(kf_attach(&f, i, i + 1, own, own));
    }
    CHECK(regions_init(&regions, &f.sf.mux, client_make(CLIENT_KERNEL, 2, 0),
                       test_board_cap_storage_window(), AREA, slots, SLOTS, REGION,
                       region_clients, region_rr, 4, installed) == VMUX_SUCCESS);
}

static bool mounted(void *ctx)
{
    (void)ctx;
    return kv_store_mounted(&f.kv) && regions_mounted(&regions);
}

static int allocated_slot;
static bool allocation_ended;

static void on_allocated(struct region_request *r, int slot, vmux_err_t status)
{
    (void)r;
    allocated_slot = status == VMUX_SUCCESS ? slot : -1;
    allocation_ended = true;
}

static const struct region_request_ops request_ops = { on_allocated };

static bool allocation_done(void *ctx)
{
    (void)ctx;
    return allocation_ended;
}

static int allocate(unsigned j)
{
    struct storage_name who;
    app_name(&who, j);
    allocation_ended = false;
    memset(&requests[j - 1], 0, sizeof requests[j - 1]);
    CHECK(regions_allocate(&regions, &requests[j - 1], client_process(j, 1), &who,
                           &request_ops) == VMUX_SUCCESS);
    CHECK(sf_run_until(&f.sf, allocation_done, NULL));
    return allocated_slot;
}

static uint8_t *block_at(uint32_t block)
{
    return &f.sf.medium[block * HIL_BLOCK_SIZE];
}

/* The image: the log gone round several times, three regions filled. */
static void make_image(void)
{
    memset(f.sf.medium, HIL_BLOCK_ERASED, sizeof f.sf.medium);
    installed_mask = 7;
    boot();
    kv_store_mount(&f.kv);
    regions_mount(&regions);
    CHECK(sf_run_until(&f.sf, mounted, NULL));
    uint32_t x = 12345;
    for (unsigned n = 0; n < WORKLOAD; n++) {
        x = x * 1103515245u + 12345u;
        unsigned i = (x >> 16) % OWNERS;
        const char *key = keys[(x >> 8) % KEYS];
        uint8_t value[KV_VALUE_MAX];
        size_t len = 1 + (x >> 20) % 40;
        memset(value, TAG(i + 1), len);
        enum kv_op op = (x >> 28) % 4 == 0 ? KV_DELETE : (x >> 28) % 4 == 1 ? KV_UPDATE : KV_SET;
        kf_call(&f, i, op, key, op == KV_DELETE ? NULL : value, op == KV_DELETE ? 0 : len);
    }
    /* the log went round, and was collected */
    CHECK(f.kv.counters.blocks_written > 4 * LOG_BLOCKS && f.kv.counters.gc_steps > 0);
    for (unsigned j = 1; j < APPS; j++) {
        int slot = allocate(j);
        CHECK(slot >= 0);
        uint32_t first = AREA + regions_region_first(&regions, (unsigned)slot);
        memset(block_at(first), TAG(j), REGION * HIL_BLOCK_SIZE);
    }
    memcpy(image, f.sf.medium, sizeof image);
    image_made = true;
}

static void garbage(uint8_t *block, uint32_t seed)
{
    for (unsigned i = 0; i < HIL_BLOCK_SIZE; i++) {
        seed = seed * 1664525u + 1013904223u;
        block[i] = (uint8_t)(seed >> 24) & 0x7fu;
    }
}

/* Damage the medium as the input says; returns the blocks to make
 * unreadable once the device is up (-1 ends the list). */
static void damage(const uint8_t *data, size_t size, int bad[OPS_MAX + 1])
{
    unsigned nbad = 0;
    for (unsigned n = 0; n < OPS_MAX && size >= 4; n++, data += 4, size -= 4) {
        unsigned kind = data[0], a = data[1], b = data[2], c = data[3];
        uint8_t *log = block_at(a % LOG_BLOCKS);
        uint32_t area_block = AREA + a % AREA_BLOCKS;
        switch (kind % 7) {
        case 0:
            log[b | ((kind >> 3) & 1u) << 8] ^= (uint8_t)(c ? c : 1);
            break;
        case 1:
            memset(log + 2 * b, HIL_BLOCK_ERASED, HIL_BLOCK_SIZE - 2 * b);
            break;
        case 2:
            memset(log + 2 * b, 0, HIL_BLOCK_SIZE - 2 * b);
            break;
        case 3:
            memmove(log, block_at(b % LOG_BLOCKS), HIL_BLOCK_SIZE);
            break;
        case 4:
            garbage(log, (uint32_t)b << 8 | c);
            break;
        case 5:
            if (c % 3 == 0 && (area_block - AREA) % (1u + REGION) == 0)
                block_at(area_block)[b % 40] ^= (uint8_t)(kind / 7 ? kind / 7 : 1);
            else if (c % 3 == 1)
                memset(block_at(area_block), HIL_BLOCK_ERASED, HIL_BLOCK_SIZE);
            else if (c % 3 == 2)
                garbage(block_at(area_block), (uint32_t)b);
            break;
        default:
            bad[nbad++] = (int)((c & 1) ? area_block : a % LOG_BLOCKS);
            break;
        }
    }
    bad[nbad] = -1;
}

static void check_store(void)
{
    struct kv_owner o;
    for (unsigned k = 0; k < KF_OWNERS; k++)
        if (kv_store_owner(&f.kv, k, &o))
            CHECK(o.used <= o.quota);
    for (unsigned i = 0; i < OWNERS; i++) {
        struct kv_probe *p = &f.probes[i];
        for (unsigned k = 0; k < KEYS; k++) {
            if (kf_call(&f, i, KV_GET, keys[k], NULL, 0) != VMUX_SUCCESS)
                continue;
            for (size_t b = 0; b < p->value_len; b++)
                CHECK(p->value[b] == TAG(i + 1));
        }
        /* the store goes on: a new item, read back */
        uint8_t value[8];
        memset(value, TAG(i + 1), sizeof value);
        char key[8] = { 'n', 'e', 'w', (char)('1' + i), 0 };
        vmux_err_t err = kf_call(&f, i, KV_SET, key, value, sizeof value);
        CHECK(err == VMUX_SUCCESS || err == VMUX_NOMEM || err == VMUX_FAIL);
        if (err == VMUX_SUCCESS) {
            CHECK(kf_call(&f, i, KV_GET, key, NULL, 0) == VMUX_SUCCESS);
            CHECK(p->value_len == sizeof value && memcmp(p->value, value, sizeof value) == 0);
        }
    }
}

static bool all_erased(uint32_t first, uint32_t blocks)
{
    const uint8_t *p = block_at(first);
    for (size_t i = 0; i < blocks * HIL_BLOCK_SIZE; i++)
        if (p[i] != HIL_BLOCK_ERASED)
            return false;
    return true;
}

static void check_regions(void)
{
    for (unsigned s = 0; s < SLOTS; s++) {
        uint32_t first = AREA + regions_region_first(&regions, s);
        unsigned j = app_of(&slots[s].owner);
        if (!slots[s].owned || j == 0) /* free, or a header that did not read: nobody's */
            continue;
        CHECK(installed(&slots[s].owner));
        const uint8_t *p = block_at(first);
        for (size_t i = 0; i < REGION * HIL_BLOCK_SIZE; i++)
            CHECK(p[i] == TAG(j) || p[i] == HIL_BLOCK_ERASED || p[i] < 0x80);
    }
    int slot = allocate(4); /* a new app: nothing of anyone's */
    if (slot >= 0)
        CHECK(all_erased(AREA + regions_region_first(&regions, (unsigned)slot), REGION));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!image_made)
        make_image();
    memcpy(f.sf.medium, image, sizeof image);
    installed_mask = size ? data[0] & 7u : 7u;
    int bad[OPS_MAX + 1];
    damage(size ? data + 1 : data, size ? size - 1 : 0, bad);
    boot();
    for (unsigned i = 0; bad[i] >= 0; i++)
        sim_block_set_bad(&f.sf.device, (uint32_t)bad[i]);
    kv_store_mount(&f.kv);
    regions_mount(&regions);
    CHECK(sf_run_until(&f.sf, mounted, NULL));
    check_store();
    check_regions();
    return 0;
}
