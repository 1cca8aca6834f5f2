#include "boards/common/storage.h"

#include <inttypes.h>
#include <string.h>

#include "boards/common/console.h"
#include "boards/common/demo.h"
#include "capsules/drivers/isolated_storage_driver.h"
#include "capsules/drivers/kv_driver.h"
#include "capsules/storage/kv_store.h"
#include "capsules/storage/storage_mux.h"
#include "kernel/process.h"

#define U32 "%" PRIu32
#define WATCHDOG_US 200000u            /* a block a turn: an SD card's slowest write, twice */
#define KERNEL_KEY "kernel.boots"

static struct virtual_alarm watchdog;
static struct client_entry *mux_slots[STORAGE_MUX_CLIENTS];
static uint32_t mux_rr[RR_WORDS(STORAGE_MUX_CLIENTS)];
static struct storage_mux mux;

static struct kv_entry kv_index[STORAGE_KV_KEYS];
static struct kv_owner kv_owners[STORAGE_KV_OWNERS];
static uint8_t kv_blocks[STORAGE_KV_BLOCKS_MAX];
static struct client_entry *kv_slots[1u + PROCESS_MAX];
static uint32_t kv_rr[RR_WORDS(1u + PROCESS_MAX)];
static struct kv_store kv;

static struct region_slot slots[STORAGE_REGION_SLOTS_MAX];
static struct client_entry *region_clients[PROCESS_MAX];
static uint32_t region_rr[RR_WORDS(PROCESS_MAX)];
static struct regions regions;

static struct kv_driver kv_driver;
static struct isolated_storage_driver isolated_driver;
static bool wired;

/* The kernel's own item: how many times it booted on this device. */
static struct kv_client boots;
static struct storage_permissions kernel_perms;
static uint8_t boots_value[4];
static uint32_t boot_count;

static void boots_done(struct kv_client *c, enum kv_op op, vmux_err_t status,
                       const uint8_t *value, size_t len)
{
    if (op == KV_GET) {
        if (status == VMUX_SUCCESS && len == sizeof boots_value)
            boot_count = (uint32_t)value[0] | (uint32_t)value[1] << 8 |
                         (uint32_t)value[2] << 16 | (uint32_t)value[3] << 24;
        boot_count++;
        for (unsigned i = 0; i < sizeof boots_value; i++)
            boots_value[i] = (uint8_t)(boot_count >> (8 * i));
        kv_store_request(c, KV_SET, (const uint8_t *)KERNEL_KEY, sizeof KERNEL_KEY - 1,
                         boots_value, sizeof boots_value);
        return;
    }
    console_printf(demo_kernel_console(), "storage: kernel boot " U32 " on this device (%s)\n",
                   boot_count, vmux_err_name(status));
}

static const struct kv_client_ops boots_ops = { boots_done };

bool board_storage_init(const struct board_storage *cfg)
{
    uint32_t blocks = hil_block_count(cfg->device);
    uint32_t area = cfg->region_slots * (1u + cfg->region_blocks);
    if (cfg->kv_blocks > STORAGE_KV_BLOCKS_MAX || cfg->region_slots > STORAGE_REGION_SLOTS_MAX ||
        cfg->kv_first + cfg->kv_blocks > blocks || cfg->regions_first + area > blocks)
        return false;
    virtual_alarm_init(&watchdog, cfg->alarm_mux);
    client_id_t kv_id = client_register_kernel(CLIENT_NAME("kv-store"));
    client_id_t regions_id = client_register_kernel(CLIENT_NAME("regions"));
    struct kv_config kv_cfg = { kv_index,  STORAGE_KV_KEYS, kv_owners,         STORAGE_KV_OWNERS,
                                kv_blocks, cfg->default_quota, kv_slots,       kv_rr,
                                1u + PROCESS_MAX };
    if (storage_mux_init(&mux, cfg->device, mux_slots, mux_rr, STORAGE_MUX_CLIENTS,
                         &watchdog.hil, WATCHDOG_US) != VMUX_SUCCESS ||
        kv_store_init(&kv, &mux, kv_id, cfg->window, cfg->kv_first, cfg->kv_blocks, &kv_cfg) !=
            VMUX_SUCCESS ||
        regions_init(&regions, &mux, regions_id, cfg->window, cfg->regions_first, slots,
                     cfg->region_slots, cfg->region_blocks, region_clients, region_rr,
                     PROCESS_MAX, cfg->installed) != VMUX_SUCCESS ||
        storage_permissions_kernel(&kernel_perms, cfg->kernel, 0) != VMUX_SUCCESS ||
        kv_store_attach(&kv, &boots, client_register_kernel(CLIENT_NAME("boots")), &kernel_perms,
                        &boots_ops) != VMUX_SUCCESS)
        return false;
    kv_store_grant(&kv, 0, 64); /* the kernel's own items */
    kv_driver_init(&kv_driver, &kv, cfg->identify);
    isolated_storage_driver_init(&isolated_driver, &regions, cfg->identify);
    wired = process_register_driver(&kv_driver.driver) == VMUX_SUCCESS &&
            process_register_driver(&isolated_driver.driver) == VMUX_SUCCESS;
    return wired;
}

