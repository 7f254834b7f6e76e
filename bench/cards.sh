#!/usr/bin/env bash
# What social cards add to `sitegen build`: cold card cache against warm, same corpus.
#
#   bench/cards.sh [N]           default: 1000 articles
#
# Environment:
#   RUNS=5       timed runs of each kind (the median is reported)
#   SITEGEN=...  the binary to time (default: target/release/sitegen, built first)
#   WORK=/tmp/sitegen-cards-bench   where the corpus and the outputs go (no spaces)
#
# Each round times, in turn:
#   warm  a build whose card cache already holds every card (no card is drawn: the
#         cost of a build without cards, plus reading the cached PNGs);
#   cold  a build with a new, empty SITEGEN_CACHE_DIR (every card drawn).
# `/usr/bin/time` gives wall time, user and system CPU time and peak RSS; the cold runs
# also print SITEGEN_TIMINGS' card lines (CPU time per stage, summed over threads).
# The machine may be shared: CPU time (user + sys) is the figure to compare, wall time
# is secondary. A bench, not a test: it never runs in CI.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$HERE")"
N="${1:-1000}"
RUNS="${RUNS:-5}"
WORK="${WORK:-/tmp/sitegen-cards-bench}"
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install time" >&2; exit 2; }
if [ -z "${SITEGEN:-}" ]; then
    (cd "$REPO" && cargo build --release -q)
    SITEGEN="$REPO/target/release/sitegen"
fi

mkdir -p "$WORK"
stamp="$(sha1sum "$HERE/gen.py" | cut -c1-12)"
CORPUS="$WORK/corpus-$N-$stamp"
if [ ! -f "$CORPUS/.done" ]; then
    rm -rf "$CORPUS"
    python3 "$HERE/gen.py" "$N" "$CORPUS" >&2
    touch "$CORPUS/.done"
fi
SITE="$CORPUS/sitegen"
WARM_CACHE="$WORK/warm-cache"
rm -rf "$WARM_CACHE" "$WORK"/out-* "$WORK"/cold-*
# One untimed build fills the warm cache and puts the corpus in the page cache.
SITEGEN_CACHE_DIR="$WARM_CACHE" "$SITEGEN" build --root "$SITE" --out "$WORK/out-fill" >/dev/null 2>&1

run() { # $1: kind, $2: run number, $3: cache dir; prints "kind wall user sys rss_kib"
    local out="$WORK/out-$1-$2" t
    t="$(SITEGEN_TIMINGS=1 SITEGEN_CACHE_DIR="$3" /usr/bin/time -f "TIME %e %U %S %M" \
        "$SITEGEN" build --root "$SITE" --out "$out" 2>&1 >/dev/null)"
    if [ "$1" = cold ]; then
        echo "$t" | grep "social cards drawn" | sed 's/^/  /' >&2
    fi
    echo "$1 $(echo "$t" | grep '^TIME' | cut -d' ' -f2-)"
}

RAW="$WORK/raw.txt"
: >"$RAW"
for i in $(seq 1 "$RUNS"); do
    run warm "$i" "$WARM_CACHE" | tee -a "$RAW" >&2
    cold="$WORK/cold-$i"
    rm -rf "$cold"
    run cold "$i" "$cold" | tee -a "$RAW" >&2
    # Outputs and caches are deleted after the runs, not between them (see README.md:
    # on ext4 without a journal, just-freed inodes slow the next build's file creation).
done

python3 - "$RAW" "$N" <<'EOF'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
med = {}
for kind in ("warm", "cold"):
    r = [list(map(float, x[1:])) for x in rows if x[0] == kind]
    med[kind] = {
        "wall": statistics.median(x[0] for x in r),
        "cpu": statistics.median(x[1] + x[2] for x in r),
        "rss": statistics.median(x[3] for x in r) / 1024,
        "n": len(r),
    }
w, c = med["warm"], med["cold"]
print(f"\n{sys.argv[2]} articles, median of {w['n']} runs each")
print("| build | CPU (user+sys) | wall | peak RSS |")
print("|---|---:|---:|---:|")
for name, m in (("warm card cache (no card drawn)", w), ("cold card cache (every card drawn)", c)):
    print(f"| {name} | {m['cpu']:.2f} s | {m['wall']:.2f} s | {m['rss']:.0f} MiB |")
print(f"| cold / warm | {c['cpu'] / w['cpu']:.2f}x | {c['wall'] / w['wall']:.2f}x | {c['rss'] / w['rss']:.2f}x |")
EOF
rm -rf "$WORK"/out-* "$WORK"/cold-*
