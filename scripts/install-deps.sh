#!/usr/bin/env bash
# Installs what building and testing CatChat needs on a fresh Debian 12 machine. Idempotent.
set -euo pipefail

if ! command -v dotnet >/dev/null 2>&1; then
  echo "install-deps: the .NET 10 SDK is required (dotnet not found on PATH)" >&2
  exit 1
fi

# Tools the tests and the README's examples use; installed only when missing.
need=()
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v nc >/dev/null 2>&1 || need+=(netcat-openbsd)
if [ "${#need[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
