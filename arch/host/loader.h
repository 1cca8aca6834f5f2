/*
 * Loading host-board apps: a shared object built -fPIC -shared -nostdlib
 * becomes a process (arch/host/process.h).
 *
 * Each app gets one mapping:
 *
 *   guard | signal stack | guard | RAM quota (ram_bytes) | guard | data copy
 *
 * The RAM quota is the process's memory: its thread's stack from the
 * bottom up to the initial break (half the quota), its heap above (memop
 * brk/sbrk), the kernel's grants from the top. The object is loaded with
 * dlmopen() into a link-map namespace of its own, so two instances of one
 * .so have separate globals. Its program headers give the rest of the
 * process's memory: the read-only and executable segments are its flash
 * (code and constants; upcalls must point into it), the writable ones
 * (data, bss; minus what RELRO makes read-only) its extra_rw ranges. Their
 * contents as loaded are copied, so a restart begins with fresh globals.
 */
#ifndef VMUX_ARCH_HOST_LOADER_H
#define VMUX_ARCH_HOST_LOADER_H

#include <stddef.h>

#include "kernel/capability.h"
#include "kernel/errors.h"
#include "kernel/process.h"

#define HOST_APP_RAM_DEFAULT (64u * 1024u)

/*
 * Load the app at path as process name (NULL: the file name without
 * ".so") with a RAM quota of ram_bytes (0: HOST_APP_RAM_DEFAULT; rounded
 * up to whole pages) and create its process, ready to run.
 *
 * Errors: RESERVE (capability), INVALID (not an app: no entry or syscall
 * symbol, a segment layout it cannot describe), SIZE (ram_bytes too small
 * for a stack), NOMEM (no process slot or context, mmap failed), FAIL
 * (dlmopen failed). host_loader_error() tells more.
 */
vmux_err_t host_load_app(const char *path, const char *name, size_t ram_bytes,
                         enum process_restart_policy policy, const cap_process_management_t *cap,
                         struct process **out);

/* Why the last host_load_app() failed ("" after a success). */
const char *host_loader_error(void);

/* End every loaded app's thread, unload it and unmap its memory. The
 * kernel's process table still names those processes: follow with
 * process_reset() (tests) or exit (the board). */
void host_loader_reset(void);

#endif
