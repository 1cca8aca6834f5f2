#!/bin/bash
# Instruction counts per operation, by callgrind (deterministic: the same
# binary and inputs give the same count). Writes a table to stdout and to
# build/bench/results.md; docs/performance.md quotes it. Each
# measurement says on stderr where the run is ("bench: [5/51] 12 s,
# uart_write 8"), the table stays on stdout.
#   bench/run.sh [BUILD_DIR]
set -eu
build=${1:-build}
bin="$build/release/bench/bench_muxes"
out_dir="$build/bench"
mkdir -p "$out_dir"
results="$out_dir/results.md"

# Progress: the measurements below are STEPS callgrind runs; each says so
# as it starts. (A count gone wrong shows at the end, never in the table.)
# The count is kept in a file: the measurements run in subshells.
STEPS=51
counter="$out_dir/progress"
echo 0 >"$counter"
progress() { # what
    local step=$(($(cat "$counter") + 1))
    echo "$step" >"$counter"
    echo "bench: [$step/$STEPS] ${SECONDS} s, $*" >&2
}

# The mux's own share of a measurement: the self cost of the functions in
# the mux's own files (the pattern each scenario gives, matched against
# callgrind's file:function) and of the kernel helpers every mux calls
# (round robin, wipe, client table, tallies); the simulated driver
# (chips/, and the kernel/ring.c its UART uses), the harness (bench/,
# the peer's decoder), the kernel loop and libc are left out, so that
# the figure compares with another kernel's mux alone.
HELPERS='kernel/(wipe|client|client_table|tally)\.[ch]'
mux_share() { # callgrind-file pattern -> instructions
    callgrind_annotate --inclusive=no "$1" 2>/dev/null |
        awk -v pat="($2|$HELPERS)" '/file:function/ { on = 1; next }
             on && /^$/ { exit }
             on && $0 ~ pat { gsub(",", "", $1); s += $1 }
             END { print s + 0 }'
}

mux_files() { # scenario -> pattern of the mux's own files
    case $1 in
    uart_frame) echo 'capsules/uart_frame\.c' ;;
    crypto_*) echo 'capsules/crypto_mux\.c' ;;
    adc_*) echo 'capsules/adc_mux\.c' ;;
    udp_*) echo 'capsules/net/(udp_mux|port_table)\.c' ;;
    alarm_*) echo 'capsules/alarm_mux\.c' ;;
    rng_*) echo 'capsules/rng_mux\.c' ;;
    spi_*) echo 'capsules/(bus_mux|spi_mux)\.c' ;;
    i2c_*) echo 'capsules/(bus_mux|i2c_mux)\.c' ;;
    screen_*) echo 'capsules/(bus_mux|screen_mux)\.c' ;;
    *) echo 'capsules/' ;;
    esac
}

# The UART mux's share, exactly: callgrind collects only inside the mux's
# entry points and stops inside what the mux calls out to (the framing,
# which has its own row; the driver; the client's callback; the kernel's
# deferred calls), nested toggles switching collection off and on.
# LD_BIND_NOW: symbols bound at start, not on the first call inside.
uart_mux_share() { # clients -> instructions per write
    local cg="$out_dir/callgrind.uart_mux.$1" t stdout ops
    local toggles=(uart_mux_write do_work hw_transmit_done
                   uart_frame_encode uart_transmit writer_done)
    progress "uart mux share, $1 clients"
    local args=()
    for t in "${toggles[@]}"; do args+=(--toggle-collect="$t"); done
    stdout=$(LD_BIND_NOW=1 valgrind --tool=callgrind --callgrind-out-file="$cg" "${args[@]}" "$bin" uart_write "$1" 2>/dev/null)
    ops=$(grep -oE '^operations [0-9]+' <<<"$stdout" | grep -oE '[0-9]+$')
    echo $(( $(grep -E '^summary:' "$cg" | grep -oE '[0-9]+') / ops ))
}

