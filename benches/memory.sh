#!/usr/bin/env bash
# Peak memory and load time of `annals --data FILE check` on every input shape the
# hardening issue names, each beside a floor: what parsing the same file into a bare
# serde_json::Value costs (one-file JSON), or what reading the same bytes costs
# (article files, CSV). Prints one Markdown table row per shape on stdout; progress,
# and what `check` said of each input, on stderr.
#
#     bash benches/memory.sh                    # every shape: a few minutes on 2 cores
#     SHAPES="b c" bash benches/memory.sh       # some shapes
#     RUNS=5 bash benches/memory.sh             # runs per measurement (3; odd)
#
# Builds annals, gen-timeline and json-floor in release (into $CARGO_TARGET_DIR when
# set, else target/), and writes the inputs under target/synthetic/. An input is made
# again only when it is missing or older than the program that makes it.
#
# The shapes:
#   a  the project's generator: 100,000 events, 10,000 articles as separate files
#   b  the same with --inline: one file, articles as JSON strings (the shape of
#      `export --format json`)
#   c  benches/gen_independent.py: 100,000 events, articles inline, written
#      independently of the project's generator (see its header)
#   d  benches/gen_independent.py --events 200000
#   e  benches/gen_independent.py --actors 100000: 100,000 declared actors
#   f  TimelineJS JSON and CSV from the project's generator (100,000 events), and
#      the annals JSON that `export --format json` makes of the JSON one
#
# Columns: bytes on disk (the timeline and its article files); peak RSS of `check`,
# the largest of the runs (/usr/bin/time -f %M); load, the median wall time of the
# same runs; the floor's peak RSS and median time (benches/json-floor.rs, run in
# turn with `check`) and the ratios. MiB are 2^20 bytes. Times move with whatever
# else runs on the machine (the first line says the load average); peak RSS does not.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/time ]; then
    echo "installing GNU time from Debian's packages" >&2
    apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
fi

shapes=${SHAPES:-a b c d e f}
runs=${RUNS:-3}
bin=${CARGO_TARGET_DIR:-target}/release
syn=target/synthetic
cargo build --release --bin annals --example gen-timeline --example json-floor >&2
annals=$bin/annals
gen=$bin/examples/gen-timeline
floor=$bin/examples/json-floor
mkdir -p "$syn"

# stale OUTPUT MAKER...: whether OUTPUT is missing or older than any of its makers.
stale() {
    local out=$1
    shift
    [ -e "$out" ] || return 0
    for m in "$@"; do
        [ "$m" -nt "$out" ] && return 0
    done
    return 1
}

make_shape() {
    case $1 in
    a) stale "$syn/100k/timeline.json" "$gen" &&
        "$gen" --events 100000 --articles 10000 --seed 1 --out "$syn/100k" >/dev/null ;;
    b) stale "$syn/100k-inline/timeline.json" "$gen" &&
        "$gen" --events 100000 --articles 10000 --seed 1 --inline --out "$syn/100k-inline" >/dev/null ;;
    c) mkdir -p "$syn/indep"
        stale "$syn/indep/100k.json" benches/gen_independent.py &&
            python3 benches/gen_independent.py --events 100000 --seed 1 --out "$syn/indep/100k.json" ;;
    d) mkdir -p "$syn/indep"
        stale "$syn/indep/200k.json" benches/gen_independent.py &&
            python3 benches/gen_independent.py --events 200000 --seed 1 --out "$syn/indep/200k.json" ;;
    e) mkdir -p "$syn/indep"
        stale "$syn/indep/100k-actors.json" benches/gen_independent.py &&
            python3 benches/gen_independent.py --events 100000 --actors 100000 --seed 1 --out "$syn/indep/100k-actors.json" ;;
    f) stale "$syn/tljs/timelinejs.json" "$gen" &&
        "$gen" --events 100000 --seed 1 --format timelinejs --out "$syn/tljs" >/dev/null
        stale "$syn/tljs/timelinejs.csv" "$gen" &&
            "$gen" --events 100000 --seed 1 --format timelinejs-csv --out "$syn/tljs" >/dev/null
        stale "$syn/tljs/timelinejs-as-annals.json" "$annals" "$syn/tljs/timelinejs.json" &&
            "$annals" --data "$syn/tljs/timelinejs.json" export --format json >"$syn/tljs/timelinejs-as-annals.json" ;;
    *) echo "unknown shape $1; the shapes are a b c d e f" >&2; exit 2 ;;
    esac
    return 0
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

