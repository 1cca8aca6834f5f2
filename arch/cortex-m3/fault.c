/*
 * Fault handlers, unexpected exceptions, panics and the one fault report
 * (arch.h, process.h).
 *
 * The four fault vectors share one naked entry, arch_fault_entry in
 * process.c: it finds the frame the hardware stacked (r0-r3, r12, lr,
 * pc, xpsr), saves r4-r11 next to it, and hands both to the process
 * layer. A fault taken on the process stack (bit 2 of EXC_RETURN) while
 * a process runs is that process's: recorded with cm3_fault_record(),
 * and run() then prints cm3_fault_report() through the board's reporter
 * and the kernel goes on. Any other fault is the kernel's own:
 * arch_fault_report() records it the same way, prints the same report
 * as a panic and never returns.
 *
 * A panic is written through the board's polled byte writer, so it works
 * whatever state the kernel is in: nothing here allocates, waits for an
 * interrupt or keeps state beyond the line being written (formatted by
 * kernel/fmt, which works on the stack only). With semihosting on, each
 * line is mirrored to the debugger console (QEMU prints it on its
 * stderr).
 */
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "arch/cortex-m3/arch.h"
#include "arch/cortex-m3/cortex_m3.h"
#include "arch/cortex-m3/process.h"
#include "kernel/fmt.h"
#include "kernel/process.h"

static arch_panic_putc_fn panic_putc;

void arch_set_panic_output(arch_panic_putc_fn putc)
{
    panic_putc = putc;
}

/* ------------------------------------------------------------ output */

/* The line being written, and where it goes: a report's own reporter, or
 * NULL for the panic output. */
static char line[128];
static size_t line_len;
static cm3_report_fn sink;

static void add(const char *fmt, ...) VMUX_PRINTF_LIKE(1, 2);

/* Append to the line, cut short if it gets too long (one byte is kept for
 * the panic output's newline). */
static void add(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    line_len += (size_t)vmux_vsnprintf(line + line_len, sizeof line - 1u - line_len, fmt, ap);
    va_end(ap);
    if (line_len > sizeof line - 2u)
        line_len = sizeof line - 2u;
}

static void end_line(void)
{
    if (sink != NULL) {
        sink(line);
    } else {
        line[line_len++] = '\n';
        line[line_len] = '\0';
        for (const char *s = line; *s && panic_putc; s++)
            panic_putc(*s);
        arch_semihosting_write(line);
    }
    line_len = 0;
    line[0] = '\0';
}

/* ------------------------------------------------------------ report */

/* The report's words are lists of strings packed one after the other
 * (vmux_string_at, kernel/errors.h), without a table of pointers. */

/* By exception number, empty for the reserved ones. */
static const char exception_names[] =
    "thread mode\0Reset\0NMI\0HardFault\0MemManage\0BusFault\0UsageFault\0" /* 0-6 */
    "\0\0\0\0SVCall\0DebugMonitor\0\0PendSV\0SysTick";                     /* 7-15 */

static void add_exception(uint32_t n)
{
    if (n >= 16u)
        add("IRQ %lu", n - 16u);
    else if (*vmux_string_at(exception_names, n))
        add("%s", vmux_string_at(exception_names, n));
    else
        add("exception %lu", n);
}

/* The names of CFSR's bits as the ARMv7-M manual gives them, from bit 0,
 * empty for the reserved ones. */
#define CFSR_NAMED_BITS 26u
static const char cfsr_bit_names[] =
    "IACCVIOL\0DACCVIOL\0\0MUNSTKERR\0MSTKERR\0\0\0MMARVALID\0"        /* 0-7 */
    "IBUSERR\0PRECISERR\0IMPRECISERR\0UNSTKERR\0STKERR\0\0\0BFARVALID\0" /* 8-15 */
    "UNDEFINSTR\0INVSTATE\0INVPC\0NOCP\0\0\0\0\0UNALIGNED\0DIVBYZERO";   /* 16-25 */

/* What the fault was, in words: the first kind whose CFSR bits are set
 * (stacking errors first: the access that failed was the stacking);
 * without any, a HardFault's kind, then just "fault". */
