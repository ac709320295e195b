#!/bin/sh
# Checks the shared-mime-info file: well-formed, both of Casebook's types
# declared with their globs and root elements, and accepted by
# update-mime-database.
#
# usage: check-mime.sh XMLLINT UPDATE-MIME-DATABASE MIME.xml
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

xmllint=$1
update_mime_database=$2
file=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$xmllint" --noout --nonet "$file" || exit 1

fail=0
check () {
  count=$("$xmllint" --nonet --xpath "count($1)" "$file")
  if [ "$count" != 1 ]; then
    echo "$file: expected one match of $1, found $count"
    fail=1
  fi
}

mime='/*[local-name()="mime-info"]/*[local-name()="mime-type"]'
check "$mime[@type=\"application/x-casebook-pack\"]"
check "$mime[@type=\"application/x-casebook-pack\"]/*[local-name()=\"glob\"][@pattern=\"*.casebook-pack\"]"
check "$mime[@type=\"application/x-casebook-pack\"]/*[local-name()=\"root-XML\"][@namespaceURI=\"urn:x-casebook:pack\"][@localName=\"pack\"]"
check "$mime[@type=\"application/x-casebook-pack\"]/*[local-name()=\"sub-class-of\"][@type=\"application/xml\"]"
check "$mime[@type=\"application/x-casebook-corpus-update\"]"
check "$mime[@type=\"application/x-casebook-corpus-update\"]/*[local-name()=\"glob\"][@pattern=\"*.casebook-update\"]"
check "$mime[@type=\"application/x-casebook-corpus-update\"]/*[local-name()=\"root-XML\"][@namespaceURI=\"urn:x-casebook:corpus\"][@localName=\"corpus\"]"
check "$mime[@type=\"application/x-casebook-corpus-update\"]/*[local-name()=\"sub-class-of\"][@type=\"application/xml\"]"

# update-mime-database reports what it does not understand on stderr
mkdir -p "$tmp/mime/packages"
cp "$file" "$tmp/mime/packages/io.github.casebook.Casebook.xml"
if ! XDG_DATA_DIRS="$tmp" "$update_mime_database" "$tmp/mime" 2>"$tmp/err" || [ -s "$tmp/err" ]; then
  echo "update-mime-database refused $file:"
  cat "$tmp/err"
  fail=1
fi
for type in application/x-casebook-pack application/x-casebook-corpus-update; do
  if ! grep -q "^$type\$" "$tmp/mime/types"; then
    echo "update-mime-database did not register $type"
    fail=1
  fi
done
exit $fail
