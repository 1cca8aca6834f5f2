#!/bin/bash
# tools/deps.sh (make deps) with dpkg-query, id, sudo and apt-get replaced
# by stand-ins on PATH (nothing is installed): when packages are missing
# it says which, for what and how before it installs them, installs
# exactly those, through sudo when not root; netcat-openbsd (the
# README's `nc -u 127.0.0.1 5555`) is among what it installs; with
# everything present it prints nothing and installs nothing.
set -u
source "$(dirname "$0")/plant.bash"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bin="$tmp/bin"
mkdir -p "$bin"
# installed: every package but those listed in $tmp/absent
cat >"$bin/dpkg-query" <<'STUB'
#!/bin/sh
for p; do :; done
grep -qx "$p" "$ABSENT" && exit 1
printf 'install ok installed'
STUB
printf '#!/bin/sh\necho 1000\n' >"$bin/id"
printf '#!/bin/sh\necho "sudo $*" >>"$LOG"\n"$@"\n' >"$bin/sudo"
printf '#!/bin/sh\necho "apt-get $*" >>"$LOG"\n' >"$bin/apt-get"
chmod +x "$bin"/*
export ABSENT="$tmp/absent" LOG="$tmp/log"

printf 'netcat-openbsd\nvalgrind\n' >"$ABSENT"
out=$(PATH="$bin:$PATH" sh "$root/tools/deps.sh" 2>&1)
result installs_what_is_missing 0 $?
grep -q 'about to install' <<<"$out" && grep -q 'sudo apt-get install' <<<"$out"
result says_it_is_about_to_install_and_how 0 $?
grep -qE "^  to build, test and run the host board .*: netcat-openbsd$" <<<"$out" &&
    grep -qE '^  to count instructions \(make bench\): valgrind$' <<<"$out"
result names_each_package_with_what_it_is_for 0 $?
grep -qE '^apt-get install .* netcat-openbsd valgrind$' "$LOG"
result installs_exactly_the_missing_ones 0 $?
grep -q '^sudo apt-get install' "$LOG"
result through_sudo_when_not_root 0 $?
[[ $(grep -n 'about to install' <<<"$out" | cut -d: -f1) -eq 1 ]]
result says_so_before_anything_else 0 $?

: >"$ABSENT"
: >"$LOG"
out=$(PATH="$bin:$PATH" sh "$root/tools/deps.sh" 2>&1)
result everything_present_passes 0 $?
[[ -z $out && ! -s $LOG ]]
result everything_present_is_silent_and_installs_nothing 0 $?

printf 'netcat-openbsd\n' >"$ABSENT"
: >"$LOG"
PATH="$bin:$PATH" sh "$root/tools/deps.sh" host >/dev/null 2>&1
grep -qE '^apt-get install .* netcat-openbsd$' "$LOG"
result host_group_which_make_run_calls_installs_nc 0 $?
summary
