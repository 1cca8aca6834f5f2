#!/bin/bash
# TBF objects as elf2tab writes them for libtock-c, on the lm3s6965evb
# under QEMU (apps-tbf.bin, Makefile: LM3S_TBF_APPS). "layout" (tests/
# qemu/apps/layout) is packed with libtock-c's sizes and kernel version
# (^2.0), reserved footer space and a SHA-256 credential the board
# checks (VMUX_TBF_SHA256): it must reach main() through Tock's entry
# (r0 = its binary) and find every address its start-up fixed (pointers
# to flash and RAM in .data, a function pointer, a pointer table, the
# GOT), .bss zeroed, and its writeable flash region through memop 7-9.
# The variants the loader must leave out, each with its reason and no
# process slot taken: disabled, for kernel ^2.9 and ^3.0, a SHA-256 footer
# that does not match, linked for a fixed flash address it is not at,
# and one asking for more RAM than the board has (reported with the set
# that did not fit) or a fixed RAM address in the kernel's RAM. One names
# a fixed RAM address that is free (0x2000c000): it gets that RAM. With three more copies and the bystander "alive" (first in
# flash; "layout" is last), six libtock-c-packed apps run at once, each in
# a 4 KiB block: every valid app starts, the refused ones take no slot.
. "$(dirname "$0")/lm3s6965evb.bash"

board_run "$images/vmux-test.elf" true -nic none \
    -device "loader,file=$images/apps-tbf.bin,addr=0x10000"
check exits_qemu_with_status_0 '[[ $status == 0 ]]'

skipped() { # name reason
    expect "refuses_$1" "^kernel: TBF at 0x[0-9a-f]{5} \\($1\\): $2: skipped\$"
}
skipped layout-off 'disabled'
skipped layout-2-9 'for another kernel version'
skipped layout-3-0 'for another kernel version'
skipped layout-badsha 'SHA-256 credentials do not match'
skipped layout-flash 'linked for another flash address'
expect no_room_for_huge '^kernel: app layout-huge: no room for its RAM: skipped$'
expect fixed_ram_not_free '^kernel: app layout-kram: its fixed RAM address is not free: skipped$'
expect fixed_ram_honoured '^kernel: app layout-ram: flash 0x[0-9a-f]{5} 4K, RAM 0x2000c000 [0-9]+B$'
expect starts_layout '^kernel: app layout: flash 0x[0-9a-f]{5} 4K, RAM 0x2000[0-9a-f]{4} [0-9]+B$'
expect starts_alive '^kernel: app alive: flash 0x10000 8K'
expect six_started_two_without_room '^kernel: apps: 6 started, 2 without room in [0-9]+B of RAM'
for app in layout layout-ram layout-a layout-b layout-c; do
    for check in 'flash pointer' 'ram pointer' 'function pointer' 'pointer table' 'bss'; do
        expect "${app}_${check// /_}" "^$app: $check: ok\$"
    done
    expect "${app}_writeable_flash_region" "^$app: writeable flash regions: 1, ok\$"
done
expect_not nothing_wrong 'WRONG'
expect_not refused_apps_never_run '^layout-(off|2-9|3-0|badsha|flash|huge|kram): '
expect alive_runs '^alive: alive [0-9]+, pattern intact'
expect_not no_process_faulted 'faulted'
expect_not every_format_known '<\?>'
finish
