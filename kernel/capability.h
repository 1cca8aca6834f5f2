/*
 * Kernel capabilities: unforgeable-by-convention tokens for privileged
 * internal APIs.
 *
 * A privileged function takes a pointer to a capability type as an
 * argument. The types are opaque everywhere except in
 * kernel/capability_mint.h, which only code under boards/ may include:
 * `make check` (tools/check-capabilities.sh) fails the build when any
 * other file includes that header, uses its minting macro, or defines one
 * of these structs itself. So only a board decides which component may
 * start continuous ADC sampling, bind a reserved UDP port, and so on.
 *
 * A privileged function refuses a call whose capability is NULL or not
 * minted (capability_valid() false) with VMUX_RESERVE.
 */
#ifndef VMUX_KERNEL_CAPABILITY_H
#define VMUX_KERNEL_CAPABILITY_H

#include <stdbool.h>

/* Start continuous or buffered ADC sampling, which blocks other clients. */
typedef struct cap_adc_continuous cap_adc_continuous_t;
/* Bind UDP ports in the kernel-reserved range. */
typedef struct cap_udp_reserved_port cap_udp_reserved_port_t;
/* Create, start, stop and restart processes. */
typedef struct cap_process_management cap_process_management_t;
/* Register kernel clients and report client departures. */
typedef struct cap_client_management cap_client_management_t;
/* Reach a driver's raw HIL under a mux (for fault injection and tests). */
typedef struct cap_raw_hardware cap_raw_hardware_t;
/* Give a component a window of blocks on a storage device. */
typedef struct cap_storage_window cap_storage_window_t;
/* Use the key-value store as the kernel: keys of write id 0, which no
 * process may read or change. */
typedef struct cap_storage_kernel cap_storage_kernel_t;
/* Be a client of a device on a shared bus (capsules/spi_mux.h, i2c_mux.h):
 * which component talks to which chip select or address. */
typedef struct cap_bus_device cap_bus_device_t;
/* Be given a window of a shared screen (capsules/screen_mux.h). */
typedef struct cap_screen_window cap_screen_window_t;

/*
 * True when p points at a minted capability. Every minted capability
 * starts with the same magic word, so a zeroed or random pointer target
 * is refused even though C cannot stop deliberate forgery.
 */
bool capability_valid(const void *p);

#endif
