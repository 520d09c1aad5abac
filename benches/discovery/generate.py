#!/usr/bin/env python3
"""Deterministic generator of discovery-engine inputs (docs: /work/shared/specs/discovery.md).

Writes households.csv, crisis.csv and model.toml into --out.

    python3 benches/discovery/generate.py --households 200000 --out target/discovery-data/200k
    python3 benches/discovery/generate.py --households 22000000 --out target/discovery-data/national
    python3 benches/discovery/generate.py --bad --out target/discovery-data/bad

Python 3.11 standard library only. Same (--seed, --households, --crisis-ratio, regions file)
gives byte-identical files whatever --jobs is: the work is cut into fixed chunks of
eup/myeon/dong, each with its own random stream, and the crisis rows are shuffled in fixed
buckets, each with its own random stream.

--bad writes a small set with injected errors, one per line, and `expected-errors.txt`
listing `file:line: problem` for each (line 1 is the header).
"""
from __future__ import annotations

import argparse
import datetime as dt
import math
import multiprocessing as mp
import os
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_REGIONS = REPO / "data" / "regions.csv"

AS_OF = dt.date(2024, 3, 1)
LOOKBACK_DAYS = 365

# ---------------------------------------------------------------------------------------------
# The model. Modelled on the Korean crisis information list (위기정보). Written to model.toml
# in this (deliberately unsorted) order, so that engines must sort codes themselves.
# (code, name, weight, transform, cap or None, half_life_days, prevalence weight, value kind)
INDICATORS = [
    ("ELEC_CUT", "단전", 1.2, "flag", None, 90, 6.0, "event"),
    ("WATER_CUT", "단수", 1.1, "flag", None, 90, 2.0, "event"),
    ("GAS_CUT", "단가스", 1.0, "flag", None, 90, 3.0, "event"),
    ("ELEC_ARREARS", "전기요금 체납(개월)", 0.3, "cap", 6.0, 120, 7.0, "months"),
    ("WATER_ARREARS", "수도요금 체납(개월)", 0.25, "cap", 6.0, 120, 4.0, "months"),
    ("HI_ARREARS", "건강보험료 체납(개월)", 0.35, "cap", 12.0, 180, 14.0, "months"),
    ("PENSION_ARREARS", "국민연금 체납(개월)", 0.15, "cap", 12.0, 180, 6.0, "months"),
    ("MGMT_FEE_ARREARS", "공동주택 관리비 체납(개월)", 0.3, "cap", 12.0, 150, 6.0, "months"),
    ("RENT_ARREARS", "임대료 체납(개월)", 0.4, "cap", 12.0, 150, 4.0, "months"),
    ("PUBLIC_RENT_ARREARS", "공공임대주택 임대료 체납(개월)", 0.45, "cap", 12.0, 150, 3.0, "months"),
    ("TELECOM_ARREARS", "통신비 체납(개월)", 0.2, "cap", 6.0, 120, 10.0, "months"),
    ("LOAN_ARREARS", "금융 연체(원)", 0.08, "log1p", None, 180, 9.0, "loan"),
    ("MED_COST", "과다 의료비(원)", 0.06, "log1p", None, 365, 5.0, "med"),
    ("TAX_ARREARS", "국세·지방세 체납(원)", 0.05, "log1p", None, 365, 4.0, "tax"),
    ("JOB_LOSS", "실직(고용보험 상실)", 0.9, "flag", None, 120, 6.0, "event"),
    ("BIZ_CLOSURE", "휴·폐업", 0.7, "flag", None, 180, 2.0, "event"),
    ("DEBT_ADJ_DROP", "채무조정 중도탈락", 0.6, "flag", None, 180, 1.5, "event"),
    ("FACILITY_EXIT", "복지시설 퇴소", 0.8, "flag", None, 365, 0.5, "event"),
    ("SUICIDE_RISK", "자살 고위험군", 1.5, "flag", None, 60, 0.5, "event"),
    ("HOUSING_RISK", "주거 위기(전세피해)", 1.0, "flag", None, 180, 1.0, "event"),
    # Already receiving emergency aid: a negative weight, so its contribution is never a reason.
    ("EMERG_AID", "긴급복지 지원 중", -0.5, "flag", None, 180, 2.0, "event"),
]

