#!/usr/bin/env python3
"""polars peer: counts by financial year, force and crime type, with year-on-year change.

    python3 bench/polars_query.py ARCHIVE_DIR OUT.csv

scan_csv over ARCHIVE_DIR/*/*-street.csv, rows counted by Month x "Falls within" x "Crime type"
with the streaming engine (the one pass over the data), then the small result is rolled up into
financial years (April-March, labelled like 2016/17) with the change from the previous year.
Same output columns as duckdb_query.py.
"""
import sys

import polars as pl


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    archive, out = sys.argv[1].rstrip("/"), sys.argv[2]
    by_month = (
        pl.scan_csv(f"{archive}/*/*-street.csv", infer_schema=False)
        .group_by("Month", "Falls within", "Crime type")
        .agg(pl.len().alias("n"))
        .collect(engine="streaming")
    )
    year = pl.col("Month").str.slice(0, 4).cast(pl.Int32)
    mon = pl.col("Month").str.slice(5, 2).cast(pl.Int32)
    by_month = by_month.with_columns(fy=year - (mon < 4).cast(pl.Int32))
    months = by_month.select("fy", "Month").unique().group_by("fy").agg(pl.len().cast(pl.Int64).alias("months"))
    counts = (
        by_month.group_by("fy", "Falls within", "Crime type")
        .agg(pl.col("n").sum().cast(pl.Int64).alias("count"))
        .sort("Falls within", "Crime type", "fy")
    )
    key = ["Falls within", "Crime type"]
    consecutive = pl.col("fy").shift(1).over(key) == pl.col("fy") - 1
    prev = pl.when(consecutive).then(pl.col("count").shift(1).over(key))
    result = (
        counts.with_columns(previous_count=prev)
        .with_columns(
            change=pl.col("count") - pl.col("previous_count"),
            pct_change=pl.when(pl.col("previous_count") > 0)
            .then((100.0 * (pl.col("count") - pl.col("previous_count")) / pl.col("previous_count")).round(2)),
        )
        .join(months, on="fy")
        .select(
            financial_year=pl.format(
                "{}/{}", pl.col("fy"), ((pl.col("fy") + 1) % 100).cast(pl.String).str.zfill(2)
            ),
            months="months",
            force="Falls within",
            crime_type="Crime type",
            count="count",
            previous_count="previous_count",
            change="change",
            pct_change="pct_change",
        )
        .sort("force", "crime_type", "financial_year")
    )
    result.write_csv(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
