#!/usr/bin/env bash
# Bench: saferstats against its peers (cat as the floor, DuckDB, polars streaming) on one synthetic
# data.police.uk street archive, all in one run on the same files with a hot page cache.
#
#   bench/run.sh [ARCHIVE_DIR]          default /tmp/saferstats-bench/archive
#
# Environment:
#   BENCH_ROWS  rows to generate when ARCHIVE_DIR is missing (default 10000000, ~2.2 GB)
#   BENCH_REPS  repetitions per tool (default 3; the median is reported)
#   BENCH_OUT   where query outputs and logs go (default /tmp/saferstats-bench/out-<archive name>)
#   BENCH_SKIP_SAFERSTATS=1  bench the peers only
#   BENCH_SKIP_PLACE=1       skip the `place` runs and their yardstick (issue #17's place analysis at scale)
#   (SAFERSTATS_CACHE_DIR is set to $BENCH_OUT/saferstats-cache for the saferstats runs)
#   CARGO_TARGET_DIR  for the saferstats build (default $HOME/.cache/saferstats/target, as .ci/run)
#
# Prints a Markdown table and writes it to bench/results.md. See bench/README.md.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(dirname "$HERE")"
ARCHIVE="${1:-/tmp/saferstats-bench/archive}"
ARCHIVE="${ARCHIVE%/}"
ROWS="${BENCH_ROWS:-10000000}"
REPS="${BENCH_REPS:-3}"
OUT="${BENCH_OUT:-$(dirname "$ARCHIVE")/out-$(basename "$ARCHIVE")}"
mkdir -p "$OUT"
TIMES="$OUT/times.tsv"
: >"$TIMES"

log() { printf '%s\n' "$*" >&2; }

# --- tools -------------------------------------------------------------------------------------
if [ ! -x /usr/bin/time ]; then
    log "installing GNU time"; apt-get update -qq && apt-get install -y -qq time >/dev/null
fi
if ! python3 -c 'import duckdb, polars' 2>/dev/null; then
    log "installing duckdb and polars with pip"
    python3 -m pip install --quiet duckdb polars
fi

# --- archive -----------------------------------------------------------------------------------
if [ ! -d "$ARCHIVE" ]; then
    log "generating $ARCHIVE ($ROWS rows)"
    mkdir -p "$(dirname "$ARCHIVE")"
    python3 "$HERE/gen_archive.py" "$ARCHIVE" --rows "$ROWS" --seed 1 >&2
fi
shopt -s nullglob
FILES=("$ARCHIVE"/*/*-street.csv)
shopt -u nullglob
if [ "${#FILES[@]}" -eq 0 ]; then
    log "no $ARCHIVE/*/*-street.csv files"; exit 1
fi

# --- saferstats build --------------------------------------------------------------------------
# Same default target folder as .ci/run, so the bench shares (and waits on) the developers' and
# CI's release build instead of compiling a second copy on a 2-core machine.
TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/saferstats/target}"
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$REPO/$TARGET_DIR" ;; esac
export CARGO_TARGET_DIR="$TARGET_DIR"
SAFERSTATS="$TARGET_DIR/release/saferstats"
SAFERSTATS_OK=0
SAFERSTATS_WHY=""
HAS_CACHE=0
if [ "${BENCH_SKIP_SAFERSTATS:-0}" = 1 ]; then
    SAFERSTATS_WHY="skipped: BENCH_SKIP_SAFERSTATS=1"
elif log "building saferstats (cargo build --release)" &&
    (cd "$REPO" && cargo build --release --quiet) >"$OUT/cargo-build.log" 2>&1; then
    SAFERSTATS_CMD=("$SAFERSTATS" --quiet --source "police-uk=$ARCHIVE" compare --from 2016/17 --to 2017/18 --all-areas --format csv)
    # saferstats keeps an incremental cache of parsed month-files (keyed by the files' hash): a
    # second run over the same archive hashes the files but does not parse them. The bench times
    # both: "saferstats" with --no-cache (parses everything, the like-for-like comparison with the
    # peers) and "saferstats, warm cache" against a cache of its own, filled by the probe run below.
    # The bench never touches the user's cache: SAFERSTATS_CACHE_DIR points into $OUT.
    export SAFERSTATS_CACHE_DIR="$OUT/saferstats-cache"
    rm -rf "$SAFERSTATS_CACHE_DIR"
    mkdir -p "$SAFERSTATS_CACHE_DIR"
    if "$SAFERSTATS" --help 2>/dev/null | grep -q -- '--no-cache'; then
        HAS_CACHE=1
    fi
else
    SAFERSTATS_WHY="cargo build --release failed (see $OUT/cargo-build.log)"
fi

