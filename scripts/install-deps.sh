#!/usr/bin/env bash
# Installs the Debian packages the bridge builds and tests against, only when one is missing.
set -euo pipefail
pkgs=(libudev-dev libsqlite3-dev umockdev libumockdev-dev)
# Test-only: the session report's browser test (headless Chromium, pdftoppm).
pkgs+=(chromium poppler-utils)
# Test-only: the throwaway PostgreSQL cluster of the central-database tests (PostgresCluster).
pkgs+=(postgresql)
# Test-only: the install test (scripts/test-install.sh) builds the .deb (dpkg-dev) and verifies
# the units (systemd-analyze, in the systemd package); man pages are generated with python3.
pkgs+=(dpkg-dev systemd python3)
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

# Test-only PyPI packages: the HL7 v2 peer (python-hl7's MLLP server, hl7apy's v2.6 validation)
# and the FHIR R4 validator (fhir.resources 5.x) of the forwarder's tests (issue 16).
peers=('hl7==0.4.5' 'hl7apy==1.3.5' 'fhir.resources==5.1.1')
if ! python3 -c 'import hl7, hl7apy, fhir.resources' 2>/dev/null; then
  if ! python3 -m pip --version >/dev/null 2>&1; then
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-pip >/dev/null
  fi
  # Debian's own python3 refuses pip outside a venv (PEP 668): these are test-only peers, so they
  # go to the user's site-packages there.
  python3 -m pip install -q "${peers[@]}" 2>/dev/null \
    || python3 -m pip install -q --user --break-system-packages "${peers[@]}"
fi
# openssl makes the mllps:// test's self-signed certificate.
if ! command -v openssl >/dev/null; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq openssl >/dev/null
fi
