"""WordPress drafts through the REST API (Application Password).

The PHP must-use plugin beside this package, seo-fr-meta.php, makes the Yoast SEO and Rank Math
fields writable over REST; without it WordPress drops them silently, which `send_draft` detects
by reading the post back.
"""
from .client import WordPressClient, WordPressError
from .config import WordPressSettings
from .drafts import SEO_META_KEYS, DraftResult, draft_payload, send_draft

__all__ = ["WordPressClient", "WordPressError", "WordPressSettings", "SEO_META_KEYS", "DraftResult",
           "draft_payload", "send_draft"]
