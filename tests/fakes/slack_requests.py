"""What Slack sends to the bot's HTTP endpoint (POST /slack/events), built and signed as Slack does.

Every builder returns ``(body_bytes, headers)``; ``send(url, body, headers)`` posts it and returns
``(status, body_bytes, elapsed_seconds)``.

Signing (https://docs.slack.dev/authentication/verifying-requests-from-slack):
``X-Slack-Signature = "v0=" + hex(HMAC-SHA256(signing_secret, "v0:{timestamp}:{body}"))`` with
``X-Slack-Request-Timestamp = timestamp`` (epoch seconds). Slack's retries add
``X-Slack-Retry-Num`` / ``X-Slack-Retry-Reason`` and are signed afresh with the same body.

Trigger ids look like ``trig.<epoch_ms>.<n>``: the fake Web API (slack_api.FakeSlack) reads the
issue time from them and answers ``expired_trigger_id`` after 3 s, as Slack does.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import random
import string
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Any, Optional, Union

DEFAULT_SIGNING_SECRET = "test-signing-secret"
DEFAULT_TEAM_ID = "T1"
DEFAULT_APP_ID = "A1"
DEFAULT_BOT_USER_ID = "UBOT"
DEFAULT_USER_ID = "U1"
DEFAULT_CHANNEL_ID = "C1"
VERIFICATION_TOKEN = "legacy-verification-token"  # deprecated field Slack still sends
USER_AGENT = "Slackbot 1.0 (+https://api.slack.com/robots)"
STALE_AGE_SECONDS = 6 * 60  # Bolt rejects timestamps more than 5 minutes away

_counter = itertools.count(1)

Request = tuple[bytes, dict]


# ------------------------------------------------------------------------------ signing


def signature(body: Union[bytes, str], timestamp: Union[int, str],
              signing_secret: str = DEFAULT_SIGNING_SECRET) -> str:
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    base = f"v0:{timestamp}:{body}".encode("utf-8")
    return "v0=" + hmac.new(signing_secret.encode("utf-8"), base, hashlib.sha256).hexdigest()


def sign(body: bytes, *, content_type: str, signing_secret: str = DEFAULT_SIGNING_SECRET,
         timestamp: Optional[int] = None, retry_num: Optional[int] = None,
         retry_reason: Optional[str] = None) -> dict:
    """Headers Slack sends with `body`."""
    ts = int(time.time()) if timestamp is None else int(timestamp)
    headers = {
        "Content-Type": content_type,
        "User-Agent": USER_AGENT,
        "Accept": "application/json,*/*",
        "X-Slack-Request-Timestamp": str(ts),
        "X-Slack-Signature": signature(body, ts, signing_secret),
    }
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = retry_reason or "http_timeout"
    return headers


def _content_type(headers: dict) -> str:
    return headers.get("Content-Type", "application/json")


def retry(request: Request, num: int = 1, reason: str = "http_timeout", *,
          signing_secret: str = DEFAULT_SIGNING_SECRET) -> Request:
    """Slack's retry of a request: same body (same event_id), new timestamp and signature,
    X-Slack-Retry-Num / X-Slack-Retry-Reason ("http_timeout", "http_error", "too_many_redirects",
    "ssl_error", "unknown_error")."""
    body, headers = request
    return body, sign(body, content_type=_content_type(headers), signing_secret=signing_secret,
                      retry_num=num, retry_reason=reason)


def forged(request: Request) -> Request:
    """Same request with a signature made with the wrong secret."""
    body, headers = request
    h = dict(headers)
    h["X-Slack-Signature"] = signature(body, h["X-Slack-Request-Timestamp"], "not-the-secret")
    return body, h


def stale(request: Request, *, signing_secret: str = DEFAULT_SIGNING_SECRET,
          age: int = STALE_AGE_SECONDS) -> Request:
    """Same request correctly signed, but with a timestamp `age` seconds old (replay)."""
    body, headers = request
    return body, sign(body, content_type=_content_type(headers), signing_secret=signing_secret,
                      timestamp=int(time.time()) - age)


# ------------------------------------------------------------------------------ ids


def new_trigger_id() -> str:
    return f"trig.{int(time.time() * 1000)}.{next(_counter)}"


def new_event_id() -> str:
    return "Ev" + "".join(random.choices(string.ascii_uppercase + string.digits, k=10))


def new_ts() -> str:
    """A message ts like Slack's ("1700000000.000100"); unique within the process."""
    us = int(time.time() * 1_000_000) + next(_counter)
    return f"{us // 1_000_000}.{us % 1_000_000:06d}"


