#!/bin/sh
# Installs the build into a temporary DESTDIR and checks that everything a
# desktop expects is where it should be: the programs, the desktop file
# (which must still validate), the AppStream metainfo, the icons, the MIME
# types, the GSettings schema, the data the programs read and a catalogue
# for every language in po/LINGUAS. The post-install hooks (schema
# compiling, icon cache, desktop database) skip themselves under DESTDIR.
#
# usage: check-install.sh MESON BUILD-DIR PREFIX BINDIR DATADIR LOCALEDIR
#                         LINGUAS GUI(true|false) DESKTOP-FILE-VALIDATE APPSTREAMCLI
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

meson=$1 build=$2 prefix=$3 bindir=$4 datadir=$5 localedir=$6 linguas=$7 gui=$8
desktop_file_validate=$9 appstreamcli=${10}
app_id=io.github.casebook.Casebook

# Options may be absolute or relative to the prefix
under_prefix () {
  case $1 in
    /*) echo "$1" ;;
    *) echo "$prefix/$1" ;;
  esac
}

destdir=$(mktemp -d)
trap 'rm -rf "$destdir"' EXIT

if ! "$meson" install -C "$build" --destdir "$destdir" --no-rebuild --quiet >"$destdir.log" 2>&1; then
  sed 's/^/# /' "$destdir.log"
  echo "Bail out! meson install failed"
  rm -f "$destdir.log"
  exit 1
fi
rm -f "$destdir.log"

bin=$destdir$(under_prefix "$bindir")
share=$destdir$(under_prefix "$datadir")
locale=$destdir$(under_prefix "$localedir")

expected="$bin/casebook-cli
$share/glib-2.0/schemas/$app_id.gschema.xml
$share/casebook/corpus/guide.xml
$share/casebook/guide/improving-race-equality-guide.txt
$share/casebook/taxonomy.xml
$share/casebook/taxonomy.rng
$share/casebook/corpus.rng
$share/casebook/pack.rng"

if [ "$gui" = true ]; then
  expected="$expected
$bin/casebook
$share/applications/$app_id.desktop
$share/metainfo/$app_id.metainfo.xml
$share/icons/hicolor/scalable/apps/$app_id.svg
$share/icons/hicolor/symbolic/apps/$app_id-symbolic.svg
$share/mime/packages/$app_id.xml"
fi

# Every language po/LINGUAS lists has its catalogue
for lang in $(sed -e 's/#.*//' "$linguas"); do
  expected="$expected
$locale/$lang/LC_MESSAGES/casebook.mo"
done

fail=0
n=0
newline='
'
IFS=$newline
for file in $expected; do
  n=$((n + 1))
  if [ -f "$file" ] && [ -s "$file" ] && { [ "${file#"$bin"/}" = "$file" ] || [ -x "$file" ]; }; then
    echo "ok $n - ${file#"$destdir"}"
  elif [ -f "$file" ] && [ -s "$file" ]; then
    echo "not ok $n - ${file#"$destdir"} is not executable"
    fail=1
  else
    echo "not ok $n - ${file#"$destdir"} is not installed"
    fail=1
  fi
done
unset IFS

if [ "$gui" = true ]; then
  desktop=$share/applications/$app_id.desktop
  if [ -f "$desktop" ]; then
    n=$((n + 1))
    if out=$("$desktop_file_validate" "$desktop" 2>&1) && [ -z "$out" ]; then
      echo "ok $n - the installed desktop file validates"
    else
      echo "not ok $n - the installed desktop file does not validate:"
      echo "$out" | sed 's/^/# /'
      fail=1
    fi
  fi
  metainfo=$share/metainfo/$app_id.metainfo.xml
  if [ -f "$metainfo" ]; then
    n=$((n + 1))
    if out=$("$appstreamcli" validate --no-net "$metainfo" 2>&1); then
      echo "ok $n - the installed metainfo validates"
    else
      echo "not ok $n - the installed metainfo does not validate:"
      echo "$out" | sed 's/^/# /'
      fail=1
    fi
  fi
fi

echo "1..$n"
exit $fail
