#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora (tests/fuzz/seeds/<target>/) from the
bundled data: small, real inputs; and their dictionaries
(tests/fuzz/<target>.dict), the words each parser looks for. Run from anywhere; the seeds are
committed, so this only needs running again when the data changes.

    python3 tests/fuzz/make-seeds.py [CASEBOOK_CLI]

With the path of a built casebook-cli, pack files are also exported with it.
"""

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
SEEDS = os.path.join(HERE, "seeds")
GUIDE = os.path.join(ROOT, "data", "guide", "improving-race-equality-guide.txt")
CORPUS = os.path.join(ROOT, "data", "corpus", "guide.xml")
GOLDEN = os.path.join(ROOT, "tests", "golden", "search.txt")
NS = "urn:x-casebook:corpus"


def write(target, name, data):
    path = os.path.join(SEEDS, target, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)


def reset(target):
    shutil.rmtree(os.path.join(SEEDS, target), ignore_errors=True)


def guide_lines():
    with open(GUIDE, encoding="utf-8") as f:
        return f.read().split("\n")


def find(lines, text, start=0):
    for i in range(start, len(lines)):
        if lines[i] == text:
            return i
    raise SystemExit(f"{text!r} is not in the guide after line {start + 1}")


# Citations: every line of the guide's reference list
def citations():
    reset("fuzz-citation")
    lines = guide_lines()
    start = max(i for i, line in enumerate(lines) if line == "References") + 1
    end = find(lines, "Acknowledgements", start)
    seen = []
    for line in lines[start:end]:
        line = line.strip()
        if not line or re.match(r"^(Inset boxes|Case studies|Inset box|Case study)\b", line) and len(line) < 200 and "(" not in line:
            continue
        if line not in seen:
            seen.append(line)
    for i, line in enumerate(seen):
        write("fuzz-citation", f"guide-{i + 1:02d}.txt", line)


# Queries: the golden searches, and one of each kind of syntax
def queries():
    reset("fuzz-query")
    n = 0
    with open(GOLDEN, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            n += 1
            write("fuzz-query", f"golden-{n:02d}.txt", line.split("\t")[0])
    for name, text in [
        ("syntax-all", '"pulse oximeter" -skin OR hypertens* NOT race country:NZ type:"cultural safety" chapter:5 kind:case design:rct'),
        ("doi", "doi:10.1002/hec.4645 https://doi.org/10.1136/bmj.h3297"),
        ("filters-only", "country:Aotearoa intervention:social-prescribing kind:inset_box"),
        ("unclosed", 'country:"New Zeal -"unclosed phrase*'),
        ("operators", "OR AND NOT - -- * ** \"\" : country: a:b"),
        ("unicode", "Māori Ngā Pou Tūhono équité \u200b\u00a0tab\there"),
    ]:
        write("fuzz-query", f"{name}.txt", text)


# Guide texts: the bundled guide cut down to a few chapters, each a
# complete guide the importer takes (contents, headings, reference list)
def guides():
    reset("fuzz-guide-importer")
    lines = guide_lines()
    contents = find(lines, "Contents")
    contents_end = next(i for i in range(contents, len(lines)) if lines[i].startswith("Case studies\t")) + 1
    toc = lines[contents + 1:contents_end]
    body_start = find(lines, "Introduction", contents_end)
    refs = max(i for i, line in enumerate(lines) if line == "References")
    inset_refs = find(lines, "Inset boxes", refs)
    case_refs = find(lines, "Case studies", inset_refs)
    acknowledgements = find(lines, "Acknowledgements", case_refs)

    def entries(heading_lines, chapters):
        """The reference-list entries ("Case study 1.2.1: ...") of @chapters"""
        out, keep = [], False
        for line in heading_lines:
            m = re.match(r"^(Inset box|Case study):? *:?\s*(\d+)\.", line)
            if m:
                keep = int(m.group(2)) in chapters
            if keep:
                out.append(line)
        return out

    def make(chapters, intro_paragraphs, with_next_steps):
        keep_toc, body = [], []
        # front matter: the Introduction only, a few paragraphs of it
        keep_toc.append(next(t for t in toc if t.startswith("Introduction\t")))
        intro = lines[body_start:find(lines, "Message from the Chairs", body_start)]
        paragraphs = [l for l in intro[1:] if l.strip()]
        body += ["Introduction", ""] + sum(([p, ""] for p in paragraphs[:intro_paragraphs]), [])
        for c in chapters:
            start = next(i for i, t in enumerate(toc) if t.startswith(f"Chapter {c}:"))
            end = start + 1
            while end < len(toc) and re.match(rf"^{c}\.\d", toc[end]):
                end += 1
            keep_toc += [t for t in toc[start:end] if t.strip()]
            heading = toc[start].split("\t")[0]
            b = find(lines, heading, contents_end)
            following = [i for i in range(b + 1, len(lines)) if re.match(r"^Chapter \d+:", lines[i])]
            e = following[0] if following else max(i for i in range(b, len(lines)) if lines[i] == "Conclusion" and i < refs)
            body += lines[b:e]
        # back matter: the Conclusion (and Next Steps) close the body
        conclusion = find(lines, "Conclusion", find(lines, "Chapter 7: " + toc[[t.startswith("Chapter 7:") for t in toc].index(True)].split("\t")[0][len("Chapter 7: "):], contents_end))
        keep_toc.append(next(t for t in toc if t.startswith("Conclusion\t")))
        next_steps = find(lines, "Next Steps", conclusion)
        if with_next_steps:
            keep_toc.append(next(t for t in toc if t.startswith("Next Steps\t")))
            body += lines[conclusion:refs]
        else:
            body += lines[conclusion:next_steps]
        keep_toc += [t for t in toc if t.split("\t")[0] in ("References", "Inset boxes", "Case studies")]
        body += ["References", "", "Inset boxes", ""]
        body += entries(lines[inset_refs + 1:case_refs], chapters) + ["", "Case studies", ""]
        body += entries(lines[case_refs + 1:acknowledgements], chapters)
        body += [""] + lines[acknowledgements:acknowledgements + 3]
        return "\n".join(lines[:contents + 1] + keep_toc + [""] + body) + "\n"

    write("fuzz-guide-importer", "chapter-1.txt", make([1], 2, False))
    write("fuzz-guide-importer", "chapter-5.txt", make([5], 1, False))
    write("fuzz-guide-importer", "chapter-7-next-steps.txt", make([7], 1, True))
    tiny = ("Title\n\nSubtitle\n\nContents\n\nIntroduction\t4\nChapter 1: One\t5\n1.1 Why it matters\t5\n"
            "1.2 What works\t6\nReferences\t9\nCase studies\t9\n\n"
            "Introduction\n\nSome text.\n\n- a list\n- of two\n\nChapter 1: One\n\n1.1 Why it matters\n\n"
            "Because.\n\n1.2 What works\n\nCASE STUDY 1.2.1\n\nA title\n\nCountry: New Zealand\n\n"
            "BACKGROUND\n\nText.\n\nKEY FINDINGS\n\n- One\n\nKEY OUTCOME\n\nDone.\n\n"
            "LESSONS LEARNED\n\nLearned.\n\nReferences\n\nCase studies\n\nCase study 1.2.1: A title\n"
            "Smith, J. (2020) A title. *Journal*, 1(2), pp. 3-4. doi:10.1000/x1\n")
    write("fuzz-guide-importer", "tiny.txt", tiny)


# Corpus files: the bundled corpus cut down to a few items of each kind and
# the references they cite; also as an update file with a good checksum,
# and single <item>/<reference> elements as the index stores them
def corpora():
    reset("fuzz-corpus-reader")
    ET.register_namespace("", NS)
    tree = ET.parse(CORPUS)
    root = tree.getroot()
    q = lambda tag: f"{{{NS}}}{tag}"

    contents = root.find(f"{q('guide')}/{q('contents')}")
    for entry in list(contents)[6:-4]:
        contents.remove(entry)

    items = root.find(q("items"))
    keep, kinds = [], {}
    for item in list(items):
        kind = item.get("kind")
        if kinds.get(kind, 0) < (2 if kind in ("case_study", "inset_box") else 1):
            kinds[kind] = kinds.get(kind, 0) + 1
            keep.append(item)
        else:
            items.remove(item)
    cited = {c.get("ref") for item in keep for c in item.iter(q("cite"))}
    cited |= {c.get("reference") for item in keep for c in item.iter(q("cite"))}
    references = root.find(q("references"))
    for reference in list(references):
        if reference.get("id") not in cited:
            references.remove(reference)
    anomalies = root.find(q("anomalies"))
    if anomalies is not None:
        for anomaly in list(anomalies)[3:]:
            anomalies.remove(anomaly)

    ET.indent(tree, "  ")
    small = ET.tostring(root, encoding="unicode", xml_declaration=False)
    small = '<?xml version="1.0" encoding="UTF-8"?>\n' + small + "\n"
    write("fuzz-corpus-reader", "small.xml", small)

    # An update file: version and checksum="sha256:HEX" on the root, HEX the
    # SHA-256 of the file with the attribute's value empty
    update = small.replace(f'format="1"', 'format="1" version="3" checksum=""', 1)
    digest = hashlib.sha256(update.encode("utf-8")).hexdigest()
    write("fuzz-corpus-reader", "update.xml", update.replace('checksum=""', f'checksum="sha256:{digest}"', 1))

    # Fragments
    for item in keep[:4]:
        text = ET.tostring(item, encoding="unicode").replace(f' xmlns="{NS}"', "")
        write("fuzz-corpus-reader", f"fragment-{item.get('id').replace(':', '-')}.xml", text)
    for reference in list(references)[:2]:
        text = ET.tostring(reference, encoding="unicode").replace(f' xmlns="{NS}"', "")
        write("fuzz-corpus-reader", f"fragment-{reference.get('id').replace(':', '-')}.xml", text)

    write("fuzz-corpus-reader", "newer.xml",
          '<?xml version="1.0"?>\n<corpus xmlns="urn:x-casebook:corpus" format="99"><guide/></corpus>\n')


# Pack files: hand-written ones covering every element, and (with a CLI)
# what Casebook itself exports
def packs(cli):
    reset("fuzz-pack-file")
    full = """<?xml version="1.0" encoding="UTF-8"?>
