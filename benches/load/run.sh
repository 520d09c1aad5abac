#!/usr/bin/env bash
# Load benchmark of maeul's public place page and regions API against a static file
# of the same byte size served by the same server (same listener, same middleware).
#
#   benches/load/run.sh                      # SQLite, 3 repeats of 10 s, 32 connections
#   ENGINE=postgres benches/load/run.sh      # PostgreSQL on 127.0.0.1:5432 (trust auth)
#
# Environment:
#   DURATION=10s     length of one wrk measurement
#   WARMUP=3s        length of the warm-up run of every URL (not recorded)
#   CONNECTIONS=32   wrk connections
#   THREADS=1        wrk threads (keep 1 on a 2-core machine so the server has a core)
#   REPEATS=3        interleaved repeats of every (dynamic, static) pair
#   ENGINE=sqlite    sqlite | postgres
#   SCENARIO=public  public: the anonymous place page and regions API on the demo data;
#                    worklist: `maeul seed --scale national` first (10,680 staff, a national
#                    discovery round of 71,200 listed households, 71,200 cases, 106,800 people
#                    in visiting health care, 17,800 planned visits), then the welfare worker's
#                    home, discovery overview, place list (page and API), one household, the
#                    case and health lists (page and API) and the planned visits, as the welfare
#                    staff of 청운효자동 with a bearer token;
#                    dashboard: the same seed, then benches/load/dashboard.sql (about 250,000
#                    records for every eup/myeon/dong, through the dashboard triggers; needs the
#                    sqlite3 or psql client), `maeul dashboard check` (a full recount compared
#                    with the kept roll-ups), then the dashboards of the nation, a si/do and a
#                    si/gun/gu (API and page) as the ministry with a bearer token
#   PG=postgres://postgres@127.0.0.1:5432   server for ENGINE=postgres (a fresh database is made)
#   BUILD=1          run `cargo build --release -p maeul` first (a no-op when the binary is fresh);
#                    BUILD=0 uses target/release/maeul as it is
#   OUT_DIR=         if set, the raw wrk outputs, results.tsv, table.md and server.log are copied there
#
# Loopback only. Needs wrk (apt-get install -y wrk), curl, awk; createdb/dropdb for postgres.
set -euo pipefail

DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-3s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-1}
REPEATS=${REPEATS:-3}
ENGINE=${ENGINE:-sqlite}
SCENARIO=${SCENARIO:-public}
PG=${PG:-postgres://postgres@127.0.0.1:5432}
BUILD=${BUILD:-1}
OUT_DIR=${OUT_DIR:-}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN=$ROOT/target/release/maeul

# name | dynamic path | static file name (extension gives the same content type)
ENDPOINTS=(
  "place page|/r/1111051500|place.html"
  "regions list|/api/v1/regions?parent=1111000000|regions.json"
  "region detail|/api/v1/regions/1111051500|region.json"
)
# Extra request headers of the dynamic requests (the worklist's bearer token).
AUTH=()

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

for tool in wrk curl awk; do
  command -v "$tool" >/dev/null || die "$tool not found (apt-get install -y wrk curl)"
done
case $ENGINE in sqlite | postgres) ;; *) die "ENGINE must be sqlite or postgres" ;; esac
case $SCENARIO in public | worklist | dashboard) ;; *) die "SCENARIO must be public, worklist or dashboard" ;; esac

if [[ $BUILD == 1 ]]; then
  log "cargo build --release -p maeul (no-op when fresh)"
  (cd "$ROOT" && cargo build --release -p maeul)
fi
[[ -x $BIN ]] || die "$BIN missing; run with BUILD=1"
REV=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
[[ -n $(git -C "$ROOT" status --porcelain -- crates Cargo.toml Cargo.lock 2>/dev/null) ]] && REV="$REV+dirty"
BIN_TIME=$(date -u -r "$BIN" +%FT%TZ)
BIN_SHA=$(sha256sum "$BIN" | cut -c1-12)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/maeul-load.XXXXXX")
DATA=$WORK/data
SDIR=$WORK/static
RAW=$WORK/raw
mkdir -p "$DATA" "$SDIR" "$RAW"
SERVER_PID=
DBNAME=
cleanup() {
  local rc=$?
  if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ -n $DBNAME ]]; then
    dropdb -h 127.0.0.1 -U postgres --if-exists "$DBNAME" 2>/dev/null || true
  fi
  if [[ -n $OUT_DIR ]]; then
    mkdir -p "$OUT_DIR"
    cp -r "$RAW" "$WORK"/results.tsv "$WORK"/table.md "$WORK"/server.log "$OUT_DIR"/ 2>/dev/null || true
  fi
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT INT TERM

