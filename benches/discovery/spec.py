#!/usr/bin/env python3
"""A second, independent reference: the spec (/work/shared/specs/discovery.md) in plain Python.

    python3 benches/discovery/spec.py --households H.csv --crisis C.csv --model M.toml --out candidates.csv

Standard library only, single-threaded and slow (about 1 s per 100,000 households): meant for
the 200,000-household set and the --bad set, to cross-check reference.sql and to show the
error report the spec asks for. Unlike reference.py it validates the inputs: on any problem
it prints `file:line: problem` for each (at most 100, then a count), writes nothing and exits 1.
Line 1 is the header line.

Arithmetic, step by step as in the spec, with Python floats (IEEE-754 doubles; math.pow,
math.log and math.exp are the C library's pow, log and exp).
"""
from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import re
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ID_RE = re.compile(r"[A-Za-z0-9_-]{1,32}\Z")
INT_RE = re.compile(r"[0-9]+\Z")
DEC_RE = re.compile(r"[0-9]+(\.[0-9]+)?\Z")
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
MAX_REPORTED = 100


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--households", required=True)
    ap.add_argument("--crisis", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--regions", default=str(REPO / "data" / "regions.csv"))
    ap.add_argument("--dump", default=None,
                    help="also write every scored household with z, probability and each "
                         "contribution in full precision (float.hex), for debugging last-bit differences")
    args = ap.parse_args()

    errors: list[str] = []

    def err(msg: str) -> None:
        errors.append(msg)

    with open(args.model, "rb") as f:
        m = tomllib.load(f)
    as_of = m["as_of"]
    as_of = dt.date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
    lookback = int(m["lookback_days"])
    intercept = float(m["intercept"])
    top = int(m["top_per_emd"])
    min_p = float(m["min_probability"])
    inds = {}
    for code, ind in m["indicators"].items():
        cap = float(ind["cap"]) if ind["transform"] == "cap" else None
        inds[code] = (float(ind["weight"]), ind["transform"], cap, float(ind["half_life_days"]))
    tag_w = {k: float(v) for k, v in m.get("tags", {}).items()}

    with open(args.regions, encoding="utf-8") as f:
        hdr = f.readline().rstrip("\n").split(",")
        ci = hdr.index("code")
        regions = {line.rstrip("\n").split(",")[ci] for line in f if line.strip()}

    hname = os.path.basename(args.households)
    households: dict[str, tuple[str, list[str]]] = {}
    with open(args.households, encoding="utf-8", newline="") as f:
        for no, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if no == 1:
                if line != "household_id,emd_code,members,head_age,tags":
                    err(f"{hname}:1: unexpected header {line!r}")
                continue
            p = line.split(",")
            if len(p) != 5:
                err(f"{hname}:{no}: {len(p)} fields, expected 5")
                continue
            hid, emd, members, age, tags = p
            ok = True
            if not ID_RE.match(hid):
                err(f"{hname}:{no}: bad household_id {hid!r}")
                ok = False
            elif hid in households:
                err(f"{hname}:{no}: duplicate household_id {hid}")
                ok = False
            if emd not in regions:
                err(f"{hname}:{no}: emd_code {emd!r} not in the region registry")
                ok = False
            if not INT_RE.match(members) or not 1 <= int(members) <= 99:
                err(f"{hname}:{no}: members {members!r} not an integer 1-99")
                ok = False
            if not INT_RE.match(age) or not 0 <= int(age) <= 130:
                err(f"{hname}:{no}: head_age {age!r} not an integer 0-130")
                ok = False
            tag_list = tags.split(";") if tags else []
            for t in tag_list:
                if t not in tag_w:
                    err(f"{hname}:{no}: tag {t!r} not defined in the model")
                    ok = False
            if ok or hid not in households:
                households.setdefault(hid, (emd, tag_list))

    cname = os.path.basename(args.crisis)
    # (household, indicator) -> largest decayed value among counted observations
    a: dict[str, dict[str, float]] = {}
    with open(args.crisis, encoding="utf-8", newline="") as f:
        for no, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if no == 1:
                if line != "household_id,indicator,value,observed_on":
                    err(f"{cname}:1: unexpected header {line!r}")
                continue
            p = line.split(",")
            if len(p) != 4:
                err(f"{cname}:{no}: {len(p)} fields, expected 4")
                continue
            hid, code, value, date = p
            ok = True
            if hid not in households:
                err(f"{cname}:{no}: household_id {hid!r} not in {hname}")
                ok = False
            if code not in inds:
                err(f"{cname}:{no}: indicator {code!r} not defined in the model")
                ok = False
            if not DEC_RE.match(value):
                err(f"{cname}:{no}: value {value!r} not a decimal number >= 0")
                ok = False
            d = None
            if DATE_RE.match(date):
                try:
                    d = dt.date.fromisoformat(date)
                except ValueError:
                    pass
            if d is None:
                err(f"{cname}:{no}: observed_on {date!r} not a YYYY-MM-DD date")
                ok = False
            if not ok:
                continue
            age = (as_of - d).days
            if not (0 <= age < lookback):
                continue
            weight, transform, cap, half_life = inds[code]
            decayed = float(value) * math.pow(0.5, float(age) / half_life)
            per = a.setdefault(hid, {})
            if code not in per or decayed > per[code]:
                per[code] = decayed

    if errors:
        for e in errors[:MAX_REPORTED]:
            print(e, file=sys.stderr)
        if len(errors) > MAX_REPORTED:
            print(f"... and {len(errors) - MAX_REPORTED} more problems ({len(errors)} in all)", file=sys.stderr)
        sys.exit(1)

    by_emd: dict[str, list[tuple[float, str, str]]] = {}
    dump = open(args.dump, "w", encoding="utf-8") if args.dump else None
    if dump:
        dump.write("household_id,emd_code,z,probability,contributions\n")
    for hid, per in a.items():
        z = intercept
        contribs = []
        for code in sorted(per):
            weight, transform, cap, _ = inds[code]
            av = per[code]
            if transform == "flag":
                feature = 1.0 if av > 0 else 0.0
            elif transform == "log1p":
                feature = math.log(1.0 + av)
            else:
                feature = min(av, cap)
            c = weight * feature
            z = z + c
            contribs.append((c, code))
        emd, tag_list = households[hid]
        for t in sorted(tag_list):
            z = z + tag_w[t]
        prob = 1.0 / (1.0 + math.exp(-z))
        if dump:
            dump.write(f"{hid},{emd},{z.hex()},{prob.hex()},"
                       + ";".join(f"{code}={c.hex()}" for c, code in contribs) + "\n")
        if prob >= min_p:
            reasons = [code for c, code in sorted(contribs, key=lambda x: (-x[0], x[1])) if c > 0][:3]
            by_emd.setdefault(emd, []).append((prob, hid, ";".join(reasons)))

    if dump:
        dump.close()
    tmp = Path(args.out).with_name(f".{Path(args.out).name}.tmp-{os.getpid()}")
    with open(tmp, "w", encoding="utf-8", newline="\n") as out:
        out.write("emd_code,rank,household_id,probability,reasons\n")
        for emd in sorted(by_emd):
            rows = sorted(by_emd[emd], key=lambda r: (-r[0], r[1].encode()))[:top]
            for rank, (prob, hid, reasons) in enumerate(rows, 1):
                out.write(f"{emd},{rank},{hid},{prob:.6f},{reasons}\n")
    os.replace(tmp, args.out)


if __name__ == "__main__":
    main()
