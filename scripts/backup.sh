#!/usr/bin/env bash
# One database backup, for cron or a systemd timer, e.g.
#   15 4 * * *  cd /srv/cogwheel && scripts/backup.sh --data-dir /srv/cogwheel/data
# Settings from the environment: COGWHEEL_BACKUP_KEY (encrypts), COGWHEEL_BACKUP_KEEP,
# COGWHEEL_BACKUP_KEEP_DAYS. Safe while the bot runs (SQLite's online backup).
set -euo pipefail
cd "$(dirname "$0")/.."
binary="$(swift build -c release --show-bin-path)/cogwheel"
[[ -x "$binary" ]] || swift build -c release --product cogwheel
exec "$binary" backup "$@"
