#!/usr/bin/env python3
"""DuckDB reference for `maeul discovery run` (/work/shared/specs/discovery.md).

    target/bench-venv/bin/python benches/discovery/reference.py \\
        --households H.csv --crisis C.csv --model M.toml --out candidates.csv [--threads N]

Parses model.toml with tomllib into three small tables (model, indicators, tags) and runs
reference.sql, one query that reads the two CSV files and writes candidates.csv (to a
temporary name first, renamed at the end). Assumes valid input: it checks the model's shape
but does not validate the CSV files the way the engine must.

Needs the DuckDB version pinned in requirements.txt:
    python3 -m venv target/bench-venv && target/bench-venv/bin/pip install -r benches/discovery/requirements.txt
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
import tomllib
from pathlib import Path

try:
    import duckdb
except ImportError:
    sys.exit("reference.py needs DuckDB: python3 -m venv target/bench-venv && "
             "target/bench-venv/bin/pip install -r benches/discovery/requirements.txt, "
             "then run it with target/bench-venv/bin/python")

HERE = Path(__file__).resolve().parent


def sql_string(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def load_model(path: Path) -> dict:
    with open(path, "rb") as f:
        m = tomllib.load(f)
    try:
        as_of = m["as_of"]
        if isinstance(as_of, str):
            as_of = dt.date.fromisoformat(as_of)
        model = {
            "as_of": as_of,
            "lookback_days": int(m["lookback_days"]),
            "intercept": float(m["intercept"]),
            "top_per_emd": int(m["top_per_emd"]),
            "min_probability": float(m["min_probability"]),
        }
        indicators = []
        for code, ind in m["indicators"].items():
            t = ind["transform"]
            if t not in ("flag", "log1p", "cap"):
                raise ValueError(f"indicator {code}: unknown transform {t!r}")
            cap = float(ind["cap"]) if t == "cap" else None
            indicators.append((code, float(ind["weight"]), t, cap, float(ind["half_life_days"])))
        tags = [(name, float(w)) for name, w in m.get("tags", {}).items()]
    except (KeyError, TypeError, ValueError) as e:
        sys.exit(f"{path}: bad model: {e!r}")
    return {"model": model, "indicators": indicators, "tags": tags}


def run(households: str, crisis: str, model_path: str, out: str, threads: int | None,
        memory_limit: str | None = None, sql_path: Path = HERE / "reference.sql") -> float:
    m = load_model(Path(model_path))
    con = duckdb.connect(":memory:")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    if memory_limit:
        con.execute(f"SET memory_limit = {sql_string(memory_limit)}")
    con.execute("CREATE TABLE model (as_of DATE, lookback_days BIGINT, intercept DOUBLE, "
                "top_per_emd BIGINT, min_probability DOUBLE)")
    mm = m["model"]
    con.execute("INSERT INTO model VALUES (?, ?, ?, ?, ?)",
                [mm["as_of"], mm["lookback_days"], mm["intercept"], mm["top_per_emd"], mm["min_probability"]])
    con.execute("CREATE TABLE indicators (code VARCHAR, weight DOUBLE, transform VARCHAR, cap DOUBLE, "
                "half_life_days DOUBLE)")
    con.executemany("INSERT INTO indicators VALUES (?, ?, ?, ?, ?)", m["indicators"])
    con.execute("CREATE TABLE tags (tag VARCHAR, weight DOUBLE)")
    if m["tags"]:
        con.executemany("INSERT INTO tags VALUES (?, ?)", m["tags"])

    out_path = Path(out)
    tmp = out_path.with_name(f".{out_path.name}.tmp-{os.getpid()}")
    sql = sql_path.read_text(encoding="utf-8")
    sql = (sql.replace("{households}", sql_string(households))
              .replace("{crisis}", sql_string(crisis))
              .replace("{out}", sql_string(str(tmp))))
    t0 = time.monotonic()
    try:
        con.execute(sql)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    elapsed = time.monotonic() - t0
    os.replace(tmp, out_path)
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--households", required=True)
    ap.add_argument("--crisis", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--threads", type=int, default=None, help="DuckDB threads (default: all cores)")
    ap.add_argument("--memory-limit", default=None, help="DuckDB memory_limit, e.g. 4GB (default: DuckDB's)")
    args = ap.parse_args()
    elapsed = run(args.households, args.crisis, args.model, args.out, args.threads, args.memory_limit)
    print(f"reference: duckdb {duckdb.__version__}, query {elapsed:.2f} s, wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
