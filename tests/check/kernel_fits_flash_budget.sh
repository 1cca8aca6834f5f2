#!/bin/bash
# The lm3s6965evb images fit their flash budgets: text + data (code,
# read-only data and the initial values of .data, all kept in flash), as
# `make lm3s6965evb-size` reports them.
#   vmux-kernel.elf  the kernel with every virtualizer: the UART, alarm,
#                    ADC, crypto, RNG and UDP muxes, the network stack,
#                    the chip and syscall drivers (LED, button and GPIO with
#                    the PL061 driver too, RNG with the CTR_DRBG and its
#                    boot seed), processes and their loader, the MPU,
#                    fault reports and the kernel's channel; no
#                    management channel, no low-level debug driver, no
#                    demo clients. At most
#                    KERNEL_BUDGET bytes: 41 KiB, the ceiling for the
#                    kernel (the 32 KiB of the first port was passed by
#                    the availability fixes, the Tock drivers and the
#                    faster framing, 40 KiB by the RNG and the process
#                    name check: docs/performance.md has the per-object
#                    figures).
#                    The SPI and I2C buses do not fit under it with the
#                    rest: they are a board option (VMUX_BUSES), left
#                    out of this image.
#   vmux-kernel-buses.elf
#                    the same kernel with the buses (SSI0, I2C0, the
#                    SPI and I2C muxes, the TMP105, the SPI, I2C and
#                    temperature syscall drivers): at most
#                    KERNEL_BUSES_BUDGET bytes, 46 KiB, what it measures
#                    rounded up (docs/performance.md has what each
#                    object adds).
#   vmux.elf         the board as `make run` starts it (with the
#                    management channel, the demo's kernel clients and
#                    the buses):
#                    at most BOARD_BUDGET bytes, the measured size
#                    (docs/performance.md) rounded up to a KiB step with
#                    room for small changes (46 KiB since Tock's apps
#                    load as Tock loads them: every TBF header and
#                    footer, Tock's entry, RAM from minimum_ram_size,
#                    refusals that keep no slot, 1064 bytes; 53 KiB with
#                    the buses, their demo client and "buses", 6256
#                    bytes).
#   vmux-display.elf the board with the display (VMUX_DISPLAY: the
#                    SSD0323 driver, the screen mux and driver, the
#                    status strip; 3424 bytes over vmux.elf): at most
#                    DISPLAY_BUDGET bytes, 59 KiB. vmux.elf leaves the
#                    display out and keeps its budget.
#   vmux-storage.elf the board with storage on the SD card (VMUX_STORAGE:
#                    capsules/sd_spi, the storage mux, the key-value store,
#                    isolated regions, their drivers and "storage";
#                    without the demo's kernel clients and the low-level
#                    debug driver): at most STORAGE_BUDGET bytes, 64 KiB,
#                    the kernel's whole flash area (KERNEL_FLASH_SIZE in
#                    boards/lm3s6965evb/memory.ld; it measures 65472).
# As a control, the same comparison against a budget one byte below an
# image's size must fail.
set -u
source "$(dirname "$0")/plant.bash"
build=${BUILD:-build}
kernel_budget=${KERNEL_BUDGET:-41984}
kernel_buses_budget=${KERNEL_BUSES_BUDGET:-47104}
board_budget=${BOARD_BUDGET:-57344}
display_budget=${DISPLAY_BUDGET:-60416}
storage_budget=${STORAGE_BUDGET:-65536}
cd "$root" || exit 1

kernel=$build/lm3s6965evb/vmux-kernel.elf
kernel_buses=$build/lm3s6965evb/vmux-kernel-buses.elf
board=$build/lm3s6965evb/vmux.elf
display=$build/lm3s6965evb/vmux-display.elf
storage=$build/lm3s6965evb/vmux-storage.elf
out=$(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory BUILD="$build" \
      "$kernel" "$kernel_buses" "$board" "$display" "$storage" 2>&1)
rc=$?
[ $rc -eq 0 ] || echo "$out" | tail -20
result images_build 0 $rc

# text + data of an ELF, in bytes
flash_of() { arm-none-eabi-size "$1" | awk 'NR == 2 { print $1 + $2 }'; }

fits() { # elf budget
    local used
    used=$(flash_of "$1") || return 2
    [ -n "$used" ] || return 2
    echo "$(basename "$1"): $used bytes of flash (text + data), budget $2"
    [ "$used" -le "$2" ]
}

fits "$kernel" "$kernel_budget"
result "kernel_with_every_virtualizer_within_${kernel_budget}_bytes" 0 $?
fits "$kernel_buses" "$kernel_buses_budget"
result "kernel_with_the_buses_within_${kernel_buses_budget}_bytes" 0 $?
fits "$board" "$board_budget"
result "board_image_within_${board_budget}_bytes" 0 $?
fits "$display" "$display_budget"
result "board_with_the_display_within_${display_budget}_bytes" 0 $?
fits "$storage" "$storage_budget"
result "board_with_storage_within_${storage_budget}_bytes" 0 $?
used=$(flash_of "$kernel")
fits "$kernel" $((${used:-1} - 1)) >/dev/null
result one_byte_less_fails_control 1 $?

summary
