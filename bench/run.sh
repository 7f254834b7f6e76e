#!/usr/bin/env bash
# Times `sitegen build` against Hugo (and Zola, when one is given) on the same generated
# corpus, in the same run.
#
#   bench/run.sh [N...]          default: 1000 10000
#
# Environment:
#   ZOLA=/path/to/zola  also time this Zola binary (default: `zola` on PATH, if any;
#                 Zola has no Debian package: build it from source, see bench/README.md)
#   COLD_CARDS=3  runs of sitegen at the first size with an empty social-card cache
#                 (every card drawn); the other sitegen runs reuse the cache the warm-up
#                 filled, as a second build does (0: skip)
#   RUNS=5        timed runs per tool and size (the median is reported)
#   BIG=50000     one sitegen-only run at this size, to see how the cost grows (0: skip)
#   REBUILD_RUNS=3  rebuilds over the previous output, at the last size (0: skip)
#   WORK=/tmp/sitegen-bench   where corpora and outputs go (regenerated when gen.py changes)
#   MAX_BUSY=10   before each timed run, wait until other processes use less than this
#   WAIT_MAX=120  percent of the CPUs (sampled over 3 s), but at most this many seconds
#   (WORK must not contain spaces.)
#
# A bench, not a test: it never runs in CI. Writes bench/results.md.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$HERE")"
RUNS="${RUNS:-5}"
BIG="${BIG:-50000}"
REBUILD_RUNS="${REBUILD_RUNS:-3}"
WORK="${WORK:-/tmp/sitegen-bench}"
MAX_BUSY="${MAX_BUSY:-10}"
WAIT_MAX="${WAIT_MAX:-120}"
COLD_CARDS="${COLD_CARDS:-3}"
ZOLA="${ZOLA:-$(command -v zola || true)}"
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(1000 10000)

need_apt() {
    # $1: command, $2: Debian package
    if ! command -v "$1" >/dev/null 2>&1; then
        echo "installing $2 from Debian's packages" >&2
        apt-get install -y -qq "$2" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; }
    fi
}
need_apt hugo hugo
[ -x /usr/bin/time ] || need_apt /usr/bin/time time

echo "building sitegen (release)" >&2
(cd "$REPO" && cargo build --release -q)
SITEGEN="$REPO/target/release/sitegen"
HUGO="$(command -v hugo)"
HUGO_VERSION="$("$HUGO" version | head -1)"
ZOLA_VERSION=""
[ -n "$ZOLA" ] && ZOLA_VERSION="$("$ZOLA" --version | head -1)"

# Percent of all CPUs busy over the next 3 seconds (from /proc/stat), i.e. what others use.
busy_pct() {
    local a b
    a=($(head -1 /proc/stat)); sleep 3; b=($(head -1 /proc/stat))
    local idle=$(( (b[4] + b[5]) - (a[4] + a[5]) )) total=0 i
    for i in 1 2 3 4 5 6 7 8; do total=$(( total + b[i] - a[i] )); done
    echo $(( total > 0 ? 100 * (total - idle) / total : 0 ))
}

# Waits until the machine is idle (others busy below MAX_BUSY percent), at most WAIT_MAX s.
wait_for_quiet() {
    local waited=0 busy
    while :; do
        busy="$(busy_pct)"
        if [ "$busy" -lt "$MAX_BUSY" ]; then
            QUIET_BUSY="$busy"
            return
        fi
        if [ "$waited" -ge "$WAIT_MAX" ]; then
            echo "others still use ${busy}% of the CPUs after ${WAIT_MAX} s; timing anyway (noted per run)" >&2
            QUIET_BUSY="$busy"
            return
        fi
        sleep 7
        waited=$((waited + 10))
    done
}

# The corpus of N articles, generated once per version of gen.py.
corpus() {
    local n="$1" only="${2:-}"
    local stamp dir
    stamp="$(sha1sum "$HERE/gen.py" | cut -c1-12)"
    dir="$WORK/corpus-$n-$stamp"
    if [ ! -f "$dir/.done${only:+-$only}" ] && [ ! -f "$dir/.done" ]; then
        rm -rf "$dir"
        python3 "$HERE/gen.py" "$n" "$dir" ${only:+--only "$only"} >&2
        touch "$dir/.done${only:+-$only}"
    fi
    echo "$dir"
}

RAW="$WORK/raw.tsv"   # size tool run wall user sys maxrss_kb load1 busy%_before
QUIET_BUSY=""
mkdir -p "$WORK"
: >"$RAW"

# time_one SIZE TOOL RUN -- CMD...
time_one() {
    local n="$1" tool="$2" run="$3"
    shift 4
    local out="$WORK/time.out" load
    load="$(cut -d' ' -f1 /proc/loadavg)"
    if ! /usr/bin/time -f "%e %U %S %M" -o "$out" "$@" >"$WORK/last.log" 2>&1; then
        echo "$tool failed at $n articles; see $WORK/last.log" >&2
        tail -20 "$WORK/last.log" >&2
        exit 1
    fi
    read -r wall user sys rss <"$out"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$tool" "$run" "$wall" "$user" "$sys" "$rss" "$load" "$QUIET_BUSY" >>"$RAW"
    printf '  %-8s %6s articles run %s: %6.2f s wall, %6.2f s CPU, %5d MiB peak (load %s, others %s%%)\n' \
        "$tool" "$n" "$run" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" "$((rss / 1024))" "$load" "$QUIET_BUSY" >&2
}

