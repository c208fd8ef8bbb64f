#!/usr/bin/env bash
# Incremental refresh (issue 3): the re-run after adding one month, against the cold run, for the
# archive as a folder and as a zip, 3 rounds each, on the same machine in one run.
#   bench/incremental.sh [ARCHIVE_DIR]     (default: the archive bench/run.sh generates)
# Each round: a cold run that writes the cache; then, with an empty cache, a run over the first 35
# months (`--months 2016-04..2019-02`) to fill it, and the timed re-run over all 36. Results go to
# $OUT/incremental.md (and are summarised in BENCHMARKS.md by hand).
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
ARCHIVE="${1:-/tmp/saferstats-bench/archive}"
OUT="${BENCH_OUT:-/tmp/saferstats-bench/incremental}"
mkdir -p "$OUT"
[ -d "$ARCHIVE" ] || { echo "no archive at $ARCHIVE: run bench/run.sh first (it generates one)"; exit 2; }
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/saferstats/target}"   # as bench/run.sh
(cd "$REPO" && cargo build --release --quiet)
BIN="$CARGO_TARGET_DIR/release/saferstats"
ZIP="$OUT/archive.zip"
if [ ! -f "$ZIP" ]; then
    echo "zipping $ARCHIVE (deflate, level 1)"
    (cd "$ARCHIVE" && zip -q -r -1 "$ZIP" .)
fi
cache="$OUT/cache"
# Wall seconds and peak RSS (MB) of one run.
timed() {
    /usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$BIN" --quiet --cache-dir "$cache" "$@" \
        compare --from 2016/17 --to 2017/18 --all-areas --format csv >/dev/null
    awk '{printf "%s %d\n", $1, $2/1024}' "$OUT/time.txt"
}
find "$ARCHIVE" -name '*.csv' -exec cat {} + >/dev/null   # a hot page cache, as in bench/run.sh
{
    echo "| archive | run | wall s (3 rounds) | peak RSS MB |"
    echo "|---|---|---|---:|"
    for kind in folder zip; do
        src="$ARCHIVE"
        [ "$kind" = zip ] && src="$ZIP"
        cold=() rerun=() cold_mb=0 rerun_mb=0
        for round in 1 2 3; do
            rm -rf "$cache"
            read -r s mb < <(timed --source "police-uk=$src")
            cold+=("$s"); cold_mb=$((mb > cold_mb ? mb : cold_mb))
            rm -rf "$cache"
            timed --source "police-uk=$src" --months 2016-04..2019-02 >/dev/null
            read -r s mb < <(timed --source "police-uk=$src")
            rerun+=("$s"); rerun_mb=$((mb > rerun_mb ? mb : rerun_mb))
        done
        echo "| $kind | cold, writing the cache | ${cold[*]} | $cold_mb |"
        echo "| $kind | re-run after adding one month | ${rerun[*]} | $rerun_mb |"
    done
} | tee "$OUT/incremental.md"
echo "machine: $(nproc) cores; load average now $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/incremental.md"
