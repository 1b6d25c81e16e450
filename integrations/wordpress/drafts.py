"""One article, one WordPress draft: created on the first click, updated on every later one.

Never two drafts for one article: the post id is recorded (by the caller, as soon as WordPress
answers), and when that record is missing (a worker crash, or a timeout after WordPress had
created the post) the draft is found again by the marker its content carries, an HTML comment
that names the article.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Awaitable, Callable

from seo.article import Article
from seo.news import PageMeta, news_article
from seo.render import _script_json, allowed_urls, body_html, disclosure_html

from .client import NBSP, WordPressClient, WordPressError

# Yoast SEO's and Rank Math's fields, registered for REST by seo-fr-meta.php.
SEO_META_KEYS = ("_yoast_wpseo_focuskw", "_yoast_wpseo_title", "_yoast_wpseo_metadesc",
                 "rank_math_focus_keyword", "rank_math_title", "rank_math_description")
# schema.org NewsArticle as JSON, registered by seo-fr-meta.php, which prints it in the page's
# head (completed with WordPress's own URL and dates) unless Yoast SEO or Rank Math write theirs.
NEWS_META_KEY = "seo_fr_news_jsonld"
EDITABLE = {"draft", "pending", "auto-draft"}


def marker(article_id: str) -> str:
    return f"seo-fr:article={article_id}"


def seo_meta(article: Article) -> dict[str, str]:
    return {
        "_yoast_wpseo_focuskw": article.focus_keyword,
        "_yoast_wpseo_title": article.meta_title,
        "_yoast_wpseo_metadesc": article.meta_description,
        "rank_math_focus_keyword": article.focus_keyword,
        "rank_math_title": article.meta_title,
        "rank_math_description": article.meta_description,
    }


def _no_markup(text: str) -> str:
    """WordPress shows the title and excerpt as HTML, and an editor's or administrator's account
    may store any markup there: the model's text goes in as text."""
    return text.replace("<", "&lt;").replace(">", "&gt;")


def draft_payload(article: Article, body_md: str, *, article_id: str, tag_ids: list[int],
                  page: PageMeta | None = None) -> dict:
    """The post fields: title, content (body HTML with <h2> headings and the credit line; its
    Markdown renders with raw HTML escaped, links only to the article's verified URLs), slug,
    excerpt (the meta description), tags and the SEO meta (plain text fields). No status: see
    send_draft."""
    content = body_html(body_md, allowed_urls(article)) + disclosure_html(page)
    return {
        "title": _no_markup(article.title),
        "content": f"{content}<!-- {marker(article_id)} -->\n",
        "slug": article.slug,
        "excerpt": _no_markup(article.meta_description),
        "tags": tag_ids,
        "meta": {**seo_meta(article), NEWS_META_KEY: _script_json(news_article(article, page)).replace("\n", "")},
    }


@dataclass
class DraftResult:
    post_id: int
    edit_link: str
    created: bool  # False: an existing draft was updated
    seo_fields_saved: bool  # False: WordPress dropped the SEO meta (seo-fr-meta.php missing)
    permalink: str | None = None  # the post's address once published (its canonical)


def _published_error(client: WordPressClient, post_id: int, status: str) -> WordPressError:
    state = {"publish": "publié", "future": "programmé", "private": "publié en privé"}.get(status, status)
    return WordPressError("published", (
        f"L’article est déjà {state} dans WordPress{NBSP}: le bot ne modifie pas un article en ligne. "
        f"Modifiez-le dans WordPress{NBSP}: {client.edit_link(post_id)}"))


async def _existing(client: WordPressClient, post_id: int | None, article_id: str) -> int | None:
    """The article's draft in WordPress, if it is there (and not in the trash)."""
    if post_id:
        post = await client.get_post(post_id)
        if post is not None and post.get("status") != "trash":
            if post.get("status") not in EDITABLE:
                raise _published_error(client, post_id, str(post.get("status")))
            return post_id
    for post in await client.find_posts(article_id):
        raw = (post.get("content") or {}).get("raw") or ""
        if marker(article_id) in raw:
            if post.get("status") not in EDITABLE:
                raise _published_error(client, int(post["id"]), str(post.get("status")))
            return int(post["id"])
    return None


def permalink_of(post: dict) -> str | None:
    """The address a draft will have once published: WordPress's permalink_template with its slug
    (plain permalinks: the ?p= address itself)."""
    template = str(post.get("permalink_template") or "")
    slug = str(post.get("slug") or post.get("generated_slug") or "")
    if template and slug:
        return template.replace("%postname%", slug).replace("%pagename%", slug)
    return str(post.get("link") or "") or None


async def send_draft(client: WordPressClient, article: Article, body_md: str, *, article_id: str,
                     known_post_id: int | None, record: Callable[[int], Awaitable[None]],
                     page: PageMeta | None = None) -> DraftResult:
    """Create or update the article's draft; `record(post_id)` is awaited as soon as it is known."""
    tag_ids = await client.tag_ids(list(article.secondary_keywords))
    payload = draft_payload(article, body_md, article_id=article_id, tag_ids=tag_ids, page=page)
    post_id = await _existing(client, known_post_id, article_id)
    if post_id is None:
        post = await client.create_post({**payload, "status": "draft"})
        created = True
    else:
        post = await client.update_post(post_id, payload)
        created = False
    post_id = int(post["id"])
    await record(post_id)
    # WordPress drops meta it does not know without a word: read the post back to see.
    fresh = await client.get_post(post_id) or post
    meta = fresh.get("meta") if isinstance(fresh.get("meta"), dict) else {}
    saved = all(str(meta.get(k) or "").strip() for k, v in payload["meta"].items() if v.strip())
    return DraftResult(post_id=post_id, edit_link=client.edit_link(post_id), created=created,
                       seo_fields_saved=saved, permalink=permalink_of(fresh))
