/*
 * Minting kernel capabilities. ONLY code under boards/ may include this
 * header or use VMUX_MINT_CAPABILITY; `make check` enforces it.
 *
 *     #include "kernel/capability_mint.h"
 *     VMUX_MINT_CAPABILITY(cap_adc_continuous, board_adc_cap);
 *     adc_mux_start_continuous(&mux, &board_adc_cap, ...);
 */
#ifndef VMUX_KERNEL_CAPABILITY_MINT_H
#define VMUX_KERNEL_CAPABILITY_MINT_H

#include <stdint.h>

#include "kernel/capability.h"

#define CAPABILITY_MAGIC 0x70ca9ab1u

struct cap_adc_continuous { uint32_t magic; };
struct cap_udp_reserved_port { uint32_t magic; };
struct cap_process_management { uint32_t magic; };
struct cap_client_management { uint32_t magic; };
struct cap_raw_hardware { uint32_t magic; };
struct cap_storage_window { uint32_t magic; };
struct cap_storage_kernel { uint32_t magic; };
struct cap_bus_device { uint32_t magic; };
struct cap_screen_window { uint32_t magic; };

#define VMUX_MINT_CAPABILITY(type, name) \
    static const struct type name = { CAPABILITY_MAGIC }

#endif