DB_ARGS=()
if [[ $ENGINE == postgres ]]; then
  command -v createdb >/dev/null || die "createdb not found"
  DBNAME=maeul_load_$$_$RANDOM
  createdb -h 127.0.0.1 -U postgres "$DBNAME"
  DB_ARGS=(--database-url "$PG/$DBNAME")
fi

if [[ $SCENARIO != public ]]; then
  log "seeding national-scale data (staff for every eup/myeon/dong, a national round)"
  "$BIN" --data-dir "$DATA" "${DB_ARGS[@]}" seed --scale national >"$WORK/seed.log" 2>&1 \
    || { cat "$WORK/seed.log" >&2; die "seeding failed"; }
fi
# The dashboard scenario's extra records, and the seconds they and a full recount take.
LOAD_SECONDS= RECOUNT_SECONDS= RECORDS=
if [[ $SCENARIO == dashboard ]]; then
  log "writing national-scale records through the dashboard triggers"
  start=$(date +%s.%N)
  if [[ $ENGINE == postgres ]]; then
    sed "s/@BLOB@/'\\\\x00'::bytea/g" "$ROOT/benches/load/dashboard.sql" \
      | psql -q -v ON_ERROR_STOP=1 -1 "$PG/$DBNAME" >/dev/null
    count() { psql -tA "$PG/$DBNAME" -c "$1"; }
  else
    command -v sqlite3 >/dev/null || die "sqlite3 not found (apt-get install -y sqlite3)"
    { echo ".bail on"; echo "BEGIN;"; sed "s/@BLOB@/X'00'/g" "$ROOT/benches/load/dashboard.sql"; echo "COMMIT;"; } \
      | sqlite3 "$DATA/maeul.db" >/dev/null
    count() { sqlite3 "$DATA/maeul.db" "$1"; }
  fi
  LOAD_SECONDS=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
  RECORDS=$(count "SELECT (SELECT COUNT(*) FROM cases) + (SELECT COUNT(*) FROM health_people)
    + (SELECT COUNT(*) FROM staff_posts) + (SELECT COUNT(*) FROM org_models)
    + (SELECT COUNT(*) FROM councils) + (SELECT COUNT(*) FROM assemblies)
    + (SELECT COUNT(*) FROM linkages) + (SELECT COUNT(*) FROM discovery_candidates)")
  log "$RECORDS counted records in place; the extra ones written in $LOAD_SECONDS s"
  start=$(date +%s.%N)
  "$BIN" --data-dir "$DATA" "${DB_ARGS[@]}" dashboard check >"$WORK/check.log" 2>&1 \
    || { cat "$WORK/check.log" >&2; die "the roll-ups differ from a full recount"; }
  RECOUNT_SECONDS=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN {printf "%.2f", b - a}')
  log "maeul dashboard check: $(cat "$WORK/check.log") ($RECOUNT_SECONDS s)"
fi

# Port 0: the server picks a free port and prints it.
log "starting $BIN ($ENGINE) on a fresh data dir"
"$BIN" --data-dir "$DATA" "${DB_ARGS[@]}" serve --addr 127.0.0.1:0 --static-dir "$SDIR" \
  >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
BASE=
for _ in $(seq 1 1200); do
  BASE=$(sed -n 's#^maeul listening on \(http://127\.0\.0\.1:[0-9]*\).*#\1#p' "$WORK/server.log" | head -n1)
  [[ -n $BASE ]] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; die "server exited"; }
  sleep 0.1
done
[[ -n $BASE ]] || { cat "$WORK/server.log" >&2; die "server did not start in 120 s"; }
log "server at $BASE (pid $SERVER_PID)"