def _response_url(slack: Any, channel_id: str, user_id: str, message_ts: Optional[str] = None,
                  team_id: str = DEFAULT_TEAM_ID) -> str:
    if slack is not None and hasattr(slack, "response_url"):
        return slack.response_url(channel_id, user_id, message_ts)
    root = (slack or "https://hooks.slack.com").rstrip("/")
    if root.endswith("/api"):
        root = root[: -len("/api")]
    return f"{root}/commands/{team_id}/{channel_id}/{user_id}/{message_ts or '-'}/{next(_counter)}"


def _form(fields: dict, signing_secret: str, timestamp: Optional[int]) -> Request:
    body = urllib.parse.urlencode({k: v for k, v in fields.items() if v is not None}).encode()
    return body, sign(body, content_type="application/x-www-form-urlencoded",
                      signing_secret=signing_secret, timestamp=timestamp)


def _payload(payload: dict, signing_secret: str, timestamp: Optional[int]) -> Request:
    return _form({"payload": json.dumps(payload, ensure_ascii=False, separators=(",", ":"))},
                 signing_secret, timestamp)


def _json(obj: dict, signing_secret: str, timestamp: Optional[int]) -> Request:
    body = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return body, sign(body, content_type="application/json", signing_secret=signing_secret,
                      timestamp=timestamp)


# ------------------------------------------------------------------------------ slash commands


def slash_command(text: str, *, command: str = "/seo-fr", user_id: str = DEFAULT_USER_ID,
                  user_name: str = "journaliste", channel_id: str = DEFAULT_CHANNEL_ID,
                  channel_name: str = "redaction", team_id: str = DEFAULT_TEAM_ID,
                  team_domain: str = "redaction", api_app_id: str = DEFAULT_APP_ID,
                  trigger_id: Optional[str] = None, response_url: Optional[str] = None,
                  slack: Any = None, signing_secret: str = DEFAULT_SIGNING_SECRET,
                  timestamp: Optional[int] = None, enterprise_id: Optional[str] = None,
                  is_enterprise_install: bool = False) -> Request:
    """A slash command, form-encoded like Slack's. `slack` (a FakeSlack, or its base_url) makes
    response_url point at the fake. enterprise_id / is_enterprise_install: from a workspace of an
    Enterprise Grid org (an org-wide install)."""
    fields = {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "team_domain": team_domain,
        "channel_id": channel_id,
        "channel_name": "directmessage" if channel_id.startswith("D") else channel_name,
        "user_id": user_id,
        "user_name": user_name,
        "command": command,
        "text": text,
        "api_app_id": api_app_id,
        "is_enterprise_install": "true" if is_enterprise_install else "false",
        "response_url": response_url or _response_url(slack, channel_id, user_id, None, team_id),
        "trigger_id": trigger_id or new_trigger_id(),
    }
    if enterprise_id:
        fields["enterprise_id"] = enterprise_id
        fields["enterprise_name"] = f"Groupe {enterprise_id}"
    return _form(fields, signing_secret, timestamp)


# ------------------------------------------------------------------------------ events


def event_callback(event: dict, *, event_id: Optional[str] = None, team_id: str = DEFAULT_TEAM_ID,
                   api_app_id: str = DEFAULT_APP_ID, bot_user_id: str = DEFAULT_BOT_USER_ID,
                   event_time: Optional[int] = None, signing_secret: str = DEFAULT_SIGNING_SECRET,
                   timestamp: Optional[int] = None, retry_num: Optional[int] = None,
                   retry_reason: Optional[str] = None) -> Request:
    """An Events API envelope (JSON). Reuse event_id (or use retry()) to model Slack's retries."""
    envelope = {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "context_team_id": team_id,
        "context_enterprise_id": None,
        "api_app_id": api_app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or new_event_id(),
        "event_time": int(time.time()) if event_time is None else event_time,
        "authorizations": [{"enterprise_id": None, "team_id": team_id, "user_id": bot_user_id,
                            "is_bot": True, "is_enterprise_install": False}],
        "is_ext_shared_channel": False,
        "event_context": "4-" + uuid.uuid4().hex,
    }
    body, headers = _json(envelope, signing_secret, timestamp)
    if retry_num is not None:
        headers = sign(body, content_type="application/json", signing_secret=signing_secret,
                       timestamp=timestamp, retry_num=retry_num, retry_reason=retry_reason)
    return body, headers


