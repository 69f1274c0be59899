#!/usr/bin/env bash
# `make locks`: regenerates requirements/dev.lock and requirements/runtime.lock from pyproject.toml, with the
# sha256 of every file PyPI has for each pinned version (so `pip install --require-hashes` checks them).
#
#   make locks                              keep every pin that still fits, add what pyproject.toml added
#   make locks UPGRADE=1                    move every pin to the newest release that fits
#   scripts/locks.sh --upgrade-package X    move one package (any option of `uv pip compile` passes through)
#
# The development lock is solved first (saylau's dependencies with its dev extra); the runtime lock is then
# solved with the development lock as a constraint, so both pin the same versions and the tests run on
# exactly what a commission installs. uv comes from the development lock itself (`.venv/bin/uv`).
set -euo pipefail
cd "$(dirname "$0")/.."
uv=${UV:-.venv/bin/uv}
options=(--universal --python-version 3.11 --generate-hashes --no-header --quiet "$@")

header() {  # header FILE WHAT INSTALL: prepend the explanation every lock carries
  local text
  text=$(cat <<EOF
# $1: $2
# Pinned with the sha256 of every file PyPI has for each version; install with
#     $3
# Do not edit by hand. After changing pyproject.toml's dependencies or its dev extra, regenerate both locks
# with one command (scripts/locks.sh, uv pip compile --universal --python-version 3.11 --generate-hashes):
#     make locks                (keeps the pins that still fit; \`make locks UPGRADE=1\` takes the newest)
EOF
)
  printf '%s\n' "$text" | cat - "$1" >"$1.new"
  mv "$1.new" "$1"
}

strip_header() {  # uv keeps the pins of an existing output file as preferences; drop our comment lines first
  [ -f "$1" ] && sed -i '/^# /d' "$1"
  return 0
}

mkdir -p requirements
strip_header requirements/dev.lock
strip_header requirements/runtime.lock
"$uv" pip compile pyproject.toml --extra dev "${options[@]}" -o requirements/dev.lock
"$uv" pip compile pyproject.toml -c requirements/dev.lock "${options[@]}" -o requirements/runtime.lock
header requirements/dev.lock \
  "saylau's dependencies and its dev extra (tests, linters, the peers benchmarks compare with, release tools)." \
  "pip install --require-hashes -r requirements/dev.lock   (make demo and make test do this in .venv)"
header requirements/runtime.lock \
  "what saylau needs to run, and nothing else (pyproject.toml's dependencies)." \
  "pip install --require-hashes -r requirements/runtime.lock   then saylau's wheel with --no-deps"
echo "wrote requirements/dev.lock and requirements/runtime.lock"
