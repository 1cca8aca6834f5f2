/*
 * Storage: the key-value store (driver 0x50003) and the app's isolated
 * region (driver 0x50004), both Tock's.
 *
 * Key-value. Keys are 1..32 bytes, values up to 64. An item belongs to
 * the write id of the app that wrote it last; the app's storage
 * permissions (its TBF header, or the board's table) say which ids it may
 * read and change, so vmux_kv_get answers VMUX_ENOSUPPORT both for a key
 * that does not exist and for one the app may not read. VMUX_ENOMEM:
 * the app's quota (or the store) is full, for it alone. vmux_kv_get puts
 * the value's whole length in *len even when it did not fit (then
 * VMUX_ESIZE, with what fits copied).
 *
 * Isolated storage. The app's own region, the same after a restart or a
 * reboot, erased (0xff bytes) when first given. Reads and writes of up
 * to 512 bytes at an offset; VMUX_EINVAL outside the region, VMUX_ENOMEM
 * when no region is left to give the app.
 *
 * Every call blocks until the kernel has done it (the data is on the
 * medium when a write or set returns VMUX_OK).
 */
#ifndef VMUX_LIBVMUX_STORAGE_H
#define VMUX_LIBVMUX_STORAGE_H

#include <stddef.h>
#include <stdint.h>

#include "syscall.h"

#define VMUX_DRIVER_KV 0x50003u
#define VMUX_DRIVER_ISOLATED_STORAGE 0x50004u
#define VMUX_KV_KEY_MAX 32u
#define VMUX_KV_VALUE_MAX 64u
#define VMUX_STORAGE_CHUNK 512u

int vmux_kv_get(const void *key, size_t key_len, void *value, size_t cap, size_t *len);
int vmux_kv_set(const void *key, size_t key_len, const void *value, size_t len);
int vmux_kv_add(const void *key, size_t key_len, const void *value, size_t len);
int vmux_kv_update(const void *key, size_t key_len, const void *value, size_t len);
int vmux_kv_delete(const void *key, size_t key_len);
int vmux_kv_collect(void);

int vmux_storage_size(uint32_t *bytes);
int vmux_storage_read(uint32_t offset, void *buf, size_t len);
int vmux_storage_write(uint32_t offset, const void *buf, size_t len);

#endif
