#!/usr/bin/env bash
# Reproduces BENCHMARKS.md: release builds of the benchmark and the bundled cogs, then
# medians of several runs in one process. Extra arguments go to cogwheel-bench
# (--runs N --interactions N --reloads N --guilds N --only versus,events ...).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
for product in cogwheel-bench cogwheel dice ping xp benchcog_listener reactionroles moderation; do
    swift build -c release --product "$product"
done
exec "$(swift build -c release --show-bin-path)/cogwheel-bench" --build-dir "$(swift build -c release --show-bin-path)" "$@"
