#!/usr/bin/env bash
# Fuzzes maeul's JSON API with schemathesis, driven by the server's own OpenAPI
# document (/api/v1/openapi.json): no operation may answer 5xx, and every answer
# must match the document (status codes, content types, headers, bodies), while
# requests outside the document must be refused and requests inside it accepted.
#
# Usage: tests/api-fuzz/run.sh            (from anywhere)
# Environment:
#   MAEUL_BIN              server binary (default target/release/maeul if it exists,
#                          else target/debug/maeul; relative to the repository root)
#   MAEUL_FUZZ_VENV        virtualenv for schemathesis (default target/api-fuzz-venv)
#   MAEUL_FUZZ_EXAMPLES    test cases per operation and phase (default 50)
#   MAEUL_FUZZ_SEED        seed (default fixed, so CI runs repeat; "random" for a new one)
#   MAEUL_FUZZ_OUT         reports (JUnit XML and the full log) (default target/api-fuzz)
#   MAEUL_FUZZ_LIMIT       seconds one run may take before it is stopped and fails (default 420)
#   MAEUL_FUZZ_EXCLUDE_CHECKS  checks to leave out, comma-separated (default none), e.g.
#                          negative_data_rejection if empty query values (`page=`) are
#                          to stay accepted as "not given"
#
# Runs: one anonymous over every operation (the public operations, and the 401s of
# the others); then one per demo role with its bearer token from POST /api/v1/tokens,
# each over the operations of the domains (OpenAPI tags) that role works in, where its
# requests get past authorisation: demo.auditor (GET /me, GET /access-log),
# demo.welfare (청운효자동: discovery, cases, health care, visits), demo.officer (the
# council: autonomy and organisation), demo.resident (the agenda, lotteries, courses and
# forums), demo.ministry (the programme catalogue, grant calls, organisation, guides) and
# demo.programme (종로구: linkages, applications, organisation, guides). Outside its
# domains a role only meets 403s, which the anonymous run's 401s already exercise in
# the same error path; fuzzing them again per role doubled the run for nothing.
# Exit status: 0 when every run passes, 1 when any finds a failure.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/tests/api-fuzz"
cd "$ROOT"

if [[ -n "${MAEUL_BIN:-}" ]]; then
  BIN="$(cd "$ROOT" && realpath -m "$MAEUL_BIN")"
elif [[ -x target/release/maeul ]]; then
  BIN="$ROOT/target/release/maeul"
else
  BIN="$ROOT/target/debug/maeul"
fi
[[ -x "$BIN" ]] || { echo "api-fuzz: no server binary at $BIN (cargo build -p maeul, or set MAEUL_BIN)" >&2; exit 2; }

VENV="${MAEUL_FUZZ_VENV:-$ROOT/target/api-fuzz-venv}"
EXAMPLES="${MAEUL_FUZZ_EXAMPLES:-50}"
SEED="${MAEUL_FUZZ_SEED:-20261125}"
[[ "$SEED" == random ]] && SEED="$(( (RANDOM << 15) | RANDOM ))"
OUT="${MAEUL_FUZZ_OUT:-$ROOT/target/api-fuzz}"
LIMIT="${MAEUL_FUZZ_LIMIT:-420}"
mkdir -p "$OUT"

# --- schemathesis, pinned, in its own virtualenv (reinstalled when requirements change)
REQ="$HERE/requirements.txt"
STAMP="$VENV/.requirements.sha256"
WANT="$(sha256sum "$REQ" | cut -d' ' -f1)"
if [[ ! -x "$VENV/bin/schemathesis" || "$(cat "$STAMP" 2>/dev/null)" != "$WANT" ]]; then
  echo "api-fuzz: installing schemathesis into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQ"
  echo "$WANT" > "$STAMP"
fi
PY="$VENV/bin/python"
echo "api-fuzz: $("$VENV/bin/schemathesis" --version), server $BIN"

# --- the server, on a fresh data directory and a free port
DATA="$(mktemp -d "${TMPDIR:-/tmp}/maeul-fuzz.XXXXXX")"
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$DATA"
}
trap cleanup EXIT

RUST_LOG="${RUST_LOG:-warn}" "$BIN" --data-dir "$DATA" serve --addr 127.0.0.1:0 \
  > "$DATA/server.out" 2> "$DATA/server.err" &
SERVER_PID=$!

BASE=""
for _ in $(seq 900); do  # up to 180 s
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "api-fuzz: the server exited before listening:" >&2
    tail -n 50 "$DATA/server.err" >&2
    exit 2
  fi
  BASE="$(sed -n 's/^maeul listening on \(http:\/\/127\.0\.0\.1:[0-9]*\).*$/\1/p' "$DATA/server.out" | head -n1)"
  [[ -n "$BASE" ]] && break
  sleep 0.2
done
[[ -n "$BASE" ]] || { echo "api-fuzz: the server did not print its listening line within 180 s" >&2; tail -n 50 "$DATA/server.err" >&2; exit 2; }
echo "api-fuzz: server at $BASE (data $DATA)"

