#!/bin/sh
# Name check: every kernel client's name is written CLIENT_NAME("...")
# (kernel/client.h), which records it in the image's .vmux.names section,
# where tools/vmuxload learns which names an app may not take. A name
# written as a plain string would be refused by the board's loader but
# not by vmuxload, so the two would disagree.
#
# Fails (exit 1) and names each offending line when a C file under
# kernel/, capsules/, chips/, arch/ or boards/ passes a string literal as
# the name of client_register_kernel() or console_attach() (its third
# argument), the two places a board names a kernel client.
# Usage: tools/check-names.sh [TREE]   (default: .)
set -u
tree="${1:-.}"
cd "$tree" || exit 2

found=$(grep -rnE --include='*.c' --include='*.h' \
    -e 'client_register_kernel\([[:space:]]*"' \
    -e 'console_attach\([^,;]*,[^,;]*,[[:space:]]*"' \
    kernel capsules chips arch boards 2>/dev/null | sort)
[ -z "$found" ] && exit 0
echo "check-names: a kernel client's name must be written CLIENT_NAME(\"...\") (kernel/client.h):" >&2
echo "$found" | sed 's/^/  /' >&2
exit 1
