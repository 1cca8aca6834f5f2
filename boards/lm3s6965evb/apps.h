/*
 * The lm3s6965evb's app loader: TBF objects in flash become processes.
 *
 * Flash. The apps image (tools/tbf image) sits at _apps_flash_start
 * (0x10000, right after the kernel's 64 KiB; QEMU loads it with -device
 * loader). The loader walks it with the portable parser (kernel/tbf.h):
 * each object is reported on the kernel channel; an object with a bad
 * header, checksum or TLV is reported and skipped (its total_size is
 * checked before it is used to skip); a disabled app or one whose flash
 * the MPU cannot cover (mpu.h: aligned to its power-of-two size) is
 * skipped too; a truncated object or one whose size runs past the end of
 * flash ends the walk. Nothing in flash can crash the kernel.
 *
 * RAM. Each app gets a quota from the apps RAM region (_apps_ram_start
 * to the end of SRAM): its minimum_ram_size (stack, GOT, data, bss: what
 * its ELF links) plus grant_allowance for the kernel's grants, rounded
 * up to an eighth of the power-of-two block the MPU needs around it
 * (block >= 2 KiB, the block aligned to its size). Largest blocks first,
 * each at the highest free address its alignment allows, so smaller
 * quotas fill the tails of bigger blocks. The initial break is the RAM
 * start plus minimum_ram_size; grants grow down from the quota's end.
 *
 * Processes. process_create() with the flash object as [flash_start,
 * flash_end) and the entry at flash + header_size + init_fn_offset.
 */
#ifndef VMUX_BOARDS_LM3S6965EVB_APPS_H
#define VMUX_BOARDS_LM3S6965EVB_APPS_H

#include <stdint.h>

#include "kernel/capability.h"
#include "kernel/process.h"

/* How the loader reports, a line at a time (printf-like). */
typedef void (*lm3s_say_fn)(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Load every app found; returns how many processes were created. */
unsigned lm3s_load_apps(const cap_process_management_t *cap, uint32_t grant_allowance,
                        enum process_restart_policy restart, lm3s_say_fn say);

#endif
