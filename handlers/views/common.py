"""Reading modal submissions."""
from __future__ import annotations

import json


def field(view: dict, block: str, action: str) -> dict:
    return ((view.get("state") or {}).get("values") or {}).get(block, {}).get(action) or {}


def text_value(view: dict, block: str, action: str) -> str:
    return (field(view, block, action).get("value") or "").strip()


def metadata(view: dict) -> dict:
    try:
        return json.loads(view.get("private_metadata") or "{}")
    except json.JSONDecodeError:
        return {}