static const uint32_t fault_kind_bits[] = {
    (1u << 4) | (1u << 12),             /* MSTKERR, STKERR */
    1u << 0,                            /* IACCVIOL */
    1u << 1,                            /* DACCVIOL */
    (1u << 3) | (1u << 11),             /* MUNSTKERR, UNSTKERR */
    (1u << 8) | (1u << 9) | (1u << 10), /* IBUSERR, PRECISERR, IMPRECISERR */
    1u << 16, 1u << 17, 1u << 18, 1u << 24, 1u << 25,
};
#define FAULT_KINDS_BY_BITS (sizeof fault_kind_bits / sizeof fault_kind_bits[0])
static const char fault_kinds[] =
    "stack overflow\0instruction fetch outside its flash\0data access violation\0"
    "bad stack on exception return\0bus error\0undefined instruction\0"
    "invalid state (ARM mode)\0invalid exception return\0unaligned access\0"
    "division by zero\0breakpoint or escalated fault\0fault";

static const char *fault_kind(const struct cm3_fault *f)
{
    unsigned k = 0;
    while (k < FAULT_KINDS_BY_BITS && !(f->cfsr & fault_kind_bits[k]))
        k++;
    if (k == FAULT_KINDS_BY_BITS && f->exception != 3)
        k++;
    return vmux_string_at(fault_kinds, k);
}

/* Whose memory an address is (add_whose). */
enum {
    OWN_GRANTS, OWN_ABOVE_BREAK, OWN_RAM, OWN_FLASH, KERNEL_FLASH, KERNEL_RAM, FREE_RAM,
    PERIPHERALS, SYSTEM, UNMAPPED,
};
static const char whose_names[] =
    "its own grant memory\0its own RAM above its break\0its own RAM\0its own flash\0"
    "kernel flash\0kernel RAM\0process RAM of no process\0peripherals\0"
    "the system control space\0unmapped";

/* Whose memory addr is, from p's point of view (p NULL: the kernel's). */
static void add_whose(const struct process *p, uintptr_t addr)
{
    unsigned w;
    if (p && addr >= p->ram_start && addr < p->ram_end) {
        w = addr >= p->kernel_break ? OWN_GRANTS : addr >= p->app_break ? OWN_ABOVE_BREAK : OWN_RAM;
    } else if (p && addr >= p->flash_start && addr < p->flash_end) {
        w = OWN_FLASH;
    } else {
        for (unsigned s = 0; s < PROCESS_MAX; s++) {
            const struct process *q = process_at(s);
            if (q == NULL || q == p)
                continue;
            if (addr >= q->ram_start && addr < q->ram_end) {
                add("RAM of process %s", q->name);
                return;
            }
            if (addr >= q->flash_start && addr < q->flash_end) {
                add("flash of process %s", q->name);
                return;
            }
        }
        if (addr < (uintptr_t)_kernel_image_end)
            w = KERNEL_FLASH;
        else if (addr >= 0x20000000u && addr < (uintptr_t)_kernel_ram_end)
            w = KERNEL_RAM;
        else if (addr >= 0x20000000u && addr < (uintptr_t)_apps_ram_end)
            w = FREE_RAM;
        else if (addr >= 0x40000000u && addr < 0x60000000u)
            w = PERIPHERALS;
        else if (addr >= 0xE0000000u)
            w = SYSTEM;
        else
            w = UNMAPPED;
    }
    add("%s", vmux_string_at(whose_names, w));
}

void cm3_fault_record(struct cm3_fault *f, const uint32_t *frame, const uint32_t *r4_r11,
                      bool frame_valid)
{
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    f->exception = ipsr & 0x1ffu;
    f->cfsr = SCB_CFSR;
    f->hfsr = SCB_HFSR;
    f->mmfar = SCB_MMFAR;
    f->bfar = SCB_BFAR;
    f->psp = (uint32_t)(uintptr_t)frame;
    f->frame_valid = frame_valid;
    for (unsigned i = 0; i < 8u; i++)
        f->frame[i] = frame_valid ? frame[i] : 0;
    memcpy(f->r4_r11, r4_r11, sizeof f->r4_r11);
    SCB_CFSR = f->cfsr; /* write one to clear */
    SCB_HFSR = f->hfsr;
    /* An svc whose frame could not be stacked (MSTKERR) leaves SVCall
     * pending; taken once we return to the kernel, it would look like
     * the kernel's own svc 0xff and enter the process again. The process
     * is over: drop it. */
    SCB_SHCSR &= ~SHCSR_SVCALLPENDED;
}

