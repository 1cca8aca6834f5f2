#!/bin/bash
# The layer check passes on the tree as it is and fails on copies of the
# tree with one violation planted each: a kernel file including a capsule,
# a capsule including a chip driver, a chip including a capsule, and code
# outside capsules/net/ sending raw IPv4 or UDP (it could forge a UDP
# source port).
check="$(cd "$(dirname "$0")/../.." && pwd)/tools/check-layers.sh"
. "$(dirname "$0")/plant.bash"

clean_tree_passes
plant kernel_includes_a_capsule kernel/planted.c '#include "capsules/uart_mux.h"'
plant capsule_includes_a_chip capsules/planted.c '#include "chips/sim/sim_uart.h"'
plant chip_includes_a_capsule chips/sim/planted.c '#include "capsules/alarm_mux.h"'
plant driver_sends_raw_ipv4 capsules/drivers/planted.c 'static void f(void) { ipv4_output(0, 0, 17, 0, 0); }'
plant board_sends_raw_udp boards/host/planted.c 'static void g(void) { udp_seal (0, 0); }'
summary
