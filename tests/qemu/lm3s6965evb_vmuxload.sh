#!/bin/bash
# tools/vmuxload says, before the board starts, what the lm3s6965evb's
# loader will do with an apps image: which objects it refuses and why,
# where each app's flash and RAM are, which apps find no room, and the
# summary line. It runs the loader's own code (boards/lm3s6965evb/
# app_layout.c) with the kernel ELF's addresses and app_layout.h's grant
# figures; here its `list` must print, line for line, what the board
# prints when it loads the same image under QEMU: the demo's apps, the
# elf2tab-packed variants the loader refuses or places at a fixed address
# (apps-tbf.bin), a set with a hog, and libtock-c's packing
# (apps-tock.bin). The grant figures the test image measured
# (process_grant_size() of its drivers) must be app_layout.h's.
. "$(dirname "$0")/lm3s6965evb.bash"

vmuxload="$build/release/vmuxload"
header="$root/boards/lm3s6965evb/app_layout.h"
floor=$(sed -n 's/^#define LM3S_GRANT_FLOOR \([0-9]*\)u$/\1/p' "$header")
allowance=$(sed -n 's/^#define LM3S_GRANT_ALLOWANCE \([0-9]*\)u$/\1/p' "$header")
said=$(new_tmp)
for bin in apps-demo.bin apps-tbf.bin apps-hog.bin apps-tock.bin; do
    name=${bin%.bin}
    name=${name#apps-}
    board_run "$images/vmux-test.elf" true -nic none \
        -device "loader,file=$images/$bin,addr=0x10000"
    check "board_loads_$name" '[[ $status == 0 ]]'
    expect "grant_figures_are_app_layout_h_s_$name" \
        "^kernel: grant room: floor ${floor}B, up to ${allowance}B\$"
    "$vmuxload" --sha256 --kernel "$images/vmux-test.elf" "$images/$bin" list >"$said" 2>&1
    rc=$?
    check "vmuxload_lists_$name" '[[ $rc == 0 ]]'
    # The loader's lines: refusals, placements, the summary.
    board_lines=$(grep -aE '^kernel: (TBF at |app |apps: )' "$out" | sed 's/^kernel: //')
    tool_lines=$(grep -aE '^(TBF at |app |apps: )' "$said")
    check "vmuxload_says_what_the_loader_does_$name" '[[ -n $board_lines && $board_lines == "$tool_lines" ]]'
    if [[ $board_lines != "$tool_lines" ]]; then
        diff <(echo "$board_lines") <(echo "$tool_lines") | sed 's/^/    /'
    fi
done
finish
