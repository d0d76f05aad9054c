"""Lesson content: Markdown written by authors, rendered by the server and sanitised before any learner sees it.

Raw HTML in the Markdown is not rendered (it shows as text), and the rendered HTML passes nh3 with a short list
of tags and attributes: no script, no event handlers, no `javascript:` links, whatever an author types.

Media go in with Markdown's image syntax, and every one must be usable without sight or hearing; the editor
refuses content that breaks a rule and names it (`accessibility_problems`):
- an image needs alt text: `![A bubble tube lit in blue](tube.jpg)`;
- a video or audio file (named by its extension) needs captions or a transcript, given as the title:
  `![Welcoming a visitor](welcome.mp4 "welcome.vtt")` (WebVTT captions) or `"welcome-transcript.txt"`.

The course's own files (`bibnet.elearning.media`) are named `media:<id>`, and their kind is the one read from
their content, not from a name: `![A bubble tube lit in blue](media:12)`, a video with its captions
`![Welcoming a visitor](media:13 "media:14")`, a handout `[The leaflet](media:15)`. The page that renders the
text gives the served address of each (`Medium`); a `media:` name that is not one of the course's files is
refused by the editor, and shown as nothing to a learner.
"""
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

from flask_babel import lazy_gettext as _l
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml as escape
from markupsafe import Markup
import nh3

VIDEO = frozenset({".mp4", ".webm", ".ogv", ".mov", ".m4v"})
AUDIO = frozenset({".mp3", ".ogg", ".oga", ".wav", ".m4a", ".opus", ".flac"})
CAPTIONS = frozenset({".vtt"})
TRANSCRIPTS = frozenset({".txt", ".md", ".html", ".pdf", ".docx", ".odt"})

IMAGE_WITHOUT_ALT = _l("Every image needs alt text that says what it shows: write it between the brackets, as in ![A bubble tube lit in blue](tube.jpg).")
MEDIA_WITHOUT_CAPTIONS = _l(
    "Every video and audio needs captions or a transcript: give a .vtt captions file or a transcript file as its title, "
    "as in ![Welcoming a visitor](welcome.mp4 \"welcome.vtt\")."
)

_ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "img", "table", "thead", "tbody", "tr", "th", "td", "video", "audio", "source", "track",
}
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "video": {"controls", "preload"},
    "audio": {"controls", "preload"},
    "source": {"src"},
    "track": {"src", "kind", "srclang", "label", "default"},
    "ol": {"start"},
    "th": {"scope"},
}
_URL_SCHEMES = {"http", "https", "mailto"}

_markdown = MarkdownIt("commonmark", {"html": False}).enable("table")
MEDIA_SCHEME = "media:"


@dataclass(frozen=True)
class Medium:
    """What a text needs to know of one of the course's files: its kind (a `MediaKind` value) and served address."""

    kind: str
    url: str = ""


Media = Mapping[int, Medium]


def media_id(reference: str) -> int | None:
    """12 for "media:12"; None for anything else (an address, a file name)."""
    if not reference.startswith(MEDIA_SCHEME):
        return None
    number = reference[len(MEDIA_SCHEME):].strip()
    return int(number) if number.isdigit() and len(number) < 12 else -1  # -1: a media: name that names no number


def _kind(reference: str, media: Media) -> str | None:
    """"image", "video", "audio" (an address: by its extension), "captions", "document"; "" for a `media:`
    name that is not one of the course's files."""
    number = media_id(reference)
    if number is None:
        return _media_kind(reference) or "image"
    medium = media.get(number)
    return medium.kind if medium else ""


def _has_captions_or_transcript(title: str, media: Media) -> bool:
    if media_id(title) is not None:
        return _kind(title, media) in ("captions", "document")
    return _suffix(title) in CAPTIONS | TRANSCRIPTS


def _suffix(url: str) -> str:
    return PurePosixPath(url.split("?", 1)[0].split("#", 1)[0]).suffix.lower()


def _media_kind(url: str) -> str | None:
    suffix = _suffix(url)
    return "video" if suffix in VIDEO else "audio" if suffix in AUDIO else None


