#!/usr/bin/env python3
# check-po.py: po/POTFILES.in is complete and sorted, and every translation
# in po/LINGUAS is valid and complete.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: check-po.py SOURCE_ROOT          run the checks (exit 0 pass, 1 fail, 77 skip)
#        check-po.py --list SOURCE_ROOT   print what POTFILES.in should contain

import os
import re
import shutil
import subprocess
import sys
import tempfile

# The keywords of meson's i18n "glib" preset, on top of xgettext's defaults
# (which include gettext, ngettext, pgettext...), plus the same -k_ meson adds.
XGETTEXT_ARGS = [
    '--from-code=UTF-8',
    '--add-comments',
    '-k_',
    '--keyword=_',
    '--keyword=N_',
    '--keyword=C_:1c,2',
    '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2',
    '--keyword=g_dngettext:2,3',
    '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format',
    '--flag=C_:2:pass-c-format',
    '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format',
    '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format',
    '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format',
    '--flag=g_set_error:4:c-format',
    '--flag=g_markup_printf_escaped:1:c-format',
    '--flag=g_log:3:c-format',
    '--flag=g_print:1:c-format',
    '--flag=g_printerr:1:c-format',
    '--flag=g_printf:1:c-format',
    '--flag=g_fprintf:2:c-format',
    '--flag=g_sprintf:2:c-format',
    '--flag=g_snprintf:3:c-format',
]

C_KEYWORD = re.compile(
    r'(?<![A-Za-z0-9_])'
    r'(_|N_|C_|NC_|Q_|gettext|ngettext|pgettext|npgettext|dgettext|dngettext|'
    r'g_dgettext|g_dngettext|g_dcgettext|g_dpgettext|g_dpgettext2)'
    r'\s*\(')
UI_TRANSLATABLE = re.compile(r'''\btranslatable\s*=\s*["'](yes|true|1)["']''', re.IGNORECASE)
GSCHEMA_TRANSLATABLE = re.compile(r'<(summary|description)\b[^>]*>\s*[^<\s]')
DESKTOP_TRANSLATABLE = re.compile(r'^(Name|GenericName|Comment|Keywords|X-GNOME-FullName)=\S',
                                  re.MULTILINE)
METAINFO_TRANSLATABLE = re.compile(
    r'<(name|summary|description|p|li|caption|developer_name|keyword)\b(?![^>]*translate="no")[^>]*>')


