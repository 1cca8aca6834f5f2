/*
 * intruder: tries one thing the MPU must stop, chosen by its package name
 * (read from its own TBF header in flash, memop 4), after a delay of
 * 100 ms times the digit at the end of the name, so several intruders in
 * one image fault one after the other:
 *
 *   intruder-read-N     read the first word above its RAM quota (whose
 *                       end is the grant start before any grant exists;
 *                       in the test images another process's RAM)
 *   intruder-write-N    write it
 *   intruder-kernel-N   read kernel RAM (0x20001000: the kernel's data)
 *   intruder-kwrite-N   write kernel RAM
 *   intruder-grant-N    write its own grant memory (memop 6) after a
 *                       console write made the kernel allocate a grant
 *   intruder-jump-N     call into kernel flash (0x00000400)
 *   intruder-stack-N    recurse until the stack leaves its RAM
 *   intruder-periph-N   write a peripheral register (UART0 data)
 *   intruder-svcstack-N make a system call with the stack pointer at the
 *                       very start of its RAM: the exception frame cannot
 *                       be stacked
 *   intruder-bkpt-N     a semihosting exit (bkpt 0xab, SYS_EXIT): QEMU
 *                       must not let a process end the machine
 *   intruder-svcgrant-N make a system call with the stack pointer 32
 *                       bytes above the start of its grants (memop 6,
 *                       after a console write): the frame would land in
 *                       kernel state inside its own quota, and cannot be
 *                       stacked; the fault report must not read it there
 *
 * Before the attempt it prints what it tries; if the attempt returns it
 * prints "NOT STOPPED" and exits with status 1.
 */
#include "libvmux.h"
#include "../own_name.h"

static char name[32];

static bool is(const char *kind)
{
    size_t n = vmux_strlen(kind);
    return vmux_memcmp(name + 9, kind, n) == 0 && name[9 + n] == '-';
}

static volatile uint32_t sink;

static unsigned depth(unsigned n)
{
    volatile uint8_t frame[128];
    frame[0] = (uint8_t)n;
    return n == 0xffffffffu ? 0 : depth(n + 1) + frame[0];
}

int main(void)
{
    uintptr_t quota_end = vmux_memop(6, 0).r1; /* no grant yet: the end of the quota */
    read_own_name(name, sizeof name);
    size_t len = vmux_strlen(name);
    unsigned delay = len ? (unsigned)(name[len - 1] - '0') : 0;
    if (delay > 9)
        delay = 0;
    vmux_sleep_ms(100u * delay + 50u);
    uintptr_t brk = vmux_memop(1, 0).r1; /* the break: sbrk(0) */
    volatile uint32_t *above = (volatile uint32_t *)quota_end;
    volatile uint32_t *kernel = (volatile uint32_t *)0x20001000u;

    if (is("read")) {
        vmux_printf("reading 0x%08x, above my RAM\n", (unsigned)(uintptr_t)above);
        sink = *above;
    } else if (is("write")) {
        vmux_printf("writing 0x%08x, above my RAM\n", (unsigned)(uintptr_t)above);
        *above = 0xdeadbeefu;
    } else if (is("kernel")) {
        vmux_printf("reading kernel RAM at 0x20001000\n");
        sink = *kernel;
    } else if (is("kwrite")) {
        vmux_printf("writing kernel RAM at 0x20001000\n");
        *kernel = 0;
    } else if (is("grant")) {
        uintptr_t grant = vmux_memop(6, 0).r1;
        vmux_printf("writing my grant memory at 0x%08x (break 0x%08x)\n", (unsigned)grant,
                    (unsigned)brk);
        *(volatile uint32_t *)grant = 0;
    } else if (is("jump")) {
        vmux_printf("calling kernel code at 0x00000400\n");
        ((void (*)(void))0x00000401u)();
    } else if (is("stack")) {
        vmux_printf("recursing without end\n");
        sink = depth(0);
    } else if (is("periph")) {
        vmux_printf("writing UART0's data register\n");
        *(volatile uint32_t *)0x4000c000u = 'X';
    } else if (is("svcstack")) {
        uintptr_t ram = vmux_memop(2, 0).r1;
        vmux_printf("system call with sp at 0x%08x\n", (unsigned)(ram + 8u));
        register uintptr_t r0 __asm__("r0") = ram + 8u;
        __asm__ volatile("mov sp, r0\n\tmovs r0, #1\n\tsvc 0" : "+r"(r0) : : "memory");
    } else if (is("svcgrant")) {
        vmux_printf("system call with sp in my grant memory\n");
        uintptr_t grant = vmux_memop(6, 0).r1; /* the console's grant is there now */
        register uintptr_t r0 __asm__("r0") = grant + 32u;
        __asm__ volatile("mov sp, r0\n\tmovs r0, #1\n\tsvc 0" : "+r"(r0) : : "memory");
    } else if (is("bkpt")) {
        vmux_printf("asking the debugger to exit (semihosting)\n");
        register uint32_t r0 __asm__("r0") = 0x18u;     /* SYS_EXIT */
        register uint32_t r1 __asm__("r1") = 0x20026u;  /* ADP_Stopped_ApplicationExit */
        __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    } else {
        vmux_printf("unknown intruder \"%s\"\n", name);
        return 2;
    }
    vmux_printf("NOT STOPPED\n");
    return 1;
}
