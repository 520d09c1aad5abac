#!/usr/bin/env bash
# Voting benchmark of the resident general assembly (주민총회):
#   1. a burst of 10,000 residents casting ballots with their one-time codes,
#   2. the rest of 100,000 ballots cast the same way (sustained),
#   3. the result of the closed assembly with 100,000 ballots, read with wrk.
# Ballots are sent by wrk (ballots.lua: each code once) over CONNECTIONS keep-alive
# connections; latency is wrk's, from sending a request to its answer. Baselines, measured in
# the same run on the same server with the same wrk settings: for 1–2 a GET of a small static
# file for 10 s (the HTTP floor); for 3 a static file of the result's byte size (as benches/load).
#
#   benches/vote/run.sh                    # SQLite
#   ENGINE=postgres benches/vote/run.sh    # PostgreSQL on 127.0.0.1:5432 (trust auth)
#
# Environment: CONNECTIONS=64, REPEATS=3 (result wrk runs), DURATION=10s, BUILD=1,
# PG=postgres://postgres@127.0.0.1:5432. Needs wrk, curl, awk.
set -euo pipefail

ENGINE=${ENGINE:-sqlite}
CONNECTIONS=${CONNECTIONS:-64}
REPEATS=${REPEATS:-3}
DURATION=${DURATION:-10s}
BUILD=${BUILD:-1}
PG=${PG:-postgres://postgres@127.0.0.1:5432}
BURST=10000
TOTAL=100000

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN=$ROOT/target/release/maeul
HERE=$ROOT/benches/vote

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
for tool in wrk curl awk; do command -v "$tool" >/dev/null || die "$tool not found"; done

if [[ $BUILD == 1 ]]; then (cd "$ROOT" && cargo build --release -p maeul); fi
[[ -x $BIN ]] || die "$BIN missing; run with BUILD=1"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/maeul-vote.XXXXXX")
DATA=$WORK/data
SDIR=$WORK/static
mkdir -p "$DATA" "$SDIR"
SERVER_PID=
DBNAME=
cleanup() {
  local rc=$?
  [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  [[ -n $DBNAME ]] && dropdb -h 127.0.0.1 -U postgres --if-exists "$DBNAME" 2>/dev/null
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT INT TERM

DB_ARGS=()
if [[ $ENGINE == postgres ]]; then
  DBNAME=maeul_vote_$$_$RANDOM
  createdb -h 127.0.0.1 -U postgres "$DBNAME"
  DB_ARGS=(--database-url "$PG/$DBNAME")
fi
M=("$BIN" --data-dir "$DATA" "${DB_ARGS[@]}")

"${M[@]}" serve --addr 127.0.0.1:0 --no-demo --static-dir "$SDIR" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
BASE=
for _ in $(seq 1 600); do
  BASE=$(sed -n 's#^maeul listening on \(http://127\.0\.0\.1:[0-9]*\).*#\1#p' "$WORK/server.log" | head -n1)
  [[ -n $BASE ]] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; die "server exited"; }
  sleep 0.1
done
[[ -n $BASE ]] || die "server did not start"
log "server ($ENGINE) at $BASE"

echo 'Bench-vote-2026!' | "${M[@]}" user add --login bench.officer --name 벤치 \
  --role council_officer --scope 1111051500 --password-stdin >/dev/null
TOKEN=$(curl -sS -X POST "$BASE/api/v1/tokens" -H 'content-type: application/json' \
  -d '{"login":"bench.officer","password":"Bench-vote-2026!"}' | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[[ -n $TOKEN ]] || die "no token"
OPENS=$(date -u -d '-1 minute' +%FT%TZ)
CLOSES=$(date -u -d '+2 hours' +%FT%TZ)
CREATED=$(curl -sS -X POST "$BASE/api/v1/regions/1111051500/assemblies" -H "Authorization: Bearer $TOKEN" \
  -H 'content-type: application/json' -d @- <<JSON
{"title":"벤치마크 주민총회","opens_at":"$OPENS","closes_at":"$CLOSES","eligibility":{"min_age":16},
 "eligible_population":120000,"quorum":{"min_turnout_percent":0.5},
 "items":[{"title":"마을 도서관 운영시간 연장","rule":"majority"},
          {"title":"주민참여예산 사업","rule":"budget","limit":10000000,
           "options":[{"title":"골목 화단","cost":6000000},{"title":"경로당 안전손잡이","cost":4000000},
                      {"title":"공유 창고","cost":5000000}]}]}
JSON
)
ID=$(sed -n 's/^{"id":\([0-9]*\).*/\1/p' <<<"$CREATED")
ITEMS=($(grep -o '"id":[0-9]*' <<<"$CREATED" | tail -n 2 | cut -d: -f2))
[[ -n $ID && ${#ITEMS[@]} == 2 ]] || die "assembly not created: $CREATED"

awk -v n=$TOTAL 'BEGIN { print "resident_ref,name,birth_date"; for (i = 0; i < n; i++) printf "R%06d,주민,1980-01-01\n", i }' >"$WORK/roster.csv"
log "issuing $TOTAL codes"
"${M[@]}" assembly issue-codes --assembly "$ID" --roster "$WORK/roster.csv" --out "$WORK/codes.csv" >/dev/null
curl -sSf -X POST "$BASE/api/v1/assemblies/$ID/open" -H "Authorization: Bearer $TOKEN" >/dev/null

head -c 32 /dev/urandom | base64 >"$SDIR/floor.txt"
ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) { sub(/us$/,"",v); print v/1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v); print v } else { sub(/s$/,"",v); print v*1000 } }'; }
floor() {
  local out
  out=$(wrk -t1 -c"$CONNECTIONS" -d10s --latency "$BASE/static/floor.txt")
  echo "floor $(awk '/^Requests\/sec:/ {print $2}' <<<"$out") req/s p50 $(ms "$(awk '$1=="50%" {print $2}' <<<"$out")") ms p99 $(ms "$(awk '$1=="99%" {print $2}' <<<"$out")") ms"
}
ballots() {
  local done_file=$WORK/ballots.done out=$WORK/ballots.out
  rm -f "$done_file"
  wrk -t1 -c"$CONNECTIONS" -d600s -s "$HERE/ballots.lua" "$BASE/api/v1/assemblies/$ID/ballots" \
    -- "$WORK/codes.csv" "$1" "$2" "${ITEMS[0]}" "${ITEMS[1]}" "$done_file" >"$out" &
  local wrk_pid=$!
  while [[ ! -e $done_file ]] && kill -0 "$wrk_pid" 2>/dev/null; do sleep 0.05; done
  kill -INT "$wrk_pid" 2>/dev/null || true
  wait "$wrk_pid" || true
  grep '^ballots' "$out" || die "wrk gave no result: $(cat "$out")"
}

echo "# columns of ballots lines: accepted refused seconds per_second p50_ms p99_ms"
floor
log "burst: $BURST ballots, $CONNECTIONS connections"
echo "burst $(ballots 0 $BURST)"
log "sustained: $((TOTAL - BURST)) more ballots"
echo "sustained $(ballots $BURST $((TOTAL - BURST)))"
floor

curl -sSf -X POST "$BASE/api/v1/assemblies/$ID/close" -H "Authorization: Bearer $TOKEN" >/dev/null
RESULT=/api/v1/assemblies/$ID/result
curl -sS -o "$WORK/result.json" "$BASE$RESULT"
COUNTED=$(sed -n 's/.*"total":\([0-9]*\).*/\1/p' "$WORK/result.json")
echo "counted $COUNTED ballots in the result (wrk builds one request it never sends)"
[[ $COUNTED -ge $((TOTAL - 2)) ]] || die "the result counts $COUNTED of $TOTAL: $(cat "$WORK/result.json")"
cp "$WORK/result.json" "$SDIR/result.json"
log "result of $COUNTED ballots: $(wc -c <"$WORK/result.json") bytes; wrk $DURATION × $REPEATS, 32 connections"
for rep in $(seq 1 "$REPEATS"); do
  for kind in result static; do
    path=$RESULT; [[ $kind == static ]] && path=/static/result.json
    out=$(wrk -t1 -c32 -d"$DURATION" --latency "$BASE$path")
    echo "$kind #$rep $(awk '/^Requests\/sec:/ {print $2}' <<<"$out") req/s p99 $(ms "$(awk '$1=="99%" {print $2}' <<<"$out")") ms"
  done
done