def _rich_text(text: str) -> list:
    return [{"type": "rich_text", "block_id": uuid.uuid4().hex[:5],
             "elements": [{"type": "rich_text_section",
                           "elements": [{"type": "text", "text": text}]}]}]


def message_event(text: str, channel: str = DEFAULT_CHANNEL_ID, user: str = DEFAULT_USER_ID,
                  ts: Optional[str] = None, thread_ts: Optional[str] = None,
                  channel_type: Optional[str] = None, *, team: str = DEFAULT_TEAM_ID,
                  subtype: Optional[str] = None, bot_id: Optional[str] = None,
                  **extra: Any) -> dict:
    """A `message` event as Slack delivers it (channel_type "channel", "group", "im", "mpim";
    default guessed from the channel id). Pass ts=slack.add_message(...)["ts"] when the bot
    will read the message back through conversations.replies."""
    ts = ts or new_ts()
    if channel_type is None:
        channel_type = {"D": "im", "G": "group"}.get(channel[:1], "channel")
    ev: dict[str, Any] = {
        "type": "message",
        "channel": channel,
        "user": user,
        "text": text,
        "ts": ts,
        "event_ts": ts,
        "team": team,
        "channel_type": channel_type,
    }
    if bot_id:
        ev["bot_id"] = bot_id
    if subtype:
        ev["subtype"] = subtype
    else:
        ev["client_msg_id"] = str(uuid.uuid4())
        ev["blocks"] = _rich_text(text)
    if thread_ts:
        ev["thread_ts"] = thread_ts
        ev["parent_user_id"] = extra.pop("parent_user_id", DEFAULT_BOT_USER_ID)
    ev.update(extra)
    return ev


def app_mention_event(text: str, channel: str = DEFAULT_CHANNEL_ID, user: str = DEFAULT_USER_ID,
                      ts: Optional[str] = None, thread_ts: Optional[str] = None, *,
                      bot_user_id: str = DEFAULT_BOT_USER_ID, team: str = DEFAULT_TEAM_ID,
                      **extra: Any) -> dict:
    """An `app_mention` event; "<@UBOT> " is prefixed unless the text already mentions the bot.
    (Slack also sends a `message` event for the same message when the bot is subscribed to
    message.channels: build it with message_event(same text, same ts) if the test needs it.)"""
    mention = f"<@{bot_user_id}>"
    if mention not in text:
        text = f"{mention} {text}"
    ts = ts or new_ts()
    ev: dict[str, Any] = {
        "type": "app_mention",
        "user": user,
        "text": text,
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
        "team": team,
        "client_msg_id": str(uuid.uuid4()),
        "blocks": _rich_text(text),
    }
    if thread_ts:
        ev["thread_ts"] = thread_ts
    ev.update(extra)
    return ev


def assistant_thread_started_event(channel: str, thread_ts: str, user: str = DEFAULT_USER_ID, *,
                                   context_channel: Optional[str] = None,
                                   team: str = DEFAULT_TEAM_ID) -> dict:
    """`assistant_thread_started`: the user opened the app's assistant container (split view);
    `context_channel` is the channel they were viewing (none: opened from the app's own DM)."""
    context: dict[str, Any] = {}
    if context_channel:
        context = {"channel_id": context_channel, "team_id": team, "enterprise_id": None}
    return {"type": "assistant_thread_started",
            "assistant_thread": {"user_id": user, "context": context, "channel_id": channel,
                                 "thread_ts": thread_ts},
            "event_ts": new_ts()}


def assistant_thread_context_changed_event(channel: str, thread_ts: str, user: str = DEFAULT_USER_ID, *,
                                           context_channel: str, team: str = DEFAULT_TEAM_ID) -> dict:
    """`assistant_thread_context_changed`: the user moved to another channel, the container open."""
    return {"type": "assistant_thread_context_changed",
            "assistant_thread": {"user_id": user, "channel_id": channel, "thread_ts": thread_ts,
                                 "context": {"channel_id": context_channel, "team_id": team,
                                             "enterprise_id": None}},
            "event_ts": new_ts()}


def app_home_opened_event(user: str = DEFAULT_USER_ID, channel: Optional[str] = None, *,
                          tab: str = "home") -> dict:
    """`app_home_opened` (tab "home" or "messages"; an agent_view app gets "messages" where an
    assistant_view app got `assistant_thread_started`)."""
    return {"type": "app_home_opened", "user": user, "channel": channel or "D" + user[1:],
            "tab": tab, "event_ts": new_ts()}


