#!/usr/bin/env python3
# read-csv.py: reads a CSV file with Python's csv module (strict RFC 4180
# quoting) and prints its rows as a JSON array of arrays of strings, UTF-8,
# on stdout. Used by tests/test-export-data.c to check Casebook's CSV with
# a parser that is not Casebook's.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import csv
import json
import sys


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: read-csv.py FILE.csv\n")
        return 2

    # newline='' hands CR and LF inside quoted fields to the csv module as
    # they are; utf-8 (not utf-8-sig) so that a byte order mark would show
    with open(argv[1], encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, dialect="excel", strict=True))

    sys.stdout.buffer.write(json.dumps(rows, ensure_ascii=False).encode("utf-8"))
    sys.stdout.buffer.write(b"\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