measure() { # scenario n [toggle] -> "per_op operations mux_per_op extra..."
    local scenario=$1 n=$2 cg="$out_dir/callgrind.$1.$2" toggle=bench_${3:-$1}
    case $scenario in adc_*) toggle=bench_adc_sample ;; alarm_spurious) toggle=hw_fired ;; esac
    local stdout ops total extra mux
    progress "$scenario $n"
    stdout=$(LD_BIND_NOW=1 valgrind --tool=callgrind --callgrind-out-file="$cg" \
        --toggle-collect="$toggle" "$bin" "$scenario" "$n" 2>/dev/null)
    ops=$(grep -oE '^operations [0-9]+' <<<"$stdout" | grep -oE '[0-9]+$')
    total=$(grep -E '^(summary|totals):' "$cg" | head -1 | grep -oE '[0-9]+' | head -1)
    if [[ -z $ops || -z $total || $ops -eq 0 ]]; then
        echo "bench: $scenario $n produced no measurement" >&2
        exit 1
    fi
    mux=$(mux_share "$cg" "$(mux_files "$scenario")")
    extra=$(grep -E '^(fairness|hardware_conversions|port_lookups)' <<<"$stdout" | tr '\n' ' ' || true)
    echo "$((total / ops)) $ops $((mux / ops)) $extra"
}

