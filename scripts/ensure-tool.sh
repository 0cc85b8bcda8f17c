#!/usr/bin/env bash
# Installs a tool the tests need under the cache directory, once, and prints the path of its
# executable: a Python emulator into its own virtualenv, or the fakecloud harness built with cargo
# (see below). Own virtualenvs because the emulators pin botocore
# versions that would break a system-wide awscli. The test harnesses find the executables at
# these paths without being told (and run this script themselves when one is missing).
#
#   scripts/ensure-tool.sh ministack   -> MiniStack 1.5.33 (verifies SRP, SECRET_HASH, TOTP)
#   scripts/ensure-tool.sh moto        -> moto 5.2.5 server (speaks MFA_SETUP and SMS_MFA)
#   scripts/ensure-tool.sh fakecloud   -> tools/fakecloud-server built with cargo: fakecloud 0.51.0's
#                                         Cognito service alone (verifies WebAuthn packed
#                                         self-attestation); see the fakecloud section below
#
# Cache directory: $COGNITO_AUTH_CACHE, default ~/.cache/cognito-auth.
#
# Safe when several run at once (parallel tests, two terminals, CI steps): the install runs under
# an exclusive lock (flock on CACHE/NAME.lock), and a virtualenv counts as installed only once
# the marker file CACHE/NAME/.cognito-auth-installed exists, written after pip finished and the
# package imports. A virtualenv without the marker (an interrupted or concurrent install, or one
# made by an older version of this script) is never used as it is: the next run, under the lock,
# keeps it if `pip check` passes, every file the packages' RECORDs list exists and the package
# imports, else deletes and rebuilds it.
# Virtualenvs are not relocatable (their scripts name their own path), so "atomic" means the
# marker, not a rename.
set -euo pipefail
cache="${COGNITO_AUTH_CACHE:-$HOME/.cache/cognito-auth}"

# fakecloud (AGPL-3.0-or-later) is never a dependency of the project's crates: tools/fakecloud-server
# is its own cargo workspace (a 100-line main.rs over the crates fakecloud-core and
# fakecloud-cognito =0.51.0, every version pinned by its Cargo.lock), built here with
# `cargo build --release --locked` into CACHE/fakecloud-0.51.0-HASH/bin, where HASH covers the
# harness's Cargo.toml (not its comments), Cargo.lock and main.rs, so an edited harness is
# rebuilt. The same lock and completion marker as below; the build directory (~400 MB) is deleted
# once the binary is copied out. A cold build takes 1.5 to 3 minutes on 2 cores (README "Testing
# in detail").
if [ "${1:-}" = fakecloud ]; then
  src="$(cd "$(dirname "$0")/../tools/fakecloud-server" && pwd)"
  # Comment lines of Cargo.toml do not count: editing them needs no rebuild.
  hash=$({ grep -v '^[[:space:]]*#' "$src/Cargo.toml"; cat "$src/Cargo.lock" "$src/src/main.rs"; } |
    sha256sum | cut -c1-12)
  dir="$cache/fakecloud-0.51.0-$hash"
  exe="$dir/bin/fakecloud-cognito-server"
  marker="$dir/.cognito-auth-installed"
  if ! { [ -f "$marker" ] && [ -x "$exe" ]; }; then
    mkdir -p "$cache"
    exec 9>"$cache/fakecloud-0.51.0.lock"
    if ! flock --wait 1800 9; then
      echo "ensure-tool: another build of fakecloud held $cache/fakecloud-0.51.0.lock for 30 minutes" >&2
      exit 1
    fi
    if ! { [ -f "$marker" ] && [ -x "$exe" ]; }; then
      echo "ensure-tool: building $src (fakecloud-cognito 0.51.0) into $dir" >&2
      rm -rf "$dir"
      build="$cache/fakecloud-0.51.0-build"
      started=$(date +%s)
      # Its own target directory: never the project's (CARGO_TARGET_DIR may be set for that).
      CARGO_TARGET_DIR="$build" cargo build --release --locked --quiet \
        --manifest-path "$src/Cargo.toml" >&2
      mkdir -p "$dir/bin"
      cp "$build/release/fakecloud-cognito-server" "$exe.tmp"
      mv "$exe.tmp" "$exe"
      rm -rf "$build"
      echo "ensure-tool: built fakecloud-cognito-server in $(($(date +%s) - started)) s" >&2
      date -u +%Y-%m-%dT%H:%M:%SZ >"$marker.tmp"
      mv "$marker.tmp" "$marker"
    fi
    exec 9>&-
  fi
  echo "$exe"
  exit 0
fi

case "${1:-}" in
  ministack) spec="ministack==1.5.33"; dir="ministack-1.5.33"; exe="ministack"; module="ministack" ;;
  moto) spec="moto[server,cognitoidp]==5.2.5"; dir="moto-5.2.5"; exe="moto_server"; module="moto" ;;
  *) echo "usage: $0 ministack|moto|fakecloud" >&2; exit 2 ;;
esac
venv="$cache/$dir"
marker="$venv/.cognito-auth-installed"

installed() { [ -f "$marker" ] && [ -x "$venv/bin/$exe" ]; }

if ! installed; then
  mkdir -p "$cache"
  exec 9>"$cache/$dir.lock"
  if ! flock --wait 900 9; then
    echo "ensure-tool: another install of $dir held $cache/$dir.lock for 15 minutes" >&2
    exit 1
  fi
  # Whoever held the lock before may have finished the install.
  if ! installed; then
    # Complete: the executable, consistent requirements, every file each installed package's
    # RECORD lists, and the package imports.
    complete() {
      [ -x "$venv/bin/$exe" ] \
        && "$venv/bin/pip" check --disable-pip-version-check >/dev/null 2>&1 \
        && "$venv/bin/python" - "$module" >/dev/null 2>&1 <<'PY'
import importlib, importlib.metadata, sys
missing = [str(f) for d in importlib.metadata.distributions() for f in (d.files or ())
           if not f.locate().exists()]
importlib.import_module(sys.argv[1])
sys.exit(1 if missing else 0)
PY
    }
    if [ -x "$venv/bin/$exe" ] && complete; then
      echo "ensure-tool: $venv is complete; marking it installed" >&2
    else
      echo "ensure-tool: installing $spec into $venv" >&2
      rm -rf "$venv"
      python3 -m venv "$venv" >&2
      "$venv/bin/pip" install --quiet --disable-pip-version-check "$spec" >&2
      complete || { echo "ensure-tool: $venv is incomplete after the install" >&2; exit 1; }
    fi
    date -u +%Y-%m-%dT%H:%M:%SZ >"$marker.tmp"
    mv "$marker.tmp" "$marker"
  fi
  exec 9>&-
fi
echo "$venv/bin/$exe"
