#!/bin/bash
# tools/vmuxload says, before the board starts, what the lm3s6965evb's
# loader will do with an apps image: which objects it refuses and why,
# where each app's flash and RAM are, which apps find no room, and the
# summary line. It runs the loader's own code (boards/lm3s6965evb/
# app_layout.c) and the kernel's own name check (kernel/process_name.c)
# with what the kernel ELF it is given carries: its addresses, its grant
# room (lm3s_grant_floor, lm3s_grant_allowance) and the names its apps may
# not take (.vmux.names, lm3s_reserved_names). Here its `list` must
# print, line for line, what the board prints when it loads the same
# image under QEMU: the demo's apps, the elf2tab-packed variants the
# loader refuses or places at a fixed address (apps-tbf.bin), a set with
# a hog, libtock-c's packing (apps-tock.bin), and apps named as a kernel
# client, as names the board reserves and twice under one name
# (apps-names.bin); on the test image, and on the storage and display
# images, whose drivers give each app more room for grants than vmux.elf.
. "$(dirname "$0")/lm3s6965evb.bash"

vmuxload="$build/release/vmuxload"
said=$(new_tmp)
sd=$(new_tmp)
truncate -s 1M "$sd"
pidfile=$(new_tmp)

same_lines() { # test name, image, apps image: after the board ran on it ($out)
    "$vmuxload" --sha256 --kernel "$images/$2" "$images/$3" list >"$said" 2>&1
    rc=$?
    check "vmuxload_lists_$1" '[[ $rc == 0 ]]'
    # The loader's lines: refusals, placements, the summary.
    board_lines=$(grep -aE '^kernel: (TBF at |app |apps: )' "$out" | sed 's/^kernel: //')
    tool_lines=$(grep -aE '^(TBF at |app |apps: )' "$said")
    check "vmuxload_says_what_the_loader_does_$1" '[[ -n $board_lines && $board_lines == "$tool_lines" ]]'
    if [[ $board_lines != "$tool_lines" ]]; then
        diff <(echo "$board_lines") <(echo "$tool_lines") | sed 's/^/    /'
    fi
}

for bin in apps-demo.bin apps-tbf.bin apps-hog.bin apps-tock.bin apps-names.bin; do
    name=${bin%.bin}
    name=${name#apps-}
    board_run "$images/vmux-test.elf" true -nic none \
        -device "loader,file=$images/$bin,addr=0x10000"
    check "board_loads_$name" '[[ $status == 0 ]]'
    same_lines "$name" vmux-test.elf "$bin"
done

# An app may not take a kernel client's name, one the board reserves, or
# one an app started before it took; vmuxload refuses them as the board does.
expect names_a_kernel_client_s_is_refused '^kernel: TBF at 0x[0-9a-f]+ \(kernel\): a kernel name: skipped$'
expect names_the_board_reserves_are_refused '^kernel: TBF at 0x[0-9a-f]+ \(vmuxterm\): a kernel name: skipped$'
expect a_second_app_of_a_name_does_not_start "^kernel: app alive: not started: another app's name$"
not_starting=$(grep -c "^  alive: another app's name$" "$said")
check vmuxload_names_the_second_alive_as_not_starting '[[ $not_starting == 1 ]]'

# The storage and display images (make run STORAGE=1, DISPLAY=1): they
# run until stopped, so each is stopped once the loader's summary is out.
for image in vmux-storage.elf vmux-display.elf; do
    name=${image%.elf}
    name=${name#vmux-}
    for bin in apps-demo.bin apps-names.bin; do
        rm -f "$pidfile"
        board_start_talking "$images/$image" -nic none -pidfile "$pidfile" \
            -drive "if=sd,format=raw,file=$sd" -device "loader,file=$images/$bin,addr=0x10000"
        wait_for '^kernel: apps: [0-9]+ started'
        pid=$(cat "$pidfile" 2>/dev/null)
        [[ -n $pid ]] && kill -9 "$pid" 2>/dev/null
        exec 4>&-
        board_wait
        same_lines "${name}_${bin%.bin}" "$image" "$bin"
    done
done
finish
