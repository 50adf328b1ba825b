#!/usr/bin/env bash
# Measures what criterion does not: wall time of loading 100,000 events, bytes
# written to the terminal per keystroke, filter latency per keystroke side by side
# with `fzf --filter`, and last the memory table of every input shape
# (benches/memory.sh: peak RSS and load time beside a floor). Installs fzf,
# hyperfine and GNU time from Debian's packages when they are missing.
#
#     bash benches/measure.sh            # everything (about twelve minutes on 2 cores)
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
bin=${CARGO_TARGET_DIR:-target}/release
annals=$bin/annals
data=target/synthetic/100k
"$bin/examples/gen-timeline" --events 100000 --articles 10000 --seed 1 --out "$data" >/dev/null
input=$(du -sb "$data" | cut -f1)

echo "== machine"
echo "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"

echo "== load and validate 100,000 events, 10,000 articles (input $((input / 1048576)) MiB on disk)"
hyperfine -N --warmup 2 --runs 30 --style basic --export-json target/load.json "$annals --data $data/timeline.json check"
median=$(grep -o '"median": *[0-9.]*' target/load.json | head -1 | grep -o '[0-9.]*$')
echo "median $(awk -v m="$median" 'BEGIN { printf "%.0f", m * 1000 }') ms (peak RSS: the memory table at the end)"

echo "== start-up of the binary on the built-in chronology (process, to a printed answer)"
hyperfine --warmup 3 --runs 30 --style basic "$annals list" "$annals search khatami"

echo "== list --actor on the 100,000-event timeline (field queries need no word index)"
hyperfine -N --warmup 1 --runs 10 --style basic "$annals --data $data/timeline.json list --actor roskemtor"

echo "== bytes written to the terminal at 120x40 (pseudo-terminal harness)"
cargo test --release --test e2e bytes_written_per_keystroke -- --nocapture 2>/dev/null | grep -A4 '^bytes'
cargo test --release --lib scrolls_about_as_seldom -- --nocapture 2>/dev/null | grep '^same-article'

echo "== filter per keystroke, typed one character at a time, and fzf --filter"
cargo bench --bench keystrokes -- ${SIZES:-}

echo "== memory and load on every input shape, beside a floor (benches/memory.sh)"
bash benches/memory.sh
