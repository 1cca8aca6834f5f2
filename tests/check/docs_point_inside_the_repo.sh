#!/bin/bash
# What the README and the docs point at is in the repository: no path
# that climbs out of it (`../shared/...` is not in a clone), every
# relative Markdown link names a file that exists, and every test name
# docs/policy.md cites for a clause is a test in tests/ (or a name in
# the sources: a capability type, a fuzzer). A copy of the tree with a
# link out of it planted must fail.
set -u
source "$(dirname "$0")/plant.bash"
docs() { # tree
    (cd "$1" && ls README.md CONTRIBUTING.md docs/*.md boards/*/README.md userland/README.md 2>/dev/null)
}
check_tree() { # tree -> problems on stdout
    local t=$1 doc dir target
    for doc in $(docs "$t"); do
        dir=$(dirname "$doc")
        # a path out of the repository, written anywhere in the text
        grep -noE '(^|[ `(\[])(\.\./)+[A-Za-z][^ `)]*' "$t/$doc" | while IFS=: read -r line path; do
            path=${path#[ \`(\[]}
            case $(realpath -m "$t/$dir/$path") in
            "$(realpath "$t")"/*) ;;
            *) echo "$doc:$line: $path is outside the repository" ;;
            esac
        done
        # relative Markdown links: [text](path#anchor)
        grep -noE '\]\([^)#:]+(#[^)]*)?\)' "$t/$doc" | while IFS=: read -r line link; do
            target=${link#](}
            target=${target%)}
            target=${target%%#*}
            [[ -e $t/$dir/$target ]] || echo "$doc:$line: $target does not exist"
        done
    done
    [[ -f $t/docs/policy.md ]] || { echo "docs/policy.md is missing"; return; }
    grep -oE '`[a-z][a-z0-9]*_[a-z0-9_]+`' "$t/docs/policy.md" | tr -d '`' | sort -u | while read -r name; do
        [[ -n $(find "$t/tests" -name "$name.*" -print -quit) ]] ||
            grep -rqw --include='*.c' --include='*.h' --include='*.sh' "$name" \
                "$t/tests" "$t/kernel" "$t/capsules" "$t/boards" 2>/dev/null ||
            echo "docs/policy.md names $name, which no test or source has"
    done
}

problems=$(check_tree "$root")
[[ -z $problems ]] || echo "$problems"
result docs_point_only_inside_the_repository 0 "$([[ -z $problems ]]; echo $?)"
grep -q 'tock/tock' "$root/docs/policy.md" && grep -q 'docs/policy.md' "$root/README.md"
result policy_cites_tock_and_the_readme_points_to_it 0 $?

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$root" && tar --exclude=./build --exclude=./.git -cf - .) | tar -xf - -C "$tmp"
printf '\nThe text is in `../shared/policy/virtualization.txt`.\n' >>"$tmp/README.md"
# (a name made here, so that this script does not hold it)
missing_test="no_such_test_$RANDOM"
printf '\nSee [nothing](docs/nosuch.md) and `%s`.\n' "$missing_test" >>"$tmp/docs/policy.md"
problems=$(check_tree "$tmp")
grep -q 'README.md:.*\.\./shared/policy/virtualization.txt is outside' <<<"$problems"
result a_path_out_of_the_repository_is_caught 0 $?
grep -q 'docs/nosuch.md does not exist' <<<"$problems"
result a_link_to_nothing_is_caught 0 $?
grep -q "names $missing_test," <<<"$problems"
result a_test_name_that_does_not_exist_is_caught 0 $?
summary
