#!/usr/bin/env bash
# The catalogue over HTTP: GET /api/v1/programmes and the search page on a server whose
# catalogue holds 10,000 generated programmes (plus the 34 shipped), under wrk, against a
# static file of the same size served by the same process (the baseline, as in
# benches/load). Prints medians of REPEATS runs.
#
# Usage: benches/catalogue/run.sh   (settings: PROGRAMMES, DURATION, CONNECTIONS, REPEATS, BUILD=0)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
PROGRAMMES="${PROGRAMMES:-10000}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-8}"
REPEATS="${REPEATS:-3}"
command -v wrk >/dev/null || { echo "install wrk (apt-get install -y wrk)" >&2; exit 2; }
if [[ "${BUILD:-1}" == 1 ]]; then cargo build --release -p maeul; fi
BIN="$ROOT/target/release/maeul"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/maeul-catalogue.XXXXXX")"
SERVER=""
cleanup() { [[ -n "$SERVER" ]] && kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

# The same generated catalogue as the in-process benchmark.
PROGRAMMES="$PROGRAMMES" ROUNDS=1 CATALOGUE_CSV="$WORK/catalogue.csv" \
  cargo bench -q -p maeul-search --bench catalogue >/dev/null
"$BIN" --data-dir "$WORK/data" import programmes "$WORK/catalogue.csv" --year 2026
mkdir -p "$WORK/static"
"$BIN" --data-dir "$WORK/data" serve --addr 127.0.0.1:0 --static-dir "$WORK/static" \
  > "$WORK/server.out" 2> "$WORK/server.err" &
SERVER=$!
BASE=""
for _ in $(seq 300); do
  BASE="$(sed -n 's/^maeul listening on \(http:\/\/127\.0\.0\.1:[0-9]*\).*$/\1/p' "$WORK/server.out" | head -n1)"
  [[ -n "$BASE" ]] && break
  sleep 0.2
done
[[ -n "$BASE" ]] || { echo "the server did not start" >&2; cat "$WORK/server.err" >&2; exit 2; }

# 빈집, 청년 with a topic, a two-word query; the search page of 빈집.
URLS=(
  "/api/v1/programmes?q=%EB%B9%88%EC%A7%91"
  "/api/v1/programmes?q=%EC%B2%AD%EB%85%84&topic=youth"
  "/api/v1/programmes?q=%EB%86%8D%EC%B4%8C%20%EC%9E%AC%EC%83%9D"
  "/programmes?q=%EB%B9%88%EC%A7%91"
)
i=0
for u in "${URLS[@]}"; do
  i=$((i + 1))
  curl -sf "$BASE$u" > "$WORK/static/same-size-$i"   # the first call also builds the index
done

p99() { sed -n 's/^ *99% *\([0-9.]*\)\(us\|ms\|s\)$/\1 \2/p' | awk '{ v=$1; if ($2=="us") v/=1000; if ($2=="s") v*=1000; print v }'; }
rps() { sed -n 's/^Requests\/sec: *\([0-9.]*\)$/\1/p'; }
median() { sort -n | awk '{ a[NR]=$1 } END { print a[int((NR + 1) / 2)] }'; }

printf "%-62s %10s %10s %12s\n" "url (${PROGRAMMES} programmes)" "req/s" "p99 ms" "static p99"
i=0
for u in "${URLS[@]}"; do
  i=$((i + 1))
  : > "$WORK/dyn"; : > "$WORK/stat"; : > "$WORK/rps"
  for _ in $(seq "$REPEATS"); do
    out="$(wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency "$BASE$u")"
    echo "$out" | p99 >> "$WORK/dyn"; echo "$out" | rps >> "$WORK/rps"
    wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency "$BASE/static/same-size-$i" | p99 >> "$WORK/stat"
  done
  printf "%-62s %10s %10s %12s\n" "$u" "$(median < "$WORK/rps")" "$(median < "$WORK/dyn")" "$(median < "$WORK/stat")"
done
grep -i "warn\|error" "$WORK/server.err" | head -5 || true
