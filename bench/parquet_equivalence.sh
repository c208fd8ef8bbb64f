#!/usr/bin/env bash
# The hand-off to bigger engines, checked: DuckDB (the Python package) aggregates the synthetic
# national archive into the layout saferstats' `parquet` source kind reads (Hive-partitioned
# year=/force=, columns month, area, lsoa_code, lsoa_name, crime_type, count), and saferstats must
# give byte-identical comparisons from that Parquet as from the raw CSV archive: every force
# (`compare --all-areas`) and local authorities attributed through their LSOA names.
#
#   bench/parquet_equivalence.sh [ARCHIVE_DIR]     default /tmp/saferstats-bench/archive
#
# Environment: BENCH_ROWS (rows to generate when ARCHIVE_DIR is missing, default 10000000),
# BENCH_OUT (default /tmp/saferstats-bench/parquet-<archive name>), CARGO_TARGET_DIR (default
# $HOME/.cache/saferstats/target, as .ci/run and bench/run.sh). Exit 0 when every comparison
# matches, 1 when one differs (the diff is printed).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(dirname "$HERE")"
ARCHIVE="${1:-/tmp/saferstats-bench/archive}"
ARCHIVE="${ARCHIVE%/}"
ROWS="${BENCH_ROWS:-10000000}"
OUT="${BENCH_OUT:-$(dirname "$ARCHIVE")/parquet-$(basename "$ARCHIVE")}"
log() { printf '%s\n' "$*" >&2; }

if ! python3 -c 'import duckdb' 2>/dev/null; then
    log "installing duckdb with pip"
    python3 -m pip install --quiet duckdb
fi
if [ ! -d "$ARCHIVE" ]; then
    log "generating $ARCHIVE ($ROWS rows)"
    mkdir -p "$(dirname "$ARCHIVE")"
    python3 "$HERE/gen_archive.py" "$ARCHIVE" --rows "$ROWS" --seed 1 >&2
fi
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/saferstats/target}"
log "building saferstats (cargo build --release)"
(cd "$REPO" && cargo build --release --quiet)
SAFERSTATS="$CARGO_TARGET_DIR/release/saferstats"

rm -rf "$OUT"
mkdir -p "$OUT"
PARQUET="$OUT/aggregates"
log "DuckDB: aggregating $ARCHIVE into $PARQUET"
start=$(date +%s%N)
python3 "$HERE/duckdb_to_parquet.py" "$ARCHIVE" "$PARQUET"
log "  $(( ($(date +%s%N) - start) / 1000000 )) ms, $(find "$PARQUET" -name '*.parquet' | wc -l) files, $(du -sh "$PARQUET" | cut -f1)"

# Three local authorities from the archive's own LSOA names (the first, middle and last by name).
mapfile -t AUTHORITIES < <(python3 - "$PARQUET" <<'PY'
import sys, duckdb
names = [r[0] for r in duckdb.sql(f"""
    SELECT DISTINCT regexp_replace(lsoa_name, ' [0-9]{{3}}[A-Z]$', '') AS la
    FROM read_parquet('{sys.argv[1]}/*/*/*.parquet', hive_partitioning = true)
    WHERE lsoa_name IS NOT NULL ORDER BY la""").fetchall()]
for n in sorted({names[0], names[len(names) // 2], names[-1]}):
    print(n)
PY
)

status=0
check() {
    local name="$1"; shift
    local raw="$OUT/$name.raw.csv" pq="$OUT/$name.parquet.csv"
    local t0 t1 t2
    t0=$(date +%s%N)
    "$SAFERSTATS" --quiet --no-cache --source "police-uk=$ARCHIVE" "$@" >"$raw"
    t1=$(date +%s%N)
    "$SAFERSTATS" --quiet --no-cache --source "parquet=$PARQUET" "$@" >"$pq"
    t2=$(date +%s%N)
    local rows
    rows=$(($(wc -l <"$raw") - 1))
    if cmp -s "$raw" "$pq"; then
        printf '| %s | %d | identical | %d ms | %d ms |\n' "$name" "$rows" \
            $(( (t1 - t0) / 1000000 )) $(( (t2 - t1) / 1000000 ))
    else
        printf '| %s | %d | DIFFERENT | %d ms | %d ms |\n' "$name" "$rows" \
            $(( (t1 - t0) / 1000000 )) $(( (t2 - t1) / 1000000 ))
        diff "$raw" "$pq" | head -20 >&2
        status=1
    fi
}
echo "| comparison | rows | raw archive vs DuckDB's Parquet | from the raw CSV | from the Parquet |"
echo "|---|---|---|---|---|"
PERIODS=(compare --from 2016/17 --to 2017/18 --format csv)
check "every force (--all-areas)" "${PERIODS[@]}" --all-areas
for la in "${AUTHORITIES[@]}"; do
    check "$la" --area "$la" --allow-partial "${PERIODS[@]}"
done
exit "$status"
