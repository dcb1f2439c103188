#!/usr/bin/env bash
# The whole test suite: builds the host, the bundled cogs and the test cogs (debug), then runs
# every test. Cog tests load the real .so files this build produces.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build --build-tests
swift test --skip-build "$@"

# The build-cog plugin must produce a cog the host accepts.
plugin_check=.build/plugin-check
rm -rf "$plugin_check"
swift package --allow-writing-to-package-directory build-cog ping --install-dir "$plugin_check"
listing=$(swift run --skip-build cogwheel cogs list --data-dir "$plugin_check/data" --cogs-dir "$plugin_check")
echo "$listing"
grep -q "^ping  v1.0.0  schema 1  autoload  /ping$" <<<"$listing" || { echo "build-cog plugin check failed" >&2; exit 1; }
