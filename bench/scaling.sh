#!/usr/bin/env bash
# The national history at scale (issue #20): saferstats on the generator's full data.police.uk span
# (2010-12 to 2026-10, 44 forces, 8,404 street files, the September 2011 and May 2013 category
# changes) at 1x, 2x, 5x and 10x the bench's 10 million rows, one archive at a time (10x is about
# 22 GB; each is deleted after its runs unless BENCH_KEEP=1).
#
#   bench/scaling.sh [SCALES...]      default: 1 2 5 10
#
# Per scale, with a hot page cache where the archive fits in memory (`cat` is timed first, as the
# floor): `compare --all-areas --no-cache` (BENCH_REPS times, default 3), the first run with the
# cache (an empty cache each time, BENCH_REPS times), the warm re-run, and the re-run after adding
# one month (the cache filled by a run over `--months 2010-12..2026-09`, then the timed run over
# all months). Results: $OUT/scaling.tsv, $OUT/scaling.md and bench/scaling.svg (bench/scaling_plot.py).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(dirname "$HERE")"
ROOT="${BENCH_ROOT:-/tmp/saferstats-bench}"
OUT="${BENCH_OUT:-$ROOT/scaling}"
REPS="${BENCH_REPS:-3}"
BASE_ROWS="${BENCH_BASE_ROWS:-10000000}"
SCALES=("${@:-1 2 5 10}")
read -r -a SCALES <<<"${SCALES[*]}"
mkdir -p "$OUT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/saferstats/target}"   # as bench/run.sh
(cd "$REPO" && cargo build --release --quiet)
BIN="$CARGO_TARGET_DIR/release/saferstats"
TSV="$OUT/scaling.tsv"
printf 'scale\trows\tbytes\trun\twall_s\trss_mb\n' >"$TSV"
log() { printf '%s\n' "$*" >&2; }

# timed SCALE ROWS BYTES RUN CMD...: one run under GNU time, appended to $TSV.
timed() {
    local scale="$1" rows="$2" bytes="$3" run="$4"; shift 4
    local rc=0
    /usr/bin/time -f '%e %M' -o "$OUT/time.txt" "$@" >/dev/null 2>>"$OUT/errors.log" || rc=$?
    read -r wall kb < <(tail -n 1 "$OUT/time.txt")
    if [ "$rc" -ne 0 ]; then
        log "  $run: FAILED (exit $rc; see $OUT/errors.log), not recorded"
        return 0
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%d\n' "$scale" "$rows" "$bytes" "$run" "$wall" $((kb / 1024)) >>"$TSV"
    log "  $run: $wall s, $((kb / 1024)) MB"
}

for scale in "${SCALES[@]}"; do
    rows=$(awk -v s="$scale" -v b="$BASE_ROWS" 'BEGIN{printf "%d", s * b}')
    archive="$ROOT/national-${scale}x"
    if [ ! -d "$archive" ]; then
        log "generating $archive ($rows rows)"
        python3 "$HERE/gen_archive.py" "$archive" --national --rows "$rows" --seed 1 >"$OUT/gen-${scale}x.log"
    fi
    bytes=$(du -sb "$archive" | cut -f1)
    log "scale ${scale}x: $rows rows, $bytes bytes (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    cache="$OUT/cache-${scale}x"
    compare=(--quiet --source "police-uk=$archive" --cache-dir "$cache" compare --from 2016/17 --to 2017/18 --all-areas --format csv)
    find "$archive" -name '*.csv' -exec cat {} + >/dev/null   # warm the page cache
    for rep in $(seq 1 "$REPS"); do
        timed "$scale" "$rows" "$bytes" cat find "$archive" -name '*.csv' -exec cat {} +
        timed "$scale" "$rows" "$bytes" no-cache "$BIN" --no-cache "${compare[@]}"
        rm -rf "$cache"
        timed "$scale" "$rows" "$bytes" first-with-cache "$BIN" "${compare[@]}"
        timed "$scale" "$rows" "$bytes" warm "$BIN" "${compare[@]}"
        rm -rf "$cache"
        "$BIN" --months 2010-12..2026-09 "${compare[@]}" >/dev/null 2>>"$OUT/errors.log"
        timed "$scale" "$rows" "$bytes" one-month-added "$BIN" "${compare[@]}"
    done
    rm -rf "$cache"
    [ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$archive"
done
python3 "$HERE/scaling_plot.py" "$TSV" "$HERE/scaling.svg" | tee "$OUT/scaling.md"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo); load average now $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/scaling.md"
