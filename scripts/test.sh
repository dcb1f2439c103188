#!/usr/bin/env bash
# The whole test suite: builds the host, the bundled cogs and the test cogs (debug), then runs
# every test. Cog tests load the real .so files this build produces; connectivity tests run a
# Discord simulator, and a discord.py bot, on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build --build-tests
test_log=.build/test-output.log
swift test --skip-build "$@" 2>&1 | tee "$test_log"

# Secrets never reach logs or errors: the tests' bot token and webhook token must not appear
# in their output.
if grep -q -e "simulated.bot.token-0123456789" -e "webhook-secret-7f3a9c" "$test_log"; then
    echo "a test secret appeared in the test output" >&2
    exit 1
fi

# The build-cog plugin must produce a cog the host accepts.
plugin_check=.build/plugin-check
rm -rf "$plugin_check"
swift package --allow-writing-to-package-directory build-cog ping --install-dir "$plugin_check"
listing=$(swift run --skip-build cogwheel cogs list --data-dir "$plugin_check/data" --cogs-dir "$plugin_check")
echo "$listing"
grep -q "^ping  v1.0.0  schema 1  autoload  /ping$" <<<"$listing" || { echo "build-cog plugin check failed" >&2; exit 1; }

# A cog outside this repository: scaffold (new-cog plugin), build, test (CogKitTesting),
# install and play it through the bot.
scripts/check-external-cog.sh

# Every file in deploy/ is checked.
scripts/check-deploy.sh

# The README's main command: the scripted demo against the simulated Discord, end to end.
demo_output=$(swift run --skip-build cogwheel demo --data-dir .build/demo-check)
grep -q "Reloaded \*\*dice\*\*" <<<"$demo_output" || { echo "$demo_output"; echo "demo check: no reload" >&2; exit 1; }
grep -q "unchanged; 1 IDENTIFY" <<<"$demo_output" || { echo "$demo_output"; echo "demo check: the session changed" >&2; exit 1; }
grep -q "→ the bot: reacted 🏓" <<<"$demo_output" || { echo "$demo_output"; echo "demo check: no cog heard the reaction" >&2; exit 1; }
for expected in "→ the bot: gave role" "→ the bot: took role" "Case #1: Ada timed out" "the embed “🔇 Case #1: timeout”" \
                "reached level 1" "their highest role is not below the bot's"; do
    grep -qF "$expected" <<<"$demo_output" || { echo "$demo_output"; echo "demo check: no \"$expected\"" >&2; exit 1; }
done
echo "demo check: passed"

# Every fuzz harness for 10 s (a separate -sanitize=fuzzer build in .build-fuzz); the full
# pass is `scripts/fuzz.sh` (see FUZZING.md).
scripts/fuzz.sh 10

# The benchmark driver, short (debug builds, small counts, one run, discord.py beside Cogwheel),
# so its code cannot rot.
# The full run is scripts/bench.sh (see BENCHMARKS.md).
bench_output=$("$(swift build --show-bin-path)/cogwheel-bench" --runs 1 --interactions 2000 --reloads 5 --events 2000 \
    --round-trips 100 --guilds 20 --storage-operations 1000 --backup-mb 8 --build-dir "$(swift build --show-bin-path)")
for figure in "longest stall" "ingest GUILD_CREATE .* MB/s .* MB/s" "RSS growth over 10 more reloads" \
    "MESSAGE_CREATE to a cog's listener: events per CPU-second .* events/CPU-s .* events/CPU-s" \
    "actions: a reaction → the role's PUT leaves the bot" "checks: a timeout planned with every check"; do
    grep -q "$figure" <<<"$bench_output" || { echo "$bench_output"; echo "bench check: no '$figure' in the report" >&2; exit 1; }
done
echo "bench check: passed"

