#!/usr/bin/env bash
# Runs `maeul discovery run` and the DuckDB reference on the same inputs, checks that their
# candidates.csv are byte-identical and prints median wall time and peak RSS of each.
#
#   benches/discovery/compare.sh DIR [MAEUL_BIN] [--threads N] [--runs N] [--duckdb-only]
#
# DIR holds households.csv, crisis.csv and model.toml (benches/discovery/generate.py).
# MAEUL_BIN defaults to target/release/maeul. --threads defaults to nproc; both engines get the
# same number. Runs alternate (duckdb, maeul, duckdb, ...) so both see the same page cache, after
# one untimed read of the inputs. Outputs and /usr/bin/time -v logs go to DIR/compare/.
# Exit status: 0 when maeul ran and matched; 1 on a mismatch or a failed run; 2 when the maeul
# binary is missing or has no `discovery run` (the DuckDB half is still measured).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
VENV="${BENCH_VENV:-$REPO/target/bench-venv}"

dir=""
maeul="$REPO/target/release/maeul"
threads="$(nproc)"
runs=3
duckdb_only=0
positional=0
while [ $# -gt 0 ]; do
    case "$1" in
        --threads) threads="$2"; shift 2 ;;
        --threads=*) threads="${1#*=}"; shift ;;
        --runs) runs="$2"; shift 2 ;;
        --runs=*) runs="${1#*=}"; shift ;;
        --duckdb-only) duckdb_only=1; shift ;;
        -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "compare.sh: unknown option $1" >&2; exit 64 ;;
        *)
            if [ $positional -eq 0 ]; then dir="$1"; else maeul="$1"; fi
            positional=$((positional + 1)); shift ;;
    esac
done
if [ -z "$dir" ]; then
    echo "usage: compare.sh DIR [MAEUL_BIN] [--threads N] [--runs N] [--duckdb-only]" >&2
    exit 64
fi
for f in households.csv crisis.csv model.toml; do
    if [ ! -f "$dir/$f" ]; then
        echo "compare.sh: $dir/$f is missing (make it with benches/discovery/generate.py --out $dir)" >&2
        exit 64
    fi
done

if [ ! -x /usr/bin/time ]; then
    echo "compare.sh: /usr/bin/time is missing; installing Debian's 'time' package" >&2
    if [ "$(id -u)" -eq 0 ]; then
        apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
    else
        echo "compare.sh: run as root, or: sudo apt-get install time" >&2; exit 1
    fi
fi

if ! "$VENV/bin/python" -c 'import duckdb' 2>/dev/null; then
    echo "compare.sh: no DuckDB in $VENV; creating it from $HERE/requirements.txt" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q -r "$HERE/requirements.txt"
fi
duckdb_version="$("$VENV/bin/python" -c 'import duckdb; print(duckdb.__version__)')"

maeul_ok=1
maeul_why=""
if [ "$duckdb_only" -eq 1 ]; then
    maeul_ok=0; maeul_why="--duckdb-only"
elif [ ! -x "$maeul" ]; then
    maeul_ok=0
    maeul_why="the maeul binary $maeul does not exist (build it: cargo build --release -p maeul)"
elif ! "$maeul" discovery run --help >/dev/null 2>&1; then
    maeul_ok=0
    maeul_why="$maeul has no working 'discovery run' subcommand yet ('$maeul discovery run --help' failed)"
fi
if [ "$maeul_ok" -eq 0 ]; then
    echo "================================================================================"
    echo "  MAEUL NOT MEASURED: $maeul_why"
    echo "  Running the DuckDB half only."
    echo "================================================================================"
fi

work="$dir/compare"
mkdir -p "$work"
H="$dir/households.csv"; C="$dir/crisis.csv"; M="$dir/model.toml"

# one untimed read so that the first timed run does not pay for a cold page cache alone
cat "$H" "$C" "$M" >/dev/null

