"""Pure Block Kit rendering: messages, modals and the App Home view.

Imported by handlers/ (listeners) and jobs/ (the worker); imports neither. One module per
kind of surface: article.py (article messages), notices.py (status, errors, notices, help),
modals.py, home.py; ids.py holds the contract ids and limits, base.py escaping and builders,
split.py the lossless Markdown splitting.

No network, no Slack client, no business logic: every function takes plain data
and returns plain dicts (``{"text": ..., "blocks": [...]}`` for messages, a view
dict for modals and the Home tab), built with slack_sdk's Block Kit models.

Slack limits honoured here (DESIGN.md, "Slack behaviour"): 50 blocks per
message, 3 000 chars per section text, 150 per header, 75 per button label,
2 000 per button value, 10 elements per context block (2 000 chars each),
12 000 chars of ``markdown`` blocks per message and, to stay clear of
``msg_blocks_too_long`` (about 13 000), at most ``BLOCKS_CHAR_BUDGET`` chars of
serialised blocks per message (``json.dumps(blocks, ensure_ascii=False)``).
A longer article is split across several thread messages; text is never cut.

Escaping: user or LLM text that goes into ``mrkdwn`` (sections, contexts, the
``text`` fallback) has ``&``, ``<`` and ``>`` escaped, so nothing becomes a
mention or a link; in ``markdown`` blocks, ``<!``, ``<@`` and a bare
``@here``/``@channel``/``@everyone`` are broken with a zero-width space.

French typography of the interface strings: typographic apostrophe (’),
« » with no-break spaces inside, a no-break space (U+00A0) before ``: ; ! ?``.
A bold label keeps its colon inside the asterisks (``*Slug :*``) so Slack's
bold markers always touch ordinary spaces.
"""
from __future__ import annotations

from . import assistant
from .article import (
    article_button_value,
    article_messages,
    draft_label_blocks,
    feedback_value,
    streamed_article_blocks,
)
from .base import NBSP, blocks_size, escape_mrkdwn, neutralize_markdown, shorten
from .home import home_view
from .ids import *  # noqa: F401,F403  (contract ids and limits)
from .ids import __all__ as _ids_all
from .modals import dispatch_modal, keyword_modal, settings_modal
from .notices import (
    error_message,
    help_blocks,
    notice_message,
    parent_message,
    status_message,
)
from .split import split_markdown
from .links import insert_links_value, links_message
from .wordpress import wordpress_message

__all__ = _ids_all + [
    "article_messages", "parent_message", "status_message", "error_message", "notice_message",
    "dispatch_modal", "keyword_modal", "settings_modal", "help_blocks", "home_view",
    "split_markdown", "escape_mrkdwn", "neutralize_markdown", "article_button_value", "blocks_size",
    "streamed_article_blocks", "draft_label_blocks", "feedback_value",
    "shorten", "NBSP", "wordpress_message", "assistant", "links_message", "insert_links_value",
]
