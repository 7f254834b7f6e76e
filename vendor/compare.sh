#!/bin/sh
# Checks that the patched syntect and onig_sys in vendor/ parse exactly as upstream does:
# builds vendor/compare twice (upstream crates, then with the patches) and compares, file by
# file, a hash of the scope operations of every line under the given folders.
#   vendor/compare.sh /usr/lib/python3 ~/.cargo/registry/src ...
# CAP=150 (files per extension) by default.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
[ $# -gt 0 ] || { echo "usage: vendor/compare.sh FOLDER..." >&2; exit 2; }
target="$here/../target/compare"
export CAP="${CAP:-150}"
cd "$here/compare"
cargo build --release --quiet --target-dir "$target/upstream"
cargo build --release --quiet --target-dir "$target/patched" \
    --config "patch.crates-io.syntect.path=\"$here/syntect\"" \
    --config "patch.crates-io.onig_sys.path=\"$here/onig_sys\""
"$target/upstream/release/syntect-compare" "$@" >"$target/upstream.txt"
"$target/patched/release/syntect-compare" "$@" >"$target/patched.txt"
if cmp -s "$target/upstream.txt" "$target/patched.txt"; then
    echo "same scope operations for $(wc -l <"$target/upstream.txt") files"
else
    diff "$target/upstream.txt" "$target/patched.txt" | head -20
    echo "the patched crates parse differently: see $target/{upstream,patched}.txt" >&2
    exit 1
fi
