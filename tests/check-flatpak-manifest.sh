#!/bin/sh
# Checks the Flatpak manifest offline: flatpak-builder must parse it with
# no warning at all (an unknown key only warns), and the sandbox must ask
# for no network and no file system access (files come through portals).
#
# usage: check-flatpak-manifest.sh FLATPAK-BUILDER MANIFEST
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

builder=$1
manifest=$(realpath "$2")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# flatpak-builder keeps its state (even for --show-manifest) in the
# current folder: keep it out of the source tree
cd "$tmp" || exit 1
"$builder" --show-manifest "$manifest" >"$tmp/out" 2>"$tmp/err"
status=$?

fail=0
if [ $status -ne 0 ]; then
  echo "flatpak-builder --show-manifest failed with status $status:"
  cat "$tmp/err"
  exit 1
fi
if [ -s "$tmp/err" ]; then
  echo "flatpak-builder complained about $manifest:"
  cat "$tmp/err"
  fail=1
fi
if grep -q -e '--filesystem' -e '--share=network' -e '--socket=x11"' "$tmp/out"; then
  echo "the manifest grants more than the app needs:"
  grep -e '--filesystem' -e '--share=network' -e '--socket=x11"' "$tmp/out"
  fail=1
fi
for key in '"id" : "io.github.casebook.Casebook"' '"command" : "casebook"' '"runtime" : "org.gnome.Platform"'; do
  if ! grep -q -F "$key" "$tmp/out"; then
    echo "the manifest lacks $key"
    fail=1
  fi
done
exit $fail
