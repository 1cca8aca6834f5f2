/*
 * The Cortex-M app start-up (crt0), for apps linked with app_arm.ld.
 *
 * The kernel enters _start unprivileged, on a provisional stack just
 * below the initial break, with (docs/syscalls.md, "Cortex-M entry"):
 *   r0  the start of the app's TBF object in flash; the app's binary
 *       begins header_size bytes later (the u16 at r0 + 2)
 *   r1  the start of the app's RAM       r2  the size of its RAM quota
 *   r3  its initial break (the kernel made [r1, r3) accessible)
 *
 * The binary begins with the header app_arm.ld writes (struct
 * vmux_app_header, offsets from the binary start or from the RAM start).
 * _start sets the stack pointer to RAM start + stack_top (the stack is
 * the bottom of the app's RAM, so an overflow leaves its memory and
 * faults), then vmux_crt0_init copies the GOT and .data image to RAM,
 * zeroes .bss and applies the relocations: every R_ARM_RELATIVE word
 * (GOT entries, pointers in data) holds a link address, flash from
 * 0x80000000 or RAM from 0, and becomes the run-time address in the
 * app's flash or RAM. r9 then points at the GOT for the rest of the app's
 * life (-msingle-pic-base -mpic-register=r9), main() runs, and its
 * return value ends the process (exit-terminate).
 *
 * vmux_crt0_init runs before r9 is set: it touches no global variable,
 * only its arguments and what they point to.
 */
#if !defined(__arm__)
#error "crt0_arm.c is the Cortex-M start-up; the host board uses crt_host.c"
#endif

#include <stdint.h>

#include "compiler.h"
#include "syscall.h"

#define APP_MAGIC 0x41584d56u       /* "VMXA" */
#define FLASH_LINK_BASE 0x80000000u
#define R_ARM_RELATIVE 23u

struct vmux_app_header {
    uint32_t magic;
    uint32_t got;           /* RAM offset of the GOT (r9) */
    uint32_t data_flash;    /* binary offset of the GOT and .data image */
    uint32_t data_ram;      /* RAM offset it is copied to */
    uint32_t data_size;
    uint32_t bss_ram;       /* RAM offset of .bss */
    uint32_t bss_size;
    uint32_t rel_flash;     /* binary offset of the relocations (8 bytes each) */
    uint32_t rel_size;
    uint32_t stack_top;     /* RAM offset of the initial stack pointer */
    uint32_t ram_size;      /* RAM offsets in use: stack, GOT, data, bss */
};

int main(void);
void _start(void);
uint32_t vmux_crt0_init(const struct vmux_app_header *h, uint32_t ram);
_Noreturn void vmux_crt0_main(void);

__attribute__((naked, used, section(".text.vmux_start"))) void _start(void)
{
    __asm__ volatile(
        "ldrh r4, [r0, #2]\n\t"     /* TBF header size */
        "add r4, r4, r0\n\t"        /* the binary: our header */
        "ldr r5, [r4, #36]\n\t"     /* stack_top */
        "add r5, r5, r1\n\t"
        "mov sp, r5\n\t"
        "mov r0, r4\n\t"
        "bl vmux_crt0_init\n\t"     /* (header, RAM start) -> GOT address */
        "mov r9, r0\n\t"
        "b vmux_crt0_main\n\t");
}

VMUX_NO_LOOP_IDIOMS uint32_t vmux_crt0_init(const struct vmux_app_header *h, uint32_t ram)
{
    uint32_t flash = (uint32_t)(uintptr_t)h;
    if (h->magic != APP_MAGIC)
        return 0; /* not linked for us: the first global access faults */
    const uint32_t *src = (const uint32_t *)(uintptr_t)(flash + h->data_flash);
    uint32_t *dst = (uint32_t *)(uintptr_t)(ram + h->data_ram);
    for (uint32_t i = 0; i < h->data_size / 4u; i++)
        dst[i] = src[i];
    uint32_t *bss = (uint32_t *)(uintptr_t)(ram + h->bss_ram);
    for (uint32_t i = 0; i < h->bss_size / 4u; i++)
        bss[i] = 0;
    const uint32_t *rel = (const uint32_t *)(uintptr_t)(flash + h->rel_flash);
    for (uint32_t i = 0; i < h->rel_size / 8u; i++) {
        uint32_t offset = rel[2 * i], type = rel[2 * i + 1] & 0xffu;
        if (type != R_ARM_RELATIVE || offset >= h->ram_size)
            continue; /* tools/tbf refuses these */
        uint32_t *word = (uint32_t *)(uintptr_t)(ram + offset);
        uint32_t v = *word;
        *word = v >= FLASH_LINK_BASE ? v - FLASH_LINK_BASE + flash : v + ram;
    }
    return ram + h->got;
}

_Noreturn void vmux_crt0_main(void)
{
    vmux_exit_terminate((uint32_t)main());
}
