#!/usr/bin/env bash
# The developer's path, as the docs tell it, on a cog outside this repository: scaffold it in a
# temporary directory (with the new-cog plugin), build it, run its test through CogKitTesting,
# install it for the bot with `cogwheel cogs build`, and play its command through the bot
# against the simulator. Needs `swift build` of this package first (the test script does it).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(swift build --show-bin-path)
work=$(mktemp -d /tmp/cogwheel-external-XXXXXX)
trap 'rm -rf "$work"' EXIT

swift package --allow-writing-to-package-directory --allow-writing-to-directory "$work" new-cog greeter --directory "$work/greeter"
(cd "$work/greeter" && swift build && swift test)

"$bin/cogwheel" cogs build greeter --package-path "$work/greeter" --data-dir "$work/data"
listing=$("$bin/cogwheel" cogs list --data-dir "$work/data")
echo "$listing"
grep -q "^greeter  v0.1.0  schema 1  autoload  /greeter$" <<<"$listing" || { echo "external cog: not installed" >&2; exit 1; }

answers=$(printf '/greeter who:CI\nquit\n' | "$bin/cogwheel" console --data-dir "$work/data")
echo "$answers"
grep -q "Hello, CI!" <<<"$answers" || { echo "external cog: the bot did not answer /greeter" >&2; exit 1; }
echo "external cog check: passed"
