#!/usr/bin/env bash
# Cross-checks `maeul discovery run` against the independent plain-Python reference (spec.py)
# on a generated 200,000-household round, loads its list into the workspace twice (same round,
# no change), and checks the error report on a generated bad round.
# Standard library Python only; used by CI.
#
#   benches/discovery/check.sh [MAEUL_BIN]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
BIN="${1:-target/release/maeul}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

python3 benches/discovery/generate.py --households 200000 --out "$WORK/round" > /dev/null
python3 benches/discovery/generate.py --bad --out "$WORK/bad" > /dev/null
run() { "$BIN" --data-dir "$WORK/data" discovery run --households "$1/households.csv" --crisis "$1/crisis.csv" --model "$1/model.toml" --out "$2" --threads 2; }

run "$WORK/round" "$WORK/maeul.csv" > /dev/null 2>&1
python3 benches/discovery/spec.py --households "$WORK/round/households.csv" --crisis "$WORK/round/crisis.csv" \
    --model "$WORK/round/model.toml" --out "$WORK/spec.csv"
if ! cmp "$WORK/maeul.csv" "$WORK/spec.csv"; then
    echo "discovery: maeul and the reference disagree"; diff "$WORK/maeul.csv" "$WORK/spec.csv" | head -20; exit 1
fi
echo "discovery: $(($(wc -l < "$WORK/maeul.csv") - 1)) listed households identical to the reference"

# Loading the list into the workspace: once, then again with no change and the same id.
load() { "$BIN" --data-dir "$WORK/data" discovery load --households "$WORK/round/households.csv" \
    --candidates "$WORK/maeul.csv" --model "$WORK/round/model.toml" --name "ci" | tail -n 1; }
first="$(load)"; again="$(load)"
[[ "$first" =~ ^[0-9]+$ && "$first" == "$again" ]] || { echo "discovery: load gave round '$first', then '$again'"; exit 1; }
echo "discovery: the list loads as round $first; loading it again changes nothing"

if run "$WORK/bad" "$WORK/bad.csv" > /dev/null 2> "$WORK/bad.err"; then
    echo "discovery: a bad round was accepted"; exit 1
fi
[[ ! -e "$WORK/bad.csv" ]] || { echo "discovery: output written despite errors"; exit 1; }
# Compare the reported `file:line` pairs with the generator's list (order aside).
sed -n 's|^.*/\([a-z]*\.csv\):\([0-9]*\):.*|\1:\2|p' "$WORK/bad.err" | sort > "$WORK/got"
sed -n 's|^\([a-z]*\.csv\):\([0-9]*\):.*|\1:\2|p' "$WORK/bad/expected-errors.txt" | sort > "$WORK/want"
if ! diff "$WORK/want" "$WORK/got"; then
    echo "discovery: reported problems differ from the expected ones"; exit 1
fi
echo "discovery: all $(wc -l < "$WORK/want") injected problems reported with their lines"
