"""Regenerate ``data/registry_files.tsv`` from the maintainers' SOURCES.tsv.

Run once when a release is added (``python scripts/make_registry.py ../shared/data/raw/SOURCES.tsv``).
The toolkit never reads SOURCES.tsv at run time: the generated TSV ships as package data.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path
from urllib.parse import quote

# SOURCES.tsv calls the peacesciencer objects "peacesciencer-data"; the registry names every data
# set so that its folder is exactly "<name>-<version>".
RENAME = {"peacesciencer-data": "peacesciencer"}

COLUMNS = ["dataset", "version", "file", "sha256", "bytes", "rows", "mirror", "official_source", "note"]


def mirror_url(repo: str, commit: str, path: str) -> str:
    zip_part, _, member = path.partition("!")
    url = f"https://github.com/{repo}/raw/{commit}/{quote(zip_part)}"
    return f"{url}!{member}" if member else url


def main(src: str, out: str) -> None:
    with open(src, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    records = []
    for row in rows:
        folder, name = row["file"].split("/", 1)
        dataset = RENAME.get(row["dataset"], row["dataset"])
        if folder != f"{dataset}-{row['version']}":
            raise SystemExit(f"folder {folder!r} is not {dataset}-{row['version']}")
        records.append({
            "dataset": dataset, "version": row["version"], "file": name, "sha256": row["sha256"],
            "bytes": row["bytes"], "rows": "" if row["rows"] in ("", "NA") else row["rows"],
            "mirror": mirror_url(row["origin_repo"], row["origin_commit"], row["origin_path"]),
            "official_source": row["official_source"], "note": row["notes"],
        })
    records.sort(key=lambda r: (r["dataset"], r["version"], r["file"]))
    with open(out, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, COLUMNS, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
    print(f"wrote {len(records)} files to {out}")


if __name__ == "__main__":
    here = Path(__file__).resolve().parent.parent
    main(sys.argv[1] if len(sys.argv) > 1 else str(here.parent / "shared/data/raw/SOURCES.tsv"),
         sys.argv[2] if len(sys.argv) > 2 else str(here / "data/registry_files.tsv"))
