/*
 * The test board: what unit tests get from a board. Tests live outside
 * boards/, so they may not mint capabilities; this board mints them and
 * hands them out, exactly as a real board hands them to the components it
 * trusts.
 */
#ifndef VMUX_BOARDS_TEST_TEST_BOARD_H
#define VMUX_BOARDS_TEST_TEST_BOARD_H

#include "kernel/capability.h"

const cap_adc_continuous_t *test_board_cap_adc_continuous(void);
const cap_udp_reserved_port_t *test_board_cap_udp_reserved_port(void);
const cap_process_management_t *test_board_cap_process_management(void);
const cap_client_management_t *test_board_cap_client_management(void);
const cap_raw_hardware_t *test_board_cap_raw_hardware(void);
const cap_storage_window_t *test_board_cap_storage_window(void);
const cap_storage_kernel_t *test_board_cap_storage_kernel(void);
const cap_bus_device_t *test_board_cap_bus_device(void);
const cap_screen_window_t *test_board_cap_screen_window(void);

/* Reset kernel-global state (deferred calls, clients, simulation) between
 * tests and start a virtual clock at start_ns. */
void test_board_reset(unsigned long long start_ns);

#endif
