#!/usr/bin/env bash
# `run --all-areas` on the bench's national archive: wall time, CPU and peak RSS of ROUNDS runs
# (default 2), the ingest alone (`compare --all-areas`) for the split, and a byte comparison of
# the first two runs' outputs.
#
#   bench/all_areas.sh [ARCHIVE_DIR]     default /tmp/saferstats-bench/archive
#
# The archive is generated as bench/run.sh generates it when absent. BENCH_OUT (default
# /tmp/saferstats-bench/all-areas) holds the outputs; CARGO_TARGET_DIR as for cargo.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ARCHIVE="${1:-/tmp/saferstats-bench/archive}"
OUT="${BENCH_OUT:-/tmp/saferstats-bench/all-areas}"
ROUNDS="${ROUNDS:-2}"
if [ ! -d "$ARCHIVE" ]; then
    mkdir -p "$(dirname "$ARCHIVE")"
    python3 "$HERE/gen_archive.py" "$ARCHIVE" --rows 10000000 --seed 1 >&2
fi
cargo build --release --quiet --manifest-path "$HERE/../Cargo.toml"
BIN="${CARGO_TARGET_DIR:-$HERE/../target}/release/saferstats"
SRC=(--quiet --no-cache --source "police-uk=$ARCHIVE")
PERIODS=(--from 2016/17 --to 2017/18)
rm -rf "$OUT" && mkdir -p "$OUT"
printf 'what\twall_s\tuser_s\tpeak_rss_kb\n'
/usr/bin/time -f "ingest (compare --all-areas)\t%e\t%U\t%M" \
    "$BIN" "${SRC[@]}" compare "${PERIODS[@]}" --all-areas --format csv >/dev/null
for r in $(seq 1 "$ROUNDS"); do
    /usr/bin/time -f "run --all-areas, round $r\t%e\t%U\t%M" \
        "$BIN" "${SRC[@]}" run --out "$OUT/round-$r" --all-areas "${PERIODS[@]}" --allow-partial >/dev/null
done
echo "areas: $(ls "$OUT/round-1/areas" | wc -l); files: $(find "$OUT/round-1" -type f | wc -l); bytes: $(du -sb "$OUT/round-1" | cut -f1)" >&2
if [ "$ROUNDS" -ge 2 ]; then
    diff -rq "$OUT/round-1" "$OUT/round-2" >&2 && echo "round 1 and round 2: byte-identical" >&2
fi