/* The report proper, after the line's beginning (who faulted). */
static void report(const struct process *p, const struct cm3_fault *f)
{
    uint32_t c = f->cfsr, addr;
    add(" faulted: ");
    add_exception(f->exception);
    add(", %s", fault_kind(f));
    if (c & CFSR_MMARVALID)
        addr = f->mmfar;
    else if (c & CFSR_BFARVALID)
        addr = f->bfar;
    else if ((c & 1u) && f->frame_valid)
        addr = f->frame[6]; /* an instruction fetch: the pc is the address */
    else
        goto no_address;
    add(" at 0x%08lx (", addr);
    add_whose(p, addr);
    add(")");
no_address:
    end_line();
    const uint32_t *r = f->frame;
    if (f->frame_valid) {
        add("  pc %08lx lr %08lx sp %08lx xpsr %08lx", r[6], r[5],
            f->psp + 32u + ((r[7] & (1u << 9)) ? 4u : 0u), r[7]); /* bit 9: padded by a word */
        end_line();
        add("  r0-r3 %08lx %08lx %08lx %08lx r12 %08lx", r[0], r[1], r[2], r[3], r[4]);
    } else {
        add("  psp %08lx: no exception frame there", f->psp);
    }
    end_line();
    add("  r4-r11");
    for (unsigned i = 0; i < 8u; i++)
        add(" %08lx", f->r4_r11[i]);
    end_line();
    add("  cfsr %08lx", c);
    for (unsigned bit = 0; bit < CFSR_NAMED_BITS; bit++)
        if (((c >> bit) & 1u) && *vmux_string_at(cfsr_bit_names, bit))
            add(" %s", vmux_string_at(cfsr_bit_names, bit));
    add(" hfsr %08lx", f->hfsr);
    end_line();
}

void cm3_fault_report(const struct process *p, const struct cm3_fault *f, cm3_report_fn to)
{
    sink = to;
    line_len = 0;
    add("process %s", p->name);
    report(p, f);
}

/* ------------------------------------------------------------ panics */

static void begin(void)
{
    __asm__ volatile("cpsid i" ::: "memory");
    /* A NUL ends whatever frame the peer's decoder was in, so the plain
     * text that follows is not glued to a half-sent frame. */
    if (panic_putc)
        panic_putc('\0');
    sink = NULL;
    line_len = 0;
    add("\n*** vmux panic: ");
}

__attribute__((noreturn)) static void finish(void)
{
    if (panic_putc)
        panic_putc('\0');
    arch_exit(ARCH_EXIT_PANIC);
}

__attribute__((noreturn)) void arch_fault_report(const uint32_t *frame, uint32_t exc_return,
                                                 const uint32_t *r4_r11)
{
    struct cm3_fault f;
    cm3_fault_record(&f, frame, r4_r11, true);
    begin();
    /* The process stack without a process behind it is a kernel bug too. */
    add(exc_return & 4u ? "kernel on psp" : "kernel");
    report(NULL, &f);
    finish();
}

__attribute__((noreturn)) void arch_panic(const char *why)
{
    uint32_t lr = (uint32_t)(uintptr_t)__builtin_return_address(0);
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    begin();
    add("%s ***", why);
    end_line();
    add("caller %08lx in ", lr);
    add_exception(ipsr & 0x1ffu);
    end_line();
    finish();
}

/* An exception or interrupt no handler claimed: stop, rather than return
 * into an interrupt that would fire again forever. The panic names it
 * ("in IRQ n"). */
__attribute__((noreturn)) void arch_unexpected_exception(void)
{
    arch_panic("unexpected exception");
}
