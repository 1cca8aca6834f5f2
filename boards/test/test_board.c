#include "boards/test/test_board.h"

#include "chips/sim/sim.h"
#include "kernel/capability_mint.h"
#include "kernel/client.h"
#include "kernel/deferred.h"

VMUX_MINT_CAPABILITY(cap_adc_continuous, adc_continuous);
VMUX_MINT_CAPABILITY(cap_udp_reserved_port, udp_reserved_port);
VMUX_MINT_CAPABILITY(cap_process_management, process_management);
VMUX_MINT_CAPABILITY(cap_client_management, client_management);
VMUX_MINT_CAPABILITY(cap_raw_hardware, raw_hardware);
VMUX_MINT_CAPABILITY(cap_storage_window, storage_window);
VMUX_MINT_CAPABILITY(cap_storage_kernel, storage_kernel);
VMUX_MINT_CAPABILITY(cap_bus_device, bus_device);
VMUX_MINT_CAPABILITY(cap_screen_window, screen_window);

const cap_adc_continuous_t *test_board_cap_adc_continuous(void) { return &adc_continuous; }
const cap_udp_reserved_port_t *test_board_cap_udp_reserved_port(void) { return &udp_reserved_port; }
const cap_process_management_t *test_board_cap_process_management(void) { return &process_management; }
const cap_client_management_t *test_board_cap_client_management(void) { return &client_management; }
const cap_raw_hardware_t *test_board_cap_raw_hardware(void) { return &raw_hardware; }
const cap_storage_window_t *test_board_cap_storage_window(void) { return &storage_window; }
const cap_storage_kernel_t *test_board_cap_storage_kernel(void) { return &storage_kernel; }
const cap_bus_device_t *test_board_cap_bus_device(void) { return &bus_device; }
const cap_screen_window_t *test_board_cap_screen_window(void) { return &screen_window; }

void test_board_reset(unsigned long long start_ns)
{
    deferred_call_reset();
    client_reset();
    sim_init(SIM_CLOCK_VIRTUAL, start_ns);
}
