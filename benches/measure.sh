#!/usr/bin/env bash
# Measures what criterion does not: peak memory and wall time of loading 100,000
# events, bytes written to the terminal per keystroke, and filter latency per
# keystroke side by side with `fzf --filter`. Installs fzf, hyperfine and GNU time
# from Debian's packages when they are missing.
#
#     bash benches/measure.sh            # everything (about ten minutes on 2 cores)
#     SIZES=100000 bash benches/measure.sh
set -euo pipefail
cd "$(dirname "$0")/.."

install() {
    echo "installing $1 from Debian's packages" >&2
    apt-get install -y "$1" >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y "$1" >/dev/null; }
}
command -v fzf >/dev/null || install fzf
command -v hyperfine >/dev/null || install hyperfine
[ -x /usr/bin/time ] || install time

cargo build --release --bin annals --example gen-timeline
annals=target/release/annals
data=target/synthetic/100k
target/release/examples/gen-timeline --events 100000 --articles 10000 --seed 1 --out "$data" >/dev/null
input=$(du -sb "$data" | cut -f1)

echo "== machine"
echo "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"

echo "== load and validate 100,000 events, 10,000 articles (input $((input / 1048576)) MiB on disk)"
hyperfine -N --warmup 2 --runs 30 --style basic --export-json target/load.json "$annals --data $data/timeline.json check"
median=$(grep -o '"median": *[0-9.]*' target/load.json | head -1 | grep -o '[0-9.]*$')
echo "median $(awk -v m="$median" 'BEGIN { printf "%.0f", m * 1000 }') ms"
peak=0
for _ in 1 2 3; do
    kb=$(/usr/bin/time -f %M "$annals" --data "$data/timeline.json" check 2>&1 >/dev/null | tail -1)
    [ "$kb" -gt "$peak" ] && peak=$kb
done
echo "peak RSS $((peak / 1024)) MiB = $(awk -v p="$peak" -v i="$input" 'BEGIN { printf "%.2f", p * 1024 / i }') x the input"

echo "== start-up of the binary on the built-in chronology (process, to a printed answer)"
hyperfine --warmup 3 --runs 30 --style basic "$annals list" "$annals search khatami"

echo "== list --actor on the 100,000-event timeline (field queries need no word index)"
hyperfine -N --warmup 1 --runs 10 --style basic "$annals --data $data/timeline.json list --actor roskemtor"

echo "== bytes written to the terminal at 120x40 (pseudo-terminal harness)"
cargo test --release --test e2e bytes_written_per_keystroke -- --nocapture 2>/dev/null | grep -A4 '^bytes'
cargo test --release --lib scrolls_about_as_seldom -- --nocapture 2>/dev/null | grep '^same-article'

echo "== filter per keystroke, typed one character at a time, and fzf --filter"
cargo bench --bench keystrokes -- ${SIZES:-}

echo "== TimelineJS input: the same 100,000 events as TimelineJS JSON, TimelineJS CSV and annals JSON"
cargo build --release --example json-floor
tljs=target/synthetic/tljs
target/release/examples/gen-timeline --events 100000 --seed 1 --format timelinejs --out "$tljs" >/dev/null
target/release/examples/gen-timeline --events 100000 --seed 1 --format timelinejs-csv --out "$tljs" >/dev/null
"$annals" --data "$tljs/timelinejs.json" export --format json >"$tljs/timelinejs-as-annals.json"
for f in timelinejs.json timelinejs.csv timelinejs-as-annals.json; do
    size=$(stat -c %s "$tljs/$f")
    for _ in 1 2 3; do
        /usr/bin/time -f "$f ($((size / 1048576)) MiB): %M KiB %e s" "$annals" --data "$tljs/$f" check 2>&1 >/dev/null | tail -1
    done
done
echo "-- the floor: the bytes alone, and a bare serde_json::Value"
for f in timelinejs.json timelinejs-as-annals.json; do
    /usr/bin/time -f "$f bytes: %M KiB %e s" target/release/examples/json-floor "$tljs/$f" 2>&1 >/dev/null
    /usr/bin/time -f "$f Value: %M KiB %e s" target/release/examples/json-floor "$tljs/$f" --value 2>&1 >/dev/null
done
