#!/usr/bin/env bash
# Runs every fuzz harness long, and reports cases run and cases per second.
# The harnesses are property tests (proptest) on the stable toolchain; `cargo test`
# runs a few thousand cases of each.
#
#     bash benches/fuzz.sh             # 100,000 cases per harness
#     CASES=1000000 bash benches/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cases=${CASES:-100000}
cargo test --release --no-run --lib --test fuzz >/dev/null 2>&1

run() { # name, cargo test selector...
    local name=$1
    shift
    local start end
    start=$(date +%s.%N)
    if ! PROPTEST_CASES=$cases cargo test --release -q "$@" >/tmp/annals-fuzz.log 2>&1; then
        echo "$name: FAILED after $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN{printf "%.0f", e-s}') s; see /tmp/annals-fuzz.log"
        return 1
    fi
    end=$(date +%s.%N)
    awk -v n="$name" -v c="$cases" -v s="$start" -v e="$end" \
        'BEGIN { printf "%-52s %9d cases clean  %8.0f cases/s\n", n, c, c / (e - s) }'
}

echo "== $cases cases per harness, $(nproc) cores"
run "input decoder: any bytes in any pieces" --lib any_bytes_in_any_pieces
run "input decoder: printable text survives any cut" --lib printable_text_survives_any_cut
run "quote finder against str::find" --lib the_quote_finder_agrees_with_str_find
run "loader: any edit of a valid timeline" --test fuzz the_loader_survives_any_edit
run "loader: any JSON shape" --test fuzz the_loader_survives_any_json_shape
run "loader: annals JSON read piece by piece = whole" --test fuzz annals_json_loads_the_same_piece_by_piece
run "loader: annals JSON, events first, piece by piece = whole" --test fuzz annals_json_with_events_first
run "loader: TimelineJS JSON piece by piece = whole" --test fuzz timelinejs_json_loads_the_same_piece_by_piece
run "loader: TimelineJS CSV piece by piece = whole" --test fuzz timelinejs_csv_loads_the_same_piece_by_piece
run "loader: any JSON shape piece by piece = whole" --test fuzz any_json_shape_loads_the_same_piece_by_piece
run "TimelineJS HTML in every field, to the terminal" --test fuzz any_html_reaches_the_terminal
run "filter against a naive scan" --test fuzz the_filter_matches_what_a_naive_scan_finds
run "any typed query" --test fuzz any_typed_query_is_parsed
run "SSH exec request through the lookup parser" --lib any_exec_request_is_answered_safely
run "SSH exec command line split" --lib any_command_line_is_split_or_refused
run "SSH claimed window sizes" --lib any_claimed_size_is_drawable
