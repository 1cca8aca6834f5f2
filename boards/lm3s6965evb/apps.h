/*
 * The lm3s6965evb's app loader: TBF objects in flash become processes,
 * started as Tock starts them (docs/syscalls.md, "Cortex-M: apps, entry
 * and memory").
 *
 * Flash. The apps image (tools/tbf image, or TBF objects elf2tab wrote,
 * back to back) sits at _apps_flash_start (0x10000, right after the
 * kernel's 64 KiB; QEMU loads it with -device loader). The loader walks
 * it with the portable parser (kernel/tbf.h); each object is reported on
 * the kernel channel. Left out, with the reason, and the walk goes on
 * (their total_size checked before it is used to skip): an object with a
 * bad header, checksum, TLV or footer; a disabled app; one whose Kernel
 * Version TLV asks for a kernel other than Tock 2.x at or below vmux's
 * minor (TBF_KERNEL_MAJOR.MINOR); one linked for a fixed flash address
 * its binary is not at; one whose flash the MPU cannot cover (mpu.h:
 * aligned to its power-of-two size); with check_sha256, one whose SHA-256
 * credentials footer does not hold the hash of its header and binary;
 * one whose name is one the kernel keeps or another app's
 * (process_name_check(): no app shows its output under a kernel client's
 * name, and no two under one); and apps beyond PROCESS_MAX. A truncated
 * object or one whose size runs past the end of flash ends the walk. Nothing in flash can crash the
 * kernel, and an object left out takes no process slot.
 *
 * RAM. From the apps RAM region (_apps_ram_start to the end of SRAM).
 * An app needs its TBF's minimum_ram_size (at least 32 bytes, rounded to
 * 8): what elf2tab counts, its RAM segments, stack, app heap and kernel
 * heap. The MPU puts that in a power-of-two block aligned to its size
 * (at least 2 KiB); the quota is a multiple of an eighth of the block,
 * from the block's start. The kernel's grants come from the top of the
 * quota; the kernel heap a Tock app declares is meant for them, but
 * vmux's grants are larger than Tock's (a console's holds its channel
 * and a chunk buffer), so the loader adds room above the minimum RAM:
 * grant_floor bytes always (the board passes what printing and sleeping
 * need: the console's and the alarm's grants), which may take a bigger
 * block, and up to grant_allowance when it fits in the block the app
 * needs anyway (the board passes the grants of every driver, measured
 * with process_grant_size: about 2.8 KiB on the Cortex-M3, of which the
 * UDP driver's is 1740, the console's 560). An app whose grants do not
 * fit gets NOMEM for them, and only it.
 * Apps with a fixed RAM address (Fixed Addresses TLV) are placed first,
 * at that address when it is free and aligned to their block; then the
 * biggest blocks, each at the highest free address its alignment
 * allows, so smaller quotas fill the tails of bigger blocks. The initial
 * break is, as on Tock, the RAM start plus room for the one exception
 * frame the app starts from (32 bytes): its crt0 moves the break to the
 * end of its .bss (libtock-c's and libvmux's do) and its heap grows
 * from there. Apps that do not fit are reported, each and in all, and
 * the others start.
 *
 * The walk and the placement are app_layout.h's, which the host tools
 * run too (tools/tbf plan, tools/vmuxload): they say before a start
 * which apps of an image run and where.
 *
 * Processes. process_create() with the flash object as [flash_start,
 * flash_end), its writeable flash regions (memop 7-9; the first four, as
 * Tock keeps: the parser counts the rest, tools/tbf list shows them all),
 * the entry at
 * flash + header_size + init_fn_offset and r0 = the binary, flash +
 * header_size + protected_trailer_size (cm3_process_alloc).
 */
#ifndef VMUX_BOARDS_LM3S6965EVB_APPS_H
#define VMUX_BOARDS_LM3S6965EVB_APPS_H

#include <stdbool.h>
#include <stdint.h>

#include "boards/lm3s6965evb/app_layout.h"
#include "kernel/capability.h"
#include "kernel/process.h"

/* Load every app found; returns how many processes were created.
 * lm3s_apps_without_room counts the valid apps it left out for want of
 * RAM (a board may refuse to run without them: `make run`). */
extern unsigned lm3s_apps_without_room;
#define LM3S_EXIT_APPS_DO_NOT_FIT 4 /* the board's exit status then */
unsigned lm3s_load_apps(const cap_process_management_t *cap, uint32_t grant_floor,
                        uint32_t grant_allowance,
                        enum process_restart_policy restart, bool check_sha256, lm3s_say_fn say);

#endif
