"""What the bot remembers: articles, their versions, threads, locks, dedupe marks, settings.

Key layout (all under the `seo:` prefix, all with a TTL):
  dedupe:{key}                 a Slack delivery already handled (event_id, trigger_id, channel+ts)
  article:{aid}                the article's record: channel, thread, source dispatch, requester
  article:{aid}:latest         latest version number
  article:{aid}:v{k}           one version: article fields, report, renderings
  article:{aid}:v{k}:votes     👍 / 👎 on that version: a hash user -> "up" | "down"
  thread:{channel}:{ts}        which article a thread belongs to
  lock:thread:{channel}:{ts}   a job is running on this thread (value: job id; stale once its job is
                               not alive in the queue, see jobs/submit.py)
  job:{id}:...                 what a job already did (status message, version, posted parts, done)
  job:{id}:running             the live run of a job (refreshed while it runs)
  job:{id}:spec                the spec of a failed job, for the Réessayer button
  settings:{channel}           per-channel settings
  titles:{job}                 the alternative titles proposed by a « Titres » job
  links:{job}                  the internal links a job proposed (« Liens internes », « Insérer »)
  recent:{user}                the user's last articles (App Home)
  wordpress:{aid}              the article's WordPress draft: post id, last version sent
  lock:wordpress:{aid}         a WordPress job is running for this article (value: job id)
  once:{what}                  something already said once (a refusal, a "busy" answer)
  quota:run|rate:user|channel:{id}  quota sets (jobs/quotas.py)
"""
from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass

from .kv import KV

DAY = 86_400.0
DEDUPE_TTL = DAY
JOB_TTL = 7 * DAY
SETTINGS_TTL = 365 * DAY


@dataclass
class ArticleRecord:
    article_id: str
    channel: str
    thread_ts: str
    source: str
    requested_by: str
    created_at: float
    # The assistant split view: the channel whose settings apply (the one the requester was
    # viewing, when they are a member of it) and whether the thread is an assistant thread.
    settings_channel: str | None = None
    assistant: bool = False
    image: str | None = None  # an image URL the editor supplied (NewsArticle image)

    def to_json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False)


