"""What the web side hands to a worker."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

Kind = Literal["rewrite", "regenerate", "shorten", "keyword", "revise"]


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
    # Who the job is for (the person who typed, mentioned or clicked, and their workspace):
    # Slack's streaming methods need them in channels (recipient_user_id / recipient_team_id).
    recipient_user_id: str | None = None
    recipient_team_id: str | None = None
