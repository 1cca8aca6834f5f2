/*
 * The storage wiring both boards do alike: over the board's block
 * device (the host board's image file, the lm3s6965evb's SD card), the
 * storage mux, the key-value store and the isolated regions in the
 * windows the board names, their syscall drivers (KV 0x50003, isolated
 * storage 0x50004), the kernel's own boot count in the store (its id 0,
 * with the board's cap_storage_kernel_t), and "storage" on the
 * management channel: each owner's usage and quota in the store, each
 * region and whose it is, the counters.
 *
 * Layout of the device, as the board gives it (struct board_storage):
 *   [kv_first, kv_first + kv_blocks)        the key-value store's log
 *   [regions_first, + slots * (1 + region_blocks))   the isolated regions
 * Which process is which app in storage (its ShortId, name and storage
 * permissions) and which apps are installed are the board's functions:
 * from each app's TBF header on the lm3s6965evb, from a table on the
 * host board, whose apps have none.
 *
 *     board_storage_init(&(struct board_storage){ &sd.hil, &cap_window, &cap_kernel,
 *                        &alarm_mux, 0, 64, 64, 4, 8, 1024, identify, installed });
 *     ... processes created ...
 *     board_storage_mount();               // reads the device; apps wait until done
 */
#ifndef VMUX_BOARDS_COMMON_STORAGE_H
#define VMUX_BOARDS_COMMON_STORAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capsules/alarm_mux.h"
#include "capsules/storage/regions.h"
#include "hil/block.h"
#include "kernel/capability.h"

/* RAM the store and the regions take, as a board compiles them. */
#ifndef STORAGE_KV_KEYS
#define STORAGE_KV_KEYS 64u         /* the most keys (a power of two) */
#endif
#ifndef STORAGE_KV_OWNERS
#define STORAGE_KV_OWNERS 8u        /* the most owners with a reservation */
#endif
#ifndef STORAGE_KV_BLOCKS_MAX
#define STORAGE_KV_BLOCKS_MAX 64u   /* the log's window, at most */
#endif
#ifndef STORAGE_REGION_SLOTS_MAX
#define STORAGE_REGION_SLOTS_MAX 8u
#endif
#define STORAGE_MUX_CLIENTS (4u + PROCESS_MAX)

struct console;

struct board_storage {
    struct hil_block *device;
    const cap_storage_window_t *window;
    const cap_storage_kernel_t *kernel;
    struct alarm_mux *alarm_mux;        /* the mux's watchdog */
    uint32_t kv_first, kv_blocks;
    uint32_t regions_first;
    unsigned region_slots;
    uint32_t region_blocks;
    uint32_t default_quota;             /* bytes of the store per owner */
    storage_identify_fn identify;
    bool (*installed)(const struct storage_name *who);
};

/* Wire everything and register both drivers (before processes exist).
 * A device too small for the layout: nothing is wired (false, and the
 * reason on the kernel's channel). */
bool board_storage_init(const struct board_storage *cfg);

/* Mount the store and the regions (once the apps are known: a region
 * whose app is not installed is erased), then count this boot. */
void board_storage_mount(void);

/* The grant room a process needs for both drivers (the lm3s6965evb's
 * loader gives every app room for every driver's grant). */
size_t board_storage_grant_size(void);

/* "storage" on the management channel. */
bool board_storage_command(struct console *c, const char *line);

#endif