# --- warm-up: one full read so every tool starts from a hot page cache -------------------------
export LOADAVG_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
log "warm-up: cat of ${#FILES[@]} files (load average $LOADAVG_BEFORE)"
cat "${FILES[@]}" >/dev/null
ARCHIVE_BYTES=$(cat "${FILES[@]}" | wc -c)
LINES=$(cat "${FILES[@]}" | wc -l)
ROW_COUNT=$((LINES - ${#FILES[@]}))   # one header line per file; no field holds a newline
if [ -n "${BENCH_ROWS:-}" ] && [ "$ROW_COUNT" -ne "$ROWS" ]; then
    log "note: $ARCHIVE holds $ROW_COUNT rows, not BENCH_ROWS=$ROWS (it already existed)"
fi

if [ -z "$SAFERSTATS_WHY" ]; then
    # Probe once (also a warm-up for the binary, and it fills the bench's cache); a missing source
    # kind or flag fails fast.
    if "${SAFERSTATS_CMD[@]}" >"$OUT/saferstats-cached.csv" 2>"$OUT/saferstats.err"; then
        SAFERSTATS_OK=1
    else
        SAFERSTATS_WHY="exit $?: $(head -c 300 "$OUT/saferstats.err" | tr '\n' ' ')"
    fi
fi

# --- timing ------------------------------------------------------------------------------------
# Busy CPU time of the whole machine so far, in clock ticks (user nice system irq softirq steal).
busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
HZ=$(getconf CLK_TCK)

# measure NAME STDOUT_FILE CMD...: one run under /usr/bin/time; appends NAME, wall s, max RSS KB,
# exit code, CPU s (user + sys) and other processes' CPU s during the run to $TIMES. Wall time is
# taken with date (ns) around the run; RSS and CPU from GNU time.

measure() {
    local name="$1" stdout="$2"; shift 2
    local tf="$OUT/time.$name" t0 t1 b0 b1 rc=0
    b0=$(busy_ticks)
    t0=$(date +%s%N)
    /usr/bin/time -f '%e %M %U %S' -o "$tf" "$@" >"$stdout" 2>>"$OUT/$name.err" || rc=$?
    t1=$(date +%s%N)
    b1=$(busy_ticks)
    local rss cpu other
    rss=$(tail -n 1 "$tf" | awk '{print $2}')
    cpu=$(tail -n 1 "$tf" | awk '{printf "%.2f", $3 + $4}')
    # CPU used by everything else on the machine meanwhile: a noise indicator.
    other=$(awk -v b0="$b0" -v b1="$b1" -v hz="$HZ" -v c="${cpu:-0}" 'BEGIN{o = (b1 - b0) / hz - c; if (o < 0) o = 0; printf "%.2f", o}')
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", (b-a)/1e9}')" "${rss:-0}" "$rc" "${cpu:-0}" "$other" >>"$TIMES"
    log "  $name: $(tail -n 1 "$TIMES" | cut -f2) s wall, ${cpu:-0} s CPU, $(( ${rss:-0} / 1024 )) MB, exit $rc; others used ${other} s CPU meanwhile"
}

: >"$OUT/duckdb.err"; : >"$OUT/polars.err"; : >"$OUT/cat.err"; : >"$OUT/saferstats.err"
for rep in $(seq 1 "$REPS"); do
    log "repetition $rep/$REPS"
    measure cat /dev/null cat "${FILES[@]}"
    measure duckdb /dev/null python3 "$HERE/duckdb_query.py" "$ARCHIVE" "$OUT/duckdb.csv"
    measure polars /dev/null python3 "$HERE/polars_query.py" "$ARCHIVE" "$OUT/polars.csv"
    if [ "$SAFERSTATS_OK" = 1 ] && [ "$HAS_CACHE" = 1 ]; then
        measure saferstats "$OUT/saferstats.csv" "${SAFERSTATS_CMD[@]}" --no-cache
        # The first run with the cache parses everything and writes the cache; it runs against
        # a cache of its own, emptied each time, so the warm runs keep theirs.
        rm -rf "$OUT/saferstats-first-cache"
        measure saferstats-first "$OUT/saferstats-first.csv" "${SAFERSTATS_CMD[@]}" --cache-dir "$OUT/saferstats-first-cache"
        measure saferstats-cached "$OUT/saferstats-cached.csv" "${SAFERSTATS_CMD[@]}"
    elif [ "$SAFERSTATS_OK" = 1 ]; then
        measure saferstats "$OUT/saferstats.csv" "${SAFERSTATS_CMD[@]}"
    fi
    # Place analysis over the whole archive (it parses every street file: the cache keeps no
    # points), for the Metropolitan Police Service, whose files alone keep points and LSOA detail;
    # beside it the same area's ingest (`compare --area`, which keeps every force's LSOA detail, as
    # attributing a local authority needs), the yardstick issue #17 names.
    if [ "$SAFERSTATS_OK" = 1 ] && [ "${BENCH_SKIP_PLACE:-0}" != 1 ]; then
        measure saferstats-area "$OUT/saferstats-area.csv" "$SAFERSTATS" --quiet --source "police-uk=$ARCHIVE" \
            --area "Metropolitan Police Service" --no-cache compare --from 2016/17 --to 2017/18 --format csv
        for by in lsoa grid; do
            name=saferstats-place; [ "$by" = grid ] && name=saferstats-place-grid
            measure "$name" "$OUT/$name.csv" "$SAFERSTATS" --quiet --source "police-uk=$ARCHIVE" \
                --area "Metropolitan Police Service" --no-cache place --period 2017/18 --by "$by" --format csv
        done
    fi
done
[ "$SAFERSTATS_OK" = 1 ] || log "saferstats: not available ($SAFERSTATS_WHY)"

# --- report ------------------------------------------------------------------------------------
export TIMES OUT ARCHIVE ARCHIVE_BYTES ROW_COUNT SAFERSTATS_OK SAFERSTATS_WHY REPS HAS_CACHE
export FILE_COUNT="${#FILES[@]}"
export NPROC="$(nproc)"
export CPU_MODEL="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
export MEM_TOTAL_KB="$(awk '/MemTotal/ {print $2}' /proc/meminfo)"
export RUSTC_VERSION="$(rustc --version 2>/dev/null || echo unknown)"
export KERNEL="$(uname -sr)"
export SAFERSTATS_VERSION="$([ "$SAFERSTATS_OK" = 1 ] && "$SAFERSTATS" --version 2>/dev/null || echo n/a)"
python3 "$HERE/report.py" | tee "$HERE/results.md"
