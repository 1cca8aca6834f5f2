/*
 * The ARMv7-M MPU (PMSAv7) for process isolation (arch/cortex-m3/process.h).
 *
 * The kernel runs privileged with PRIVDEFENA: the default memory map, so
 * it reaches everything whatever the regions say. A process runs
 * unprivileged and reaches only what an enabled region grants it:
 *
 *   region 0  its flash: the whole TBF object, read and execute
 *   region 1  its RAM block: read and write, never execute; only the
 *             subregions below its break are enabled
 *   region 2  the one subregion of region 1 that the break falls inside,
 *             as a region of its own with eight finer subregions: read
 *             and write up to the break, rounded up to 1/64 of the block
 *   3..7      unused (disabled)
 *
 * Rules the loader meets (cm3_mpu_ram_fits, cm3_mpu_flash_fits): a region
 * is a power of two of at least 32 bytes, aligned to its size, and only
 * regions of 256 bytes or more have subregions (eight, each an eighth).
 * So a process's RAM block is placed at an address aligned to S, the
 * power of two at or above its quota (S >= 2 KiB); the quota itself
 * need only be a multiple of S/8, and the rest of the aligned S bytes
 * can hold other processes' blocks: their subregions are never enabled
 * while this process runs. A flash object is aligned to the power of
 * two at or above its size and its size is a multiple of an eighth of
 * that (tools/tbf pads objects to a power of two, which meets both).
 *
 * Granularity. Memory up to the break is reachable in steps of S/64
 * (32 bytes for a 2 KiB block, 64 for 4 KiB, 128 for 8 KiB): between the
 * break and the next step the process can reach a little more than it
 * asked for. cm3_mpu_ram_end() says exactly how far; the kernel keeps
 * grants above that (arch_process_ops.accessible_end), so the grants at
 * the top of the quota are never reachable.
 */
#ifndef VMUX_ARCH_CORTEX_M3_MPU_H
#define VMUX_ARCH_CORTEX_M3_MPU_H

#include <stdbool.h>
#include <stdint.h>

#define CM3_MPU_REGIONS_USED 3u
#define CM3_MPU_MIN_RAM_BLOCK 2048u

/* The register values of the process regions, computed once per break:
 * RBAR and RASR of each region in turn, the order of the MPU's RBAR,
 * RASR, RBAR_A1, RASR_A1, ... registers, so one block store loads them
 * all (RBAR names its region: VALID is set). */
struct cm3_mpu_region {
    uint32_t rbar;
    uint32_t rasr;
};
struct cm3_mpu_config {
    struct cm3_mpu_region region[CM3_MPU_REGIONS_USED];
};

/* How many regions the MPU has (MPU_TYPE.DREGION; 0: no MPU). */
unsigned cm3_mpu_regions(void);

/* Enable the MPU with the default map for privileged code and every
 * region disabled. false when there is no MPU or too few regions. */
bool cm3_mpu_init(void);

/* The smallest power of two at or above n (n >= 1). */
uint32_t cm3_mpu_pow2(uint32_t n);

/* Can a process have flash [start, end) / a RAM quota [start, end)? */
bool cm3_mpu_flash_fits(uintptr_t start, uintptr_t end);
bool cm3_mpu_ram_fits(uintptr_t start, uintptr_t end);

/* The power-of-two block a RAM quota [start, end) lives in: its size. */
uint32_t cm3_mpu_ram_block(uintptr_t start, uintptr_t end);

/* How far a process with RAM quota [ram_start, ram_end) and break brk
 * can reach: brk rounded up to the MPU's step there (see the top). */
uintptr_t cm3_mpu_ram_end(uintptr_t ram_start, uintptr_t ram_end, uintptr_t brk);

/* Compute the regions for flash [flash_start, flash_end) and RAM
 * [ram_start, ram_end) with the break at brk. The ranges must fit. */
void cm3_mpu_configure(struct cm3_mpu_config *c, uintptr_t flash_start, uintptr_t flash_end,
                       uintptr_t ram_start, uintptr_t ram_end, uintptr_t brk);

/* Load the process regions (privileged code only; takes effect before
 * the next exception return). */
void cm3_mpu_apply(const struct cm3_mpu_config *c);

/* Disable the process regions (no process can reach anything). */
void cm3_mpu_clear(void);

#endif
