"""Write docs/docsite/rst/design.rst from docs/design.md (the design notes have one source).

    python scripts/design_rst.py [--check]

Handles what docs/design.md uses: headings, paragraphs, bullet lists, pipe tables, inline code,
bold and links. --check compares instead of writing and fails when the page is out of date
(scripts/test.sh runs it so in its docs step).
"""

import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = os.path.join(ROOT, "docs", "design.md")
TARGET = os.path.join(ROOT, "docs", "docsite", "rst", "design.rst")
LABEL = ".. _ansible_collections.sinch.numbers.docsite.design:"
UNDERLINES = {1: "=", 2: "-", 3: "~"}


def inline(text):
    """Markdown inline markup as RST: ``code``, **bold**, `text <url>`_ links."""
    out = []
    for part in re.split(r"(`[^`]+`)", text):
        if len(part) > 1 and part.startswith("`") and part.endswith("`"):
            if out and out[-1] and re.match(r"[A-Za-z0-9]", out[-1][-1]):
                out.append("\\ ")
            out.append("``%s``" % part[1:-1])
            continue
        if out and out[-1].endswith("``") and re.match(r"[A-Za-z0-9]", part):
            out.append("\\ ")
        part = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"`\1 <\2>`_", part)
        out.append(part)
    return "".join(out)


def table(rows):
    cells = [[c.strip() for c in row.strip().strip("|").split("|")] for row in rows]
    cells = [row for row in cells if not all(re.fullmatch(r":?-+:?", c) for c in row)]
    lines = [".. list-table::", "   :header-rows: 1", ""]
    for row in cells:
        for index, cell in enumerate(row):
            lines.append(("   * - " if index == 0 else "     - ") + (inline(cell) or "\\ "))
    return lines + [""]


def convert(markdown):
    lines = markdown.splitlines()
    out = [LABEL, "", ".. This page is generated from docs/design.md by scripts/design_rst.py; edit that file.", ""]
    index = 0
    while index < len(lines):
        line = lines[index]
        heading = re.match(r"^(#+)\s+(.*)$", line)
        if heading:
            title = inline(heading.group(2).strip())
            out += [title, UNDERLINES[len(heading.group(1))] * len(title), ""]
            index += 1
            continue
        if line.startswith("|"):
            rows = []
            while index < len(lines) and lines[index].startswith("|"):
                rows.append(lines[index])
                index += 1
            out += table(rows)
            continue
        out.append(inline(line) if line.strip() else "")
        index += 1
    text = "\n".join(out)
    text = re.sub(r"\n{3,}", "\n\n", text).rstrip("\n") + "\n"
    return text


def broken_code_spans(markdown):
    """Line numbers of lines with an odd number of backticks: a code span across lines, which the
    line-by-line conversion cannot keep (Sphinx then warns about an inline literal)."""
    return [number for number, line in enumerate(markdown.splitlines(), 1) if line.count("`") % 2]


def main():
    with open(SOURCE, encoding="utf-8") as handle:
        markdown = handle.read()
    broken = broken_code_spans(markdown)
    if broken:
        sys.exit("ERROR: docs/design.md has a code span across lines (lines %s): keep each `...` on one line"
                 % ", ".join(str(number) for number in broken))
    wanted = convert(markdown)
    if "--check" in sys.argv[1:]:
        current = open(TARGET, encoding="utf-8").read() if os.path.exists(TARGET) else None
        if current != wanted:
            sys.exit("ERROR: docs/docsite/rst/design.rst is not up to date with docs/design.md: "
                     "run python scripts/design_rst.py and commit it")
        print("docs/docsite/rst/design.rst matches docs/design.md")
        return
    with open(TARGET, "w", encoding="utf-8") as handle:
        handle.write(wanted)
    print("wrote docs/docsite/rst/design.rst")


if __name__ == "__main__":
    main()
