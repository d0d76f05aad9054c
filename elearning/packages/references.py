"""The names of a course's files in Markdown: in a course a file is `media:12` (the id of its `CourseMedia` row),
in a package it is `media/door.png` (its path in the zip), so that a package does not depend on one BibNet's ids.
Export and import rename them, in images, links and titles alike (`![A video](media:13 "media:14")`)."""
from collections.abc import Mapping
import re

from markdown_it import MarkdownIt

# The same reading of Markdown as `bibnet.elearning.content`: what it treats as a file, this renames.
_markdown = MarkdownIt("commonmark", {"html": False}).enable("table")
_NAME_CHARACTER = r"A-Za-z0-9._/:-"


def references(markdown: str) -> set[str]:
    """Every address and title the Markdown's images and links give, as written (reference-style links included)."""
    found = set()
    for token in _markdown.parse(markdown or ""):
        for child in token.children or ():
            for name in ("src", "href", "title"):
                value = child.attrGet(name)
                if value:
                    found.add(value)
    return found


def renamed(markdown: str, names: Mapping[str, str]) -> str:
    """The Markdown with each reference it uses that `names` knows replaced by its new name; a reference is
    replaced only where it stands whole (`media:1` is not the start of `media:12`)."""
    used = {reference: names[reference] for reference in references(markdown) if reference in names}
    if not used:
        return markdown
    alternatives = "|".join(re.escape(reference) for reference in sorted(used, key=len, reverse=True))
    pattern = re.compile(rf"(?<![{_NAME_CHARACTER}])({alternatives})(?![{_NAME_CHARACTER}])")
    return pattern.sub(lambda found: used[found.group(1)], markdown)