<pack xmlns="urn:x-casebook:pack" format="1" generator="Casebook 0.1.0">
  <name>Board briefing – March</name>
  <description>Evidence on workforce &amp; data</description>
  <audience>Trust board</audience>
  <date>2025-03-01</date>
  <created>2025-02-20T10:00:00Z</created>
  <modified>2025-02-21T09:30:00+01:00</modified>
  <corpus title="Improving race equality in your organisation" checksum="14956a533073a521465f948be4212c6a6b7d4502263deeb3de1376c2e5b3e26d"/>
  <entries>
    <entry item="case_study:4.2.4" label="Case study 4.2.4">
      <title>Cultural safety in Aotearoa</title>
      <note>Read first.
Two lines, “quotes” and &lt;angle&gt; brackets.</note>
    </entry>
    <entry item="inset_box:2.2.1" label="Inset box 2.2.1">
      <title>The Workforce Race Equality Standard</title>
    </entry>
    <entry item="recommendation:1.3.1">
      <title></title>
    </entry>
  </entries>
</pack>
"""
    write("fuzz-pack-file", "full.pack", full)
    write("fuzz-pack-file", "minimal.pack",
          '<pack xmlns="urn:x-casebook:pack" format="1"><name>P</name><entries/></pack>')
    write("fuzz-pack-file", "newer.pack",
          '<pack xmlns="urn:x-casebook:pack" format="2"><name>P</name><future/></pack>')
    if cli:
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(os.environ, SOURCE_DATE_EPOCH="1764115200", CASEBOOK_DB=os.path.join(tmp, "db.sqlite"), HOME=tmp,
                       XDG_DATA_HOME=tmp, CASEBOOK_DATA_DIR=os.path.join(ROOT, "data"))
            run = lambda *args: subprocess.run([cli, *args], env=env, check=True, capture_output=True)
            run("pack", "new", "Board")
            for item in ("case_study:1.2.1", "inset_box:4.1.1", "recommendation:1.3.1"):
                run("pack", "add", "Board", item)
            run("pack", "note", "Board", "case_study:1.2.1", "A note & <more>")
            out = os.path.join(tmp, "board.pack")
            run("pack", "export", "Board", "--format", "pack", "-o", out)
            with open(out, "rb") as f:
                write("fuzz-pack-file", "exported.pack", f.read())


def dictionaries():
    def write_dict(target, words):
        with open(os.path.join(HERE, f"{target}.dict"), "w", encoding="utf-8") as f:
            f.write(f"# {target}: words the parser looks for (written by make-seeds.py)\n")
            for word in words:
                escaped = "".join(c if " " <= c <= "~" and c not in '"\\' else
                                  "".join(f"\\x{b:02x}" for b in c.encode("utf-8")) for c in word)
                f.write(f'"{escaped}"\n')

    def schema_words(rng):
        with open(os.path.join(ROOT, "data", rng), encoding="utf-8") as f:
            text = f.read()
        words = ['<?xml version="1.0" encoding="UTF-8"?>', "<!DOCTYPE", "<!ENTITY", "&amp;", "&#13;",
                 "<![CDATA[", "]]>", "<!--", "-->", "xmlns=", "/>"]
        for kind, name in re.findall(r'<(element|attribute) name="([a-z-]+)"', text):
            words += [f"<{name}", f"</{name}>"] if kind == "element" else [f' {name}="']
        for value in sorted(set(re.findall(r"<value>([^<]+)</value>", text))):
            words.append(value)
        return list(dict.fromkeys(words))

    write_dict("fuzz-corpus-reader", schema_words("corpus.rng") + [NS])
    write_dict("fuzz-pack-file", schema_words("pack.rng") + ["urn:x-casebook:pack"])
    write_dict("fuzz-query", ["OR", "AND", "NOT", "-", '"', "*", ":", "country:", "chapter:", "kind:",
                              "type:", "intervention:", "design:", "doi:", "https://doi.org/",
                              "http://dx.doi.org/", "NZ", "Aotearoa", "case", "inset_box", "rct",
                              "cultural-safety", "\t", "\u00a0", "\u200b", "\u0301"])
    write_dict("fuzz-citation", [" (2020) ", " (2020a) ", "(n.d.)", " (eds.) ", " (ed.) ", " and ", " & ",
                                 ", ", "et al.", "*", "'", '"', "\u2018", "\u2019", "\u201c", "\u201d",
                                 "doi:", "doi: 10.1000/", "https://doi.org/10.1000/", "/doi/full/10.1000/",
                                 "Available at: <https://", ">", "[online]", "pp. ", "p. ", "(5)", ": ",
                                 "A.B.", "January", "Washington, DC: "])
    write_dict("fuzz-guide-importer", ["Contents", "\t", "\n\n", "Chapter 1: ", "1.1 ", "1.2 What works",
                                       "1.3 Recommendations", "1.4 Implementation for impact", "Introduction",
                                       "Conclusion", "Next Steps", "References", "Inset boxes", "Case studies",
                                       "Acknowledgements", "CASE STUDY 1.2.1", "INSET BOX 1.2.1",
                                       "BACKGROUND", "KEY FINDINGS", "KEY OUTCOME", "LESSONS LEARNED",
                                       "Case study 1.2.1: ", "Inset box 1.2.1: ", "Country: ", "- ", "\u2022 ",
                                       "1. ", "| ", "**", "*", "[x](#)", "<https://", "<b>", "<i>",
                                       "<a href=", "\u00b9", "\u2070\u207b\u00b2", "\u00a0", "While ",
                                       "The following case study"])


if __name__ == "__main__":
    dictionaries()
    citations()
    queries()
    guides()
    corpora()
    packs(sys.argv[1] if len(sys.argv) > 1 else None)