if [[ $SCENARIO == worklist ]]; then
  TOKEN=$(curl -sS -X POST "$BASE/api/v1/tokens" -H 'content-type: application/json' \
    -d '{"login":"w1111051500","password":"maeul-demo-2026"}' | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
  [[ -n $TOKEN ]] || die "no token for w1111051500"
  AUTH=(-H "Authorization: Bearer $TOKEN")
  HOUSEHOLD=$(curl -sS "${AUTH[@]}" "$BASE/api/v1/regions/1111051500/candidates?per_page=1" \
    | sed -n 's/^{"items":\[{"id":\([0-9]*\).*/\1/p')
  [[ -n $HOUSEHOLD ]] || die "the national round lists nobody in 1111051500"
  ENDPOINTS=(
    "worker home|/work|home.html"
    "overview|/work/discovery|overview.html"
    "list page|/work/discovery/places/1111051500|list.html"
    "list API|/api/v1/regions/1111051500/candidates|list.json"
    "household|/work/discovery/candidates/$HOUSEHOLD|household.html"
    "case list page|/work/cases?region=1111051500&open=1|cases.html"
    "case list API|/api/v1/regions/1111051500/cases?open=1|cases.json"
    "health list page|/work/health?region=1111051500|health.html"
    "health list API|/api/v1/regions/1111051500/health/people|health.json"
    "planned visits|/work/visits|visits.html"
  )
fi
if [[ $SCENARIO == dashboard ]]; then
  TOKEN=$(curl -sS -X POST "$BASE/api/v1/tokens" -H 'content-type: application/json' \
    -d '{"login":"demo.ministry","password":"maeul-demo-2026"}' | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
  [[ -n $TOKEN ]] || die "no token for demo.ministry"
  AUTH=(-H "Authorization: Bearer $TOKEN")
  ENDPOINTS=(
    "nation API|/api/v1/dashboards/0000000000|nation.json"
    "sido API|/api/v1/dashboards/4100000000|sido.json"
    "sigungu API|/api/v1/dashboards/1111000000|sigungu.json"
    "nation page|/dashboards/0000000000|nation.html"
  )
fi

# The size of a response as wrk gets it: curl sends no Accept-Encoding unless --compressed.
# Prints "bytes status content-encoding".
probe() {
  local url=$1 body=$2 hdr
  hdr=$WORK/probe.headers
  local out
  out=$(curl -sS "${AUTH[@]}" -o "$body" -D "$hdr" -w '%{size_download} %{http_code}' "$url")
  local enc
  enc=$(awk -F': *' 'tolower($1)=="content-encoding" {gsub(/\r/,"",$2); print $2}' "$hdr")
  echo "$out ${enc:-identity}"
}

declare -A BYTES
for ep in "${ENDPOINTS[@]}"; do
  IFS='|' read -r name path file <<<"$ep"
  read -r n status enc < <(probe "$BASE$path" "$WORK/body")
  [[ $status == 200 ]] || die "$path answered $status"
  [[ $enc == identity ]] || die "$path is compressed ($enc) without Accept-Encoding"
  # Same bytes as the dynamic body, so the static file matches it in size and content type.
  head -c "$n" "$WORK/body" >"$SDIR/$file"
  read -r sn sstatus senc < <(probe "$BASE/static/$file" "$WORK/sbody")
  [[ $sstatus == 200 ]] || die "/static/$file answered $sstatus"
  [[ $senc == identity ]] || die "/static/$file is compressed ($senc)"
  [[ $sn == "$n" ]] || die "/static/$file is $sn bytes, want $n"
  BYTES[$name]=$n
  log "$name: $path = $n bytes; /static/$file = $sn bytes; both uncompressed"
done

# One wrk run; appends "name kind rep rps p50_ms p99_ms requests non2xx socket_errors" to results.tsv.
to_ms() { # wrk prints 812.00us, 1.23ms, 1.01s
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.4f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.4f", v }
    else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.4f", v * 60000 }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.4f", v * 1000 }
    else { printf "NaN" } }'
}
run_wrk() {
  local name=$1 kind=$2 rep=$3 url=$4 out
  out=$RAW/$(echo "$name" | tr ' ' _)-$kind-$rep.txt
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "${AUTH[@]}" "$url" >"$out"
  local rps p50 p99 reqs non2xx sockerr
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
  p50=$(to_ms "$(awk '$1=="50%" {print $2}' "$out")")
  p99=$(to_ms "$(awk '$1=="99%" {print $2}' "$out")")
  reqs=$(awk '/requests in/ {print $1}' "$out")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")
  sockerr=$(awk '/Socket errors:/ {gsub(/,/,""); print $4+$6+$8+$10}' "$out")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$kind" "$rep" "$rps" "$p50" "$p99" \
    "$reqs" "${non2xx:-0}" "${sockerr:-0}" >>"$WORK/results.tsv"
  log "$(printf '%-13s %-7s #%s %10s req/s  p50 %8s ms  p99 %8s ms  non-2xx %s  socket errors %s' \
    "$name" "$kind" "$rep" "$rps" "$p50" "$p99" "${non2xx:-0}" "${sockerr:-0}")"
}

