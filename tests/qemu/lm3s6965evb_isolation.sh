#!/bin/bash
# MPU isolation on the lm3s6965evb under QEMU. Test apps (tests/qemu/apps)
# try what the MPU must stop, one every 100 ms, next to a bystander
# ("alive": a line every 100 ms and a checksum of a pattern in its RAM).
# Each attempt ends only the intruder, with a report on the kernel channel
# that names the process, the fault and whose memory it touched; the
# bystander carries on, its memory untouched, and the kernel still answers
# the management channel.
#   image 1: write the bystander's RAM, read another intruder's RAM, read
#            and write kernel RAM, a system call with the stack pointer at
#            the bottom of its RAM (the frame cannot be stacked: reported
#            as the stack overflow it is, the svc left pending dropped)
#   image 2: a TBF object with a bad checksum (reported, skipped), write
#            its own grant memory, call kernel code, overflow the stack,
#            write a peripheral register, ask for a semihosting exit (QEMU
#            serves only privileged code: a HardFault, the machine goes on)
#   image 3: what the loader refuses (issue 12): the names of the
#            kernel's channels and of the host's terminal, a name an app
#            took already; none of them keeps a process slot, so the valid
#            app after them starts: a system call with the stack pointer in
#            its own grant memory, whose fault report must not print that
#            kernel state as its registers
. "$(dirname "$0")/lm3s6965evb.bash"

# Each image: until the last intruder has faulted, then "@mgmt ps", then
# until the bystander has printed 20 lines (2 s of its time), and the end.
run_image() { # apps-image last-intruder
    board_start_talking "$images/vmux-test.elf" -nic none \
        -device "loader,file=$images/$1,addr=0x10000"
    wait_for "^kernel: process $2 faulted" &&
        say "@mgmt ps" && wait_for '^mgmt: 0 alive ' &&
        wait_for '^alive: alive [0-9]+, pattern intact' 20
    board_end
}

# alive goes on after the last fault report, and never sees its memory
# changed; nothing the intruders tried went through.
bystander_checks() { # tag
    local last_fault last_alive
    last_fault=$(grep -anE '^kernel: process .* faulted' "$out" | tail -1 | cut -d: -f1)
    last_alive=$(grep -anE '^alive: alive [0-9]+, pattern intact' "$out" | tail -1 | cut -d: -f1)
    check "$1_bystander_carries_on" '[[ -n $last_fault && -n $last_alive && $last_alive -gt $last_fault ]]'
    check "$1_bystander_kept_running" '[[ $(grep -ac "^alive: alive" "$out") -ge 20 ]]'
    expect_not "$1_bystander_memory_untouched" 'pattern CHANGED'
    expect_not "$1_every_attempt_stopped" 'NOT STOPPED'
    expect "$1_kernel_still_answers" '^mgmt: 0 alive +(yielded|waiting|ready) '
}

fault() { # name regex-after-"faulted: "
    expect "$1" "^kernel: process $1 faulted: $2"
}

run_image apps-iso1.bin intruder-svcstack-5
check image1_exits_qemu_with_status_0 '[[ $status == 0 ]]'
fault intruder-write-1 'MemManage, data access violation at 0x2000[0-9a-f]{4} \(RAM of process alive\)$'
fault intruder-read-2 'MemManage, data access violation at 0x2000[0-9a-f]{4} \(RAM of process intruder-write-1\)$'
fault intruder-kernel-3 'MemManage, data access violation at 0x20001000 \(kernel RAM\)$'
fault intruder-kwrite-4 'MemManage, data access violation at 0x20001000 \(kernel RAM\)$'
expect report_has_pc_lr_sp '^kernel:   pc 000[0-9a-f]{5} lr [0-9a-f]{8} sp 2000[0-9a-f]{4} xpsr [0-9a-f]{8}$'
expect report_has_r0_r3 '^kernel:   r0-r3( [0-9a-f]{8}){4} r12 [0-9a-f]{8}$'
expect report_has_r4_r11 '^kernel:   r4-r11( [0-9a-f]{8}){8}$'
expect report_decodes_cfsr '^kernel:   cfsr 00000082 DACCVIOL MMARVALID hfsr 00000000$'
expect ps_shows_faulted '^mgmt: 1 intruder-write-1 +ended .*\(faulted\)$'
fault intruder-svcstack-5 'MemManage, stack overflow$'
expect svc_stacking_decoded '^kernel:   cfsr 00000010 MSTKERR hfsr 00000000$'
expect summary_counts_faults '^test: processes: .* faults 5$'
expect_not every_format_known '<\?>'
bystander_checks image1

run_image apps-iso2.bin intruder-bkpt-5
check image2_exits_qemu_with_status_0 '[[ $status == 0 ]]'
expect bad_checksum_reported '^kernel: TBF at 0x12000 \(corrupt\): bad checksum 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}: skipped$'
expect_not bad_checksum_app_not_started '(^corrupt:|channel corrupt)'
expect apps_after_it_loaded '^kernel: app intruder-periph-4: flash 0x[0-9a-f]{5} [0-9]+K'
fault intruder-grant-1 'MemManage, data access violation at 0x2000[0-9a-f]{4} \(its own grant memory\)$'
fault intruder-jump-2 'MemManage, instruction fetch outside its flash at 0x00000400 \(kernel flash\)$'
expect jump_decoded '^kernel:   cfsr 00000001 IACCVIOL hfsr 00000000$'
fault intruder-stack-3 'MemManage, stack overflow'
expect stack_overflow_decoded '^kernel:   cfsr [0-9a-f]{8} .*MSTKERR'
fault intruder-periph-4 'MemManage, data access violation at 0x4000c000 \(peripherals\)$'
fault intruder-bkpt-5 'HardFault, breakpoint or escalated fault$'
expect bkpt_decoded '^kernel:   cfsr 00000000 hfsr 40000000$'
expect summary_counts_faults_2 '^test: processes: .* faults 5$'
expect_not no_panic 'vmux panic'
bystander_checks image2

run_image apps-iso3.bin intruder-svcgrant-1
check image3_exits_qemu_with_status_0 '[[ $status == 0 ]]'
refused() { # name reason
    expect "refuses_$1" "^kernel: TBF at 0x[0-9a-f]{5} \\($1\\): $2: skipped$"
}
# the host sees under a name only what that client wrote
for name in kernel mgmt vmuxterm ticker crypto adc; do
    refused "$name" 'a kernel name'
done
expect refuses_a_second_alive "^kernel: app alive: not started: another app's name$"
expect_not no_refused_app_ran 'unknown intruder'
# every valid app that fits starts: refused objects kept no slot
expect valid_app_after_refused_ones_starts '^kernel: app intruder-svcgrant-1: flash 0x[0-9a-f]{5} '
expect apps_started_two '^kernel: apps: 2 started'
fault intruder-svcgrant-1 'MemManage, stack overflow$'
expect grant_frame_not_read_as_registers '^kernel:   psp 2000[0-9a-f]{4}: no exception frame there$'
expect_not no_registers_from_grant_memory '^kernel:   (pc|r0-r3) '
expect summary_counts_faults_3 '^test: processes: .* faults 1$'
expect_not no_panic_3 'vmux panic'
bystander_checks image3
finish
