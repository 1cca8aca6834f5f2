/*
 * libvmux: the C library of vmux apps. One include for all of it.
 *
 * Apps define `int main(void)`; on the host board, the library's entry
 * point (crt_host.c) calls it and ends the process with its return value.
 * There is no C library: use the vmux_ functions of runtime.h and
 * format.h. Every call returns a status: 0 or a positive error code
 * (VMUX_E*, syscall.h), which vmux_error_name() spells.
 */
#ifndef VMUX_LIBVMUX_H
#define VMUX_LIBVMUX_H

#include "adc.h"
#include "alarm.h"
#include "buses.h"
#include "console.h"
#include "crypto.h"
#include "format.h"
#include "low_level_debug.h"
#include "pins.h"
#include "rng.h"
#include "runtime.h"
#include "screen.h"
#include "storage.h"
#include "syscall.h"
#include "udp.h"

#endif
