# Shared by the checks' self-tests (sourced, not run): a static check must
# pass on the tree as it is, and fail on a copy of the tree with one
# violation planted. Set $check to the checker before sourcing.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
pass=0
fail=0

result() { # name expected-exit actual-exit
    if [ "$2" = "$3" ]; then
        echo "[       OK ] $1"; pass=$((pass + 1))
    else
        echo "[  FAILED  ] $1 (exit $3, wanted $2)"; fail=$((fail + 1))
    fi
}

clean_tree_passes() {
    "$check" "$root" >/dev/null 2>&1
    result clean_tree_passes 0 $?
}

plant() { # name file text: the check must fail on a copy with text added to file
    local tmp
    tmp=$(mktemp -d)
    (cd "$root" && tar --exclude=./build --exclude=./.git -cf - .) | tar -xf - -C "$tmp"
    mkdir -p "$tmp/$(dirname "$2")"
    printf '%s\n' "$3" >> "$tmp/$2"
    "$check" "$tmp" >/dev/null 2>&1
    result "$1" 1 $?
    rm -rf "$tmp"
}

summary() {
    echo "$pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}
