#!/bin/bash
# Drives the generated bash completion as bash does: COMP_WORDS/COMP_CWORD set,
# _minirunc called, COMPREPLY checked. Container ids come from a stand-in
# runtime that answers `list -q` with ids naming the --root it was given.
# Usage: bash_completion_test.sh <completion-script>
set -u
script=$1
# shellcheck source=/dev/null
source "$script" || exit 1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fake=$tmp/fake-runtime
cat >"$fake" <<'FAKE'
#!/bin/sh
root=default
if [ "$1" = --root ]; then root=$(basename "$2"); shift 2; fi
[ "$*" = "list -q" ] && printf 'id-in-%s\nother-id\n' "$root"
FAKE
chmod +x "$fake"

failures=0
# complete <words...>: the last word is the one being completed.
complete_words() {
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    _minirunc
    printf '%s\n' "${COMPREPLY[@]}"
}
# expect <offered word|-none> <words...>
expect() {
    local want=$1 got
    shift
    got=$(complete_words "$@")
    if [[ $want == -none ]]; then
        [[ -z $got ]] && return
    elif grep -qxF -- "$want" <<<"$got"; then
        return
    fi
    echo "FAIL: '$*' offered [$(echo $got)], wanted $want"
    failures=$((failures + 1))
    return 1
}

expect create minirunc cr
expect exec minirunc e
expect help minirunc h
expect --root minirunc --ro
expect --bundle minirunc create --bu
expect -b minirunc create -
expect --force minirunc delete --f
expect --all minirunc kill --
expect --help minirunc start --
expect json minirunc --log-format ''
expect auto minirunc --rootless a
expect json minirunc list --format ''
expect create minirunc help cr
# Container ids, from `list -q` with the --root on the line.
expect id-in-default "$fake" start ''
expect other-id "$fake" kill --all ''
expect id-in-state "$fake" --root /some/state delete ''
expect id-in-s2 "$fake" --root=/x/s2 --log-format json exec ''
expect id-in-s3 "$fake" -root /x/s3 --debug pause ''
# As bash splits "--flag=value" at the '=' (COMP_WORDBREAKS).
expect id-in-s4 "$fake" --root = /x/s4 start ''
expect id-in-s5 "$fake" --log = /tmp/log --root = /x/s5 kill ''
expect id-in-default "$fake" events --interval = 1s ''
expect json minirunc list --format = j
expect -none "$fake" create ''  # a new id: nothing to offer
expect -none "$fake" start myid ''
expect KILL "$fake" kill myid K  # kill's signal
expect TERM "$fake" kill --all myid ''
expect -none "$fake" exec myid --e  # exec's flags end at the id
# Values of path flags complete as paths.
mkdir "$tmp/bundle-dir"
(cd "$tmp" && expect bundle-dir minirunc create --bundle bun) || failures=$((failures + 1))
(cd "$tmp" && expect bundle-dir minirunc --root bun) || failures=$((failures + 1))

if ((failures)); then
    echo "$failures failure(s)"
    exit 1
fi
echo "bash completion: all checks passed"