# --- bearer tokens of demo users
token_of() {
  "$PY" - "$BASE" "$1" <<'PY'
import json, sys, urllib.request
req = urllib.request.Request(
    sys.argv[1] + "/api/v1/tokens",
    data=json.dumps({"login": sys.argv[2], "password": "maeul-demo-2026"}).encode(),
    headers={"Content-Type": "application/json"},
    method="POST",
)
with urllib.request.urlopen(req, timeout=30) as r:
    assert r.status == 201, r.status
    print(json.load(r)["token"])
PY
}
TOKEN="$(token_of demo.auditor)"
WELFARE_TOKEN="$(token_of demo.welfare)"
OFFICER_TOKEN="$(token_of demo.officer)"
RESIDENT_TOKEN="$(token_of demo.resident)"
MINISTRY_TOKEN="$(token_of demo.ministry)"
PROGRAMME_TOKEN="$(token_of demo.programme)"
[[ -n "$TOKEN" && -n "$WELFARE_TOKEN" && -n "$OFFICER_TOKEN" && -n "$RESIDENT_TOKEN" && -n "$MINISTRY_TOKEN" && -n "$PROGRAMME_TOKEN" ]] || { echo "api-fuzz: could not get tokens for the demo users" >&2; exit 2; }

# --- schemathesis
# Every check is on: schemathesis runs all of them unless told otherwise, and
# `--checks all` is not given because it would override schemathesis.toml,
# which turns positive_data_acceptance off for the operations whose
# refusals depend on state or on today (each with its reason there).
# MAEUL_FUZZ_EXCLUDE_CHECKS can leave more out; by default none is. The
# stateful ones that need DELETE or
# object ids (use_after_free, ensure_resource_availability,
# object_level_authorization) find nothing to act on in this API and pass.
# The operations' paths in the document are relative to /api/v1 and the
# document has no `servers`, so the base URL is given with --url.
fuzz() {
  local name="$1"; shift
  echo
  echo "=== api-fuzz: $name (max $EXAMPLES examples per operation, seed $SEED)"
  local rc=0
  # `timeout` bounds a run even if the server stops answering.
  timeout --kill-after=10 "$LIMIT" "$VENV/bin/schemathesis" --config-file "$HERE/schemathesis.toml" \
    run "$BASE/api/v1/openapi.json" \
    --url "$BASE/api/v1" \
    ${MAEUL_FUZZ_EXCLUDE_CHECKS:+--exclude-checks "$MAEUL_FUZZ_EXCLUDE_CHECKS"} \
    --max-examples "$EXAMPLES" \
    --seed "$SEED" \
    --continue-on-failure \
    --request-timeout 10 \
    --generation-database none \
    --no-color \
    --report junit --report-junit-path "$OUT/$name.junit.xml" \
    "$@" 2>&1 | tee "$OUT/$name.log" || rc=$?
  if [[ "$rc" -eq 124 || "$rc" -eq 137 ]]; then
    echo "api-fuzz: $name FAILED: stopped after its limit of $LIMIT s (MAEUL_FUZZ_LIMIT)"
  elif [[ "$rc" -ne 0 ]]; then
    echo "api-fuzz: $name FAILED (exit $rc)"
  fi
  return "$rc"
}

cd "$OUT"                     # anything schemathesis writes lands here
status=0
# Anonymous, GET /me and GET /access-log can only answer 401: that is the point, so
# the warning about it is left out (every other warning stays on).
fuzz anonymous --warnings missing_test_data,base_url_mismatch,validation_mismatch,missing_deserializer,unused_openapi_auth,unsupported_regex,method_not_allowed,constants_extraction,unmatched_filter,unresolvable_reference,rate_limited,dictionary_mismatch,timeout_units || status=1
tags() { local t; for t in "$@"; do printf -- '--include-tag\n%s\n' "$t"; done; }
fuzz auditor -H "Authorization: Bearer $TOKEN" $(tags audit accounts) || status=1
fuzz welfare -H "Authorization: Bearer $WELFARE_TOKEN" $(tags welfare regions accounts) || status=1
fuzz council -H "Authorization: Bearer $OFFICER_TOKEN" $(tags autonomy organisation guides) || status=1
fuzz resident -H "Authorization: Bearer $RESIDENT_TOKEN" $(tags autonomy organisation accounts) || status=1
fuzz ministry -H "Authorization: Bearer $MINISTRY_TOKEN" $(tags programmes organisation guides) || status=1
fuzz programme -H "Authorization: Bearer $PROGRAMME_TOKEN" $(tags programmes organisation guides) || status=1

echo
if [[ "$status" -eq 0 ]]; then
  echo "api-fuzz: every run passed"
else
  echo "api-fuzz: FAILED; the logs are in $OUT (anonymous.log, auditor.log, welfare.log, council.log, resident.log, ministry.log, programme.log)"
fi
exit "$status"
