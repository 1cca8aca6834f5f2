/*
 * Common conventions for every HIL (hardware interface layer) in vmux.
 *
 * A HIL is a small vtable plus the device it operates on. A driver embeds
 * the HIL struct (struct hil_uart, struct hil_adc, ...) as a member and
 * recovers itself with container_of() in its ops. The host simulator
 * (chips/sim) and the Cortex-M3 chip (chips/lm3s6965) fill the same
 * vtables.
 *
 * Split phase: a request returns at once. VMUX_SUCCESS means the
 * operation started and exactly one completion callback will follow, later,
 * from the kernel loop, never from inside the request. Any other code means
 * nothing started and no callback follows. A second request of the same
 * kind while one is in flight gets VMUX_BUSY.
 *
 * One client per instance: sharing a device between clients is the job of
 * the virtualizers in capsules/, never of the driver. The client is an
 * intrusive struct of callbacks that the client embeds in its own state.
 *
 * Buffers: a buffer passed down in a request belongs to the driver until
 * the completion callback hands it back; the caller must not touch it in
 * between.
 */
#ifndef VMUX_HIL_HIL_H
#define VMUX_HIL_HIL_H

#include <stddef.h>

#include "kernel/errors.h"

#ifndef container_of
#define container_of(ptr, type, member) \
    ((type *)(void *)((char *)(ptr) - offsetof(type, member)))
#endif

#endif
