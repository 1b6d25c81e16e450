"""What the web side hands to a worker."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

# "titles" and "social" write short copy in the thread (no new version); "title" makes a new
# version from one of the stored alternative titles (no LLM call); "wordpress" sends a version
# to WordPress as a draft; "links" makes a new version with the internal links a job proposed
# (no LLM call).
Kind = Literal["rewrite", "regenerate", "shorten", "keyword", "revise", "titles", "social", "title", "wordpress",
               "links"]


class JobSpec(BaseModel):
    id: str  # deterministic from the Slack delivery, so a duplicate enqueue is a no-op
    kind: Kind
    article_id: str
    channel: str
    thread_ts: str
    user: str
    status_ts: str | None = None  # status message already posted by the web side
    base_version: int | None = None  # the version the clicked button sat under
    instruction: str | None = None
    keyword: str | None = None
    min_words: int | None = None
    credit: str | None = None
    new_title: str | None = None  # "title": the chosen alternative title and its SEO title,
    new_meta_title: str | None = None  # read from the stored proposals by the web side
    proposal: str | None = None  # "links": the job whose stored internal links are inserted
    # Who the job is for (the person who typed, mentioned or clicked, and their workspace):
    # Slack's streaming methods need them in channels (recipient_user_id / recipient_team_id).
    recipient_user_id: str | None = None
    recipient_team_id: str | None = None
    # An assistant thread (split view): the channel whose settings apply, if not `channel`
    # (the one the requester was viewing), and whether to set the thread's status and title.
    settings_channel: str | None = None
    assistant: bool = False
    # The installation the job acts for (OAuth mode; None in single-workspace mode). Its bot token
    # is looked up by the worker, never written here.
    team_id: str | None = None
    enterprise_id: str | None = None
    is_enterprise_install: bool = False
