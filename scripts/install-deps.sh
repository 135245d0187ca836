#!/usr/bin/env bash
# Installs the Debian packages the bridge builds and tests against, only when one is missing.
set -euo pipefail
pkgs=(libudev-dev libsqlite3-dev umockdev libumockdev-dev)
# Test-only: the throwaway PostgreSQL cluster of the central-database tests (PostgresCluster).
pkgs+=(postgresql)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
