#!/bin/bash
# `make run` fails loudly when the board cannot start, on both boards: a
# UDP port it forwards is held by another program (tests/check/
# hold_udp_port.c, holding ports the system picked), so the host board
# (vmux) or QEMU (hostfwd) refuses to start. make exits non-zero, and
# after the board's own message tools/run-hint.sh names the port, the
# variable that chose it and the program that holds it, and prints a
# `make run` line with free ports. Nothing waits for a time: each run
# ends by itself (timeout is only a bound if it did not). And on the
# lm3s6965evb, when the apps do not all fit in its RAM, the board names
# those left out and make run fails with a hint.
set -u
source "$(dirname "$0")/plant.bash"
build=${BUILD:-build}
cd "$root" || exit 1

coproc HOLD { exec "$build/test/hold_udp_port" 0 0; }
read -r p q <&"${HOLD[0]}"
holder=$HOLD_PID
echo "holding UDP ports $p and $q (pid $holder)"

run() { # make arguments...
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL timeout 120 make --no-print-directory BUILD="$build" \
        run "$@" </dev/null 2>&1
}
has() { # name output fixed-string
    grep -qF -- "$3" <<<"$2"
    result "$1" 0 $?
}

out=$(run UDP_PORT="$p")
rc=$?
result host_board_run_fails_when_its_port_is_taken 1 $((rc != 0 && rc != 124))
has host_board_says_the_port_is_taken "$out" "vmux: cannot forward UDP 127.0.0.1:$p to board port 2007: the port is taken"
has host_hint_names_the_variable_and_holder "$out" \
    "make run: UDP port $p of 127.0.0.1 (UDP_PORT) is taken by pid $holder (hold_udp_port)"
grep -qE '^    make run UDP_PORT=[0-9]+$' <<<"$out"
result host_hint_gives_a_make_line_with_a_free_port 0 $?
[ "$fail" -eq 0 ] || echo "$out"

out=$(run BOARD=lm3s6965evb UDP_PORT=0 KERNEL_UDP_PORT="$q")
rc=$?
result qemu_run_fails_when_hostfwd_is_refused 1 $((rc != 0 && rc != 124))
has qemu_says_it_could_not_forward "$out" "Could not set up host forwarding rule 'udp:127.0.0.1:$q-:7'"
has qemu_hint_names_the_variable_and_holder "$out" \
    "make run: UDP port $q of 127.0.0.1 (KERNEL_UDP_PORT) is taken by pid $holder (hold_udp_port)"
grep -qE '^    make run BOARD=lm3s6965evb UDP_PORT=[0-9]+ KERNEL_UDP_PORT=[0-9]+$' <<<"$out"
result qemu_hint_gives_a_make_line_with_free_ports 0 $?

out=$(run BOARD=lm3s6965evb UDP_PORT="$p" KERNEL_UDP_PORT="$q")
rc=$?
result qemu_run_fails_when_both_ports_are_taken 1 $((rc != 0 && rc != 124))
has qemu_hint_names_udp_port "$out" "make run: UDP port $p of 127.0.0.1 (UDP_PORT) is taken"
[ "$fail" -eq 0 ] || echo "$out"

exec {HOLD[1]}>&-
wait "$holder"

# Apps that do not all fit in the lm3s6965evb's RAM: the demo's five and
# two more, in an apps image of the test's own (LM3S_DEMO_BIN, so the
# build's apps-demo.bin stays as it is). The board names each app left
# out and ends QEMU with status 4; make fails and says what to do.
tmp=$(mktemp -d)
out=$(run BOARD=lm3s6965evb RUN_APPS="hog buttons" LM3S_DEMO_BIN="$tmp/apps-big.bin" \
      UDP_PORT=0 KERNEL_UDP_PORT=0)
rc=$?
rm -rf "$tmp"
result qemu_run_fails_when_the_apps_do_not_fit 1 $((rc != 0 && rc != 124))
# make run checks the set before QEMU starts (vmuxload runs the board's
# loader code on the image): the loader's line for the app left out, and
# nothing started.
grep -qE '^(kernel: )?app (hog|buttons): (no room for its RAM|no process slot left): skipped$' <<<"$out"
result board_names_the_app_without_room 0 $?
has board_says_it_stops "$out" "would start (above, the board's loader as vmuxload runs it): nothing started"
has hint_says_the_apps_do_not_fit "$out" "make run: the apps do not all fit in the lm3s6965evb's RAM"
grep -qxF '    make run BOARD=lm3s6965evb ' <<<"$out"
result hint_gives_a_make_line_without_the_extra_apps 0 $?
[ "$fail" -eq 0 ] || echo "$out"
summary
