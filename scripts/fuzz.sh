#!/usr/bin/env bash
# Fuzzes every harness (Sources/CogwheelFuzz) with libFuzzer for a bounded time each.
#   scripts/fuzz.sh            60 s per harness
#   scripts/fuzz.sh 10         10 s per harness (what CI runs)
#   scripts/fuzz.sh 300 sql    one harness
# Builds with -sanitize=fuzzer (coverage for every Swift module) into .build-fuzz, starts from the committed seeds in
# Tests/Fuzz/seeds/<harness> (new inputs go to .build-fuzz/corpus/<harness>), and prints one
# line per harness with its executions. A finding stops the script: the input is saved as
# .build-fuzz/findings/<harness>/crash-*; fix it, then commit the input to
# Tests/Fuzz/regressions/<harness>/ so the test suite replays it.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
harnesses=("$@")
[[ ${#harnesses[@]} -gt 0 ]] || harnesses=(routing gateway manifest cron settings sql backup)

swift build --product cogwheel-fuzz --scratch-path .build-fuzz \
    -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING
fuzzer="$(swift build --scratch-path .build-fuzz --show-bin-path)/cogwheel-fuzz"

for harness in "${harnesses[@]}"; do
    corpus=.build-fuzz/corpus/$harness
    findings=.build-fuzz/findings/$harness
    mkdir -p "$corpus" "$findings"
    log=.build-fuzz/$harness.log
    status=0
    # libFuzzer, not Swift's backtracer, handles a trap, so the input is saved.
    SWIFT_BACKTRACE=enable=no COGWHEEL_FUZZ_TARGET=$harness "$fuzzer" "$corpus" "Tests/Fuzz/seeds/$harness" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -artifact_prefix="$findings/" -print_final_stats=1 >"$log" 2>&1 || status=$?
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    line="$harness: $runs executions in ${seconds} s, corpus $(find "$corpus" -type f | wc -l) inputs"
    if [[ $status -ne 0 ]]; then
        tail -40 "$log"
        echo "fuzz: $harness found a failure (input in $findings)" >&2
        exit 1
    fi
    echo "fuzz: $line"
done
