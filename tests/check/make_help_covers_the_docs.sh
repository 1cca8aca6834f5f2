#!/bin/bash
# `make help` names every make target and make variable that the README,
# CONTRIBUTING.md and the docs use (docs/*.md, the boards' and userland's
# READMEs): each `make TARGET` written in backquotes or at the start of a
# line of a shell block, and each VAR= given to make (a name the Makefile
# reads as $(VAR); VMUX_* are the C build's options, not make's). Its
# first two lines are the README's opening block, word for word, so the
# two say the same of `make run` and `make test`. A planted `make nosuch`
# in a copy of the README must be caught.
set -u
source "$(dirname "$0")/plant.bash"
docs() { # tree -> the documents the check reads
    ls "$1"/README.md "$1"/CONTRIBUTING.md "$1"/docs/*.md "$1"/boards/*/README.md "$1"/userland/README.md 2>/dev/null
}
# The words make is given in the docs: "make X VAR=..." in backquotes or
# at the start of a line; prints one "target X" or "var NAME" per line.
used() { # tree
    docs "$1" | xargs cat |
        grep -oE '(`|^)make [a-z][-a-z0-9]*( +[A-Z_]+=[^ `]*)*' |
        sed -E 's/^`//' | tr ' ' '\n' | sed -E -n 's/^([A-Z_]+)=.*/var \1/p; s/^([a-z][-a-z0-9]*)$/target \1/p' |
        grep -vx 'target make'
    docs "$1" | xargs cat | grep -oE '`[A-Z][A-Z0-9_]+=' | tr -d '`=' | sed 's/^/var /'
}
check_tree() { # tree -> missing names on stdout
    local help kind name
    help=$(cd "$1" && env -u MAKEFLAGS -u MAKELEVEL make --no-print-directory -s help 2>&1)
    used "$1" | sort -u | while read -r kind name; do
        if [[ $kind == var ]]; then
            [[ $name == VMUX_* ]] && continue
            grep -qF "\$($name)" "$1/Makefile" || continue
            grep -qE "(^|[^A-Z_])$name=" <<<"$help" || echo "variable $name"
        else
            grep -qE "make $name( |$)" <<<"$help" || echo "target $name"
        fi
    done
}

missing=$(check_tree "$root")
[[ -z $missing ]] && echo "used: $(used "$root" | sort -u | awk '{print $2}' | tr '\n' ' ')"
[[ -z $missing ]] || echo "make help does not name: $missing"
result help_names_every_target_and_variable_the_docs_use 0 "$([[ -z $missing ]]; echo $?)"

help=$(cd "$root" && env -u MAKEFLAGS -u MAKELEVEL make --no-print-directory -s help 2>&1)
readme_block=$(sed -n '/^```sh$/,/^```$/{/^make /p}' "$root/README.md" | head -2)
[[ -n $readme_block && $(head -2 <<<"$help") == "$readme_block" ]]
result help_opens_with_the_readme_block 0 $?

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$root/Makefile" "$root/README.md" "$root/tools" "$root/mk" "$tmp/"
mkdir -p "$tmp/userland" && cp "$root/userland/app.mk" "$tmp/userland/" # the Makefile includes both
mkdir -p "$tmp/docs"
printf '\nAlso `make nosuch STRESS_RUNS=3`.\n' >>"$tmp/README.md"
missing=$(check_tree "$tmp")
grep -qx 'target nosuch' <<<"$missing"
result a_planted_target_the_help_lacks_is_caught 0 $?
grep -q 'STRESS_RUNS' <<<"$missing"
result a_variable_the_help_names_is_not_flagged 1 $?
summary
