/*
 * The Cortex-M app start-up (crt0), for apps linked with app_arm.ld: the
 * convention of Tock's libtock-c, so that a vmux app and a libtock-c app
 * are built, packed (tools/tbf, as elf2tab) and started the same way.
 *
 * The kernel enters _start unprivileged, on a provisional stack just
 * below its initial break, with (docs/syscalls.md, "Cortex-M: apps,
 * entry and memory"):
 *   r0  the start of the app's binary in flash (after the TBF header and
 *       its protected trailer): the startup header below
 *   r1  the start of the app's RAM       r2  the size of its RAM
 *   r3  its initial break
 *
 * The startup header (app_arm.ld writes it, the binary's first 40 bytes;
 * flash offsets from the binary's start, RAM offsets from the RAM start):
 *   0 got_sym_start   the GOT's image in flash     4 got_start  its place in RAM
 *   8 got_size       12 data_sym_start  .data's image   16 data_start  20 data_size
 *  24 bss_start      28 bss_size
 *  32 reldata_start   a u32 byte count n, then n bytes of relocations
 *                     (offset, info) that the packer put after the binary
 *  36 stack_size
 *
 * _start puts the stack top at RAM start + stack_size rounded up to 8
 * (the stack is the bottom of the app's RAM, so an overflow leaves its
 * memory and faults) and the break at the end of .bss: when that is not
 * above the initial break the stack moves first (the memory under the
 * old stack stays reachable until the brk), else after the brk raised
 * the break. It tells the kernel both (memop 10 and 11), sets r9 to the
 * GOT (-msingle-pic-base -mpic-register=r9: r9 then never changes), and
 * vmux_crt0_init() builds RAM: the GOT from its flash image, .data
 * copied, .bss zeroed, then each relocation's word in RAM fixed. Every
 * address the linker wrote is a link address, flash from 0x80000000 (bit
 * 31 set) or RAM from 0: it becomes the same offset from the binary's
 * start or from the RAM start. main() runs and its return value ends the
 * process (exit-terminate).
 *
 * vmux_crt0_init runs before the GOT holds run-time addresses: it
 * touches no global variable, only its arguments and what they point to.
 */
#if !defined(__arm__)
#error "crt0_arm.c is the Cortex-M start-up; the host board uses crt_host.c"
#endif

#include <stdint.h>

#include "compiler.h"
#include "syscall.h"

#define FLASH_LINK_BIT 0x80000000u

struct vmux_crt0_header {
    uint32_t got_sym_start, got_start, got_size;
    uint32_t data_sym_start, data_start, data_size;
    uint32_t bss_start, bss_size;
    uint32_t reldata_start;
    uint32_t stack_size;
};

int main(void);
void _start(void);
void vmux_crt0_init(const struct vmux_crt0_header *h, uint32_t ram);
_Noreturn void vmux_crt0_main(void);

__attribute__((naked, used, section(".text.vmux_start"))) void _start(void)
{
    __asm__ volatile(
        "ldr r4, [r0, #36]\n\t"     /* stack_size */
        "add r4, r4, r1\n\t"
        "adds r4, #7\n\t"
        "bic r4, r4, #7\n\t"        /* r4: the stack top */
        "ldr r5, [r0, #24]\n\t"     /* bss_start */
        "ldr r6, [r0, #28]\n\t"     /* bss_size */
        "add r5, r5, r6\n\t"
        "add r5, r5, r1\n\t"        /* r5: the break, the end of .bss */
        "mov r6, r0\n\t"            /* r6: the binary, r7: RAM */
        "mov r7, r1\n\t"
        "cmp r5, r3\n\t"
        "bhi 1f\n\t"
        "mov sp, r4\n"              /* not above the initial break: move now */
        "1:\n\t"
        "movs r0, #0\n\t"           /* memop brk(r5) */
        "mov r1, r5\n\t"
        "svc 5\n\t"
        "movs r0, #10\n\t"          /* memop: the stack top is r4 */
        "mov r1, r4\n\t"
        "svc 5\n\t"
        "movs r0, #11\n\t"          /* memop: the heap starts at r5 */
        "mov r1, r5\n\t"
        "svc 5\n\t"
        "mov sp, r4\n\t"
        "ldr r0, [r6, #4]\n\t"      /* got_start */
        "add r9, r0, r7\n\t"
        "mov r0, r6\n\t"
        "mov r1, r7\n\t"
        "bl vmux_crt0_init\n\t"
        "b vmux_crt0_main\n\t");
}

/* A link address as a run-time one. */
static uint32_t relocated(uint32_t link, uint32_t flash, uint32_t ram)
{
    return link & FLASH_LINK_BIT ? (link ^ FLASH_LINK_BIT) + flash : link + ram;
}

/* app_arm.ld aligns the GOT, .data and .bss to 4 bytes at both ends. */
VMUX_NO_LOOP_IDIOMS void vmux_crt0_init(const struct vmux_crt0_header *h, uint32_t ram)
{
    uint32_t flash = (uint32_t)(uintptr_t)h;
    const uint32_t *got_image = (const uint32_t *)(uintptr_t)(flash + h->got_sym_start);
    uint32_t *got = (uint32_t *)(uintptr_t)(ram + h->got_start);
    for (uint32_t i = 0; i < h->got_size / 4u; i++)
        got[i] = relocated(got_image[i], flash, ram);
    const uint32_t *data_image = (const uint32_t *)(uintptr_t)(flash + h->data_sym_start);
    uint32_t *data = (uint32_t *)(uintptr_t)(ram + h->data_start);
    for (uint32_t i = 0; i < h->data_size / 4u; i++)
        data[i] = data_image[i];
    uint32_t *bss = (uint32_t *)(uintptr_t)(ram + h->bss_start);
    for (uint32_t i = 0; i < h->bss_size / 4u; i++)
        bss[i] = 0;
    const uint32_t *rel = (const uint32_t *)(uintptr_t)(flash + h->reldata_start);
    for (uint32_t at = 0; at + 8u <= rel[0]; at += 8u) {
        uint32_t *word = (uint32_t *)(uintptr_t)(ram + rel[1 + at / 4u]);
        *word = relocated(*word, flash, ram);
    }
}

_Noreturn void vmux_crt0_main(void)
{
    vmux_exit_terminate((uint32_t)main());
}
