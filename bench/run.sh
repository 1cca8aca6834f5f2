#!/bin/bash
# Instruction counts per operation, by callgrind (deterministic: the same
# binary and inputs give the same count). Writes a table to stdout and to
# build/bench/results.md; docs/performance.md quotes it.
#   bench/run.sh [BUILD_DIR]
set -eu
build=${1:-build}
bin="$build/release/bench/bench_muxes"
out_dir="$build/bench"
mkdir -p "$out_dir"
results="$out_dir/results.md"

measure() { # scenario n -> "instructions_per_op operations extra..."
    local scenario=$1 n=$2 cg="$out_dir/callgrind.$1.$2" toggle=$1
    case $scenario in adc_*) toggle=adc_sample ;; esac
    local stdout ops total extra
    stdout=$(valgrind --tool=callgrind --callgrind-out-file="$cg" \
        --toggle-collect="bench_$toggle" "$bin" "$scenario" "$n" 2>/dev/null)
    ops=$(grep -oE '^operations [0-9]+' <<<"$stdout" | grep -oE '[0-9]+$')
    total=$(grep -E '^(summary|totals):' "$cg" | head -1 | grep -oE '[0-9]+' | head -1)
    if [[ -z $ops || -z $total || $ops -eq 0 ]]; then
        echo "bench: $scenario $n produced no measurement" >&2
        exit 1
    fi
    extra=$(grep -E '^(fairness|hardware_conversions|port_lookups)' <<<"$stdout" | tr '\n' ' ' || true)
    echo "$((total / ops)) $ops $extra"
}

{
echo "| scenario | clients / alarms | operations | instructions per operation |"
echo "| --- | --- | --- | --- |"
fair=""
for n in 1 8 64; do
    read -r per ops extra <<<"$(measure uart_write $n)"
    echo "| uart mux write (32 B, with sim driver) | $n | $ops | $per |"
    [ -n "$extra" ] && fair="$fair\n$extra"
done
for n in 1 8 16; do
    read -r per ops _ <<<"$(measure crypto_ecb $n)"
    echo "| crypto mux ECB block (with software AES) | $n | $ops | $per |"
done
for n in 1 8 64; do
    read -r per ops extra <<<"$(measure adc_same_channel $n)"
    echo "| adc mux sample, all on one channel (readings shared; $extra) | $n | $ops | $per |"
done
for n in 1 8 64; do
    read -r per ops extra <<<"$(measure adc_eight_channels $n)"
    echo "| adc mux sample, spread over 8 channels ($extra) | $n | $ops | $per |"
done
for n in 1 8 64; do
    read -r per ops extra <<<"$(measure udp_demux $n)"
    echo "| udp receive + demux to the bound client (with sim NIC; $extra) | $n | $ops | $per |"
done
for n in 1 8 64 256 1024; do
    read -r per ops _ <<<"$(measure alarm_insert $n)"
    echo "| alarm set + cancel among armed | $n | $ops | $per |"
done
for n in 1 8 64 256 1024; do
    read -r per ops _ <<<"$(measure alarm_fire $n)"
    echo "| alarm fire (per alarm, with sim driver) | $n | $ops | $per |"
done
echo
echo "Fairness (N clients writing saturating output on the UART mux):"
echo
echo -e "${fair#\\n}" | sed 's/^/    /'
} | tee "$results"
