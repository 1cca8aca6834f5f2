/*
 * Cortex-M3 reset and the core half of the vector table (arch.h).
 *
 * The hardware loads the main stack pointer from entry 0 (the top of the
 * kernel stack, which the linker script puts at the bottom of RAM so an
 * overflow runs off the end of RAM instead of into .data) and jumps to
 * entry 1 in Thread mode, privileged, on the main stack. The chip's
 * interrupt entries (.vectors.irq) follow these 16 in flash; the linker
 * script keeps both at address 0.
 */
#include <stdint.h>
#include <string.h>

#include "arch/cortex-m3/arch.h"
#include "arch/cortex-m3/cortex_m3.h"

#define STACK_FILL 0x5ac35ac3u

typedef void (*vector_t)(void);

extern uint32_t _sdata[], _edata[], _sidata[], _sbss[], _ebss[];
int main(void);
void arch_reset_handler(void);
void arch_fault_entry(void);

/* Aliases must name a function of this file. */
__attribute__((used)) static void unclaimed(void)
{
    arch_unexpected_exception();
}

void nmi_handler(void) __attribute__((weak, alias("unclaimed")));
void svcall_handler(void) __attribute__((weak, alias("unclaimed")));
void pendsv_handler(void) __attribute__((weak, alias("unclaimed")));
void systick_handler(void) __attribute__((weak, alias("unclaimed")));
void debugmon_handler(void) __attribute__((weak, alias("unclaimed")));

__attribute__((section(".vectors.core"), used))
const vector_t arch_core_vectors[16] = {
    (vector_t)(uintptr_t)_stack_top,   /* 0: initial main stack pointer */
    arch_reset_handler,                /* 1: reset */
    nmi_handler,                       /* 2 */
    arch_fault_entry,                  /* 3: HardFault */
    arch_fault_entry,                  /* 4: MemManage */
    arch_fault_entry,                  /* 5: BusFault */
    arch_fault_entry,                  /* 6: UsageFault */
    0, 0, 0, 0,                        /* 7-10: reserved */
    svcall_handler,                    /* 11 */
    debugmon_handler,                  /* 12 */
    0,                                 /* 13: reserved */
    pendsv_handler,                    /* 14 */
    systick_handler,                   /* 15 */
};

/* Fill the stack below the current stack pointer, keeping a margin for
 * this function's own frame. */
static void fill_stack(void)
{
    uint32_t sp;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    for (uint32_t *p = _stack_bottom; (uintptr_t)p < sp - 64u; p++)
        *p = STACK_FILL;
}

size_t arch_stack_size(void)
{
    return (size_t)((uintptr_t)_stack_top - (uintptr_t)_stack_bottom);
}

size_t arch_stack_used(void)
{
    const uint32_t *p = _stack_bottom;
    while (p < _stack_top && *p == STACK_FILL)
        p++;
    return (size_t)((uintptr_t)_stack_top - (uintptr_t)p);
}

__attribute__((noreturn, used)) void arch_reset_handler(void)
{
    memcpy(_sdata, _sidata, (size_t)((uintptr_t)_edata - (uintptr_t)_sdata));
    memset(_sbss, 0, (size_t)((uintptr_t)_ebss - (uintptr_t)_sbss));
    fill_stack();

    SCB_VTOR = (uint32_t)(uintptr_t)arch_core_vectors;
    /* Faults get their own handlers instead of escalating, and a
     * division by zero traps instead of yielding 0. Eight-byte stack
     * alignment on exception entry, as the AAPCS wants. */
    SCB_SHCSR |= SHCSR_MEMFAULTENA | SHCSR_BUSFAULTENA | SHCSR_USGFAULTENA;
    SCB_CCR |= CCR_DIV_0_TRP | CCR_STKALIGN;
    __asm__ volatile("dsb\n\tisb" ::: "memory");

    main();
    arch_panic("main returned");
}
