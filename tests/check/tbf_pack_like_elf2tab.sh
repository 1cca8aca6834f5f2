#!/bin/bash
# tools/tbf pack writes what elf2tab writes: the layout test app
# (tests/qemu/apps/layout, linked with userland/libvmux/app_arm.ld, the
# layout of libtock-c's userland_generic.ld) packed twice, with
# libtock-c's default options and with every option, and each packed
# object checked field by field against what this script works out from
# the ELF itself (readelf, objcopy, sha256sum), never from the packer:
# the header TLVs in elf2tab's order with their values, the binary (the
# loadable flash bytes), the relocation data after it (u32 length, then
# .rel.data), the credentials footers, the padding to a power of two,
# and that the startup header's reldata_start is where the packer put
# the relocation data.
set -u
source "$(dirname "$0")/plant.bash"
build=${BUILD:-build}
cd "$root" || exit 1
elf=$build/arm/apps/test-layout.elf
tbf=$build/release/tbf
out=$(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory BUILD="$build" \
      "$elf" "$tbf" 2>&1)
rc=$?
[ $rc -eq 0 ] || echo "$out" | tail -20
result builds_the_elf_and_the_packer 0 $rc
[ $rc -eq 0 ] || { summary; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

u32() { od -An -tu4 -j "$2" -N 4 "$1" | tr -d ' '; }   # file offset
u16() { od -An -tu2 -j "$2" -N 2 "$1" | tr -d ' '; }
check() { # name condition
    if eval "$2"; then result "$1" 0 0; else echo "    ($2)"; result "$1" 0 1; fi
}
align() { echo $(((($1) + $2 - 1) / $2 * $2)); }
pow2_at_least_512() { # elf2tab: a power of two already stays; else the next one, >= 512
    local n=$1 p=1
    (((n & (n - 1)) == 0)) && { echo "$n"; return; }
    while ((p <= n)); do p=$((p * 2)); done
    echo $((p > 512 ? p : 512))
}

# What the ELF says.
arm-none-eabi-objcopy -O binary "$elf" "$tmp/flash.bin"
flash_len=$(stat -c %s "$tmp/flash.bin")
section() { # name: its address, file offset and size, in hex
    arm-none-eabi-readelf -SW "$elf" | sed 's/^ *\[ *[0-9]*\] *//' |
        awk -v n="$1" '$1 == n { print $3, $4, $5 }'
}
read -r _ rel_off rel_size < <(section .rel.data)
dd if="$elf" of="$tmp/rel.bin" bs=1 skip=$((16#$rel_off)) count=$((16#$rel_size)) 2>/dev/null
rel_len=$((16#$rel_size))
read -r wfr_addr _ wfr_size < <(section .wfr.app_state)
wfr_addr=$((16#$wfr_addr)) wfr_size=$((16#$wfr_size))
entry=$(arm-none-eabi-readelf -h "$elf" | awk '/Entry point/ { print $4 }')
ram_memsz=0
while read -r type _ vaddr paddr _ memsz flags _; do
    [[ $type == LOAD && $vaddr != "$paddr" && $flags == *W* ]] && ram_memsz=$((ram_memsz + memsz))
done < <(arm-none-eabi-readelf -lW "$elf")
reldata_start=$(u32 "$tmp/flash.bin" 32)
check elf_has_relocations_and_a_wfr_section '[[ $rel_len -ge 40 && ${wfr_size:-0} -eq 64 ]]'
check startup_header_points_at_the_relocation_data '[[ $reldata_start -eq $flash_len ]]'

# Fields shared by both packs: base header, Main, Program, the binary,
# the relocation data. $f: the object, $h: header size.
common() { # tag file header-size stack app-heap kernel-heap flags version
    local t=$1 f=$2 h=$3 flags=$7 version=$8
    local min_ram=$((ram_memsz + $(align "$4" 8) + $(align "$5" 4) + $(align "$6" 4)))
    local end=$((h + flash_len + 4 + rel_len))
    local init=$((entry - 0x80000000))
    check "${t}_version_2" '[[ $(u16 $f 0) -eq 2 ]]'
    check "${t}_header_size" '[[ $(u16 $f 2) -eq $h ]]'
    check "${t}_flags" '[[ $(u32 $f 8) -eq $flags ]]'
    local x=0
    for ((i = 0; i < h; i += 4)); do ((i == 12)) || x=$((x ^ $(u32 "$f" $i))); done
    check "${t}_checksum_xor_of_the_header" '[[ $(u32 $f 12) -eq $x ]]'
    check "${t}_main_tlv" '[[ $(u16 $f 16) -eq 1 && $(u16 $f 18) -eq 12 ]]'
    check "${t}_main_fields" '[[ $(u32 $f 20) -eq $init && $(u32 $f 24) -eq 0 && $(u32 $f 28) -eq $min_ram ]]'
    check "${t}_program_tlv" '[[ $(u16 $f 32) -eq 9 && $(u16 $f 34) -eq 20 ]]'
    check "${t}_program_fields" \
        '[[ $(u32 $f 36) -eq $init && $(u32 $f 40) -eq 0 && $(u32 $f 44) -eq $min_ram && $(u32 $f 48) -eq $end && $(u32 $f 52) -eq $version ]]'
    check "${t}_binary_is_the_flash_image" \
        'cmp -s -i "$h:0" -n "$flash_len" "$f" "$tmp/flash.bin"'
    check "${t}_relocation_data_after_it" \
        '[[ $(u32 $f $((h + flash_len))) -eq $rel_len ]] && cmp -s -i "$((h + flash_len + 4)):0" -n "$rel_len" "$f" "$tmp/rel.bin"'
    check "${t}_total_size_a_power_of_two_file_size" \
        '[[ $(u32 $f 4) -eq $(stat -c %s $f) && $(( $(u32 $f 4) & ($(u32 $f 4) - 1) )) -eq 0 ]]'
    check "${t}_parser_accepts_it" '"$tbf" info "$f" | grep -q "^0x00000 app "'
}

# 1. libtock-c's defaults (Configuration.mk's ELF2TAB_ARGS).
f=$tmp/default.tbf
"$tbf" pack -n layout --stack 2048 --app-heap 1024 --kernel-heap 1024 --kernel-major 2 \
    --kernel-minor 0 -o "$f" "$elf" >/dev/null
h=$((16 + 16 + 24 + 4 + 8 + 12 + 8)) # base, Main, Program, "layout" (6 + 2), 1 region, version
default_h=$h
common default "$f" $h 2048 1024 1024 1 0
end=$((h + flash_len + 4 + rel_len))
total=$(pow2_at_least_512 $end)
check default_name_tlv '[[ $(u16 $f 56) -eq 3 && $(u16 $f 58) -eq 6 && $(dd if=$f bs=1 skip=60 count=6 2>/dev/null) == layout && $(u16 $f 66) -eq 0 ]]'
check default_writeable_flash_region \
    '[[ $(u16 $f 68) -eq 2 && $(u16 $f 70) -eq 8 && $(u32 $f 72) -eq $((h + wfr_addr - 0x80000000)) && $(u32 $f 76) -eq $wfr_size ]]'
check default_kernel_version_tlv '[[ $(u16 $f 80) -eq 8 && $(u16 $f 82) -eq 4 && $(u16 $f 84) -eq 2 && $(u16 $f 86) -eq 0 ]]'
check default_total_size '[[ $(u32 $f 4) -eq $total ]]'
check default_reserved_footer_fills_the_padding \
    '[[ $(u16 $f $end) -eq 128 && $(u16 $f $((end + 2))) -eq $((total - end - 4)) && $(u32 $f $((end + 4))) -eq 0 ]]'

# 2. Every option.
f=$tmp/all.tbf
"$tbf" pack -n layout-all --stack 2048 --app-heap 512 --kernel-heap 2000 --kernel-major 2 \
    --kernel-minor 1 --minimum-footer-size 300 --sha256 --permissions 1,1 --permissions 1,65 \
    --permissions 0,0 --write_id 7 --read_ids 1,2 --access_ids 3 --disable --app-version 5 \
    --short-id 9 -o "$f" "$elf" >/dev/null
# base, Main, Program, "layout-all" (10 + 2), 1 region, 3 permissions,
# storage (1 write, 2 read, 1 modify), version, ShortId
h=$((16 + 16 + 24 + 16 + 12 + (4 + 2 + 48 + 2) + (4 + 8 + 12) + 8 + 8))
common all "$f" $h 2048 512 2000 0 5
end=$((h + flash_len + 4 + rel_len))
total=$(pow2_at_least_512 $((end + 40 + 260)))
p=$((56 + 16 + 12)) # the permissions TLV
check all_permissions \
    '[[ $(u16 $f $p) -eq 6 && $(u16 $f $((p + 2))) -eq 50 && $(u16 $f $((p + 4))) -eq 3 && "$(od -An -tu4 -j $((p + 6)) -N 48 $f | xargs)" == "1 0 2 0 1 1 2 0 0 0 1 0" ]]'
s=$((p + 56))
check all_storage_permissions \
    '[[ $(u16 $f $s) -eq 7 && $(u16 $f $((s + 2))) -eq 20 && $(u32 $f $((s + 4))) -eq 7 && $(u16 $f $((s + 8))) -eq 2 && $(u32 $f $((s + 10))) -eq 1 && $(u32 $f $((s + 14))) -eq 2 && $(u16 $f $((s + 18))) -eq 1 && $(u32 $f $((s + 20))) -eq 3 ]]'
k=$((s + 24))
check all_kernel_version '[[ $(u16 $f $k) -eq 8 && $(u16 $f $((k + 4))) -eq 2 && $(u16 $f $((k + 6))) -eq 1 ]]'
check all_short_id '[[ $(u16 $f $((k + 8))) -eq 10 && $(u16 $f $((k + 10))) -eq 4 && $(u32 $f $((k + 12))) -eq 9 ]]'
check all_total_size_counts_footers '[[ $(u32 $f 4) -eq $total ]]'
sha=$(head -c "$end" "$f" | sha256sum | cut -d' ' -f1)
check all_sha256_footer_of_header_and_binary \
    '[[ $(u16 $f $end) -eq 128 && $(u16 $f $((end + 2))) -eq 36 && $(u32 $f $((end + 4))) -eq 3 && "$(od -An -tx1 -j $((end + 8)) -N 32 $f | tr -d " \n")" == "$sha" ]]'
r=$((end + 40))
check all_reserved_footer_after_it \
    '[[ $(u16 $f $r) -eq 128 && $(u16 $f $((r + 2))) -eq $((total - r - 4)) && $(u32 $f $((r + 4))) -eq 0 ]]'
check all_disabled_in_the_parser '"$tbf" info "$f" | grep -q "(disabled)"'
check all_sha256_matches_in_the_parser '"$tbf" info "$f" | grep -q "SHA-256: matches"'

# The control: a corrupted object fails the same checks.
cp "$tmp/default.tbf" "$tmp/bad.tbf"
printf '\x01' | dd of="$tmp/bad.tbf" bs=1 seek=$((default_h + 100)) conv=notrunc 2>/dev/null
cmp -s -i "$default_h:0" -n "$flash_len" "$tmp/bad.tbf" "$tmp/flash.bin"
result control_a_changed_byte_is_seen 1 $?
summary
