#!/usr/bin/env bash
# The whole test suite: builds the host, the bundled cogs and the test cogs (debug), then runs
# every test. Cog tests load the real .so files this build produces.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build --build-tests
swift test --skip-build "$@"