log "warm-up: $WARMUP per URL"
for ep in "${ENDPOINTS[@]}"; do
  IFS='|' read -r name path file <<<"$ep"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "${AUTH[@]}" "$BASE$path" >/dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$BASE/static/$file" >/dev/null
done

: >"$WORK/results.tsv"
log "measuring: $REPEATS x (dynamic, static) per endpoint, $DURATION each, -t$THREADS -c$CONNECTIONS"
for rep in $(seq 1 "$REPEATS"); do
  for ep in "${ENDPOINTS[@]}"; do
    IFS='|' read -r name path file <<<"$ep"
    run_wrk "$name" dynamic "$rep" "$BASE$path"
    run_wrk "$name" static "$rep" "$BASE/static/$file"
  done
done

# Medians, spreads and ratios.
median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
col() { awk -F'\t' -v n="$1" -v k="$2" -v c="$3" '$1==n && $2==k {print $c}' "$WORK/results.tsv"; }
range() { sort -g | awk -v f="${1:-%.0f}" 'NR==1 {lo=$1} {hi=$1} END {printf f "–" f, lo, hi}'; }
sum() { awk '{s+=$1} END {print s+0}'; }

{
  if [[ $SCENARIO == dashboard ]]; then
    echo "National-scale data: $RECORDS counted records; the extra ones written through the triggers in $LOAD_SECONDS s; \`maeul dashboard check\` (every roll-up against a full recount, process start included) $RECOUNT_SECONDS s."
  fi
  echo "Scenario: $SCENARIO. Engine: $ENGINE; wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency; $REPEATS interleaved repeats; medians, with the [min–max] across repeats in brackets."
  echo "Source tree at $REV, binary built $BIN_TIME (sha256 $BIN_SHA…); $(nproc) cores, $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo); run ended $(date -u +%FT%TZ); load average before $LOAD_BEFORE, after $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "| endpoint | bytes | req/s | p50 ms | p99 ms | static req/s | static p50 ms | static p99 ms | req/s ratio (dyn ÷ static) | p99 ratio (dyn ÷ static) | non-2xx / socket errors |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  for ep in "${ENDPOINTS[@]}"; do
    IFS='|' read -r name path file <<<"$ep"
    d_rps=$(col "$name" dynamic 4 | median); s_rps=$(col "$name" static 4 | median)
    d_p50=$(col "$name" dynamic 5 | median); s_p50=$(col "$name" static 5 | median)
    d_p99=$(col "$name" dynamic 6 | median); s_p99=$(col "$name" static 6 | median)
    d_rng=$(col "$name" dynamic 4 | range); s_rng=$(col "$name" static 4 | range)
    d_p99r=$(col "$name" dynamic 6 | range %.2f); s_p99r=$(col "$name" static 6 | range %.2f)
    errs="$(col "$name" dynamic 8 | sum)+$(col "$name" static 8 | sum) / $(col "$name" dynamic 9 | sum)+$(col "$name" static 9 | sum)"
    awk -v name="$name" -v path="$path" -v b="${BYTES[$name]}" \
      -v dr="$d_rps" -v sr="$s_rps" -v d50="$d_p50" -v s50="$s_p50" -v d99="$d_p99" -v s99="$s_p99" \
      -v drng="$d_rng" -v srng="$s_rng" -v dp99r="$d_p99r" -v sp99r="$s_p99r" -v errs="$errs" 'BEGIN {
      printf "| %s `%s` | %d | %.0f [%s] | %.2f | %.2f [%s] | %.0f [%s] | %.2f | %.2f [%s] | %.2f | %.2f | %s |\n",
        name, path, b, dr, drng, d50, d99, dp99r, sr, srng, s50, s99, sp99r, dr / sr, d99 / s99, errs }'
  done
} >"$WORK/table.md"

echo
cat "$WORK/table.md"
echo
echo "Raw runs (endpoint, kind, repeat, req/s, p50 ms, p99 ms, requests, non-2xx, socket errors):"
sed 's/^/    /' "$WORK/results.tsv"
warns=$(grep -Eci 'warn|error|panic' "$WORK/server.log" || true)
echo
echo "Server log: $(wc -l <"$WORK/server.log") lines, $warns matching warn/error/panic."
if [[ $warns != 0 ]]; then
  grep -Ei 'warn|error|panic' "$WORK/server.log" | sort | uniq -c | sort -rn | head -n 10 | sed 's/^/    /'
fi