def url_verification(challenge: Optional[str] = None, *,
                     signing_secret: str = DEFAULT_SIGNING_SECRET,
                     timestamp: Optional[int] = None) -> Request:
    return _json({"token": VERIFICATION_TOKEN, "challenge": challenge or uuid.uuid4().hex,
                  "type": "url_verification"}, signing_secret, timestamp)


# ------------------------------------------------------------------------------ interactivity


def _find_action(blocks: list, action_id: str) -> Optional[tuple[dict, dict]]:
    for block in blocks or []:
        elements = list(block.get("elements") or [])
        if "accessory" in block:
            elements.append(block["accessory"])
        if "element" in block:
            elements.append(block["element"])
        for el in elements:
            if isinstance(el, dict) and el.get("action_id") == action_id:
                return block, el
    return None


def _public_message(message: dict) -> dict:
    msg = dict(message)
    msg.pop("channel", None)
    return msg


def block_actions(action_id: str, value: Optional[str] = None, *, message: Optional[dict] = None,
                  user_id: str = DEFAULT_USER_ID, user_name: str = "journaliste",
                  channel_id: Optional[str] = None, channel_name: str = "redaction",
                  block_id: Optional[str] = None, action_type: Optional[str] = None,
                  selected_option: Optional[dict] = None, trigger_id: Optional[str] = None,
                  response_url: Optional[str] = None, slack: Any = None,
                  team_id: str = DEFAULT_TEAM_ID, api_app_id: str = DEFAULT_APP_ID,
                  view: Optional[dict] = None, state_values: Optional[dict] = None,
                  signing_secret: str = DEFAULT_SIGNING_SECRET,
                  timestamp: Optional[int] = None) -> Request:
    """A click on `action_id` in `message` (the bot's message as FakeSlack holds it, e.g.
    slack.messages(...)[-1]) or in `view` (a modal from slack.views), form-encoded
    `payload=` like Slack's. block_id, button text, type and value are taken from the
    message's blocks; a missing action_id raises ValueError (a test/bot mismatch)."""
    source_blocks = (message or {}).get("blocks") or (view or {}).get("blocks") or []
    found = _find_action(source_blocks, action_id)
    if (message is not None or view is not None) and found is None:
        raise ValueError(f"action_id {action_id!r} not in the blocks of the given message/view")
    block, element = found if found else ({}, {})
    atype = action_type or element.get("type", "button")
    action: dict[str, Any] = {
        "action_id": action_id,
        "block_id": block_id or block.get("block_id") or "blk",
        "type": atype,
        "action_ts": f"{time.time():.6f}",
    }
    if atype == "button":
        action["text"] = element.get("text") or {"type": "plain_text", "text": action_id, "emoji": True}
        v = value if value is not None else element.get("value")
        if v is not None:
            action["value"] = v
        if element.get("style"):
            action["style"] = element["style"]
    elif atype in ("static_select", "overflow", "radio_buttons", "external_select"):
        opt = selected_option
        if opt is None and value is not None:
            opt = next((o for o in element.get("options", []) if o.get("value") == value),
                       {"text": {"type": "plain_text", "text": value}, "value": value})
        action["selected_option"] = opt
    elif value is not None:
        action["value"] = value

    trig = trigger_id or new_trigger_id()
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user_id, "username": user_name, "name": user_name, "team_id": team_id},
        "api_app_id": api_app_id,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trig,
        "team": {"id": team_id, "domain": "redaction"},
        "enterprise": None,
        "is_enterprise_install": False,
        "state": {"values": state_values or {}},
        "actions": [action],
    }
    if message is not None:
        channel = channel_id or message.get("channel") or DEFAULT_CHANNEL_ID
        container: dict[str, Any] = {"type": "message", "message_ts": message["ts"],
                                     "channel_id": channel, "is_ephemeral": False}
        if message.get("thread_ts"):
            container["thread_ts"] = message["thread_ts"]
        payload["container"] = container
        payload["channel"] = {"id": channel, "name": channel_name}
        payload["message"] = _public_message(message)
        payload["response_url"] = response_url or _response_url(slack, channel, user_id,
                                                                message["ts"], team_id)
    elif view is not None:
        payload["container"] = {"type": "view", "view_id": view.get("id")}
        payload["view"] = view
    else:
        channel = channel_id or DEFAULT_CHANNEL_ID
        payload["container"] = {"type": "message", "channel_id": channel, "is_ephemeral": False}
        payload["channel"] = {"id": channel, "name": channel_name}
        payload["response_url"] = response_url or _response_url(slack, channel, user_id, None, team_id)
    return _payload(payload, signing_secret, timestamp)


