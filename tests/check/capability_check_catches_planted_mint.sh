#!/bin/bash
# The capability check passes on the tree as it is, and fails on a copy of
# the tree where a capsule mints a capability, includes the minting header,
# or defines a capability struct itself.
check="$(cd "$(dirname "$0")/../.." && pwd)/tools/check-capabilities.sh"
. "$(dirname "$0")/plant.bash"

clean_tree_passes
plant planted_include_in_capsule capsules/planted.c '#include "kernel/capability_mint.h"'
plant planted_mint_macro_in_kernel kernel/planted.c 'VMUX_MINT_CAPABILITY(cap_adc_continuous, forged);'
plant planted_struct_definition_in_chip chips/sim/planted.c 'struct cap_adc_continuous { unsigned magic; };'
plant planted_magic_in_userland userland/planted.c 'unsigned forged = CAPABILITY_MAGIC;'
plant planted_angle_include_in_test tests/unit/planted.c '#include <kernel/capability_mint.h>'
summary
