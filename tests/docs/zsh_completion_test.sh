#!/bin/bash
# Drives the generated zsh completion in a real interactive zsh (under zsh's
# zpty): a line is typed with a TAB at its end and the words the completion
# offers (every compadd) are recorded. Container ids come from a stand-in
# runtime named minirunc, first in PATH, that answers `list -q` with ids
# naming the --root it was given.
# Usage: zsh_completion_test.sh <dir-of-_minirunc>; exits 77 (skipped)
# without zsh. ZSH_ROOT=<dir> runs a zsh unpacked there (dpkg-deb -x of zsh
# and zsh-common) instead of the installed one.
set -u
dir=$(cd "$1" && pwd)
zroot=${ZSH_ROOT:-}
zsh=$zroot/bin/zsh
[[ -n $zroot ]] || zsh=$(command -v zsh) || { echo "zsh not installed"; exit 77; }
functions=$zroot/usr/share/zsh/functions
modules=$(echo "$zroot"/usr/lib/*/zsh/[0-9]*)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin"
cat >"$tmp/bin/minirunc" <<'FAKE'
#!/bin/sh
root=default
if [ "$1" = --root ]; then root=$(basename "$2"); shift 2; fi
[ "$*" = "list -q" ] && printf 'id-in-%s\nother-id\n' "$root"
FAKE
chmod +x "$tmp/bin/minirunc"

# The zsh script that types one line ($1) and records the offers in $2,
# then END once the completion has run (or nothing, when it failed).
cat >"$tmp/type.zsh" <<EOF
[[ -n "$zroot" ]] && module_path=($modules)
zmodload zsh/zpty || exit 1
zpty z "$zsh" -f -i
setup='PATH=$tmp/bin:\$PATH PS1= ; fpath=($dir \$fpath)'
[[ -n "$zroot" ]] && setup+='; module_path=($modules); fpath=($dir $functions/Completion $functions/Completion/*(/) $functions/Misc)'
zpty -w z "\$setup; autoload -U compinit; compinit -u -D; bindkey '^I' complete-word"
zpty -w z 'compprefuncs=(_t_pre); comppostfuncs=(_t_post)'
zpty -w z '_t_pre() { compadd() { local -a h; builtin compadd -O h "\$@"; print -rl -- \$h >>\$OUT; builtin compadd "\$@"; } }'
zpty -w z '_t_post() { print END >>\$OUT; }'
zpty -w z "OUT=\$2"
zpty -w z "\$1"\$'\t'
for i in {1..300}; do grep -qx END "\$2" 2>/dev/null && break; sleep 0.1; done
zpty -d z
EOF

failures=0
# expect <offered word|-none> <line typed before the TAB>
expect() {
    local want=$1 line=$2 got
    : >"$tmp/out"
    "$zsh" -f "$tmp/type.zsh" "$line" "$tmp/out" >/dev/null 2>&1
    if ! grep -qx END "$tmp/out"; then
        echo "FAIL: '$line': the completion did not finish"
        failures=$((failures + 1))
        return 1
    fi
    got=$(grep -vx END "$tmp/out")
    if [[ $want == -none ]]; then
        [[ -z $got ]] && return
    elif grep -qxF -- "$want" <<<"$got"; then
        return
    fi
    echo "FAIL: '$line' offered [$(echo $got)], wanted $want"
    failures=$((failures + 1))
    return 1
}

expect create 'minirunc cr'
expect help 'minirunc h'
expect --root 'minirunc --ro'
expect --bundle 'minirunc create --bu'
expect --force 'minirunc delete --f'
expect json 'minirunc --log-format '
expect json 'minirunc list --format '
expect create 'minirunc help cr'
expect KILL 'minirunc kill myid K'
expect id-in-default 'minirunc start '
expect id-in-s2 'minirunc --root /x/s2 delete '
expect id-in-s3 'minirunc --root=/x/s3 kill --all '
expect --user 'minirunc exec --us'
mkdir "$tmp/bundle-dir"
(cd "$tmp" && expect bundle-dir 'minirunc create --bundle bun') || failures=$((failures + 1))

if ((failures)); then
    echo "$failures failure(s)"
    exit 1
fi
echo "zsh completion: all checks passed"
