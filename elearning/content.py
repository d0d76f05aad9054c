"""Lesson content: Markdown written by authors, rendered by the server and sanitised before any learner sees it.

Raw HTML in the Markdown is not rendered (it shows as text), and the rendered HTML passes nh3 with a short list
of tags and attributes: no script, no event handlers, no `javascript:` links, whatever an author types.

Media go in with Markdown's image syntax, and every one must be usable without sight or hearing; the editor
refuses content that breaks a rule and names it (`accessibility_problems`):
- an image needs alt text: `![A bubble tube lit in blue](tube.jpg)`;
- a video or audio file (named by its extension) needs captions or a transcript, given as the title:
  `![Welcoming a visitor](welcome.mp4 "welcome.vtt")` (WebVTT captions) or `"welcome-transcript.txt"`.
"""
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


def accessibility_problems(markdown: str) -> list:
    """The rules the content breaks, each named once (lazily translated messages)."""
    problems = []
    for alt, source, title in _images(markdown):
        if _media_kind(source) is not None:
            if _suffix(title) not in CAPTIONS | TRANSCRIPTS and MEDIA_WITHOUT_CAPTIONS not in problems:
                problems.append(MEDIA_WITHOUT_CAPTIONS)
        elif not alt and IMAGE_WITHOUT_ALT not in problems:
            problems.append(IMAGE_WITHOUT_ALT)
    return problems


def _render_image(renderer, tokens, index, options, env):
    """Images as the Markdown says; a video or audio as a player with its captions track or transcript link."""
    token = tokens[index]
    source = token.attrGet("src") or ""
    kind = _media_kind(source)
    if kind is None:
        return renderer.image(tokens, index, options, env)
    title = token.attrGet("title") or ""
    description = escape("".join(part.content for part in token.children or ()))
    captions = f'<track kind="captions" src="{escape(title)}" label="{description}" default>' if _suffix(title) in CAPTIONS else ""
    transcript = f' <a href="{escape(title)}">{escape(str(_l("Transcript")))}: {description}</a>' if _suffix(title) in TRANSCRIPTS else ""
    return f'<{kind} controls preload="metadata"><source src="{escape(source)}">{captions}</{kind}>{transcript}'


_markdown.add_render_rule("image", _render_image)


def render(markdown: str) -> Markup:
    """Safe HTML of the Markdown. Headings start at level 2: the page's own title is the level 1."""
    html = _markdown.render(markdown or "")
    for level in range(5, 0, -1):
        html = html.replace(f"<h{level}>", f"<h{level + 1}>").replace(f"</h{level}>", f"</h{level + 1}>")
    cleaned = nh3.clean(
        html, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES, url_schemes=_URL_SCHEMES, link_rel="noopener noreferrer"
    )
    return Markup(cleaned)