# Tag weights, written in this (unsorted) order. care_managed is negative.
TAGS = [
    ("elderly_alone", 0.8),
    ("disabled", 0.5),
    ("single_parent", 0.6),
    ("child_head", 1.0),
    ("low_income", 0.7),
    ("multicultural", 0.2),
    ("care_managed", -0.3),
]


def model_toml() -> str:
    out = [
        'name = "baseline"',
        'as_of = "2024-03-01"      # the round\'s reference date',
        "lookback_days = 365",
        "intercept = -6.0",
        "top_per_emd = 20          # households listed per eup/myeon/dong",
        "min_probability = 0.0     # list only households at or above this probability",
        "",
    ]
    for code, name, weight, transform, cap, half_life, _, _ in INDICATORS:
        out.append(f"[indicators.{code}]")
        out.append(f'name = "{name}"')
        out.append(f"weight = {weight!r}")
        out.append(f'transform = "{transform}"')
        if cap is not None:
            out.append(f"cap = {cap!r}")
        out.append(f"half_life_days = {half_life}")
        out.append("")
    out.append("[tags]")
    for tag, weight in TAGS:
        out.append(f"{tag} = {weight!r}")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------
# Household attributes.

# members 1..99, mostly 1..4 (Korean single-person households are about a third).
_MEMBER_W = {1: 33.0, 2: 28.5, 3: 19.5, 4: 14.0, 5: 3.6, 6: 0.8, 7: 0.25, 8: 0.1, 9: 0.05, 10: 0.03}
for _m in range(11, 100):
    _MEMBER_W[_m] = 0.0004
MEMBER_VALUES = list(_MEMBER_W)
MEMBER_CUM = []
_acc = 0.0
for _m in MEMBER_VALUES:
    _acc += _MEMBER_W[_m]
    MEMBER_CUM.append(_acc)


def _age_weight(age: int) -> float:
    if age < 14:
        return 0.0005
    if age < 20:
        return 0.01 * (age - 13)
    if age <= 95:
        # broad hump over 30..80
        return 1.0 + 1.6 * math.exp(-((age - 55) / 20.0) ** 2) - (0.6 if age > 85 else 0.0)
    return 0.0008


AGE_VALUES = list(range(0, 131))
AGE_CUM = []
_acc = 0.0
for _a in AGE_VALUES:
    _acc += _age_weight(_a)
    AGE_CUM.append(_acc)

# Tags: about 86 % empty; combinations sometimes written out of order on purpose.
TAG_CHOICES = [
    ("", 86.0),
    ("elderly_alone", 4.5),
    ("disabled", 2.6),
    ("single_parent", 1.4),
    ("low_income", 2.2),
    ("multicultural", 0.8),
    ("care_managed", 0.6),
    ("child_head", 0.05),
    ("disabled;elderly_alone", 0.6),
    ("elderly_alone;low_income", 0.5),
    ("low_income;elderly_alone", 0.3),   # unsorted
    ("single_parent;low_income", 0.3),   # unsorted
    ("disabled;low_income", 0.2),
    ("low_income;disabled;care_managed", 0.05),  # unsorted, three tags
    ("multicultural;single_parent", 0.1),
    ("child_head;low_income", 0.02),
]
TAG_VALUES = [t for t, _ in TAG_CHOICES]
TAG_CUM = []
_acc = 0.0
for _t, _w in TAG_CHOICES:
    _acc += _w
    TAG_CUM.append(_acc)

# ---------------------------------------------------------------------------------------------
# Crisis rows.

IND_CODES = [i[0] for i in INDICATORS]
IND_CUM = []
_acc = 0.0
for _i in INDICATORS:
    _acc += _i[6]
    IND_CUM.append(_acc)
IND_KIND = {i[0]: i[7] for i in INDICATORS}