def _state_values(view: dict, values: dict) -> dict:
    """Checks values against the view's input blocks and expands shorthands:
    {block_id: {action_id: "text"}} -> plain_text_input value; {..: ["a", "b"]} -> selected_options
    for multi-selects/checkboxes; a dict is taken as is."""
    inputs: dict[str, dict] = {}
    for block in view.get("blocks", []):
        el = block.get("element") if block.get("type") == "input" else None
        if el is not None:
            inputs[block.get("block_id")] = el
        elif block.get("type") in ("actions", "section"):
            for e in list(block.get("elements") or []) + ([block["accessory"]] if "accessory" in block else []):
                if e.get("action_id"):
                    inputs.setdefault(block.get("block_id"), e)
    out: dict[str, dict] = {}
    for block_id, actions in values.items():
        if block_id not in inputs:
            raise ValueError(f"block_id {block_id!r} not in the view (has {sorted(map(str, inputs))})")
        el = inputs[block_id]
        out[block_id] = {}
        for action_id, v in actions.items():
            if el.get("action_id") != action_id:
                raise ValueError(f"action_id {action_id!r} not in block {block_id!r} "
                                 f"(element action_id {el.get('action_id')!r})")
            etype = el.get("type", "plain_text_input")
            if isinstance(v, dict):
                item = {"type": etype, **v}
            elif isinstance(v, list):
                item = {"type": etype, "selected_options": [
                    {"text": {"type": "plain_text", "text": x}, "value": x} for x in v]}
            elif etype in ("static_select", "radio_buttons", "external_select"):
                opt = next((o for o in el.get("options", []) if o.get("value") == v),
                           {"text": {"type": "plain_text", "text": v}, "value": v})
                item = {"type": etype, "selected_option": opt if v is not None else None}
            else:
                item = {"type": etype, "value": v}
            out[block_id][action_id] = item
    return out


def view_submission(view: dict, values: dict, *, user_id: str = DEFAULT_USER_ID,
                    user_name: str = "journaliste", team_id: str = DEFAULT_TEAM_ID,
                    api_app_id: str = DEFAULT_APP_ID, trigger_id: Optional[str] = None,
                    signing_secret: str = DEFAULT_SIGNING_SECRET,
                    timestamp: Optional[int] = None) -> Request:
    """The submission of `view` (as the bot opened it, e.g. slack.views[-1]) with
    values={block_id: {action_id: "text" | [..] | {...}}}; unknown block/action ids raise."""
    v = dict(view)
    v["state"] = {"values": _state_values(view, values)}
    payload = {
        "type": "view_submission",
        "team": {"id": team_id, "domain": "redaction"},
        "user": {"id": user_id, "username": user_name, "name": user_name, "team_id": team_id},
        "api_app_id": api_app_id,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id or new_trigger_id(),
        "view": v,
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }
    return _payload(payload, signing_secret, timestamp)


def view_closed(view: dict, *, user_id: str = DEFAULT_USER_ID, team_id: str = DEFAULT_TEAM_ID,
                api_app_id: str = DEFAULT_APP_ID, signing_secret: str = DEFAULT_SIGNING_SECRET,
                timestamp: Optional[int] = None) -> Request:
    payload = {"type": "view_closed", "team": {"id": team_id, "domain": "redaction"},
               "user": {"id": user_id, "team_id": team_id}, "api_app_id": api_app_id,
               "token": VERIFICATION_TOKEN, "view": view, "is_cleared": False,
               "is_enterprise_install": False, "enterprise": None}
    return _payload(payload, signing_secret, timestamp)


# ------------------------------------------------------------------------------ transport


def send(url: str, body: bytes, headers: dict, timeout: float = 30.0) -> tuple[int, bytes, float]:
    """POSTs like Slack; returns (status, body, elapsed seconds). Slack itself gives up after 3 s."""
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")
    start = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            data = resp.read()
            return resp.status, data, time.monotonic() - start
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), time.monotonic() - start


async def send_async(url: str, body: bytes, headers: dict,
                     timeout: float = 30.0) -> tuple[int, bytes, float]:
    """Same as send(), without blocking the running event loop."""
    import aiohttp

    start = time.monotonic()
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session:
        async with session.post(url, data=body, headers=headers) as resp:
            data = await resp.read()
            return resp.status, data, time.monotonic() - start
