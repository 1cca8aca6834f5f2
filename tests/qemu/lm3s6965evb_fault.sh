#!/bin/bash
# The lm3s6965evb under QEMU, faulting on purpose: the fault image
# divides by zero 300 ms after boot. The UsageFault handler prints its
# report (plain text on UART0, mirrored through semihosting to QEMU's
# stderr; the same report as a process's fault, naming the kernel: on
# the main stack) and ends QEMU with exit status 3.
. "$(dirname "$0")/lm3s6965evb.bash"

board_run "$images/vmux-fault.elf" true -nic none
check exits_qemu_with_status_3 '[[ $status == 3 ]]'
expect kernel_was_up '^kernel: vmux lm3s6965evb board up'
expect report_names_the_fault '^\*\*\* vmux panic: kernel faulted: UsageFault, division by zero$'
expect report_has_pc_and_lr '^  pc [0-9a-f]{8} lr [0-9a-f]{8} sp 2000[0-9a-f]{4} xpsr [0-9a-f]{8}$'
expect report_has_r0_r3 '^  r0-r3( [0-9a-f]{8}){4} r12 [0-9a-f]{8}$'
expect report_has_registers '^  r4-r11( [0-9a-f]{8}){8}$'
expect report_decodes_cfsr '^  cfsr 02000000 DIVBYZERO hfsr 00000000$'
finish
