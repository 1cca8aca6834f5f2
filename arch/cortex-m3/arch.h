/*
 * arch/cortex-m3: what chips and boards get from the CPU layer besides
 * kernel/platform.h (the PRIMASK critical section, in platform.c).
 *
 * Startup (startup.c). The core vector table (.vectors.core: initial stack
 * pointer, reset, NMI, the four fault handlers, SVCall, PendSV, SysTick)
 * is followed by the chip's interrupt table (.vectors.irq, in chips/).
 * Reset copies .data from flash, zeroes .bss, fills the unused stack with
 * a pattern (arch_stack_used() measures the deepest use), enables the
 * MemManage, BusFault and UsageFault handlers and divide-by-zero traps,
 * and calls main(), which must not return.
 *
 * Exceptions nobody takes over (PendSV, NMI, SysTick: weak symbols, see
 * below; SVCall is process.c's) and interrupts no driver claims panic
 * with the exception number: nothing is ever silently ignored.
 *
 * Processes (process.h, mpu.h). Unprivileged code on PSP behind the MPU,
 * the context switch, the trap paths (svc, interrupts through
 * arch_irq_entry, faults on PSP) and the fault record of a process.
 *
 * Faults (fault.c). A fault taken on the process stack belongs to a
 * process and goes to process.c (the process ends with a report, the
 * kernel goes on). Any other HardFault, MemManage, BusFault and
 * UsageFault prints the same plain-text report, naming the kernel (the
 * exception and the kind of fault, the faulting address from MMFAR/BFAR
 * and whose memory it is, pc, lr, sp, xpsr, r0-r12, CFSR with its bits
 * named, HFSR) through the panic output the board installed (a polled
 * UART writer that touches the registers directly, usable with
 * interrupts off and the kernel in any state), mirrored to semihosting
 * when enabled, and ends the program with exit status ARCH_EXIT_PANIC.
 *
 * Semihosting (semihosting.c). arch_exit() ends a program run under a
 * debugger or QEMU (-semihosting-config enable=on) with a status:
 * SYS_EXIT with ADP_Stopped_ApplicationExit for 0; for other statuses
 * SYS_EXIT_EXTENDED carries the number, falling back to SYS_EXIT with
 * another reason (status 1 under QEMU). Without a debugger attached, a
 * semihosting call is a breakpoint that faults: boards enable it only for
 * images that run under one.
 */
#ifndef VMUX_ARCH_CORTEX_M3_ARCH_H
#define VMUX_ARCH_CORTEX_M3_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARCH_EXIT_PANIC 3   /* exit status after a fault or panic */

/* Linker-script symbols (arch/cortex-m3/vmux.ld). */
extern uint32_t _stack_bottom[], _stack_top[];
extern uint32_t _kernel_ram_end[], _apps_ram_start[], _apps_ram_end[];
extern uint32_t _kernel_image_end[], _apps_flash_start[], _apps_flash_end[];

/* Weak handlers the core vector table points at; define one to take it. */
void nmi_handler(void);
void svcall_handler(void);
void pendsv_handler(void);
void systick_handler(void);

/* Interrupts. The chip's vector table points every external interrupt
 * at arch_irq_entry, and the chip defines arch_irq_handlers[], the
 * handler of each IRQ number. arch_irq_entry calls it and, when the
 * interrupt came while a process ran, may end the process's slice
 * (arch/cortex-m3/process.h). */
typedef void (*arch_irq_handler_t)(void);
extern const arch_irq_handler_t arch_irq_handlers[];
void arch_irq_entry(void);

/* The default for every exception and interrupt nobody claimed. */
void arch_unexpected_exception(void);

/* Sleep until an interrupt is pending. Call with interrupts masked
 * (platform_irq_save) after checking there is no work: a pending
 * interrupt still wakes the core, and its handler runs once the caller
 * restores the mask, so no wake-up is lost between check and sleep. */
static inline void arch_wait_for_interrupt(void)
{
    __asm__ volatile("dsb\n\twfi" ::: "memory");
}

/* Where panic reports go: a byte writer that works with interrupts off. */
typedef void (*arch_panic_putc_fn)(char c);
void arch_set_panic_output(arch_panic_putc_fn putc);
void arch_semihosting_enable(bool on);
bool arch_semihosting_enabled(void);

/* Print "vmux panic: <why>" and a register report, then exit. */
__attribute__((noreturn)) void arch_panic(const char *why);

/* End the program (semihosting exit when enabled), never returns. */
__attribute__((noreturn)) void arch_exit(int status);

/* Write a NUL-terminated string to the debugger's console (SYS_WRITE0),
 * when semihosting is enabled. */
void arch_semihosting_write(const char *s);

/* The command line the debugger passes the program (SYS_GET_CMDLINE;
 * QEMU: -semihosting-config arg=...), NUL-terminated in buf; false (and
 * buf empty) without semihosting or a line that fits. */
bool arch_semihosting_cmdline(char *buf, size_t size);

/* Deepest main-stack use since reset, in bytes (from the fill pattern). */
size_t arch_stack_used(void);
size_t arch_stack_size(void);

#endif
