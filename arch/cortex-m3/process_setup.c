/*
 * Processes on Cortex-M3, the cold half: start-up, allocation, release
 * and the fault record (process.c has the switch and trap paths).
 */
#include <string.h>

#include "arch/cortex-m3/arch.h"
#include "arch/cortex-m3/process_context.h"

_Static_assert(FRAME_WORDS * 4u == CM3_PROCESS_RAM_MIN, "a first frame is the least RAM");

static bool in_range(uintptr_t a, size_t len, uintptr_t start, uintptr_t end)
{
    return a >= start && a <= end && len <= end - a;
}

__attribute__((used)) void cm3_process_fault_record(const uint32_t *frame, uint32_t exc_return,
                                                   const uint32_t *r4_r11)
{
    struct process *p = cm3_running;
    if (!(exc_return & 4u) || p == NULL) /* the main stack, or PSP without a process */
        arch_fault_report(frame, exc_return, r4_r11);
    struct cm3_process *cp = p->arch;
    /* A frame that stacking could not write is not read either: only one
     * wholly in memory the process reaches, below the end the MPU gives
     * its break. Its grants lie above that, in its quota but the kernel's:
     * a stack pointer aimed there must not make the report print them. */
    cm3_fault_record(&cp->fault, frame, r4_r11,
                     in_range((uintptr_t)frame, FRAME_WORDS * 4u, p->ram_start,
                              cm3_process_accessible_end(p, p->app_break)));
}

vmux_err_t cm3_start(struct process *p)
{
    struct cm3_process *cp = p->arch;
    if (cp == NULL || !cp->in_use || !cm3_mpu_flash_fits(p->flash_start, p->flash_end) ||
        !cm3_mpu_ram_fits(p->ram_start, p->ram_end) || cp->entry < p->flash_start ||
        cp->entry >= p->flash_end || cp->binary < p->flash_start || cp->binary > cp->entry)
        return VMUX_INVALID;
    uintptr_t top = p->initial_break & ~(uintptr_t)7u;
    if (top < p->ram_start + CM3_PROCESS_RAM_MIN)
        return VMUX_INVALID;
    process_wipe_ram(p);
    uint32_t *frame = (uint32_t *)(top - FRAME_WORDS * 4u);
    frame[0] = (uint32_t)cp->binary;
    frame[1] = (uint32_t)p->ram_start;
    frame[2] = (uint32_t)(p->ram_end - p->ram_start);
    frame[3] = (uint32_t)p->initial_break;
    frame[4] = 0;
    frame[5] = 0;
    frame[6] = (uint32_t)cp->entry & ~1u;
    frame[7] = XPSR_THUMB;
    memset(cp->r4_r11, 0, sizeof cp->r4_r11);
    cp->psp = (uint32_t)(uintptr_t)frame;
    cp->mpu_break = 0;
    if (cm3_mpu_owner == cp)
        cm3_mpu_owner = NULL;
    return VMUX_SUCCESS;
}

void cm3_release(struct process *p)
{
    struct cm3_process *cp = p->arch;
    if (cp == NULL)
        return;
    if (cm3_mpu_owner == cp) {
        cm3_mpu_clear();
        cm3_mpu_owner = NULL;
    }
    cp->mpu_break = 0;
}

uintptr_t cm3_process_accessible_end(const struct process *p, uintptr_t brk)
{
    return cm3_mpu_ram_end(p->ram_start, p->ram_end, brk);
}

bool cm3_process_init(const struct cm3_slice_timer *timer, cm3_report_fn report_line)
{
    if (timer == NULL || !cm3_mpu_init())
        return false;
    cm3_slice_timer = timer;
    cm3_reporter = report_line;
    cm3_mpu_owner = NULL;
    return true;
}

void *cm3_process_alloc(uintptr_t entry, uintptr_t binary)
{
    for (unsigned i = 0; i < PROCESS_MAX; i++) {
        struct cm3_process *cp = &cm3_pool[i];
        if (cp->in_use)
            continue;
        memset(cp, 0, sizeof *cp);
        cp->in_use = true;
        cp->entry = entry;
        cp->binary = binary;
        return cp;
    }
    return NULL;
}

void cm3_process_free(void *context)
{
    struct cm3_process *cp = context;
    if (cp == NULL)
        return;
    if (cm3_mpu_owner == cp) {
        cm3_mpu_clear();
        cm3_mpu_owner = NULL;
    }
    cp->in_use = false;
}

struct cm3_fault cm3_process_last_fault(const struct process *p)
{
    const struct cm3_process *cp = p->arch;
    struct cm3_fault none;
    memset(&none, 0, sizeof none);
    return cp ? cp->fault : none;
}
