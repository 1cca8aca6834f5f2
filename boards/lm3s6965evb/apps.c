#include "boards/lm3s6965evb/apps.h"

#include <string.h>

#include "arch/cortex-m3/arch.h"
#include "arch/cortex-m3/mpu.h"
#include "arch/cortex-m3/process.h"
#include "kernel/tbf.h"

_Static_assert(TBF_FLASH_REGIONS_MAX == PROCESS_FLASH_REGIONS_MAX,
               "a process keeps every writeable flash region its TBF names");

/* The initial break, as Tock's: room for the exception frame the app
 * starts from; its crt0 sets the break it wants (the end of its .bss). */
#define FIRST_FRAME CM3_PROCESS_RAM_MIN

struct app {
    uintptr_t flash;         /* the TBF object; parsed again to start it */
    uint32_t block, quota;   /* MPU block and RAM quota (apps.h) */
    uintptr_t ram;           /* 0: no room */
    uintptr_t fixed_ram;     /* TBF_NO_FIXED_ADDRESS: anywhere */
};

/* Apps considered: more than the process slots, so that objects left
 * out for want of RAM do not crowd out the ones after them. */
#define APPS_MAX (2u * PROCESS_MAX)

/* Free RAM: disjoint intervals, at most one more per allocation. */
struct span {
    uintptr_t start, end;
};
#define SPANS (APPS_MAX + 2u)
static struct span spans[SPANS];
static unsigned span_count;

/* Take size bytes aligned to `align` out of a free span: at `at` when it
 * is not TBF_NO_FIXED_ADDRESS, else at the highest place that fits. 0
 * when none does. */