ROWS_PER_CRISIS_HH = [1, 2, 3, 4, 5, 6]
ROWS_CUM = [30.0, 52.0, 70.0, 83.0, 93.0, 100.0]
MEAN_ROWS = sum((ROWS_CUM[i] - (ROWS_CUM[i - 1] if i else 0.0)) * (i + 1) for i in range(6)) / 100.0
DISTINCT_IND = [1, 2, 3]
TWIN_RATE = 0.03          # share of crisis households that get a twin (see gen_chunk)
TWIN_MULTI_TAG = 0.5      # the same for crisis households with two or more tags
TWIN_SHARE = 0.032        # about how many crisis households get a twin, all told
DISTINCT_CUM = [55.0, 85.0, 100.0]

# Days before as_of (negative = after as_of). Mostly within ~15 months; edges on purpose.
EDGE_AGES = [0, 0, 1, 2, 364, 364, 365, 365, 366, 367, -1, -1, -2, -30]
MIN_AGE, MAX_AGE = -90, 900
DATE_STR = {a: (AS_OF - dt.timedelta(days=a)).isoformat() for a in range(MIN_AGE, MAX_AGE + 1)}
# Bi-monthly feed dates (15th of Dec, Feb, Apr, ... before as_of): most observations sit near one.
FEED_AGES = []
_d = dt.date(2022, 12, 15)
while _d < AS_OF:
    FEED_AGES.append((AS_OF - _d).days)
    _d = dt.date(_d.year + (_d.month + 2 > 12), (_d.month + 1) % 12 + 1, 15)


def draw_age(rng: random.Random) -> int:
    r = rng.random()
    if r < 0.55:
        return rng.choice(FEED_AGES) + rng.randint(-3, 3)
    if r < 0.90:
        return rng.randint(0, 455)            # ~15 months
    if r < 0.95:
        return rng.choice(EDGE_AGES)
    if r < 0.98:
        return rng.randint(456, MAX_AGE)      # older than lookback
    return rng.randint(MIN_AGE, -1)           # after as_of


def draw_value(rng: random.Random, kind: str) -> str:
    r = rng.random()
    if r < 0.006:
        return "0"
    if kind == "event":
        return "1" if r < 0.995 else "1.0"
    if kind == "months":
        m = min(int(rng.expovariate(1 / 3.0)) + 1, 36)
        if r < 0.12:
            return f"{m}.5"
        if r < 0.14:
            return f"{m}.25"
        return str(m)
    if kind == "loan":
        v = int(rng.lognormvariate(math.log(5_000_000), 1.1))
    elif kind == "med":
        v = int(rng.lognormvariate(math.log(3_000_000), 0.9))
    else:  # tax
        v = int(rng.lognormvariate(math.log(800_000), 1.2))
    if r < 0.03:
        return f"{v}.50"
    return str(max(v, 1))


# ---------------------------------------------------------------------------------------------
# Households per eup/myeon/dong.


def read_regions(path: Path) -> list[tuple[str, str]]:
    rows = []
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split(",")
        ci, ki = header.index("code"), header.index("kind")
        for line in f:
            parts = line.rstrip("\n").split(",")
            if len(parts) > ki:
                rows.append((parts[ci], parts[ki]))
    return rows


def plan_emds(regions: list[tuple[str, str]], n: int, rng: random.Random) -> list[tuple[str, int, float]]:
    """Returns (emd_code, households, crisis-rate multiplier) in file order (shuffled)."""
    params = {"동": (8000.0, 0.65), "읍": (6500.0, 0.6), "면": (1000.0, 0.7)}
    weights = []
    for code, kind in regions:
        median, sigma = params.get(kind, (3000.0, 0.7))
        weights.append(min(max(rng.lognormvariate(math.log(median), sigma), 60.0), 60000.0))
    total = sum(weights)
    exact = [w * n / total for w in weights]
    counts = [int(x) for x in exact]
    rest = n - sum(counts)
    order = sorted(range(len(exact)), key=lambda i: (counts[i] - exact[i], i))
    for i in order[:rest]:
        counts[i] += 1
    if n >= len(counts):  # every eup/myeon/dong gets at least one household
        for i in range(len(counts)):
            while counts[i] == 0:
                j = max(range(len(counts)), key=lambda k: counts[k])
                counts[j] -= 1
                counts[i] += 1
    mult = [min(max(rng.lognormvariate(0.0, 0.35), 0.4), 2.5) for _ in counts]
    mean_mult = sum(c * m for c, m in zip(counts, mult)) / max(n, 1)
    mult = [m / mean_mult for m in mult]
    plan = [(regions[i][0], counts[i], mult[i]) for i in range(len(counts))]
    rng.shuffle(plan)
    return plan


