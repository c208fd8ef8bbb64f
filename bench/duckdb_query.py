#!/usr/bin/env python3
"""DuckDB peer: counts by financial year, force and crime type, with year-on-year change.

    python3 bench/duckdb_query.py ARCHIVE_DIR OUT.csv

Reads ARCHIVE_DIR/*/*-street.csv (a data.police.uk archive) with read_csv, counts rows by
Month x "Falls within" x "Crime type" in one scan, rolls months up into financial years
(April-March, labelled like 2016/17) and adds the change from the previous financial year.
Output columns: financial_year, months, force, crime_type, count, previous_count, change,
pct_change (months = months of that financial year present in the archive).
"""
import sys

import duckdb


SQL = """
WITH by_month AS (
    SELECT "Month" AS month, "Falls within" AS force, "Crime type" AS crime_type, count(*) AS n
    FROM read_csv($glob, header = true, all_varchar = true)
    GROUP BY ALL
),
by_fy AS (
    SELECT CAST(substr(month, 1, 4) AS INTEGER)
             - CASE WHEN CAST(substr(month, 6, 2) AS INTEGER) < 4 THEN 1 ELSE 0 END AS fy,
           force, crime_type, n
    FROM by_month
),
fy_months AS (
    SELECT DISTINCT month,
           CAST(substr(month, 1, 4) AS INTEGER)
             - CASE WHEN CAST(substr(month, 6, 2) AS INTEGER) < 4 THEN 1 ELSE 0 END AS fy
    FROM by_month
),
months AS (SELECT fy, count(*) AS months FROM fy_months GROUP BY fy),
counts AS (SELECT fy, force, crime_type, sum(n) AS count FROM by_fy GROUP BY ALL),
yoy AS (
    SELECT c.*,
           lag(fy) OVER w AS prev_fy,
           lag(count) OVER w AS prev_count
    FROM counts c
    WINDOW w AS (PARTITION BY force, crime_type ORDER BY fy)
)
SELECT CAST(y.fy AS VARCHAR) || '/' || lpad(CAST((y.fy + 1) % 100 AS VARCHAR), 2, '0') AS financial_year,
       m.months, y.force, y.crime_type, y.count,
       CASE WHEN y.prev_fy = y.fy - 1 THEN y.prev_count END AS previous_count,
       CASE WHEN y.prev_fy = y.fy - 1 THEN y.count - y.prev_count END AS change,
       CASE WHEN y.prev_fy = y.fy - 1 AND y.prev_count > 0
            THEN round(100.0 * (y.count - y.prev_count) / y.prev_count, 2) END AS pct_change
FROM yoy y JOIN months m USING (fy)
ORDER BY y.force, y.crime_type, y.fy
"""


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    archive, out = sys.argv[1].rstrip("/"), sys.argv[2]
    con = duckdb.connect()
    rel = con.sql(SQL, params={"glob": f"{archive}/*/*-street.csv"})
    rel.write_csv(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
