#!/usr/bin/env python3
"""Reads Millwright's data lake as a third party does, with pyarrow (and pandas): no hub code, no DuckDB.

The lake is Hive-partitioned Parquet, type=<event>/date=YYYY-MM-DD/part-*.parquet (docs/analytics.md),
under <data-dir>/lake/ or in an S3-compatible bucket (millwright.analytics.lake.s3.*). This prints,
per event type and day, the rows and files, and for signals the count and mean value per asset and tag.

  python3 scripts/third-party/read-lake.py data/lake
  MILLWRIGHT_LAKE_S3_ACCESS_KEY=... MILLWRIGHT_LAKE_S3_SECRET_KEY=... \\
    python3 scripts/third-party/read-lake.py s3://plant-lake/site-a/events --endpoint http://minio:9000

The credentials come from the same environment variables as the hub's, never from arguments.
Needs: pip install pyarrow pandas. Spark and Trino read the same layout (docs/analytics.md,
"Reading it directly"); they were not run where this script was tried.
"""
import argparse
import os
import sys
from urllib.parse import urlparse

import pyarrow.dataset as ds
import pyarrow.fs as pafs


def open_lake(location, endpoint, region):
    """The file system and the base path of the lake at location (a folder or s3://bucket/prefix)."""
    if not location.startswith("s3://"):
        return pafs.LocalFileSystem(), os.path.abspath(location)
    missing = [name for name in ("MILLWRIGHT_LAKE_S3_ACCESS_KEY", "MILLWRIGHT_LAKE_S3_SECRET_KEY") if not os.environ.get(name)]
    if missing:
        sys.exit("read-lake: set " + " and ".join(missing) + " in the environment for " + location)
    options = dict(access_key=os.environ["MILLWRIGHT_LAKE_S3_ACCESS_KEY"],
                   secret_key=os.environ["MILLWRIGHT_LAKE_S3_SECRET_KEY"], region=region)
    if endpoint:
        url = urlparse(endpoint)
        if url.scheme not in ("http", "https") or not url.netloc:
            sys.exit("read-lake: --endpoint must be an http:// or https:// URL, was " + endpoint)
        options.update(endpoint_override=url.netloc, scheme=url.scheme)
    return pafs.S3FileSystem(**options), location[len("s3://"):].rstrip("/")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lake", help="the lake folder (e.g. data/lake) or s3://bucket/prefix")
    parser.add_argument("--endpoint", default="", help="an S3-compatible server's URL; blank = AWS S3")
    parser.add_argument("--region", default="us-east-1")
    args = parser.parse_args()

    fs, base = open_lake(args.lake, args.endpoint, args.region)
    # the type folders, from a recursive listing of the files (S3 has no folders, only keys)
    files = fs.get_file_info(pafs.FileSelector(base, recursive=True, allow_not_found=True))
    types = sorted({info.path[len(base) + 1:].split("/")[0] for info in files
                    if info.type == pafs.FileType.File and info.path.endswith(".parquet")
                    and info.path[len(base) + 1:].startswith("type=")})
    if not types:
        sys.exit("read-lake: no type=<event> folders under " + args.lake)
    total = 0
    for folder in types:
        # one dataset per type: each event type has its own columns; date comes from the path (Hive)
        dataset = ds.dataset(base + "/" + folder, format="parquet", partitioning="hive", filesystem=fs)
        table = dataset.to_table()
        total += table.num_rows
        frame = table.to_pandas()
        for date, rows in frame.groupby("date", sort=True).size().items():
            files = sum(1 for path in dataset.files if f"/date={date}/" in path)
            print(f"{folder} date={date} rows={rows} files={files}")
        if folder == "type=signal" and "value" in frame.columns:
            by_tag = frame.groupby(["subject", "tag"])["value"].agg(["count", "mean"]).reset_index()
            for row in by_tag.itertuples(index=False):
                print(f"  signal subject={row.subject} tag={row.tag} count={row.count} mean={row.mean:.3f}")
    print(f"total rows={total} types={len(types)}")


if __name__ == "__main__":
    main()
