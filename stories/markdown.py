"""Markdown to HTML that is safe by construction.

markdown-it-py with raw HTML switched off parses in linear time; nh3 (an
allow-list sanitiser) then cleans what it produced, so even a parser bug
cannot let a script, an event handler or a javascript: link through.
"""

import nh3
from markdown_it import MarkdownIt

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["strikethrough", "table"]
)
_parser.validateLink = lambda url: url.strip().lower().startswith(("http://", "https://", "mailto:", "/", "#"))

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
# Headings shift down: a story's own title is the page's h1, the body starts at h3.
HEADING_SHIFT = {"h1": "h3", "h2": "h4", "h3": "h5", "h4": "h6"}


def render_markdown(text: str) -> str:
    tokens = _parser.parse(text)
    for token in tokens:
        if token.type in {"heading_open", "heading_close"}:
            token.tag = HEADING_SHIFT.get(token.tag, "h6")
    html = _parser.renderer.render(tokens, _parser.options, {})
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "ol": {"start"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )
