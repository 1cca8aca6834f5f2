/*
 * layout: an app with every kind of address the startup convention must
 * fix (userland/libvmux/crt0_arm.c, app_arm.ld; libtock-c's): a pointer
 * in .data to flash and one to RAM, a function pointer, a table of
 * pointers in read-only data (which -fPIC puts in .data.rel.ro), GOT
 * entries for both, .bss to be zeroed, and a writeable flash region the
 * TBF names (memop 7-9). It prints one line per check, "ok" or what it
 * found; tests/qemu/lm3s6965evb_tbf.sh reads them, and
 * tests/check/tbf_pack_like_elf2tab.sh packs its ELF.
 */
#include "libvmux.h"

/* Not static: the compiler must keep them in memory as initialised,
 * not fold them into the code. */
const char greeting[] = "hello from flash";
const char *to_flash = greeting;
int counter = 41;
int *to_ram = &counter;
const char *const table[] = { "alpha", "beta" };
uint32_t zeroed[16];
int twice(int x);
int (*function)(int);

int twice(int x)
{
    return 2 * x;
}

int (*function)(int) = twice;

/* In flash, named by the TBF as a writeable flash region. */
__attribute__((section(".wfr.layout"), used)) static const uint8_t region[64] = { 0x5a };

static const char *verdict(bool ok)
{
    return ok ? "ok" : "WRONG";
}

int main(void)
{
    uintptr_t flash = vmux_memop(VMUX_MEMOP_FLASH_START, 0).r1;
    uintptr_t flash_end = vmux_memop(VMUX_MEMOP_FLASH_END, 0).r1;
    uintptr_t ram = vmux_memop(VMUX_MEMOP_MEMORY_START, 0).r1;
    uintptr_t here = (uintptr_t)greeting;
    vmux_printf("flash pointer: %s\n",
                verdict(to_flash == greeting && here > flash && here < flash_end &&
                        vmux_strlen(to_flash) == 16));
    vmux_printf("ram pointer: %s\n",
                verdict(to_ram == &counter && (uintptr_t)to_ram >= ram && *to_ram == 41));
    vmux_printf("function pointer: %s\n", verdict(function == twice && function(21) == 42));
    volatile unsigned zero = 0, one = 1; /* read from the table, not folded */
    vmux_printf("pointer table: %s\n",
                verdict(table[zero][0] == 'a' && table[one][0] == 'b' &&
                        (uintptr_t)table[one] > flash && (uintptr_t)table[one] < flash_end));
    bool clear = true;
    for (unsigned i = 0; i < 16; i++)
        clear = clear && zeroed[i] == 0;
    vmux_printf("bss: %s\n", verdict(clear));
    uint32_t regions = (uint32_t)vmux_memop(VMUX_MEMOP_FLASH_REGIONS, 0).r1;
    struct vmux_result start = vmux_memop(VMUX_MEMOP_FLASH_REGION_START, 0);
    struct vmux_result end = vmux_memop(VMUX_MEMOP_FLASH_REGION_END, 0);
    struct vmux_result past = vmux_memop(VMUX_MEMOP_FLASH_REGION_START, regions);
    vmux_printf("writeable flash regions: %u, %s\n", (unsigned)regions,
                verdict(regions == 1 && start.r1 == (uintptr_t)region &&
                        end.r1 == (uintptr_t)region + sizeof region && region[0] == 0x5a &&
                        !vmux_result_is_success(past)));
    vmux_printf("done\n");
    for (;;)
        vmux_sleep_ms(1000);
}