# ---------------------------------------------------------------------------------------------
# Household ids: a bijection of the file position, then one of several shapes, each starting
# with its own character, so that ids are unique and byte order differs from numeric order.


def id_shape(num: int) -> str:
    s = num % 1000
    if s < 880:
        return f"H{num:09d}"
    if s < 930:
        return f"h{num}"
    if s < 960:
        return "K-" + _b36(num).upper()
    if s < 980:
        return "_" + _b36(num) + "_x"
    if s < 992:
        return f"0{num}"
    if s < 998:
        return "x" + _b36(num).rjust(31, "_")     # exactly 32 characters
    return f"-{num}"


_B36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def _b36(n: int) -> str:
    if n == 0:
        return "0"
    out = []
    while n:
        n, r = divmod(n, 36)
        out.append(_B36[r])
    return "".join(reversed(out))


def id_multiplier(n: int) -> int:
    a = 2_654_435_761 % max(n, 1)
    a = max(a, 1)
    while math.gcd(a, max(n, 1)) != 1:
        a += 1
    return a


# ---------------------------------------------------------------------------------------------
# Chunk generation (runs in worker processes).


def gen_chunk(task):
    (chunk_index, seed, emds, first_index, n_total, id_mul, p_crisis, n_buckets) = task
    rng = random.Random(f"{seed}:chunk:{chunk_index}")
    hh_parts = []
    buckets = [[] for _ in range(n_buckets)]
    idx = first_index
    n_crisis_rows = 0
    choices = rng.choices
    rnd = rng.random
    for emd_code, count, mult in emds:
        members = choices(MEMBER_VALUES, cum_weights=MEMBER_CUM, k=count)
        ages = choices(AGE_VALUES, cum_weights=AGE_CUM, k=count)
        tags = choices(TAG_VALUES, cum_weights=TAG_CUM, k=count)
        ids = [id_shape((id_mul * (idx + j) + 7) % n_total) for j in range(count)]
        # crisis households in this eup/myeon/dong
        expected = count * p_crisis * mult
        k = int(expected)
        if rnd() < expected - k:
            k += 1
        k = min(k, count)
        crisis_idx = rng.sample(range(count), k)
        # Twins: another household of the same eup/myeon/dong gets the same crisis rows and the
        # same tags written in reverse order. Its z is mathematically equal, so the two tie
        # exactly when z is added up in the spec's order (then household_id decides), and
        # usually differ in the last bits when it is not (tags in file order, indicators in
        # row order, ...), which changes the ranking.
        twins = {}
        if k < count:
            is_crisis = set(crisis_idx)
            for j in crisis_idx:
                if rnd() < (TWIN_MULTI_TAG if ";" in tags[j] else TWIN_RATE):
                    j2 = int(rnd() * count)
                    if j2 not in is_crisis and j2 not in twins.values():
                        twins[j] = j2
                        tags[j2] = ";".join(reversed(tags[j].split(";"))) if tags[j] else ""
        for j in crisis_idx:
            hid = ids[j]
            twin = ids[twins[j]] if j in twins else None
            nrows = choices(ROWS_PER_CRISIS_HH, cum_weights=ROWS_CUM)[0]
            ndist = min(choices(DISTINCT_IND, cum_weights=DISTINCT_CUM)[0], nrows)
            inds = []
            while len(inds) < ndist:
                c = choices(IND_CODES, cum_weights=IND_CUM)[0]
                if c not in inds:
                    inds.append(c)
            for r in range(nrows):
                code = inds[r] if r < ndist else inds[int(rnd() * ndist)]
                age = draw_age(rng)
                rest = f",{code},{draw_value(rng, IND_KIND[code])},{DATE_STR[age]}\n"
                buckets[int(rnd() * n_buckets)].append(hid + rest)
                n_crisis_rows += 1
                if twin is not None:
                    buckets[int(rnd() * n_buckets)].append(twin + rest)
                    n_crisis_rows += 1
        lines = []
        for j in range(count):
            t = tags[j]
            a = ages[j]
            m = members[j]
            if t:
                if "elderly_alone" in t:
                    m = 1
                    if a < 65:
                        a = 65 + (a % 30)
                if "child_head" in t:
                    a = 10 + (a % 10)
                if "single_parent" in t and m < 2:
                    m = 2
            lines.append(f"{ids[j]},{emd_code},{m},{a},{t}\n")
        hh_parts.append("".join(lines))
        idx += count
    return (
        chunk_index,
        "".join(hh_parts).encode(),
        ["".join(b).encode() for b in buckets],
        n_crisis_rows,
    )


