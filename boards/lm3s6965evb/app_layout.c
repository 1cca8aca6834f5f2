#include "boards/lm3s6965evb/app_layout.h"

#include "arch/cortex-m3/mpu.h"
#include "kernel/tbf.h"

/* Free RAM: disjoint intervals, at most one more per allocation. */
struct span {
    uintptr_t start, end;
};
#define SPANS (LM3S_APPS_CONSIDERED + 2u)
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

/* Why the app object obj at address addr (h: its parse) is left out;
 * NULL if it is not. */
static const char *refusal(const struct lm3s_layout *l, const struct tbf_header *h,
                           const uint8_t *obj, uintptr_t addr)
{
    if (!h->enabled)
        return "disabled";
    if (!tbf_kernel_version_ok(h))
        return "for another kernel version";
    if (h->fixed_flash != TBF_NO_FIXED_ADDRESS &&
        h->fixed_flash != addr + h->header_size + h->protected_trailer_size)
        return "linked for another flash address";
    if (!cm3_mpu_flash_fits(addr, addr + h->total_size))
        return "not aligned for the MPU";
    if (l->check_sha256 && tbf_check_sha256(obj, h) == TBF_SHA256_MISMATCH)
        return "SHA-256 credentials do not match";
    const char *why = NULL; /* the host tools too (tools/vmuxload) */
    process_name_check(h->name[0] ? h->name : "app", &why);
    return why;
}

/* Sort key: fixed RAM addresses first, then the biggest blocks. */
static uint32_t placement_key(const struct lm3s_app_place *a)
{
    return a->fixed_ram != TBF_NO_FIXED_ADDRESS ? 0xffffffffu : a->block;
}

unsigned lm3s_layout_apps(const struct lm3s_layout *l, struct lm3s_app_place *apps,
                          lm3s_say_fn say)
{
    unsigned count = 0;
    size_t at = 0;
    for (;;) {
        struct tbf_header h;
        const uint8_t *obj = l->flash + at;
        uintptr_t addr = l->flash_addr + at;
        enum tbf_verdict v = tbf_parse(obj, l->flash_size - at, &h);
        if (v == TBF_END)
            break;
        if (!tbf_can_skip(v)) {
            say("TBF at 0x%05lx: %s, the app list ends here\n", (unsigned long)addr,
                tbf_verdict_name(v));
            break;
        }
        const char *name = h.name[0] ? h.name : "(unnamed)";
        if (v == TBF_BAD_CHECKSUM) {
            say("TBF at 0x%05lx (%s): bad checksum 0x%08lx, computed 0x%08lx: skipped\n",
                (unsigned long)addr, name, (unsigned long)h.checksum,
                (unsigned long)h.checksum_computed);
            at += h.total_size;
            continue;
        }
        if (v == TBF_PADDING) {
            at += h.total_size;
            continue;
        }
        /* Every other object left out is reported the same way. */
        const char *why = v != TBF_APP ? tbf_verdict_name(v) : refusal(l, &h, obj, addr);
        if (!why && count == LM3S_APPS_CONSIDERED)
            why = "no process slot left";
        if (why) {
            say("TBF at 0x%05lx (%s): %s: skipped\n", (unsigned long)addr, name, why);
            at += h.total_size;
            continue;
        }
        /* RAM: the minimum the TBF asks for (at least the first frame)
         * and the grant floor, in the power-of-two block the MPU needs
         * around it; the quota adds up to grant_allowance for grants,
         * inside that block. */
        struct lm3s_app_place *a = &apps[count++];
        uint32_t need = round_up(h.minimum_ram_size < LM3S_FIRST_FRAME ? LM3S_FIRST_FRAME
                                                                       : h.minimum_ram_size, 8u) +
                        l->grant_floor;
        a->offset = (uint32_t)at;
        a->block = cm3_mpu_pow2(need);
        if (a->block < CM3_MPU_MIN_RAM_BLOCK)
            a->block = CM3_MPU_MIN_RAM_BLOCK;
        a->quota = need + l->grant_allowance >= a->block
                       ? a->block
                       : round_up(need + l->grant_allowance, a->block / 8u);
        a->fixed_ram = h.fixed_ram;
        at += h.total_size;
    }

    span_count = 1;
    spans[0] = (struct span){ l->ram_start, l->ram_end };
    struct lm3s_app_place *order[LM3S_APPS_CONSIDERED];
    for (unsigned i = 0; i < count; i++) {
        unsigned j = i;
        for (; j > 0 && placement_key(order[j - 1]) < placement_key(&apps[i]); j--)
            order[j] = order[j - 1];
        order[j] = &apps[i];
    }
    for (unsigned i = 0; i < count; i++)
        order[i]->ram = allocate(order[i]->fixed_ram, order[i]->quota, order[i]->block);
    return count;
}

const char *lm3s_layout_left_out(const struct lm3s_app_place *a, unsigned started, unsigned slots)
{
    if (a->ram == 0)
        return a->fixed_ram == TBF_NO_FIXED_ADDRESS ? "no room for its RAM"
                                                    : "its fixed RAM address is not free";
    return started < slots ? NULL : "no process slot left";
}