# Each timed run writes into a new, empty output folder. Old outputs are moved aside and
# deleted only after the last timed run: on ext4 without a journal (as here), creating
# files right after deleting thousands makes the kernel skip every recently deleted inode,
# which would add seconds of system time to whichever tool runs next.
TRASH="$WORK/trash"
mkdir -p "$TRASH"
clean() {
    local d
    for d in "$1"/out-*; do
        [ -e "$d" ] && mv "$d" "$TRASH/$(date +%s%N)"
    done
    rm -rf "$1/hugo/resources" "$1/hugo/.hugo_build.lock"
    true
}
sitegen_cmd() { echo "$SITEGEN" build --root "$1/sitegen" --out "$1/out-sitegen-$2"; }
hugo_cmd() { echo "$HUGO" --quiet --source "$1/hugo" --destination "$1/out-hugo-$2" --cacheDir "$1/hugo-cache"; }
zola_cmd() { echo "$ZOLA" --root "$1/zola" build --output-dir "$1/out-zola-$2"; }
# sitegen's social cards are cached by content here; the warm-up run fills it.
export SITEGEN_CACHE_DIR="$WORK/sitegen-cache"

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
for n in "${SIZES[@]}"; do
    dir="$(corpus "$n")"
    echo "$n articles ($dir)" >&2
    # One untimed warm-up each, so both read the corpus from the page cache.
    clean "$dir"
    $(sitegen_cmd "$dir" warm) >"$WORK/last.log" 2>&1 || { cat "$WORK/last.log" >&2; echo "sitegen failed" >&2; exit 1; }
    $(hugo_cmd "$dir" warm) >"$WORK/last.log" 2>&1 || { cat "$WORK/last.log" >&2; echo "hugo failed" >&2; exit 1; }
    echo "  output: sitegen $(find "$dir/out-sitegen-warm" -type f | wc -l) files, hugo $(find "$dir/out-hugo-warm" -type f | wc -l) files" >&2
    if [ -n "$ZOLA" ]; then
        $(zola_cmd "$dir" warm) >"$WORK/last.log" 2>&1 || { cat "$WORK/last.log" >&2; echo "zola failed" >&2; exit 1; }
        echo "  output: zola $(find "$dir/out-zola-warm" -type f | wc -l) files" >&2
    fi
    for run in $(seq 1 "$RUNS"); do
        clean "$dir"; sync; wait_for_quiet
        time_one "$n" sitegen "$run" -- $(sitegen_cmd "$dir" "$run")
        sync; wait_for_quiet
        time_one "$n" hugo "$run" -- $(hugo_cmd "$dir" "$run")
        if [ -n "$ZOLA" ]; then
            sync; wait_for_quiet
            time_one "$n" zola "$run" -- $(zola_cmd "$dir" "$run")
        fi
    done
    clean "$dir"
    if [ "$n" = "${SIZES[0]}" ] && [ "$COLD_CARDS" != "0" ]; then
        for run in $(seq 1 "$COLD_CARDS"); do
            clean "$dir"; rm -rf "$WORK/cold-cards"; sync; wait_for_quiet
            SITEGEN_CACHE_DIR="$WORK/cold-cards" time_one "$n" sitegen-cold-cards "$run" -- $(sitegen_cmd "$dir" "cold$run")
        done
        clean "$dir"; rm -rf "$WORK/cold-cards"
    fi
done
if [ "$BIG" != "0" ]; then
    dir="$(corpus "$BIG" sitegen)"
    echo "$BIG articles, sitegen only ($dir)" >&2
    clean "$dir"
    $(sitegen_cmd "$dir" warm) >"$WORK/last.log" 2>&1 || { cat "$WORK/last.log" >&2; echo "sitegen failed" >&2; exit 1; }
    clean "$dir"; sync; wait_for_quiet
    time_one "$BIG" sitegen 1 -- $(sitegen_cmd "$dir" 1)
    clean "$dir"
fi
# Rebuilds: the same command again over the output of the previous build, as an author
# does. Hugo overwrites its files in place; sitegen writes the new site beside the old
# one, swaps it in and deletes the old one (atomic publishing), all inside the timing.
if [ "$REBUILD_RUNS" != "0" ]; then
    n="${SIZES[${#SIZES[@]}-1]}"
    dir="$(corpus "$n")"
    echo "$n articles, rebuilds ($dir)" >&2
    clean "$dir"
    $(sitegen_cmd "$dir" re) >/dev/null 2>&1
    $(hugo_cmd "$dir" re) >/dev/null 2>&1
    for run in $(seq 1 "$REBUILD_RUNS"); do
        sync; wait_for_quiet
        time_one "$n" "sitegen-rebuild" "$run" -- $(sitegen_cmd "$dir" re)
        sync; wait_for_quiet
        time_one "$n" "hugo-rebuild" "$run" -- $(hugo_cmd "$dir" re)
    done
    clean "$dir"
fi
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$TRASH"

python3 "$HERE/report.py" "$RAW" \
    --nproc "$(nproc)" \
    --cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')" \
    --mem "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)" \
    --hugo "$HUGO_VERSION" \
    --zola "$ZOLA_VERSION" \
    --sitegen "$(cd "$REPO" && git rev-parse --short HEAD)$(cd "$REPO" && git diff --quiet -- src || echo '+changes')" \
    --load-before "$LOAD_BEFORE" --load-after "$LOAD_AFTER" \
    --runs "$RUNS" >"$HERE/results.md"
cat "$HERE/results.md"
