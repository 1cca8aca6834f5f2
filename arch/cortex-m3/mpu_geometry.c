/*
 * The MPU's geometry (mpu.h): which blocks a region may be and how far a
 * process with a given break reaches. Arithmetic only, no registers: the
 * kernel uses it, and so do the host tools that lay out an apps image as
 * the board's loader will (boards/lm3s6965evb/app_layout.h, tools/tbf).
 */
#include "arch/cortex-m3/mpu.h"

uint32_t cm3_mpu_pow2(uint32_t n)
{
    uint32_t p = 32u; /* the smallest region */
    while (p < n && p != 0x80000000u)
        p <<= 1;
    return p;
}

bool cm3_mpu_flash_fits(uintptr_t start, uintptr_t end)
{
    if (end <= start)
        return false;
    uint32_t len = (uint32_t)(end - start), size = cm3_mpu_pow2(len);
    if (start % size)
        return false;
    return size >= 256u ? len % (size / 8u) == 0 : len == size;
}

uint32_t cm3_mpu_ram_block(uintptr_t start, uintptr_t end)
{
    return cm3_mpu_pow2((uint32_t)(end - start));
}

bool cm3_mpu_ram_fits(uintptr_t start, uintptr_t end)
{
    if (end <= start)
        return false;
    uint32_t block = cm3_mpu_ram_block(start, end);
    return block >= CM3_MPU_MIN_RAM_BLOCK && start % block == 0 &&
           (end - start) % (block / 8u) == 0;
}

uintptr_t cm3_mpu_ram_end(uintptr_t ram_start, uintptr_t ram_end, uintptr_t brk)
{
    uint32_t sub = cm3_mpu_ram_block(ram_start, ram_end) / 8u, fine = sub / 8u;
    if (brk <= ram_start)
        return ram_start;
    uint32_t off = (uint32_t)(brk - ram_start);
    uint32_t rem = off % sub;
    if (rem == 0)
        return brk;
    return ram_start + (off - rem) + (rem + fine - 1u) / fine * fine;
}