def make_tasks(plan, seed, n_total, p_crisis, n_buckets, chunk_households):
    tasks = []
    cur, cur_n, first = [], 0, 0
    start = 0
    id_mul = id_multiplier(n_total)
    for emd in plan:
        cur.append(emd)
        cur_n += emd[1]
        if cur_n >= chunk_households:
            tasks.append((len(tasks), seed, cur, start, n_total, id_mul, p_crisis, n_buckets))
            start += cur_n
            cur, cur_n = [], 0
    if cur:
        tasks.append((len(tasks), seed, cur, start, n_total, id_mul, p_crisis, n_buckets))
    return tasks


def fmt_size(n: int) -> str:
    return f"{n / 1e6:,.1f} MB" if n < 1e9 else f"{n / 1e9:,.2f} GB"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def generate(args) -> None:
    t0 = time.monotonic()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    regions = read_regions(Path(args.regions))
    n = args.households
    rng = random.Random(f"{args.seed}:plan")
    plan = plan_emds(regions, n, rng)
    p_crisis = args.crisis_ratio / (MEAN_ROWS * (1 + TWIN_SHARE))
    est_rows = int(n * args.crisis_ratio)
    n_buckets = max(1, est_rows // 1_000_000)
    tasks = make_tasks(plan, args.seed, n, p_crisis, n_buckets, args.chunk)
    log(f"generate: {n:,} households in {len(plan):,} eup/myeon/dong, ~{est_rows:,} crisis rows, "
        f"{len(tasks)} chunks, {n_buckets} shuffle buckets, {args.jobs} jobs, seed {args.seed}")

    (out / "model.toml").write_text(model_toml(), encoding="utf-8")
    hh_tmp = out / "households.csv.tmp"
    cr_tmp = out / "crisis.csv.tmp"
    bucket_parts: list[list[bytes]] = [[] for _ in range(n_buckets)]
    done_hh = 0
    total_rows = 0
    with open(hh_tmp, "wb") as hh:
        hh.write(b"household_id,emd_code,members,head_age,tags\n")
        if args.jobs > 1:
            pool = mp.get_context("fork").Pool(args.jobs)
            results = pool.imap(gen_chunk, tasks)
        else:
            pool = None
            results = map(gen_chunk, tasks)
        for task, (ci, hh_bytes, parts, nrows) in zip(tasks, results):
            hh.write(hh_bytes)
            for b, p in enumerate(parts):
                bucket_parts[b].append(p)
            done_hh += sum(e[1] for e in task[2])
            total_rows += nrows
            log(f"  households {done_hh:>12,}/{n:,} ({100 * done_hh / max(n, 1):5.1f} %)  "
                f"crisis rows {total_rows:>11,}  {time.monotonic() - t0:7.1f} s")
        if pool is not None:
            pool.close()
            pool.join()
    t_hh = time.monotonic() - t0
    with open(cr_tmp, "wb") as cr:
        cr.write(b"household_id,indicator,value,observed_on\n")
        for b in range(n_buckets):
            lines = b"".join(bucket_parts[b]).splitlines(keepends=True)
            bucket_parts[b] = []
            random.Random(f"{args.seed}:shuffle:{b}").shuffle(lines)
            cr.write(b"".join(lines))
            del lines
            log(f"  crisis bucket {b + 1}/{n_buckets} shuffled and written  {time.monotonic() - t0:7.1f} s")
    os.replace(hh_tmp, out / "households.csv")
    os.replace(cr_tmp, out / "crisis.csv")
    elapsed = time.monotonic() - t0
    sizes = {f: (out / f).stat().st_size for f in ("households.csv", "crisis.csv", "model.toml")}
    log(f"done in {elapsed:.1f} s (households {t_hh:.1f} s, crisis shuffle {elapsed - t_hh:.1f} s)")
    for f, s in sizes.items():
        log(f"  {out / f}: {s:,} bytes ({fmt_size(s)})")
    log(f"  {n:,} households, {total_rows:,} crisis rows ({total_rows / max(n, 1):.3f} per household)")


# ---------------------------------------------------------------------------------------------
# --bad: a small valid set with erroneous lines inserted.


def generate_bad(args) -> None:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    regions = read_regions(Path(args.regions))
    n = args.households if args.households_given else 2000
    rng = random.Random(f"{args.seed}:plan")
    plan = plan_emds(regions, n, rng)
    p_crisis = args.crisis_ratio / (MEAN_ROWS * (1 + TWIN_SHARE))
    tasks = make_tasks(plan, args.seed, n, p_crisis, 1, 10**12)
    _, hh_bytes, parts, _ = gen_chunk(tasks[0])
    hh_lines = hh_bytes.decode().splitlines()
    cr_lines = parts[0].decode().splitlines()
    random.Random(f"{args.seed}:shuffle:0").shuffle(cr_lines)
    known_emd = {c for c, _ in regions}
    bad_rng = random.Random(f"{args.seed}:bad")
    some_emd = plan[0][0]

    # (line text, problem). Each line carries exactly one problem.
    hh_bad: list[tuple[str, str]] = []
    cr_bad: list[tuple[str, str]] = []
    for rep in range(args.bad_repeat):
        dup_src = hh_lines[bad_rng.randrange(len(hh_lines))].split(",")
        dup_id = dup_src[0]
        hh_bad += [
            (f"{dup_id},{some_emd},2,40,", f"duplicate household_id {dup_id}"),
            (f"BADEMD{rep:04d},1111099999,1,50,", "emd_code 1111099999 not in the region registry"),
            (f"BADEMD9{rep:04d},111105150,1,50,", "emd_code 111105150 is not a 10-digit code"),
            (f"BADMEM{rep:04d},{some_emd},0,44,", "members 0 (must be 1-99)"),
            (f"BADMEM1{rep:04d},{some_emd},100,44,", "members 100 (must be 1-99)"),
            (f"BADTAG{rep:04d},{some_emd},1,70,homeless", "tag homeless not defined in the model"),
            (f"BADTAG2{rep:04d},{some_emd},1,70,elderly_alone;unknown_tag",
             "tag unknown_tag not defined in the model"),
            (f"BADAGE{rep:04d},{some_emd},1,131,", "head_age 131 (must be 0-130)"),
            (f"BAD.ID{rep:04d},{some_emd},1,30,", "household_id has a character outside A-Z a-z 0-9 _ -"),
            (f"{'L' * 29}{rep:04d},{some_emd},1,30,", "household_id longer than 32 characters"),
        ]
        good_id = hh_lines[bad_rng.randrange(len(hh_lines))].split(",")[0]
        cr_bad += [
            (f"NOSUCH{rep:04d},ELEC_CUT,1,2024-01-15", f"household_id NOSUCH{rep:04d} not in households.csv"),
            (f"{good_id},ELEC_CUTT,1,2024-01-15", "indicator ELEC_CUTT not defined in the model"),
            (f"{good_id},elec_cut,1,2024-01-15", "indicator elec_cut not defined in the model (codes are case-sensitive)"),
            (f"{good_id},HI_ARREARS,3,2024-02-30", "observed_on 2024-02-30 is not a date"),
            (f"{good_id},HI_ARREARS,3,2023-13-01", "observed_on 2023-13-01 is not a date"),
            (f"{good_id},HI_ARREARS,3,20240115", "observed_on 20240115 is not a YYYY-MM-DD date"),
            (f"{good_id},RENT_ARREARS,-2,2024-01-15", "value -2 is negative"),
            (f"{good_id},MED_COST,-0.5,2024-01-15", "value -0.5 is negative"),
            (f"{good_id},MED_COST,abc,2024-01-15", "value abc is not a decimal number"),
            (f"{good_id},ELEC_CUT,1", "3 fields, expected 4"),
        ]
    assert all(e.split(",")[1] not in known_emd for e, p in hh_bad if "registry" in p)

    def insert(lines, bad, fname):
        # positions spread over the file; each bad line gets its own slot
        slot_set = set(bad_rng.sample(range(len(lines) + len(bad)), len(bad)))
        result, expected = [], []
        good_iter = iter(lines)
        order = list(bad)
        bad_rng.shuffle(order)
        bad_iter = iter(order)
        for pos in range(len(lines) + len(bad)):
            if pos in slot_set:
                text, problem = next(bad_iter)
                result.append(text)
                expected.append((pos + 2, f"{fname}:{pos + 2}: {problem}"))
            else:
                result.append(next(good_iter))
        return result, expected

    hh_out, _ = insert(hh_lines, hh_bad, "households.csv")
    # The later of two lines with the same id is the one in error (the copy may land first).
    hh_exp = []
    seen = set()
    bad_map = {t: p for t, p in hh_bad}
    for i, line in enumerate(hh_out):
        hid = line.split(",")[0]
        if hid in seen:
            hh_exp.append((i + 2, f"households.csv:{i + 2}: duplicate household_id {hid}"))
        elif line in bad_map and not bad_map[line].startswith("duplicate"):
            hh_exp.append((i + 2, f"households.csv:{i + 2}: {bad_map[line]}"))
        seen.add(hid)
    cr_out, cr_exp = insert(cr_lines, cr_bad, "crisis.csv")

    (out / "model.toml").write_text(model_toml(), encoding="utf-8")
    (out / "households.csv").write_text(
        "household_id,emd_code,members,head_age,tags\n" + "\n".join(hh_out) + "\n", encoding="utf-8")
    (out / "crisis.csv").write_text(
        "household_id,indicator,value,observed_on\n" + "\n".join(cr_out) + "\n", encoding="utf-8")
    exp = [e for _, e in sorted(hh_exp)] + [e for _, e in sorted(cr_exp)]
    (out / "expected-errors.txt").write_text("\n".join(exp) + "\n", encoding="utf-8")
    log(f"bad set: {len(hh_out):,} household lines, {len(cr_out):,} crisis lines, "
        f"{len(exp)} injected errors listed in {out / 'expected-errors.txt'}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--households", type=int, default=None,
                    help="number of households (national: 22000000; default 200000, 2000 with --bad)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--crisis-ratio", type=float, default=0.42, help="crisis rows per household (about)")
    ap.add_argument("--regions", default=str(DEFAULT_REGIONS), help="regions.csv with a `code` column")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    ap.add_argument("--chunk", type=int, default=250_000, help="households per work chunk (changes output)")
    ap.add_argument("--bad", action="store_true", help="write a small set with injected errors")
    ap.add_argument("--bad-repeat", type=int, default=1,
                    help="with --bad: how many times to inject each kind of error (6+ gives over 100)")
    args = ap.parse_args()
    args.households_given = args.households is not None
    if args.households is None:
        args.households = 200_000
    if args.households < 1:
        ap.error("--households must be at least 1")
    if args.bad:
        generate_bad(args)
    else:
        generate(args)


if __name__ == "__main__":
    main()