{
echo "| scenario | clients / alarms | operations | instructions per operation | of which the mux's own |"
echo "| --- | --- | --- | --- | --- |"
fair=""
bus_fair=""
for n in 1 8 64; do
    read -r per ops mux extra <<<"$(measure uart_write $n)"
    mux=$(uart_mux_share $n)
    echo "| uart mux write (32 B, with sim driver) | $n | $ops | $per | $mux |"
    [ -n "$extra" ] && fair="$fair\n$extra"
done
read -r per ops mux _ <<<"$(measure uart_frame 1000)"
echo "| uart framing: CRC-16 + COBS of a 32-byte write, per payload byte | 1000 frames | $ops | $per | $mux |"
for n in 1 8 16; do
    read -r per ops mux _ <<<"$(measure crypto_ecb $n)"
    echo "| crypto mux ECB block (with software AES) | $n | $ops | $per | $mux |"
done
for n in 1 8; do
    read -r per ops mux _ <<<"$(measure rng_get $n)"
    echo "| rng mux request (32 B, with the CTR_DRBG) | $n | $ops | $per | $mux |"
done
for n in 1 8 64; do
    read -r per ops mux extra <<<"$(measure adc_same_channel $n)"
    echo "| adc mux sample, all on one channel (readings shared; $extra) | $n | $ops | $per | $mux |"
done
for n in 1 8 64; do
    read -r per ops mux extra <<<"$(measure adc_eight_channels $n)"
    echo "| adc mux sample, spread over 8 channels ($extra) | $n | $ops | $per | $mux |"
done
for n in 1 8 64; do
    read -r per ops mux extra <<<"$(measure udp_demux $n)"
    echo "| udp receive + demux to the bound client (with sim NIC; $extra) | $n | $ops | $per | $mux |"
done
for n in 1 8 64; do
    read -r per ops mux extra <<<"$(measure spi_transfer $n)"
    echo "| spi mux transfer (16 B, each client its own chip; with sim driver and watchdog) | $n | $ops | $per | $mux |"
    [ -n "$extra" ] && bus_fair="$bus_fair\nspi: $extra"
done
for n in 1 8 64; do
    read -r per ops mux extra <<<"$(measure i2c_transaction $n)"
    echo "| i2c mux transaction (write 1, read 2; each client its own device; with sim driver and watchdog) | $n | $ops | $per | $mux |"
    [ -n "$extra" ] && bus_fair="$bus_fair\ni2c: $extra"
done
# The key-value store: OPS gets or sets among N keys (bench/bench_storage.c);
# its own share is the store's files (capsules/storage/, kernel/crc32.c)
# and the helpers, the simulated device and the fixture's loop left out.
store="$build/release/bench/bench_storage"
kv_traffic=""
for op in get set; do
    for n in 10 100 1000; do
        cg="$out_dir/callgrind.kv_$op.$n"
        stdout=$(LD_BIND_NOW=1 valgrind --tool=callgrind --callgrind-out-file="$cg" \
            --toggle-collect="bench_kv_$op" "$store" "$op" "$n" 2>/dev/null)
        ops=$(grep -oE '^operations [0-9]+' <<<"$stdout" | grep -oE '[0-9]+$')
        total=$(grep -E '^(summary|totals):' "$cg" | head -1 | grep -oE '[0-9]+' | head -1)
        own=$(mux_share "$cg" 'capsules/storage/|kernel/crc32\.c')
        echo "| kv store $op (8-byte key, 8-byte value; with sim device) | $n keys | $ops | $((total / ops)) | $((own / ops)) |"
        kv_traffic="$kv_traffic\n$op among $n keys: $(grep -vE '^operations' <<<"$stdout" | tr '\n' ' ')"
    done
done
for n in 1 4 8; do
    read -r per ops mux _ <<<"$(measure screen_flush $n)"
    echo "| screen mux flush of a rectangle (16 x 8 pixels, 64 B; each client its own window; with sim screen and watchdog) | $n | $ops | $per | $mux |"
done
for n in 1 8 64 256 1024; do
    read -r per ops mux _ <<<"$(measure alarm_insert $n)"
    echo "| alarm set + cancel among armed | $n | $ops | $per | $mux |"
done
for n in 1 8 64 256 1024; do
    read -r per ops mux _ <<<"$(measure alarm_spurious $n)"
    echo "| alarm spurious interrupt (a cancelled deadline passes; with sim driver) | $n | $ops | $per | $mux |"
done
for n in 1 8 64 256 1024; do
    read -r per ops mux _ <<<"$(measure alarm_fire $n)"
    echo "| alarm fire (per alarm, with sim driver) | $n | $ops | $per | $mux |"
done
# System calls: the kernel's dispatch alone (harness CPU, measured in the
# bench functions), then the host board's full round trip (a real process
# thread): whole-program instructions with 1000 calls minus with 0.
sys="$build/release/bench/bench_syscalls"
apps="$build/release/bench/apps"
for kind in null upcall; do
    cg="$out_dir/callgrind.dispatch.$kind"
    progress "kernel dispatch, $kind"
    valgrind --tool=callgrind --callgrind-out-file="$cg" --toggle-collect="bench_syscall_$kind" \
        "$sys" dispatch 1000 >/dev/null 2>&1
    total=$(grep -E '^(summary|totals):' "$cg" | head -1 | grep -oE '[0-9]+' | head -1)
    echo "| kernel dispatch: $kind (harness CPU) | 1 process | 1000 | $((total / 1000)) | |"
done
whole() { # app -> total instructions of the whole run
    local cg="$out_dir/callgrind.host.$(basename "$1")"
    progress "host board round trip, $(basename "$1")"
    valgrind --tool=callgrind --callgrind-out-file="$cg" "$sys" host "$1" >/dev/null 2>&1
    grep -E '^(summary|totals):' "$cg" | head -1 | grep -oE '[0-9]+' | head -1
}
for kind in null upcall; do
    base=$(whole "$apps/${kind}_0.so")
    calls=$(whole "$apps/${kind}_1000.so")
    echo "| host board round trip: $kind (process thread, baton hand-over) | 1 process | 1000 | $(((calls - base) / 1000)) | |"
done
echo
echo "Kernel RAM per process and per client, in bytes (x86-64 host build):"
echo
"$sys" sizes | sed 's/^/    /'

echo
echo "Key-value store traffic per request (device blocks of 512 bytes; write"
echo "amplification: bytes written to the device over record bytes appended):"
echo
echo -e "${kv_traffic#\\n}" | sed 's/^/    /'
echo
echo "Storage RAM, in bytes (x86-64 host build):"
echo
"$store" sizes | sed 's/^/    /'
echo
echo "Fairness (N clients writing saturating output on the UART mux):"
echo
echo -e "${fair#\\n}" | sed 's/^/    /'
echo
echo "Fairness (N devices, each with a client queuing its next operation from its callback):"
echo
echo -e "${bus_fair#\\n}" | sed 's/^/    /'
} | tee "$results"
[[ $(cat "$counter") -eq $STEPS ]] ||
    echo "bench: $(cat "$counter") measurements, not $STEPS: update STEPS in $0" >&2