# elapsed "h:mm:ss" or "m:ss.ss" -> seconds
elapsed_seconds() {
    awk -F': ' '/Elapsed \(wall clock\)/ {
        n = split($2, p, ":"); s = 0
        for (i = 1; i <= n; i++) s = s * 60 + p[i]
        printf "%.3f\n", s }' "$1"
}
cpu_seconds() { awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f\n", s }' "$1"; }
peak_kb() { awk -F': ' '/Maximum resident set size/ { print $2 }' "$1"; }
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

duck_times=(); duck_rss=(); duck_query=(); duck_cpu=()
maeul_times=(); maeul_rss=(); maeul_cpu=()
status=0

run_duckdb() {
    local i="$1" log="$work/duckdb-$1.time" out="$work/candidates-duckdb-$1.csv"
    if ! /usr/bin/time -v -o "$log" "$VENV/bin/python" "$HERE/reference.py" \
            --households "$H" --crisis "$C" --model "$M" --out "$out" --threads "$threads" \
            2>"$work/duckdb-$i.stderr"; then
        echo "DuckDB run $i failed:" >&2; cat "$work/duckdb-$i.stderr" >&2; exit 1
    fi
    duck_times+=("$(elapsed_seconds "$log")")
    duck_rss+=("$(peak_kb "$log")")
    duck_query+=("$(sed -n 's/.*query \([0-9.]*\) s.*/\1/p' "$work/duckdb-$i.stderr")")
    duck_cpu+=("$(cpu_seconds "$log")")
    printf '  duckdb run %d: %7.2f s wall (query %s s), %7.2f s CPU, peak RSS %8.1f MB\n' \
        "$i" "${duck_times[-1]}" "${duck_query[-1]}" "${duck_cpu[-1]}" "$(echo "${duck_rss[-1]} / 1024" | bc -l)"
}

run_maeul() {
    local i="$1" log="$work/maeul-$1.time" out="$work/candidates-maeul-$1.csv"
    rm -f "$out"
    if ! /usr/bin/time -v -o "$log" "$maeul" discovery run \
            --households "$H" --crisis "$C" --model "$M" --out "$out" --threads "$threads" \
            >"$work/maeul-$i.stdout" 2>"$work/maeul-$i.stderr"; then
        echo "maeul run $i FAILED (exit status in $log); its stderr:" >&2
        head -50 "$work/maeul-$i.stderr" >&2
        maeul_ok=0; maeul_why="run $i failed: see $work/maeul-$i.stderr"; status=1; return
    fi
    maeul_times+=("$(elapsed_seconds "$log")")
    maeul_rss+=("$(peak_kb "$log")")
    maeul_cpu+=("$(cpu_seconds "$log")")
    printf '  maeul  run %d: %7.2f s wall,                  %7.2f s CPU, peak RSS %8.1f MB\n' \
        "$i" "${maeul_times[-1]}" "${maeul_cpu[-1]}" "$(echo "${maeul_rss[-1]} / 1024" | bc -l)"
}

echo "inputs: $dir ($(du -bc "$H" "$C" "$M" | tail -1 | awk '{ printf "%.1f MB", $1 / 1e6 }'))," \
     "$(($(wc -l <"$H") - 1)) households, $(($(wc -l <"$C") - 1)) crisis rows"
echo "threads: $threads, runs: $runs, duckdb $duckdb_version, maeul: $maeul"
for i in $(seq 1 "$runs"); do
    run_duckdb "$i"
    if [ "$maeul_ok" -eq 1 ]; then run_maeul "$i"; fi
done

# DuckDB must agree with itself
for i in $(seq 2 "$runs"); do
    if ! cmp -s "$work/candidates-duckdb-1.csv" "$work/candidates-duckdb-$i.csv"; then
        echo "DuckDB run $i differs from run 1 (the reference is not deterministic?)" >&2; status=1
    fi
done
cp "$work/candidates-duckdb-1.csv" "$work/candidates-duckdb.csv"

d_t="$(printf '%s\n' "${duck_times[@]}" | median)"
d_q="$(printf '%s\n' "${duck_query[@]}" | median)"
d_r="$(printf '%s\n' "${duck_rss[@]}" | median)"
d_c="$(printf '%s\n' "${duck_cpu[@]}" | median)"
echo
echo "load average now: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (other work on the machine skews wall times; CPU time less so)"
printf 'DuckDB median: %.2f s wall (query alone %.2f s), %.2f s CPU, peak RSS %.1f MB\n' "$d_t" "$d_q" "$d_c" "$(echo "$d_r / 1024" | bc -l)"

if [ "$maeul_ok" -eq 1 ]; then
    same=1
    for i in $(seq 1 "$runs"); do
        if ! cmp "$work/candidates-duckdb.csv" "$work/candidates-maeul-$i.csv"; then same=0; fi
    done
    cp "$work/candidates-maeul-1.csv" "$work/candidates-maeul.csv"
    m_t="$(printf '%s\n' "${maeul_times[@]}" | median)"
    m_r="$(printf '%s\n' "${maeul_rss[@]}" | median)"
    m_c="$(printf '%s\n' "${maeul_cpu[@]}" | median)"
    printf 'maeul  median: %.2f s wall, %.2f s CPU, peak RSS %.1f MB\n' "$m_t" "$m_c" "$(echo "$m_r / 1024" | bc -l)"
    if [ "$(echo "$m_t > 0" | bc -l)" -eq 1 ]; then
        printf 'speed: DuckDB time / maeul time = %.2fx (query alone: %.2fx); goal >= 3x, floor 1.5x\n' \
            "$(echo "$d_t / $m_t" | bc -l)" "$(echo "$d_q / $m_t" | bc -l)"
        if [ "$(echo "$m_c > 0" | bc -l)" -eq 1 ]; then
            printf 'cpu:   DuckDB CPU time / maeul CPU time = %.2fx\n' "$(echo "$d_c / $m_c" | bc -l)"
        fi
    else
        echo "speed: maeul took under 0.01 s of wall time; no ratio"
    fi
    printf 'memory: maeul peak RSS / DuckDB peak RSS = %.3f; goal <= 0.25\n' "$(echo "$m_r / $d_r" | bc -l)"
    if [ "$same" -eq 1 ]; then
        echo "output: IDENTICAL (cmp) in all $runs runs: $work/candidates-maeul.csv"
    else
        echo "output: DIFFERENT. First differing lines (< duckdb, > maeul):"
        diff "$work/candidates-duckdb.csv" "$work/candidates-maeul.csv" | head -20 || true
        status=1
    fi
else
    echo "maeul: NOT MEASURED${maeul_why:+ ($maeul_why)}"
    echo "reference output: $work/candidates-duckdb.csv"
    [ "$status" -eq 0 ] && status=2
fi
exit "$status"
