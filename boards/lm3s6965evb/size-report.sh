#!/bin/sh
# Flash and RAM of a linked lm3s6965evb image, per object and per layer,
# from the linker map: what each object contributes after --gc-sections
# dropped the unused functions (object-file sizes count those too).
#   boards/lm3s6965evb/size-report.sh build/lm3s6965evb/vmux.elf
set -eu
elf=${1:-build/lm3s6965evb/vmux.elf}
map=${elf%.elf}.map
arm-none-eabi-size "$elf"
awk '
/^Linker script and memory map/ { on = 1; next }
!on { next }
/^ \.[A-Za-z_.]/ {                     # an input section: " .text.foo ..."
    sec = $1
    if (NF >= 4 && $2 ~ /^0x/) { add(sec, $3, $4) } else { pending = sec }
    next
}
pending != "" && $1 ~ /^0x/ && NF >= 3 { add(pending, $2, $3); pending = ""; next }
{ pending = "" }
function hex(s,    i, n) {              # "0x1f0" -> 496 (mawk has no strtonum)
    n = 0
    for (i = 3; i <= length(s); i++) n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
    return n
}
function add(sec, size, file,    n, kind, layer) {
    n = hex(tolower(size))
    if (n == 0) return
    if (sec ~ /^\.(text|rodata|vectors|ARM\.exidx)/) kind = "flash"
    else if (sec ~ /^\.(data)/) kind = "both"
    else if (sec ~ /^\.(bss|COMMON)/ || sec == "COMMON") kind = "ram"
    else return
    sub(/.*\/obj\//, "", file)
    if (file ~ /\.a\(/) { sub(/.*\//, "", file); sub(/\(.*/, "", file); file = "(" file ")" }
    layer = file
    if (layer ~ /^capsules\/net\//) layer = "capsules/net"
    else if (layer ~ /^\(/) layer = "C library"
    else if (layer ~ /^main-/) layer = "boards/lm3s6965evb"
    else sub(/\/[^\/]*$/, "", layer)
    if (kind != "ram") { flash[file] += n; lflash[layer] += n; tflash += n }
    if (kind != "flash") { ram[file] += n; lram[layer] += n; tram += n }
    seen[file] = 1; lseen[layer] = 1
}
END {
    printf "\n%-36s %7s %7s\n", "object", "flash", "ram"
    for (f in seen) printf "%-36s %7d %7d\n", f, flash[f], ram[f] | "sort -k2 -n -r"
    close("sort -k2 -n -r")
    printf "\n%-36s %7s %7s\n", "layer", "flash", "ram"
    for (l in lseen) printf "%-36s %7d %7d\n", l, lflash[l], lram[l] | "sort -k2 -n -r"
    close("sort -k2 -n -r")
    printf "%-36s %7d %7d   (ram: static data; the stack comes on top)\n", "total", tflash, tram
}' "$map"
