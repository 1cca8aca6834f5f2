#include "boards/lm3s6965evb/apps.h"

#include <string.h>

#include "arch/cortex-m3/arch.h"
#include "arch/cortex-m3/process.h"
#include "kernel/tbf.h"

_Static_assert(TBF_FLASH_REGIONS_MAX == PROCESS_FLASH_REGIONS_MAX,
               "a process keeps every writeable flash region its TBF names");
_Static_assert(LM3S_FIRST_FRAME == CM3_PROCESS_RAM_MIN, "an app starts from its first frame");

/* Start one app: its process, from its TBF header (parsed again, as the
 * walk saw it). */
static bool start(const cap_process_management_t *cap, const struct lm3s_app_place *a,
                  const char *left_out, enum process_restart_policy restart, lm3s_say_fn say)
{
    uintptr_t flash = (uintptr_t)_apps_flash_start + a->offset;
    struct tbf_header h;
    tbf_parse((const uint8_t *)flash, (uintptr_t)_apps_flash_end - flash, &h);
    const char *name = h.name[0] ? h.name : "app";
    if (left_out) {
        say("app %s: %s: skipped\n", name, left_out);
        return false;
    }
    uintptr_t ram = a->ram;
    struct process_image image = {
        .name = name,
        .ram_start = ram,
        .ram_end = ram + a->quota,
        .initial_break = ram + LM3S_FIRST_FRAME,
        .flash_start = flash,
        .flash_end = flash + h.total_size,
        .flash_region_count = h.flash_region_count,
        .restart_policy = restart,
    };
    for (unsigned i = 0; i < h.flash_region_count; i++) {
        uintptr_t region = flash + h.flash_regions[i].offset;
        image.flash_regions[i] = (struct memory_range){ region, region + h.flash_regions[i].size };
    }
    void *ctx = cm3_process_alloc((flash + h.header_size + h.init_fn_offset) | 1u,
                                  flash + h.header_size + h.protected_trailer_size);
    vmux_err_t err = ctx ? process_create(cap, &image, ctx, NULL) : VMUX_NOMEM;
    if (err != VMUX_SUCCESS) {
        const char *why = vmux_err_name(err);
        process_name_check(name, &why); /* a name an earlier app took: says so */
        say("app %s: not started: %s\n", name, why);
        cm3_process_free(ctx); /* the slot stayed free (process_create) */
        return false;
    }
    say("app %s: flash 0x%05lx %luK, RAM 0x%08lx %luB\n", name, (unsigned long)flash,
        (unsigned long)(h.total_size / 1024u), (unsigned long)ram,
        (unsigned long)a->quota);
    return true;
}

unsigned lm3s_apps_without_room;

unsigned lm3s_load_apps(const cap_process_management_t *cap, uint32_t grant_floor,
                        uint32_t grant_allowance,
                        enum process_restart_policy restart, bool check_sha256, lm3s_say_fn say)
{
    const struct lm3s_layout layout = {
        .flash = (const uint8_t *)_apps_flash_start,
        .flash_addr = (uintptr_t)_apps_flash_start,
        .flash_size = (size_t)((uintptr_t)_apps_flash_end - (uintptr_t)_apps_flash_start),
        .ram_start = (uintptr_t)_apps_ram_start,
        .ram_end = (uintptr_t)_apps_ram_end,
        .grant_floor = grant_floor,
        .grant_allowance = grant_allowance,
        .check_sha256 = check_sha256,
    };
    struct lm3s_app_place apps[LM3S_APPS_CONSIDERED];
    unsigned count = lm3s_layout_apps(&layout, apps, say);
    unsigned created = 0, unplaced = 0;
    for (unsigned i = 0; i < count; i++) {
        unplaced += apps[i].ram == 0;
        created += start(cap, &apps[i], lm3s_layout_left_out(&apps[i], created, PROCESS_MAX),
                         restart, say);
    }
    lm3s_apps_without_room = unplaced;
    say("apps: %u started, %u without room in %luB of RAM, up to %luB each for grants\n", created,
        unplaced, (unsigned long)(layout.ram_end - layout.ram_start),
        (unsigned long)grant_allowance);
    return created;
}
