#!/usr/bin/env bash
# Checks every file in deploy/ with the tools this machine has: systemd-analyze verify for the
# units (ExecStart pointed at the built binary), YAML and JSON parsing for Compose, Prometheus
# and Grafana files, promtool when installed, and bash -n for scripts/deploy.sh. What cannot be
# checked here is named with the reason.
set -euo pipefail
cd "$(dirname "$0")/.."
binary="$(swift build --show-bin-path)/cogwheel"
[[ -x $binary ]] || { echo "check-deploy: build first ($binary is missing)" >&2; exit 1; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

if command -v systemd-analyze >/dev/null; then
    for unit in deploy/*.service deploy/*.timer; do
        sed "s#/opt/cogwheel/bin/cogwheel#$binary#g" "$unit" >"$scratch/$(basename "$unit")"
    done
    output=$(cd "$scratch" && systemd-analyze verify ./*.service ./*.timer 2>&1 || true)
    # Users and directories of the target machine do not exist here; everything else is an error.
    problems=$(grep -v -e "User=cogwheel" -e "Group=cogwheel" <<<"$output" | grep -v '^$' || true)
    [[ -z $problems ]] || { echo "$problems"; echo "check-deploy: systemd-analyze found problems" >&2; exit 1; }
    echo "check-deploy: systemd units verified"
else
    echo "check-deploy: systemd-analyze is not installed; units only parsed as text"
fi

python3 - <<'PY'
import json, sys, yaml
for path in ["deploy/docker-compose.yml", "deploy/prometheus/prometheus.yml", "deploy/prometheus/alerts.yml",
             "deploy/grafana/provisioning.yml", "deploy/grafana/datasource.yml"]:
    document = yaml.safe_load(open(path))
    assert isinstance(document, dict), f"{path} is not a mapping"
compose = yaml.safe_load(open("deploy/docker-compose.yml"))
assert "/ready" in " ".join(compose["services"]["cogwheel"]["healthcheck"]["test"]), "the compose healthcheck must use /ready"
ports = compose["services"]["cogwheel"]["ports"]
assert ports == ["${COGWHEEL_OPS_PUBLISH:-127.0.0.1}:9464:9464"], f"the operations port must be published on loopback unless opted in: {ports}"
rules = yaml.safe_load(open("deploy/prometheus/alerts.yml"))["groups"][0]["rules"]
names = {rule["alert"] for rule in rules}
for required in ["CogwheelDown", "CogwheelHeartbeatStale", "CogwheelReconnectStorm", "CogwheelCommandErrors",
                 "CogwheelBackupStale", "CogwheelRestartRecommended"]:
    assert required in names, f"alerts.yml lacks {required}"
dashboard = json.load(open("deploy/grafana/cogwheel-dashboard.json"))
assert all(panel["targets"] for panel in dashboard["panels"]), "a dashboard panel has no query"
print(f"check-deploy: compose, Prometheus ({len(rules)} alert rules) and Grafana ({len(dashboard['panels'])} panels) files parse")
PY

# promtool comes with Debian's prometheus package; its service is not started here.
if ! command -v promtool >/dev/null; then
    sudo_cmd=""
    [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends prometheus >/dev/null 2>&1 || true
fi
if command -v promtool >/dev/null; then
    promtool check rules deploy/prometheus/alerts.yml
    sed -e "s#/etc/prometheus/alerts.yml#$PWD/deploy/prometheus/alerts.yml#" \
        -e "s#/etc/prometheus/ops-token#$PWD/deploy/prometheus/ops-token#" deploy/prometheus/prometheus.yml >"$scratch/prometheus.yml"
    promtool check config "$scratch/prometheus.yml"
else
    echo "check-deploy: promtool could not be installed (apt-get install prometheus failed); alert rules only parsed as YAML"
fi
grep -q "HEALTHCHECK .*\/ready" deploy/Dockerfile || { echo "check-deploy: the Dockerfile's HEALTHCHECK must use /ready" >&2; exit 1; }
if timeout 10 docker info >/dev/null 2>&1; then
    docker build -f deploy/Dockerfile -t cogwheel:check .
else
    echo "check-deploy: Dockerfile not built: no Docker daemon here (its HEALTHCHECK was checked above)"
fi
bash -n scripts/deploy.sh
echo "check-deploy: passed"