class State:
    def __init__(self, kv: KV, retention_days: int = 30):
        self.kv = kv
        self.retention = retention_days * DAY

    # --- Slack deliveries -------------------------------------------------
    async def first_delivery(self, key: str, owner: str | None = None) -> bool:
        """True the first time `key` is seen: Slack retries and double clicks return False.

        With `owner` (a token of this handling), asking again after a Redis blip stays True: the
        mark may have been written just before the connection dropped."""
        if await self.kv.set_nx(f"dedupe:{key}", owner or "1", DEDUPE_TTL):
            return True
        return owner is not None and await self.kv.get(f"dedupe:{key}") == owner

    # --- articles and versions -------------------------------------------
    @staticmethod
    def new_article_id() -> str:
        return secrets.token_hex(5)

    async def create_article(self, *, channel: str, thread_ts: str, source: str, requested_by: str,
                             article_id: str | None = None, settings_channel: str | None = None,
                             assistant: bool = False, image: str | None = None) -> ArticleRecord:
        rec = ArticleRecord(article_id or self.new_article_id(), channel, thread_ts, source, requested_by, time.time(),
                            settings_channel=settings_channel, assistant=assistant, image=image or None)
        await self.kv.set(f"article:{rec.article_id}", rec.to_json(), self.retention)
        await self.kv.set(f"thread:{channel}:{thread_ts}", rec.article_id, self.retention)
        return rec

    async def article(self, article_id: str) -> ArticleRecord | None:
        raw = await self.kv.get(f"article:{article_id}")
        return ArticleRecord(**json.loads(raw)) if raw else None

    async def article_for_thread(self, channel: str, thread_ts: str) -> str | None:
        return await self.kv.get(f"thread:{channel}:{thread_ts}")

    async def allocate_version(self, article_id: str, job_id: str) -> int:
        """The version number of a job's result, the same on every re-run of that job."""
        existing = await self.kv.get(f"job:{job_id}:version")
        if existing:
            return int(existing)
        candidate = await self.kv.incr(f"article:{article_id}:counter", self.retention)
        if await self.kv.set_nx(f"job:{job_id}:version", str(candidate), JOB_TTL):
            return candidate
        return int(await self.kv.get(f"job:{job_id}:version"))

    async def save_version(self, article_id: str, version: int, data: dict) -> dict:
        """Store a version once; if a concurrent run stored it first, theirs is the version."""
        key = f"article:{article_id}:v{version}"
        if not await self.kv.set_nx(key, json.dumps(data, ensure_ascii=False), self.retention):
            data = json.loads(await self.kv.get(key))
        latest = await self.kv.get(f"article:{article_id}:latest")
        if not latest or int(latest) < version:
            await self.kv.set(f"article:{article_id}:latest", str(version), self.retention)
        return data

    async def latest_version(self, article_id: str) -> int | None:
        latest = await self.kv.get(f"article:{article_id}:latest")
        return int(latest) if latest else None

    async def thread_job(self, channel: str, thread_ts: str) -> str | None:
        """The id of the job holding the thread's lock, if any."""
        return await self.kv.get(f"lock:thread:{channel}:{thread_ts}")

    async def once(self, key: str, ttl: float) -> bool:
        """True the first time `key` is seen within `ttl` seconds (say a thing once)."""
        return await self.kv.set_nx(f"once:{key}", "1", ttl)

    async def version(self, article_id: str, version: int | None = None) -> dict | None:
        if version is None:
            latest = await self.kv.get(f"article:{article_id}:latest")
            if not latest:
                return None
            version = int(latest)
        raw = await self.kv.get(f"article:{article_id}:v{version}")
        return json.loads(raw) if raw else None

    async def save_titles(self, job_id: str, article_id: str, titles: list[dict]) -> None:
        """The alternative titles a « Titres » job proposed (its « Choisir » buttons point here)."""
        await self.kv.set(f"titles:{job_id}", json.dumps({"article_id": article_id, "titles": titles},
                                                         ensure_ascii=False), self.retention)

    async def titles(self, job_id: str, article_id: str) -> list[dict] | None:
        """The titles of that job, if it was about that article."""
        raw = await self.kv.get(f"titles:{job_id}")
        data = json.loads(raw) if raw else None
        return data["titles"] if data and data.get("article_id") == article_id else None

    async def save_link_proposal(self, job_id: str, article_id: str, version: int, links: list[dict]) -> None:
        """The internal links proposed under a version (the « Insérer » button points here)."""
        await self.kv.set(f"links:{job_id}", json.dumps({"article_id": article_id, "version": int(version),
                                                         "links": links}, ensure_ascii=False), self.retention)

    async def link_proposal(self, job_id: str, article_id: str, version: int | None = None) -> list[dict] | None:
        """The links that job proposed, if it was about that article (and that version)."""
        raw = await self.kv.get(f"links:{job_id}")
        data = json.loads(raw) if raw else None
        if not data or data.get("article_id") != article_id:
            return None
        if version is not None and int(data.get("version") or 0) != int(version):
            return None
        return data["links"]

    async def record_vote(self, article_id: str, version: int, user: str, vote: str) -> None:
        """One vote per person and version; a new click replaces the previous one."""
        if vote not in ("up", "down"):
            raise ValueError(vote)
        await self.kv.hset(f"article:{article_id}:v{int(version)}:votes", user, vote, self.retention)

    async def votes(self, article_id: str, version: int) -> dict[str, str]:
        return await self.kv.hgetall(f"article:{article_id}:v{int(version)}:votes")

    # --- thread locks -----------------------------------------------------
    async def lock_thread(self, channel: str, thread_ts: str, job_id: str, ttl: float) -> bool:
        key = f"lock:thread:{channel}:{thread_ts}"
        if await self.kv.set_nx(key, job_id, ttl):
            return True
        return await self.kv.get(key) == job_id  # a re-run of the same job keeps its lock

    async def unlock_thread(self, channel: str, thread_ts: str, job_id: str) -> None:
        await self.kv.delete(f"lock:thread:{channel}:{thread_ts}", if_value=job_id)

    async def thread_lock_age(self, channel: str, thread_ts: str, ttl: float) -> float | None:
        """Seconds since the thread's lock was taken with `ttl` (None: not locked)."""
        left = await self.kv.ttl(f"lock:thread:{channel}:{thread_ts}")
        return None if left is None else max(ttl - left, 0.0)

    async def thread_busy(self, channel: str, thread_ts: str) -> bool:
        return await self.kv.get(f"lock:thread:{channel}:{thread_ts}") is not None

    # --- what a job did (idempotence across re-runs) -----------------------
    async def job_get(self, job_id: str, name: str) -> str | None:
        return await self.kv.get(f"job:{job_id}:{name}")

    async def job_fields(self, job_id: str, *names: str) -> dict[str, str | None]:
        """Several of a job's records in one round trip (MGET)."""
        values = await self.kv.mget([f"job:{job_id}:{n}" for n in names])
        return dict(zip(names, values))

    async def job_set(self, job_id: str, name: str, value: str) -> None:
        await self.kv.set(f"job:{job_id}:{name}", value, JOB_TTL)

    async def job_claim(self, job_id: str, name: str, value: str = "1") -> bool:
        return await self.kv.set_nx(f"job:{job_id}:{name}", value, JOB_TTL)

    async def claim_run(self, job_id: str, token: str, ttl: float) -> bool:
        """Only one live run of a job at a time (saq's sweep can start a second one)."""
        return await self.kv.set_nx(f"job:{job_id}:running", token, ttl)

    async def keep_run(self, job_id: str, token: str, ttl: float) -> bool:
        return await self.kv.extend(f"job:{job_id}:running", token, ttl)

    async def end_run(self, job_id: str, token: str) -> None:
        await self.kv.delete(f"job:{job_id}:running", if_value=token)

    # --- WordPress drafts ---------------------------------------------------
    async def wordpress_post(self, article_id: str) -> dict | None:
        """{"post_id": int, "version": int | None} of the article's draft, once created."""
        raw = await self.kv.get(f"wordpress:{article_id}")
        return json.loads(raw) if raw else None

    async def save_wordpress_post(self, article_id: str, post_id: int, version: int | None,
                                  permalink: str | None = None) -> None:
        """`permalink`: the address the post has, or will have once published (canonical)."""
        entry = {"post_id": post_id, "version": version}
        if permalink:
            entry["permalink"] = permalink
        await self.kv.set(f"wordpress:{article_id}", json.dumps(entry), self.retention)

    async def lock_wordpress(self, article_id: str, job_id: str, ttl: float) -> bool:
        key = f"lock:wordpress:{article_id}"
        if await self.kv.set_nx(key, job_id, ttl):
            return True
        return await self.kv.get(key) == job_id

    async def unlock_wordpress(self, article_id: str, job_id: str) -> None:
        await self.kv.delete(f"lock:wordpress:{article_id}", if_value=job_id)

    async def wordpress_job(self, article_id: str) -> str | None:
        return await self.kv.get(f"lock:wordpress:{article_id}")

    async def wordpress_lock_age(self, article_id: str, ttl: float) -> float | None:
        left = await self.kv.ttl(f"lock:wordpress:{article_id}")
        return None if left is None else max(ttl - left, 0.0)

    # --- per-channel settings ---------------------------------------------
    async def channel_settings(self, channel: str) -> dict:
        raw = await self.kv.get(f"settings:{channel}")
        return json.loads(raw) if raw else {}

    async def save_channel_settings(self, channel: str, settings: dict) -> None:
        await self.kv.set(f"settings:{channel}", json.dumps(settings, ensure_ascii=False), SETTINGS_TTL)

    # --- App Home ---------------------------------------------------------
    async def remember_for_user(self, user: str, entry: dict) -> None:
        await self.kv.push_recent(f"recent:{user}", json.dumps(entry, ensure_ascii=False), 10, self.retention)

    async def recent_for_user(self, user: str) -> list[dict]:
        return [json.loads(x) for x in await self.kv.recent(f"recent:{user}", 10)]
