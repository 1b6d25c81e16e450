"""Bot settings from the environment (see .env.example for each one)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field


def _list(name: str) -> frozenset[str]:
    return frozenset(x.strip() for x in os.environ.get(name, "").replace(";", ",").split(",") if x.strip())


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


@dataclass(frozen=True)
class BotSettings:
    bot_token: str = field(default="", repr=False)
    signing_secret: str = field(default="", repr=False)
    app_token: str = field(default="", repr=False)
    port: int = 3000
    slack_api_url: str | None = None
    redis_url: str | None = None
    min_words: int = 700
    watch_channels: frozenset[str] = frozenset()
    allowed_channels: frozenset[str] = frozenset()
    allowed_users: frozenset[str] = frozenset()
    retention_days: int = 30
    worker_concurrency: int = 100
    job_timeout: int = 900
    health_port: int | None = None  # /healthz, /readyz, /metrics of a worker or Socket Mode process
    wordpress: bool = False  # WORDPRESS_URL, _USER and _APP_PASSWORD all set: the WordPress button exists
    max_jobs_per_user: int = 5
    max_jobs_per_channel: int = 20
    max_jobs_per_user_per_minute: int = 10
    max_jobs_per_channel_per_minute: int = 40
    max_versions_per_article: int = 30
    queue_patience: int = 60  # seconds an acked request keeps trying to reach Redis
    stream: bool = True  # SEO_STREAM: write the article into the thread as the model writes it
    stream_appends_per_min: int = 100  # Slack's budgets per workspace (Tier 4 / Tier 2)
    stream_starts_per_min: int = 20
    seo_timezone: str = "Europe/Paris"  # SEO_TIMEZONE: offset of the NewsArticle dates
    publisher_name: str = ""  # SEO_PUBLISHER_NAME: the NewsArticle publisher
    publisher_logo_url: str = ""  # SEO_PUBLISHER_LOGO_URL
    # OAuth mode (several workspaces): on when both SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set.
    client_id: str = ""
    client_secret: str = field(default="", repr=False)
    encryption_key: str = field(default="", repr=False)  # SEO_ENCRYPTION_KEY (Fernet), tokens at rest
    oauth_redirect_uri: str = ""  # SLACK_REDIRECT_URI
    oauth_scopes: tuple[str, ...] = ()  # SLACK_SCOPES; empty: manifest.yml's
    token_refresh_minutes: int = 120  # rotate a bot token this long before it expires

    @property
    def oauth(self) -> bool:
        return bool(self.client_id and self.client_secret)

    @classmethod
    def from_env(cls) -> "BotSettings":
        return cls(
            bot_token=os.environ.get("SLACK_BOT_TOKEN", ""),
            signing_secret=os.environ.get("SLACK_SIGNING_SECRET", ""),
            app_token=os.environ.get("SLACK_APP_TOKEN", ""),
            port=_int("PORT", 3000),
            slack_api_url=os.environ.get("SLACK_API_URL") or None,
            redis_url=os.environ.get("REDIS_URL") or None,
            min_words=_int("SEO_MIN_WORDS", 700),
            watch_channels=_list("SEO_WATCH_CHANNELS"),
            allowed_channels=_list("SEO_ALLOWED_CHANNELS"),
            allowed_users=_list("SEO_ALLOWED_USERS"),
            retention_days=_int("SEO_RETENTION_DAYS", 30),
            worker_concurrency=_int("SEO_WORKER_CONCURRENCY", 100),
            job_timeout=_int("SEO_JOB_TIMEOUT", 900),
            health_port=_int("HEALTH_PORT", 0) or None,
            wordpress=all(os.environ.get(k, "").strip() for k in
                          ("WORDPRESS_URL", "WORDPRESS_USER", "WORDPRESS_APP_PASSWORD")),
            max_jobs_per_user=_int("SEO_MAX_JOBS_PER_USER", 5),
            max_jobs_per_channel=_int("SEO_MAX_JOBS_PER_CHANNEL", 20),
            max_jobs_per_user_per_minute=_int("SEO_MAX_JOBS_PER_USER_PER_MINUTE", 10),
            max_jobs_per_channel_per_minute=_int("SEO_MAX_JOBS_PER_CHANNEL_PER_MINUTE", 40),
            max_versions_per_article=_int("SEO_MAX_VERSIONS_PER_ARTICLE", 30),
            queue_patience=_int("SEO_QUEUE_PATIENCE", 60),
            stream=os.environ.get("SEO_STREAM", "on").strip().lower() not in ("off", "0", "false", "no", "non"),
            stream_appends_per_min=_int("SEO_STREAM_APPENDS_PER_MIN", 100),
            stream_starts_per_min=_int("SEO_STREAM_STARTS_PER_MIN", 20),
            client_id=os.environ.get("SLACK_CLIENT_ID", "").strip(),
            client_secret=os.environ.get("SLACK_CLIENT_SECRET", "").strip(),
            encryption_key=os.environ.get("SEO_ENCRYPTION_KEY", "").strip(),
            oauth_redirect_uri=os.environ.get("SLACK_REDIRECT_URI", "").strip(),
            oauth_scopes=tuple(sorted(_list("SLACK_SCOPES"))),
            token_refresh_minutes=_int("SEO_TOKEN_REFRESH_MINUTES", 120),
            seo_timezone=os.environ.get("SEO_TIMEZONE", "").strip() or "Europe/Paris",
            publisher_name=os.environ.get("SEO_PUBLISHER_NAME", "").strip(),
            publisher_logo_url=os.environ.get("SEO_PUBLISHER_LOGO_URL", "").strip(),
        )

    def allowed(self, user: str | None, channel: str | None) -> bool:
        if self.allowed_users and user not in self.allowed_users:
            return False
        if self.allowed_channels and channel not in self.allowed_channels and not (channel or "").startswith("D"):
            return False
        return True
