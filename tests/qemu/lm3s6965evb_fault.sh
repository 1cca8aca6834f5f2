#!/bin/bash
# The lm3s6965evb under QEMU, faulting on purpose: the fault image
# divides by zero 300 ms after boot. The UsageFault handler prints its
# report (plain text on UART0, mirrored through semihosting to QEMU's
# stderr) and ends QEMU with exit status 3.
. "$(dirname "$0")/lm3s6965evb.bash"

board_run "$images/vmux-fault.elf" true -nic none
check exits_qemu_with_status_3 '[[ $status == 3 ]]'
expect kernel_was_up '^kernel: vmux lm3s6965evb board up'
expect report_names_the_fault '^\*\*\* vmux panic: UsageFault \*\*\*'
expect report_has_pc_and_lr '^pc 0x[0-9a-f]{8} lr 0x[0-9a-f]{8} xpsr 0x[0-9a-f]{8} sp 0x2000[0-9a-f]{4}'
expect report_has_registers '^r4 0x[0-9a-f]{8} r5 .* r11 0x[0-9a-f]{8}'
expect report_decodes_cfsr '^cfsr 0x02000000 DIVBYZERO'
expect report_names_the_stack 'faulted on the kernel stack \(msp\)'
finish
