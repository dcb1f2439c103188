#!/usr/bin/env bash
# Deploys the working tree to a systemd install laid out as deploy/cogwheel.service expects
# (binary in $PREFIX/bin, cogs in $PREFIX/cogs, state in $DATA_DIR), with a way back:
#
#   1. builds the host and the bundled cogs in release;
#   2. smoke-checks the new build: the scripted demo against the built-in Discord simulator;
#   3. backs up the database with the running version;
#   4. keeps the running binary and cogs as *.previous, installs the new ones, restarts;
#   5. waits for GET /ready; if it does not come, puts back the previous binary, cogs and
#      database, restarts that, and exits non-zero.
#
# Usage: scripts/deploy.sh [--prefix /opt/cogwheel] [--data-dir /var/lib/cogwheel]
#                          [--service cogwheel] [--ready-url http://127.0.0.1:9464/ready] [--timeout 120]
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=/opt/cogwheel
data_dir=/var/lib/cogwheel
service=cogwheel
ready_url=http://127.0.0.1:9464/ready
timeout=120
while (($#)); do
    case "$1" in
        --prefix) prefix=$2 ;;
        --data-dir) data_dir=$2 ;;
        --service) service=$2 ;;
        --ready-url) ready_url=$2 ;;
        --timeout) timeout=$2 ;;
        *) echo "deploy: unknown option $1 (see the comment at the top of $0)" >&2; exit 64 ;;
    esac
    shift 2
done
cogs=(dice ping xp)

step() { printf '\n== %s\n' "$*"; }
wait_ready() {
    local deadline=$((SECONDS + timeout))
    until curl -fsS --max-time 3 "$ready_url" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || return 1
        sleep 2
    done
}

step "building in release"
scripts/setup.sh
swift build -c release --product cogwheel
for cog in "${cogs[@]}"; do swift build -c release --product "$cog"; done
bin=$(swift build -c release --show-bin-path)

step "smoke check against the simulator"
smoke=$(mktemp -d)
trap 'rm -rf "$smoke"' EXIT
"$bin/cogwheel" demo --data-dir "$smoke/demo" | tee "$smoke/demo.log" | tail -n 5
grep -q "Reloaded \*\*dice\*\*" "$smoke/demo.log" || { echo "deploy: the new build failed its smoke check; nothing changed" >&2; exit 1; }

step "backing up the database with the running version"
backup_line=$("$prefix/bin/cogwheel" backup --data-dir "$data_dir")
echo "$backup_line"
backup_file=$(sed -n 's/^backup: \([^ ]*\) .*/\1/p' <<<"$backup_line")
[[ -f $backup_file ]] || { echo "deploy: no backup was made; nothing changed" >&2; exit 1; }

step "installing the new build"
cp -p "$prefix/bin/cogwheel" "$prefix/bin/cogwheel.previous"
rm -rf "$prefix/cogs.previous" && cp -rp "$prefix/cogs" "$prefix/cogs.previous"
install -m 0755 "$bin/cogwheel" "$prefix/bin/cogwheel"
for cog in "${cogs[@]}"; do install -m 0644 "$bin/lib$cog.so" "$prefix/cogs/lib$cog.so"; done
systemctl restart "$service"

step "waiting for $ready_url"
if wait_ready; then
    echo "deploy: the new build is ready"
    exit 0
fi

step "not ready within ${timeout}s: rolling back"
systemctl stop "$service"
install -m 0755 "$prefix/bin/cogwheel.previous" "$prefix/bin/cogwheel"
rm -rf "$prefix/cogs" && cp -rp "$prefix/cogs.previous" "$prefix/cogs"
"$prefix/bin/cogwheel" restore --data-dir "$data_dir" "$backup_file"
systemctl start "$service"
if wait_ready; then
    echo "deploy: rolled back to the previous build and database; it is ready" >&2
else
    echo "deploy: rolled back, but the previous build is not ready either; see journalctl -u $service" >&2
fi
exit 1
