#!/usr/bin/env python3
"""Counts dead links in generated Markdown pages.

    scripts/dead-links.py DOCS_DIR...

The rule of tests/corpus.rs: every `[text](target)` link outside code spans
and fenced code must leave the pages (a scheme such as `https:` or
`mailto:`) or name a page that exists beside it (an `#anchor` after the file
is ignored). Prints each dead link as `page: target` and the totals;
exits 1 when there is any.
"""
import os
import re
import sys

LINK = re.compile(r"\[[^\]]*\]\(([^)\s]*)\)")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def links(text):
    in_fence = False
    for line in text.split("\n"):
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        # Code spans are not links.
        line = re.sub(r"`[^`]*`", "", line)
        for match in LINK.finditer(line):
            yield match.group(1)


def main(dirs):
    checked = dead = 0
    for docs in dirs:
        for root, _, files in os.walk(docs):
            for name in sorted(files):
                if not name.endswith(".md"):
                    continue
                page = os.path.join(root, name)
                with open(page, encoding="utf-8") as f:
                    text = f.read()
                for target in links(text):
                    checked += 1
                    if SCHEME.match(target) or target.startswith("//"):
                        continue
                    file_part = target.split("#", 1)[0]
                    if file_part and os.path.isfile(os.path.join(root, file_part)):
                        continue
                    if not file_part and target.startswith("#"):
                        continue
                    dead += 1
                    print(f"{page}: dead link {target!r}")
    print(f"links checked: {checked}; dead: {dead}")
    return 1 if dead else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
