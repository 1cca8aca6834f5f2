#!/bin/sh
# Layer check: who may include and call what (docs/architecture.md).
#   - kernel/ includes only kernel/ headers;
#   - hil/ includes only hil/ and kernel/ headers;
#   - capsules/ never includes chips/, arch/ or boards/;
#   - chips/ never includes capsules/ or boards/;
#   - only capsules/net/ may call the raw output paths of the network
#     stack (they can put any UDP source port on the wire); everyone else
#     sends through the UDP mux, which always uses the binding's port.
# Usage: tools/check-layers.sh [TREE]    (exit 1 and the offending lines)
set -u
tree="${1:-.}"
cd "$tree" || exit 2
found=$(mktemp)
trap 'rm -f "$found"' EXIT

scan() { # dir pattern message
    [ -d "$1" ] || return 0
    find "$1" -type f \( -name '*.c' -o -name '*.h' \) | sort | while read -r f; do
        grep -nHE "$2" "$f" | sed "s|\$|   <- $3|"
    done >>"$found"
}

scan kernel '#[[:space:]]*include[[:space:]]*"(hil|capsules|chips|arch|boards|userland)/' \
    "kernel/ includes only kernel/"
scan hil '#[[:space:]]*include[[:space:]]*"(capsules|chips|arch|boards|userland)/' \
    "hil/ includes only hil/ and kernel/"
scan capsules '#[[:space:]]*include[[:space:]]*"(chips|arch|boards)/' \
    "capsules/ do not include chips/, arch/ or boards/"
scan chips '#[[:space:]]*include[[:space:]]*"(capsules|boards)/' \
    "chips/ do not include capsules/ or boards/"

raw_net='\b(ipv4_output|ethernet_output|netif_queue|netif_take|udp_seal|arp_send_ip|icmp_input|udp_mux_deliver)[[:space:]]*\('
find . \( -path ./build -o -path ./.git -o -path ./capsules/net -o -path ./tests \) -prune -o \
    -type f \( -name '*.c' -o -name '*.h' \) -print | sort | while read -r f; do
    grep -nHE "$raw_net" "$f" | sed 's|$|   <- only capsules/net/ may use the raw network output|'
done >>"$found"

if [ -s "$found" ]; then
    echo "check-layers: layering violations:" >&2
    sed 's/^/  /' "$found" >&2
    exit 1
fi
exit 0