def strip_c(text):
    """The C source without comments, string and character literals (so a
    keyword inside a comment or a string does not count) and without
    #define lines (so a definition of _() does not count)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith('/*', i):
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append('\n' * text.count('\n', i, j))
            i = j
        elif text.startswith('//', i):
            j = text.find('\n', i)
            i = n if j < 0 else j
        elif c in '"\'':
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == '\\' else 1
            out.append(c + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return re.sub(r'^[ \t]*#[ \t]*define\b.*$', '', ''.join(out), flags=re.MULTILINE)


def has_translatable(root, rel):
    path = os.path.join(root, rel)
    try:
        with open(path, encoding='utf-8') as f:
            text = f.read()
    except (OSError, UnicodeDecodeError):
        return False
    if rel.endswith(('.c', '.h')):
        return bool(C_KEYWORD.search(strip_c(text)))
    if rel.endswith('.ui'):
        return bool(UI_TRANSLATABLE.search(text))
    if rel.endswith('.gschema.xml'):
        return bool(GSCHEMA_TRANSLATABLE.search(text))
    if rel.endswith('.desktop.in'):
        return bool(DESKTOP_TRANSLATABLE.search(text))
    if rel.endswith(('.metainfo.xml.in', '.appdata.xml.in')):
        return bool(METAINFO_TRANSLATABLE.search(text))
    return False


def candidates(root):
    found = []
    for top, exts in (('app', ('.c', '.h')), ('ui', ('.ui',))):
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames.sort()
            for name in filenames:
                if name.endswith(exts):
                    found.append(os.path.relpath(os.path.join(dirpath, name), root))
    data = os.path.join(root, 'data')
    if os.path.isdir(data):
        for name in os.listdir(data):
            if name.endswith(('.in', '.gschema.xml')):
                found.append('data/' + name)
    return sorted(p.replace(os.sep, '/') for p in found)


def expected_potfiles(root):
    return sorted(p for p in candidates(root) if has_translatable(root, p))


def read_list(path):
    with open(path, encoding='utf-8') as f:
        return [line.strip() for line in f
                if line.strip() and not line.lstrip().startswith('#')]


def main(argv):
    listing = '--list' in argv
    args = [a for a in argv[1:] if a != '--list']
    root = os.path.abspath(args[0] if args else os.path.join(os.path.dirname(__file__), '..'))
    if listing:
        print('\n'.join(expected_potfiles(root)))
        return 0

    failures = []
    podir = os.path.join(root, 'po')

    # POTFILES.in
    potfiles_path = os.path.join(podir, 'POTFILES.in')
    listed = read_list(potfiles_path) if os.path.exists(potfiles_path) else []
    if not listed:
        failures.append('po/POTFILES.in is missing or empty')
    if listed != sorted(listed):
        failures.append('po/POTFILES.in is not sorted (LC_ALL=C sort)')
    if len(set(listed)) != len(listed):
        failures.append('po/POTFILES.in lists a file twice')
    for rel in listed:
        if not os.path.exists(os.path.join(root, rel)):
            failures.append(f'po/POTFILES.in lists {rel}, which does not exist')
        elif not has_translatable(root, rel):
            failures.append(f'po/POTFILES.in lists {rel}, which has no translatable strings')
    for rel in expected_potfiles(root):
        if rel not in listed:
            failures.append(f'{rel} has translatable strings but is missing from po/POTFILES.in')

    # LINGUAS and the translations
    linguas = []
    for line in read_list(os.path.join(podir, 'LINGUAS')):
        linguas.extend(line.split())
    for name in sorted(os.listdir(podir)):
        if name.endswith('.po') and name[:-3] not in linguas:
            failures.append(f'po/{name} is not in po/LINGUAS')

    msgfmt = shutil.which('msgfmt')
    xgettext = shutil.which('xgettext')
    msgcmp = shutil.which('msgcmp')
    if linguas and not (msgfmt and xgettext and msgcmp):
        for failure in failures:
            print('not ok:', failure)
        print('gettext tools (msgfmt, xgettext, msgcmp) not found; skipping the translation checks')
        return 1 if failures else 77

    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, 'casebook.pot')
        existing = [p for p in listed if os.path.exists(os.path.join(root, p))]
        listfile = os.path.join(tmp, 'POTFILES')
        with open(listfile, 'w', encoding='utf-8') as f:
            f.write('\n'.join(existing) + '\n')
        result = subprocess.run([xgettext, '--package-name=casebook', '-f', listfile, '-D', root,
                                 '-o', pot] + XGETTEXT_ARGS,
                                capture_output=True, text=True)
        if result.returncode != 0 or not os.path.exists(pot):
            failures.append('xgettext failed: ' + result.stderr.strip())
            pot = None

        for lang in linguas:
            po = os.path.join(podir, lang + '.po')
            if not os.path.exists(po):
                failures.append(f'po/LINGUAS lists {lang} but po/{lang}.po does not exist')
                continue
            result = subprocess.run([msgfmt, '--check', '--statistics', '-o', os.devnull, po],
                                    capture_output=True, text=True, env=dict(os.environ, LC_ALL='C'))
            stats = result.stderr.strip()
            print(f'# {lang}.po: {stats.splitlines()[-1] if stats else ""}')
            if result.returncode != 0:
                failures.append(f'msgfmt --check fails on po/{lang}.po:\n{stats}')
            elif re.search(r'\b(fuzzy|untranslated)\b', stats):
                failures.append(f'po/{lang}.po has fuzzy or untranslated messages: {stats}')
            if pot:
                # msgcmp fails on any msgid of the template that the
                # translation lacks, or has only untranslated or fuzzy.
                result = subprocess.run([msgcmp, po, pot], capture_output=True, text=True,
                                        env=dict(os.environ, LC_ALL='C'))
                if result.returncode != 0:
                    failures.append(f'po/{lang}.po is out of date with the sources '
                                    f'(translate the new messages):\n{result.stderr.strip()}')

    if failures:
        for failure in failures:
            print('not ok:', failure)
        return 1
    print(f'ok: {len(listed)} files in po/POTFILES.in; translations complete: {" ".join(linguas)}')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