void board_storage_mount(void)
{
    if (!wired)
        return;
    kv_store_mount(&kv);
    regions_mount(&regions);
    kv_store_request(&boots, KV_GET, (const uint8_t *)KERNEL_KEY, sizeof KERNEL_KEY - 1, NULL, 0);
}

size_t board_storage_grant_size(void)
{
    return process_grant_size(&kv_driver.driver) + process_grant_size(&isolated_driver.driver);
}

/* "storage", a line at a time: the store's owners, the regions, counters. */
static bool storage_line(struct console *c, unsigned line)
{
    struct kv_owner o;
    if (line == 0) {
        console_printf(c, "kv store: %s, " U32 " blocks, capacity " U32 " bytes, reserved " U32
                          ", keys %u; regions: %s, %u of " U32 " bytes\n",
                       kv.mounted ? "mounted" : "mounting", kv.n, kv.capacity, kv.reserved_total,
                       kv.keys, regions.mounted ? "mounted" : "mounting", regions.slot_count,
                       regions.region_blocks * HIL_BLOCK_SIZE);
        return true;
    }
    line--;
    if (line < STORAGE_KV_OWNERS) {
        if (kv_store_owner(&kv, line, &o))
            console_printf(c, "  owner " U32 "%s: used " U32 " of quota " U32 "%s\n", o.id,
                           o.id == 0 ? " (kernel)" : "", o.used, o.quota,
                           o.granted ? " (granted)" : "");
        return true;
    }
    line -= STORAGE_KV_OWNERS;
    if (line < regions.slot_count) {
        const struct region_slot *s = &regions.slots[line];
        if (s->owned && s->owner.short_id)
            console_printf(c, "  region %u: ShortId 0x%08" PRIx32 "\n", line, s->owner.short_id);
        else if (s->owned)
            console_printf(c, "  region %u: %s\n", line, s->owner.name);
        else
            console_printf(c, "  region %u: free\n", line);
        return true;
    }
    line -= regions.slot_count;
    const struct kv_store_counters *k = &kv.counters;
    switch (line) {
    case 0:
        console_printf(c, "kv requests: taken " U32 ", done " U32 ", failed " U32
                          ", departed " U32 "; refused: quota " U32 ", permissions " U32
                          ", no such key " U32 ", no write id " U32 "\n",
                       k->requests.n[TALLY_TAKEN], k->requests.n[TALLY_DELIVERED],
                       k->requests.n[TALLY_FAILED], k->requests.n[TALLY_DEPARTED], k->nomem,
                       k->denied, k->absent, k->no_write_id);
        return true;
    case 1:
        console_printf(c, "kv log: blocks written " U32 ", read " U32 ", record bytes " U32
                          ", collected " U32 " (" U32 " bytes); damage: read errors " U32
                          ", write errors " U32 ", bad blocks " U32 ", bad records " U32
                          ", lost " U32 ", dropped at mounting " U32 "\n",
                       k->blocks_written, k->blocks_read, k->user_bytes, k->gc_steps,
                       k->gc_bytes, k->read_errors, k->write_errors, k->bad_blocks,
                       k->bad_records, k->lost, k->mount_dropped);
        return true;
    case 2:
        console_printf(c, "regions: allocated " U32 ", reclaimed " U32 ", refused " U32
                          ", bad headers " U32 ", errors " U32 "\n",
                       regions.counters.allocated, regions.counters.reclaimed,
                       regions.counters.refused, regions.counters.bad_headers,
                       regions.counters.errors);
        return true;
    case 3: {
        const struct tally *t = &isolated_driver.counters.ops;
        console_printf(c, "isolated storage: taken " U32 ", done " U32 ", failed " U32
                          ", departed " U32 "; refused: no identity " U32 ", outside " U32
                          "; kv driver: no permissions " U32 ", too long " U32
                          ", truncated " U32 "\n",
                       t->n[TALLY_TAKEN], t->n[TALLY_DELIVERED], t->n[TALLY_FAILED],
                       t->n[TALLY_DEPARTED], isolated_driver.counters.no_identity,
                       isolated_driver.counters.outside, kv_driver.counters.no_permissions,
                       kv_driver.counters.too_long, kv_driver.counters.truncated);
        return true;
    }
        return true;
    case 4:
        console_printf(c, "storage mux: turns " U32 ", timeouts " U32 ", outside " U32
                          ", buffer wipes " U32 "\n",
                       mux.bus.counters.turns, mux.bus.counters.timeouts, mux.counters.outside,
                       mux.counters.wipes);
        return true;
    default:
        return false;
    }
}

bool board_storage_command(struct console *c, const char *line)
{
    if (strcmp(line, "storage") != 0)
        return false;
    if (!wired)
        console_printf(c, "no storage on this board\n");
    else
        console_report(c, storage_line);
    return true;
}
