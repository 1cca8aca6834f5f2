#!/bin/sh
# Capability check: only code under boards/ may mint kernel capabilities.
#
# Fails (exit 1) and names each offending line when any C or assembly file
# outside boards/ (and other than the minting header itself):
#   - includes kernel/capability_mint.h,
#   - uses VMUX_MINT_CAPABILITY or CAPABILITY_MAGIC,
#   - defines one of the capability structs (struct cap_xxx { ... }).
# Usage: tools/check-capabilities.sh [TREE]   (default: .)
set -u
tree="${1:-.}"
cd "$tree" || exit 2

violations=$(
    find . \( -path ./build -o -path ./.git -o -path ./boards \) -prune -o \
        -type f \( -name '*.c' -o -name '*.h' -o -name '*.S' -o -name '*.s' \) -print |
    grep -v '^\./kernel/capability_mint\.h$' |
    sort |
    while read -r f; do
        grep -nHE \
            -e '#[[:space:]]*include[[:space:]]*[<"]([^">]*/)?capability_mint\.h[">]' \
            -e '\bVMUX_MINT_CAPABILITY\b' \
            -e '\bCAPABILITY_MAGIC\b' \
            -e '\bstruct[[:space:]]+cap_[a-z0-9_]+[[:space:]]*\{' \
            "$f" 2>/dev/null
    done
)

if [ -n "$violations" ]; then
    echo "check-capabilities: capabilities may be minted only under boards/:" >&2
    echo "$violations" | sed 's/^/  /' >&2
    exit 1
fi
exit 0