static uintptr_t allocate(uintptr_t at, uint32_t size, uint32_t align)
{
    int best = -1;
    uintptr_t best_at = 0;
    for (unsigned i = 0; i < span_count; i++) {
        if (spans[i].end - spans[i].start < size)
            continue;
        uintptr_t top = spans[i].end - size;
        uintptr_t here = at != TBF_NO_FIXED_ADDRESS ? at : top & ~(uintptr_t)(align - 1u);
        if (here >= spans[i].start && here <= top && here % align == 0 && here > best_at) {
            best = (int)i;
            best_at = here;
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

/* Why the app object obj (h: its parse) is left out; NULL if it is not. */
static const char *refusal(const struct tbf_header *h, const uint8_t *obj, bool check_sha256)
{
    if (!h->enabled)
        return "disabled";
    if (!tbf_kernel_version_ok(h))
        return "for another kernel version";
    if (h->fixed_flash != TBF_NO_FIXED_ADDRESS &&
        h->fixed_flash != (uintptr_t)obj + h->header_size + h->protected_trailer_size)
        return "linked for another flash address";
    if (!cm3_mpu_flash_fits((uintptr_t)obj, (uintptr_t)obj + h->total_size))
        return "not aligned for the MPU";
    if (check_sha256 && tbf_check_sha256(obj, h) == TBF_SHA256_MISMATCH)
        return "SHA-256 credentials do not match";
    const char *why = NULL;
    process_name_check(h->name[0] ? h->name : "app", &why);
    return why;
}

/* Start one app: its process, from its TBF header (parsed again, as the
 * walk saw it). */
static bool start(const cap_process_management_t *cap, const struct app *a, bool slot_left,
                  enum process_restart_policy restart, lm3s_say_fn say)
{
    struct tbf_header h;
    tbf_parse((const uint8_t *)a->flash, (uintptr_t)_apps_flash_end - a->flash, &h);
    const char *name = h.name[0] ? h.name : "app";
    if (a->ram == 0 || !slot_left) {
        say("app %s: %s: skipped\n", name,
            a->ram                                  ? "no process slot left"
            : a->fixed_ram == TBF_NO_FIXED_ADDRESS ? "no room for its RAM"
                                                   : "its fixed RAM address is not free");
        return false;
    }
    struct process_image image = {
        .name = name,
        .ram_start = a->ram,
        .ram_end = a->ram + a->quota,
        .initial_break = a->ram + FIRST_FRAME,
        .flash_start = a->flash,
        .flash_end = a->flash + h.total_size,
        .flash_region_count = h.flash_region_count,
        .restart_policy = restart,
    };
    for (unsigned i = 0; i < h.flash_region_count; i++) {
        uintptr_t region = a->flash + h.flash_regions[i].offset;
        image.flash_regions[i] = (struct memory_range){ region, region + h.flash_regions[i].size };
    }
    void *ctx = cm3_process_alloc((a->flash + h.header_size + h.init_fn_offset) | 1u,
                                  a->flash + h.header_size + h.protected_trailer_size);
    vmux_err_t err = ctx ? process_create(cap, &image, ctx, NULL) : VMUX_NOMEM;
    if (err != VMUX_SUCCESS) {
        const char *why = vmux_err_name(err);
        process_name_check(name, &why); /* a name an earlier app took: says so */
        say("app %s: not started: %s\n", name, why);
        cm3_process_free(ctx); /* the slot stayed free (process_create) */
        return false;
    }
    say("app %s: flash 0x%05lx %luK, RAM 0x%08lx %luB\n", name, (unsigned long)a->flash,
        (unsigned long)(h.total_size / 1024u), (unsigned long)a->ram, (unsigned long)a->quota);
    return true;
}

unsigned lm3s_apps_without_room;

unsigned lm3s_load_apps(const cap_process_management_t *cap, uint32_t grant_floor,
                        uint32_t grant_allowance,
                        enum process_restart_policy restart, bool check_sha256, lm3s_say_fn say)
{
    struct app apps[APPS_MAX];
    unsigned count = 0;
    const uint8_t *base = (const uint8_t *)_apps_flash_start;
    size_t size = (size_t)((uintptr_t)_apps_flash_end - (uintptr_t)_apps_flash_start);
    size_t at = 0;
    for (;;) {
        struct tbf_header h;
        const uint8_t *obj = base + at;
        enum tbf_verdict v = tbf_parse(obj, size - at, &h);
        if (v == TBF_END)
            break;
        if (!tbf_can_skip(v)) {
            say("TBF at 0x%05lx: %s, the app list ends here\n", (unsigned long)(uintptr_t)obj,
                tbf_verdict_name(v));
            break;
        }
        at += h.total_size;
        const char *name = h.name[0] ? h.name : "(unnamed)";
        if (v == TBF_BAD_CHECKSUM) {
            say("TBF at 0x%05lx (%s): bad checksum 0x%08lx, computed 0x%08lx: skipped\n",
                (unsigned long)(uintptr_t)obj, name, (unsigned long)h.checksum,
                (unsigned long)h.checksum_computed);
            continue;
        }
        if (v == TBF_PADDING)
            continue;
        /* Every other object left out is reported the same way. */
        const char *why = v != TBF_APP ? tbf_verdict_name(v) : refusal(&h, obj, check_sha256);
        if (!why && count == APPS_MAX)
            why = "no process slot left";
        if (why) {
            say("TBF at 0x%05lx (%s): %s: skipped\n", (unsigned long)(uintptr_t)obj, name, why);
            continue;
        }
        /* RAM: the minimum the TBF asks for (at least the first frame)
         * and the grant floor, in the power-of-two block the MPU needs
         * around it; the quota adds up to grant_allowance for grants,
         * inside that block. */
        struct app *a = &apps[count++];
        uint32_t need = round_up(h.minimum_ram_size < FIRST_FRAME ? FIRST_FRAME
                                                                 : h.minimum_ram_size, 8u) +
                        grant_floor;
        a->flash = (uintptr_t)obj;
        a->block = cm3_mpu_pow2(need);
        if (a->block < CM3_MPU_MIN_RAM_BLOCK)
            a->block = CM3_MPU_MIN_RAM_BLOCK;
        a->quota = need + grant_allowance >= a->block ? a->block
                                                     : round_up(need + grant_allowance, a->block / 8u);
        a->fixed_ram = h.fixed_ram;
    }

    /* Apps with a fixed RAM address first, at it; then the biggest blocks,
     * each at the highest aligned place left (a sort key: fixed first). */
    span_count = 1;
    spans[0] = (struct span){ (uintptr_t)_apps_ram_start, (uintptr_t)_apps_ram_end };
    struct app *order[APPS_MAX];
    for (unsigned i = 0; i < count; i++) {
        unsigned j = i;
        uint32_t key = apps[i].fixed_ram != TBF_NO_FIXED_ADDRESS ? 0xffffffffu : apps[i].block;
        for (; j > 0 && (order[j - 1]->fixed_ram != TBF_NO_FIXED_ADDRESS ? 0xffffffffu
                                                                          : order[j - 1]->block) < key;
             j--)
            order[j] = order[j - 1];
        order[j] = &apps[i];
    }
    unsigned unplaced = 0;
    for (unsigned i = 0; i < count; i++) {
        order[i]->ram = allocate(order[i]->fixed_ram, order[i]->quota, order[i]->block);
        unplaced += order[i]->ram == 0;
    }

    lm3s_apps_without_room = unplaced;
    unsigned created = 0;
    for (unsigned i = 0; i < count; i++)
        created += start(cap, &apps[i], created < PROCESS_MAX, restart, say);
    say("apps: %u started, %u without room in %luB of RAM, up to %luB each for grants\n", created,
        unplaced, (unsigned long)((uintptr_t)_apps_ram_end - (uintptr_t)_apps_ram_start),
        (unsigned long)grant_allowance);
    return created;
}