now_ms() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
max() { sort -n | tail -1; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# measure LABEL FLOOR TIMELINE FILE...: one table row. FLOOR is "value" (parse each
# FILE into a serde_json::Value) or "bytes" (read them); the FILEs are the whole
# input, the timeline first.
measure() {
    local label=$1 kind=$2 timeline=$3
    shift 3
    local size
    size=$(stat -c %s "$@" | awk '{ s += $1 } END { print s }')
    local flag=()
    [ "$kind" = value ] && flag=(--value)
    # `check` and its floor take turns, so that whatever else the machine does
    # weighs on both alike.
    : >"$tmp/rss"
    : >"$tmp/ms"
    : >"$tmp/frss"
    : >"$tmp/fms"
    for _ in $(seq "$runs"); do
        local t0 t1
        t0=$(now_ms)
        if ! /usr/bin/time -f %M -o "$tmp/time" "$annals" --data "$timeline" check >"$tmp/out" 2>"$tmp/err"; then
            echo "check failed on $timeline:" >&2
            head -20 "$tmp/err" >&2
            exit 1
        fi
        t1=$(now_ms)
        tail -1 "$tmp/time" >>"$tmp/rss"
        echo $((t1 - t0)) >>"$tmp/ms"
        t0=$(now_ms)
        /usr/bin/time -f %M -o "$tmp/time" "$floor" "$@" "${flag[@]}" >/dev/null
        t1=$(now_ms)
        tail -1 "$tmp/time" >>"$tmp/frss"
        echo $((t1 - t0)) >>"$tmp/fms"
    done
    echo "$label: $(tail -1 "$tmp/out")" >&2
    local rss ms frss fms
    rss=$(max <"$tmp/rss")
    ms=$(median <"$tmp/ms")
    frss=$(max <"$tmp/frss")
    fms=$(median <"$tmp/fms")
    local what="Value parse"
    [ "$kind" = bytes ] && what="read the bytes"
    printf '| %s | %s | %s | %s× | %s ms | %s | %s | %s ms | %s× |\n' \
        "$label" "$(mib "$size")" "$(mib $((rss * 1024)))" "$(ratio $((rss * 1024)) "$size")" "$ms" \
        "$what" "$(mib $((frss * 1024)))" "$fms" "$(ratio "$ms" "$fms")"
}

for s in $shapes; do
    echo "== making shape $s" >&2
    make_shape "$s"
done

echo "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load average $(cut -d' ' -f1 /proc/loadavg) at the start; $runs runs each; commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo
echo "| input | MiB on disk | peak RSS of \`check\`, MiB | RSS ÷ disk | load (\`check\`) | floor | floor peak RSS, MiB | floor time | load ÷ floor |"
echo "|---|---|---|---|---|---|---|---|---|"
for s in $shapes; do
    echo "== measuring shape $s" >&2
    case $s in
    a)
        mapfile -t articles < <(find "$syn/100k/articles" -name '*.txt' | sort)
        measure "a. generator, 100k events, 10k article files" bytes "$syn/100k/timeline.json" "$syn/100k/timeline.json" "${articles[@]}" ;;
    b) measure "b. generator --inline, 100k events" value "$syn/100k-inline/timeline.json" "$syn/100k-inline/timeline.json" ;;
    c) measure "c. independent, 100k events inline" value "$syn/indep/100k.json" "$syn/indep/100k.json" ;;
    d) measure "d. independent, 200k events inline" value "$syn/indep/200k.json" "$syn/indep/200k.json" ;;
    e) measure "e. independent, 100k events, 100k actors" value "$syn/indep/100k-actors.json" "$syn/indep/100k-actors.json" ;;
    f)
        measure "f. TimelineJS JSON, 100k events" value "$syn/tljs/timelinejs.json" "$syn/tljs/timelinejs.json"
        measure "f. TimelineJS CSV, 100k events" bytes "$syn/tljs/timelinejs.csv" "$syn/tljs/timelinejs.csv"
        measure "f. the TimelineJS events as annals JSON" value "$syn/tljs/timelinejs-as-annals.json" "$syn/tljs/timelinejs-as-annals.json" ;;
    esac
done
