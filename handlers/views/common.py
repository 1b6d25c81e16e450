"""Reading modal submissions; sealing the metadata a modal carries."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json


def field(view: dict, block: str, action: str) -> dict:
    return ((view.get("state") or {}).get("values") or {}).get(block, {}).get(action) or {}


def text_value(view: dict, block: str, action: str) -> str:
    return (field(view, block, action).get("value") or "").strip()


def _key(settings) -> bytes:
    secret = settings.signing_secret or settings.app_token or settings.bot_token
    return hashlib.sha256(b"seo-fr modal metadata\0" + secret.encode()).digest()


def seal(data: dict, settings) -> str:
    """A modal's private_metadata: the JSON and its HMAC, so a submission can trust where the modal
    was opened (channel, thread, article, user) and nothing else."""
    raw = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    mac = base64.urlsafe_b64encode(hmac.new(_key(settings), raw.encode(), hashlib.sha256).digest()[:18]).decode()
    return f"{mac}.{raw}"


def metadata(view: dict, settings) -> dict:
    """The sealed metadata of a submitted modal; {} when absent, forged or altered."""
    mac, _, raw = (view.get("private_metadata") or "").partition(".")
    expected = base64.urlsafe_b64encode(
        hmac.new(_key(settings), raw.encode(), hashlib.sha256).digest()[:18]).decode()
    if not raw or not hmac.compare_digest(mac, expected):
        return {}
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}
