#!/usr/bin/env bash
# Builds the release: one self-contained single-file linux-x64 executable, artifacts/catchat.
# The target machine needs no .NET; `catchat --version` names the commit it was built from.
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-artifacts}"
staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT

# Its own build directories (--artifacts-path): building with DebugType=none into the projects' usual bin/ and
# obj/ would remove the .pdb files that a concurrent or later Release build of the tests copies.
dotnet publish src/CatChat/CatChat.csproj -c Release -r linux-x64 --self-contained \
  -p:PublishSingleFile=true -p:DebugType=none \
  --artifacts-path "$staging/build" -o "$staging/out" --nologo -v quiet

mkdir -p "$out"
install -m 0755 "$staging/out/CatChat" "$out/catchat"
echo "$out/catchat: $("$out/catchat" --version)"
