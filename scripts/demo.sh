#!/usr/bin/env bash
# The main job on the embedded default: builds Cogwheel and plays the scripted demo session.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build --product cogwheel
swift run --skip-build cogwheel demo "$@"
