#!/usr/bin/env bash
# Installs what building and testing Cogwheel needs on a fresh Debian machine. Idempotent.
set -euo pipefail

packages=(libsqlite3-dev libffi-dev libcurl4-openssl-dev zlib1g-dev)
missing=()
for package in "${packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}"
    sudo_cmd=""
    [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Python packages for the interoperability tests and benchmarks: an unmodified discord.py client
# runs against the simulator, jsonschema checks request bodies against Discord's OpenAPI spec,
# and PyYAML parses the deployment files.
if ! python3 -c 'import discord, jsonschema, yaml' >/dev/null 2>&1; then
    echo "setup: installing discord.py, jsonschema and PyYAML from PyPI"
    python3 -m pip install --quiet --disable-pip-version-check "discord.py>=2.4,<3" "jsonschema>=4.18" "pyyaml>=6"
fi
