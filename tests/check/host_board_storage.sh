#!/bin/bash
# Storage on the host board, as `make run` keeps it: the board twice on
# the same image file (vmux --storage). storage_demo counts its boots in
# the key-value store (0x50003) and keeps a log in its isolated region
# (0x50004); the second run finds what the first wrote. policy_probe is
# refused storage_demo's item and the outside of its own region, and
# "storage" on the management channel shows each owner's usage and quota,
# each region's app, and a counter for each refusal. Then a run without
# storage_demo (the app removed: its region is erased) and one with it
# again: its log starts anew, while its boot counter, an item of its
# write id in the key-value store, goes on.
#
# The board runs on its virtual clock and the script waits for events,
# never for a time (tests/events.bash).
set -u
source "$(dirname "$0")/../host_board.bash"
img=$(mktemp -u)
host_tmp_files+=("$img" "$out".{1,2,3,4})

run_board() { # run number, apps
    local run=$1 app args=()
    shift
    for app in "$@"; do args+=(--app "$apps/$app.so"); done
    : >"$out"
    board_exec --storage "$img" "${args[@]}"
    for app in "$@"; do wait_for "^kernel: process $app exited"; done
    say "@mgmt storage" && wait_for '^mgmt: storage mux: '
    board_stop
    cp "$out" "$out.$run"
}
run_board 1 storage_demo policy_probe
run_board 2 storage_demo policy_probe
run_board 3 policy_probe
run_board 4 storage_demo

exec 4>&-
expect() { # run name pattern
    if grep -qE "$3" "$out.$1"; then ok "$2"; else bad "$2 (run $1: no line matching: $3)"; fi
}
awaited
expect 1 first_boot_on_a_new_image '^storage_demo: boot 1 of this app on this storage; its region: 4096 bytes, 1 log lines'
expect 1 kernel_counts_its_boots '^kernel: storage: kernel boot 1 on this device \(SUCCESS\)'
expect 2 boot_counter_survives_the_board '^storage_demo: boot 2 of this app on this storage; its region: 4096 bytes, 2 log lines'
expect 2 log_survives_the_board '^storage_demo: +log: boot 1, log line 1'
expect 2 log_grows '^storage_demo: +log: boot 2, log line 2'
expect 2 kernel_boots_survive_the_board '^kernel: storage: kernel boot 2 on this device'
expect 2 kv_no_read_of_another_apps_item "^policy_probe: KV get storage_demo's \"boots\": refused with NOSUPPORT"
expect 2 kv_no_delete_of_another_apps_item "^policy_probe: KV delete storage_demo's \"boots\": refused with NOSUPPORT"
expect 2 isolated_storage_no_access_outside_the_region '^policy_probe: isolated storage read past the end of its region: refused with INVALID'
expect 2 mgmt_shows_usage_and_quota '^mgmt: +owner 93: used [1-9][0-9]* of quota 1024'
expect 2 mgmt_shows_each_region '^mgmt: +region [0-9]+: storage_demo'
expect 2 mgmt_counts_refused_permissions '^mgmt: kv requests: .*permissions [1-9]'
expect 2 mgmt_counts_refused_outside '^mgmt: isolated storage: .*outside [1-9]'
expect 3 confidentiality_region_of_a_removed_app_is_reclaimed '^mgmt: regions: allocated [0-9]+, reclaimed 1,'
expect 4 confidentiality_returning_app_finds_its_region_erased '^storage_demo: boot 3 of this app on this storage; its region: 4096 bytes, 1 log lines'
expect 4 returning_app_log_starts_anew '^storage_demo: +log: boot 3, log line 1$'
[ "$fail" -eq 0 ] || cat "$out.1" "$out.2" "$out.3" "$out.4"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
