#include "boards/lm3s6965evb/apps.h"

#include <string.h>

#include "arch/cortex-m3/arch.h"
#include "arch/cortex-m3/mpu.h"
#include "arch/cortex-m3/process.h"
#include "kernel/tbf.h"

struct app {
    struct tbf_header h;
    uintptr_t flash;
    uint32_t block, quota;
    uintptr_t ram;
};

/* Free RAM: disjoint intervals, at most one more per allocation. */
struct span {
    uintptr_t start, end;
};
#define SPANS (PROCESS_MAX + 2u)
static struct span spans[SPANS];
static unsigned span_count;

/* The highest address aligned to `align` where size bytes fit in a free
 * span; 0 when none. */
static uintptr_t allocate(uint32_t size, uint32_t align)
{
    int best = -1;
    uintptr_t best_at = 0;
    for (unsigned i = 0; i < span_count; i++) {
        if (spans[i].end - spans[i].start < size)
            continue;
        uintptr_t at = (spans[i].end - size) & ~(uintptr_t)(align - 1u);
        if (at >= spans[i].start && at > best_at) {
            best = (int)i;
            best_at = at;
        }
    }
    if (best < 0 || span_count == SPANS)
        return 0;
    struct span s = spans[best];
    spans[best] = (struct span){ s.start, best_at };
    spans[span_count++] = (struct span){ best_at + size, s.end };
    return best_at;
}

static uint32_t round_up(uint32_t n, uint32_t to)
{
    return (n + to - 1u) / to * to;
}

unsigned lm3s_load_apps(const cap_process_management_t *cap, uint32_t grant_allowance,
                        enum process_restart_policy restart, lm3s_say_fn say)
{
    struct app apps[PROCESS_MAX];
    unsigned count = 0;
    const uint8_t *base = (const uint8_t *)_apps_flash_start;
    size_t size = (size_t)((uintptr_t)_apps_flash_end - (uintptr_t)_apps_flash_start);
    size_t at = 0;
    for (;;) {
        struct tbf_header h;
        uintptr_t where = (uintptr_t)(base + at);
        enum tbf_verdict v = tbf_parse(base + at, size - at, &h);
        if (v == TBF_END)
            break;
        if (!tbf_can_skip(v)) {
            say("TBF at 0x%05lx: %s, the app list ends here\n",
                           (unsigned long)where, tbf_verdict_name(v));
            break;
        }
        at += h.total_size;
        const char *name = h.name[0] ? h.name : "(unnamed)";
        if (v == TBF_BAD_CHECKSUM) {
            say("TBF at 0x%05lx (%s): bad checksum 0x%08lx, computed 0x%08lx: "
                                "skipped\n",
                           (unsigned long)where, name, (unsigned long)h.checksum,
                           (unsigned long)h.checksum_computed);
            continue;
        }
        if (v == TBF_PADDING)
            continue;
        /* Every other object left out is reported the same way. */
        const char *why = NULL;
        if (v != TBF_APP)
            why = tbf_verdict_name(v);
        else if (!h.enabled)
            why = "disabled";
        else if (!cm3_mpu_flash_fits(where, where + h.total_size))
            why = "not aligned for the MPU";
        else if (count == PROCESS_MAX)
            why = "no process slot left";
        if (why) {
            say("TBF at 0x%05lx (%s): %s: skipped\n", (unsigned long)where, name, why);
            continue;
        }
        struct app *a = &apps[count++];
        a->h = h;
        a->flash = where;
        uint32_t need = round_up(h.minimum_ram_size, 8u) + grant_allowance;
        a->block = cm3_mpu_pow2(need);
        if (a->block < CM3_MPU_MIN_RAM_BLOCK)
            a->block = CM3_MPU_MIN_RAM_BLOCK;
        a->quota = round_up(need, a->block / 8u);
    }

    /* Biggest blocks first: each takes the highest aligned place left. */
    span_count = 1;
    spans[0] = (struct span){ (uintptr_t)_apps_ram_start, (uintptr_t)_apps_ram_end };
    struct app *order[PROCESS_MAX];
    for (unsigned i = 0; i < count; i++) {
        unsigned j = i;
        for (; j > 0 && order[j - 1]->block < apps[i].block; j--)
            order[j] = order[j - 1];
        order[j] = &apps[i];
    }
    for (unsigned i = 0; i < count; i++)
        order[i]->ram = allocate(order[i]->quota, order[i]->block);

    unsigned created = 0;
    for (unsigned i = 0; i < count; i++) {
        struct app *a = &apps[i];
        const char *name = a->h.name[0] ? a->h.name : "app";
        if (a->ram == 0) {
            say("app %s: no room for %lu bytes of RAM: skipped\n", name,
                           (unsigned long)a->quota);
            continue;
        }
        uintptr_t entry = a->flash + a->h.header_size + a->h.init_fn_offset;
        struct process_image image = {
            .name = name,
            .ram_start = a->ram,
            .ram_end = a->ram + a->quota,
            .initial_break = a->ram + round_up(a->h.minimum_ram_size, 8u),
            .flash_start = a->flash,
            .flash_end = a->flash + a->h.total_size,
            .restart_policy = restart,
        };
        void *ctx = cm3_process_alloc(entry | 1u, a->flash + a->h.header_size +
                                                      a->h.protected_trailer_size);
        struct process *p = NULL;
        vmux_err_t err = ctx ? process_create(cap, &image, ctx, &p) : VMUX_NOMEM;
        if (err != VMUX_SUCCESS) {
            say("app %s: not started: %s\n", name, vmux_err_name(err));
            cm3_process_free(ctx); /* the slot stayed free (process_create) */
            continue;
        }
        created++;
        say("app %s: flash 0x%05lx %luK, RAM 0x%08lx %luB\n", name,
                       (unsigned long)a->flash, (unsigned long)(a->h.total_size / 1024u),
                       (unsigned long)a->ram, (unsigned long)a->quota);
    }
    say("apps: %u started, each with %lu bytes for grants\n", created,
                   (unsigned long)grant_allowance);
    return created;
}
