"""Contract ids (actions, views, inputs) and Slack's Block Kit limits, shared by every renderer."""
from __future__ import annotations

# --------------------------------------------------------------------------- contract ids

COMMAND = "/seo-fr"

# Buttons under an article; value = f"{article_id}:{version}" (parse with rsplit(":", 1)).
ACTION_REGENERATE = "seo_regenerate"
ACTION_SHORTEN = "seo_shorten"
ACTION_CHANGE_KEYWORD = "seo_change_keyword"
ACTION_EXPORT = "seo_export"
# Under an article when WordPress is configured and on for the channel; same value.
ACTION_WORDPRESS = "seo_wordpress"
# Button under an error; value = the opaque job reference given to error_message().
ACTION_RETRY = "seo_retry"
# Short copy: five alternative titles, social posts; a title is picked with value
# f"{article_id}:{version}:{job}:{index}" (the titles are stored by the job, never in the value).
ACTION_TITLES = "seo_titles"
ACTION_SOCIAL = "seo_social"
ACTION_PICK_TITLE = "seo_pick_title"
# « Liens internes »: one « Insérer » button, value f"{article_id}:{version}:{job}" (the proposal is
# stored by the job, never in the value: a forged value cannot insert another URL).
ACTION_INSERT_LINKS = "seo_insert_links"
# 👍 / 👎 under each version (feedback_buttons in a context_actions block);
# value = f"{article_id}:{version}:{vote}", vote "up" or "down".
ACTION_FEEDBACK = "seo_feedback"
ARTICLE_ACTIONS = (ACTION_REGENERATE, ACTION_SHORTEN, ACTION_CHANGE_KEYWORD, ACTION_EXPORT,
                   ACTION_TITLES, ACTION_SOCIAL)

# View callback ids; each modal's private_metadata is the caller's JSON string, untouched.
DISPATCH_MODAL = "seo_dispatch_modal"
KEYWORD_MODAL = "seo_keyword_modal"
SETTINGS_MODAL = "seo_settings_modal"

# Inside modals: view["state"]["values"][BLOCK][ACTION]
#   dispatch modal: DISPATCH_* (plain_text_input, "value"), KEYWORD_* (optional, "value")
#   keyword modal:  SUGGESTION_* (radio_buttons, "selected_option"["value"], optional,
#                   present only when there are suggestions), KEYWORD_* (optional, "value")
#   settings modal: MIN_WORDS_* (number_input, "value" as a string), CREDIT_* (optional,
#                   "value"), WATCH_* (checkboxes, "selected_options"; watch mode on when it
#                   holds WATCH_OPTION)
DISPATCH_BLOCK = "dispatch"
DISPATCH_ACTION = "dispatch_input"
IMAGE_BLOCK = "image"  # dispatch modal: optional image URL (NewsArticle image)
IMAGE_ACTION = "image_input"
IMAGE_INPUT_MAX = 500
KEYWORD_BLOCK = "keyword"
KEYWORD_ACTION = "keyword_input"
SUGGESTION_BLOCK = "suggestion"
SUGGESTION_ACTION = "suggestion_select"
MIN_WORDS_BLOCK = "min_words"
MIN_WORDS_ACTION = "min_words_input"
CREDIT_BLOCK = "credit"
CREDIT_ACTION = "credit_input"
WATCH_BLOCK = "watch"
WATCH_ACTION = "watch_input"
WATCH_OPTION = "watch"
HOUSE_STYLE_BLOCK = "house_style"
HOUSE_STYLE_ACTION = "house_style_input"
#   settings modal (when WordPress is configured): WORDPRESS_* (checkboxes; button shown when
#   "selected_options" holds WORDPRESS_OPTION)
#   settings modal, the news page: SOURCE_PAGE_* (optional URL, the credit line's source link when
#   the dispatch holds none), BYLINE_* (optional, the NewsArticle author instead of the
#   requesting editor), DISCLOSURE_* (checkboxes; the AI-assistance line when it holds DISCLOSURE_OPTION)
SOURCE_PAGE_BLOCK = "source_page"
SOURCE_PAGE_ACTION = "source_page_input"
BYLINE_BLOCK = "byline"
BYLINE_ACTION = "byline_input"
DISCLOSURE_BLOCK = "disclosure"
DISCLOSURE_ACTION = "disclosure_input"
DISCLOSURE_OPTION = "disclosure"
SOURCE_PAGE_MAX = 300
BYLINE_MAX = 100
WORDPRESS_BLOCK = "wordpress"
WORDPRESS_ACTION = "wordpress_input"
WORDPRESS_OPTION = "wordpress"

# --------------------------------------------------------------------------- limits

MAX_BLOCKS = 50
SECTION_TEXT_MAX = 3000
HEADER_TEXT_MAX = 150
BUTTON_LABEL_MAX = 75
BUTTON_VALUE_MAX = 2000
CONTEXT_ELEMENTS_MAX = 10
CONTEXT_TEXT_MAX = 2000
MARKDOWN_TEXT_MAX = 12000          # per message, across its markdown blocks
BLOCKS_CHAR_BUDGET = 12000         # serialised blocks of one message (Slack fails near 13 000)
FALLBACK_TEXT_MAX = 300            # our own cap for the notification `text`
DISPATCH_INPUT_MAX = 3000          # Slack's ceiling for plain_text_input max_length (1..3000)
KEYWORD_INPUT_MAX = 100
CREDIT_INPUT_MAX = 100
HOUSE_STYLE_MAX = 1000
MIN_WORDS_RANGE = (300, 3000)
VIEW_TITLE_MAX = 24
RADIO_OPTIONS_MAX = 10
OPTION_TEXT_MAX = 75
OPTION_VALUE_MAX = 150
HOME_RECENT_MAX = 10

_ATOM_LIMIT = 8000                 # first split of the body before packing it into messages
_CHECKS_TEXT_MAX = 2000            # the "points à améliorer" section, kept compact
_GREEN_SCORE = 8                   # Yoast: 8–9 green, 5–7 orange, 0–4 red

STATUS_STEPS = ("queued", "cleaning", "drafting", "checking", "repairing", "revising", "finishing",
                "titles", "social")

__all__ = [name for name in dir() if name.isupper() and not name.startswith("_")]
