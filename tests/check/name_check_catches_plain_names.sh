#!/bin/bash
# The name check passes on the tree as it is, and fails on a copy of the
# tree where a board names a kernel client with a plain string instead of
# CLIENT_NAME("...") (which tools/vmuxload would then not know of).
check="$(cd "$(dirname "$0")/../.." && pwd)/tools/check-names.sh"
. "$(dirname "$0")/plant.bash"

clean_tree_passes
plant planted_plain_register_in_board boards/common/planted.c 'static client_id_t id; void f(void) { id = client_register_kernel("sneaky"); }'
plant planted_plain_console_in_board boards/lm3s6965evb/planted.c 'void f(void) { console_attach(&c, &uart_mux, "sneaky", NULL); }'
plant planted_plain_register_in_capsule capsules/planted.c 'void f(void) { client_register_kernel( "sneaky"); }'
summary
