#!/usr/bin/env python3
"""DuckDB: a data.police.uk street archive as monthly LSOA aggregates in saferstats' Parquet layout.

    python3 bench/duckdb_to_parquet.py ARCHIVE_DIR OUT_DIR

Reads ARCHIVE_DIR/*/*-street.csv, counts rows by month, force ("Falls within"), LSOA and crime
type, and writes OUT_DIR/year=YYYY/force=SLUG/*.parquet (the calendar year of the month; the
force's slug from the file name, as data.police.uk names it: 2017-04-kent-street.csv -> kent), the
layout `saferstats --export-parquet` writes and the `parquet` source kind reads. The same SQL is
in the README for DuckDB's CLI and for Spark.
"""
import sys

import duckdb

SQL = """
COPY (
    SELECT "Month"                     AS month,
           "Falls within"              AS area,
           "LSOA code"                 AS lsoa_code,
           "LSOA name"                 AS lsoa_name,
           "Crime type"                AS crime_type,
           count(*)                    AS count,
           CAST(substr("Month", 1, 4) AS INTEGER) AS year,
           regexp_extract(filename, '[0-9]{4}-[0-9]{2}-(.+)-street\\.csv$', 1) AS force
    FROM read_csv($glob, header = true, all_varchar = true, filename = true)
    GROUP BY ALL
    ORDER BY ALL
) TO '{out}' (FORMAT parquet, PARTITION_BY (year, force), OVERWRITE_OR_IGNORE)
"""


def main() -> None:
    archive, out = sys.argv[1], sys.argv[2]
    con = duckdb.connect()
    con.execute(SQL.replace("{out}", out.replace("'", "''")), {"glob": f"{archive}/*/*-street.csv"})


if __name__ == "__main__":
    main()