def _images(markdown: str):
    """Every image token of the Markdown (media included), with its alt text, source and title."""
    for token in _markdown.parse(markdown or ""):
        for child in token.children or ():
            if child.type == "image":
                alt = "".join(part.content for part in child.children or ())
                yield alt.strip(), child.attrGet("src") or "", child.attrGet("title") or ""


def _unknown_media(name: str):
    return _l("media:%(id)s is not one of this course's files: upload it on the course's media page, then use the name shown there.", id=name)


def _references(markdown: str):
    """Every `media:` name in the Markdown's images and links (titles included)."""
    for token in _markdown.parse(markdown or ""):
        for child in token.children or ():
            for name in ("src", "href", "title"):
                value = child.attrGet(name) or ""
                if media_id(value) is not None:
                    yield value


def media_used(markdown: str) -> set[int]:
    """The ids of the course's files the Markdown names."""
    return {media_id(reference) for reference in _references(markdown)} - {-1}


def accessibility_problems(markdown: str, media: Media | None = None) -> list:
    """The rules the content breaks, each named once (lazily translated messages). `media`: the course's files."""
    media = media or {}
    problems = []

    def add(problem):
        if problem not in problems:
            problems.append(problem)

    for reference in _references(markdown):
        if _kind(reference, media) == "":
            add(_unknown_media(reference[len(MEDIA_SCHEME):]))
    for alt, source, title in _images(markdown):
        kind = _kind(source, media)
        if kind in ("video", "audio"):
            if not _has_captions_or_transcript(title, media):
                add(MEDIA_WITHOUT_CAPTIONS)
        elif kind and not alt:
            add(IMAGE_WITHOUT_ALT)
    return problems


def _address(reference: str, media: Media) -> str:
    """The served address of a `media:` name (empty for an unknown one), else the reference as written."""
    number = media_id(reference)
    if number is None:
        return reference
    medium = media.get(number)
    return medium.url if medium else ""


def _render_image(renderer, tokens, index, options, env):
    """Images as the Markdown says; a video or audio as a player with its captions track or transcript link; a
    document of the course as a link to it."""
    media = env.get("media", {})
    token = tokens[index]
    reference = token.attrGet("src") or ""
    kind = _kind(reference, media)
    source = escape(_address(reference, media))
    title = token.attrGet("title") or ""
    description = escape("".join(part.content for part in token.children or ()))
    if kind == "":
        return ""
    if kind not in ("video", "audio"):
        if kind in ("captions", "document"):
            return f'<a href="{source}">{description or escape(str(_l("Document")))}</a>'
        token.attrSet("src", _address(reference, media))
        if media_id(title) is not None:
            token.attrs.pop("title", None)
        return renderer.image(tokens, index, options, env)
    title_kind = _kind(title, media) if media_id(title) is not None else ("captions" if _suffix(title) in CAPTIONS else "document" if _suffix(title) in TRANSCRIPTS else None)
    title_address = escape(_address(title, media))
    captions = f'<track kind="captions" src="{title_address}" label="{description}" default>' if title_kind == "captions" else ""
    transcript = f' <a href="{title_address}">{escape(str(_l("Transcript")))}: {description}</a>' if title_kind == "document" else ""
    return f'<{kind} controls preload="metadata"><source src="{source}">{captions}</{kind}>{transcript}'


def _render_link(renderer, tokens, index, options, env):
    """A link to one of the course's files goes to its served address."""
    token = tokens[index]
    href = token.attrGet("href") or ""
    if media_id(href) is not None:
        token.attrSet("href", _address(href, env.get("media", {})))
    return renderer.renderToken(tokens, index, options, env)


_markdown.add_render_rule("image", _render_image)
_markdown.add_render_rule("link_open", _render_link)


def render(markdown: str, media: Media | None = None) -> Markup:
    """Safe HTML of the Markdown, the course's files (`media`) at their served addresses. Headings start at
    level 2: the page's own title is the level 1."""
    html = _markdown.render(markdown or "", {"media": media or {}})
    for level in range(5, 0, -1):
        html = html.replace(f"<h{level}>", f"<h{level + 1}>").replace(f"</h{level}>", f"</h{level + 1}>")
    cleaned = nh3.clean(
        html, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES, url_schemes=_URL_SCHEMES, link_rel="noopener noreferrer"
    )
    return Markup(cleaned)
