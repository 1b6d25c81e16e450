"""A fake Slack Web API speaking real HTTP on 127.0.0.1.

The bot under test talks to it through the real slack_sdk ``AsyncWebClient(base_url=...)``
(``SLACK_API_URL``), so everything between our code and the wire is the real library:
form-encoded vs JSON bodies, the ``Authorization: Bearer`` header, ``files_upload_v2``'s three
steps, the retry handlers reacting to HTTP 429 + ``Retry-After``.

The server runs on its own event loop in a daemon thread, so one instance serves sync tests,
async tests (use :meth:`FakeSlack.wait_for_async` there) and bot subprocesses alike.

It enforces Slack's documented limits on what *we* send (Block Kit, message and view limits)
and answers with Slack's own error codes, so a test fails where production would.

    slack = FakeSlack()                  # free port on 127.0.0.1
    client = AsyncWebClient(token=slack.bot_token, base_url=slack.base_url)
    ...
    slack.messages("C1", thread_ts=parent_ts)
    slack.stop()

Several workspaces: the fake serves any number of teams (``add_team``), each with its own bot
token(s), channels, messages, users, views and budgets; a call acts in the team its token belongs
to, and every recorded call carries that ``team``. Test-side readers take ``team=`` (or run under
``with slack.as_team("T2"):``); without it they read the first team, as before. OAuth v2 as Slack
drives it: ``GET /oauth/v2/authorize`` (the browser's visit; answers with a redirect carrying a
code), ``oauth.v2.access`` (code exchange, and with token rotation the ``refresh_token`` grant:
single-use refresh tokens, access tokens that expire and then answer ``token_expired``).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import copy
import itertools
import json
import socket
import threading
import time
import urllib.parse
import uuid
from typing import Any, Callable, Optional

from aiohttp import web

# --------------------------------------------------------------------------------------
# Slack's limits (docs.slack.dev, Block Kit reference) and a few observed ones.

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
SECTION_TEXT_MAX = 3000
SECTION_FIELDS_MAX = 10
SECTION_FIELD_TEXT_MAX = 2000
HEADER_TEXT_MAX = 150
BUTTON_TEXT_MAX = 75
BUTTON_VALUE_MAX = 2000
URL_MAX = 3000
ID_MAX = 255  # action_id, block_id, callback_id, external_id
ACTIONS_ELEMENTS_MAX = 25
CONTEXT_ELEMENTS_MAX = 10
PLACEHOLDER_MAX = 150
OPTION_TEXT_MAX = 75
OPTION_VALUE_MAX = 150
SELECT_OPTIONS_MAX = 100
OVERFLOW_OPTIONS_MAX = 5
CHOICE_OPTIONS_MAX = 10  # checkboxes, radio_buttons
INPUT_LABEL_MAX = 2000
INPUT_HINT_MAX = 2000
TEXT_INPUT_LENGTH_MAX = 3000
IMAGE_ALT_MAX = 2000
MARKDOWN_BLOCKS_TEXT_MAX = 12000  # cumulative over all `markdown` blocks of one payload
VIEW_TITLE_MAX = 24
VIEW_BUTTON_MAX = 24  # submit / close
PRIVATE_METADATA_MAX = 3000
MSG_TEXT_MAX = 40000  # beyond: msg_too_long
MSG_TEXT_WARN = 4000  # our contract: keep `text` short (recorded in FakeSlack.long_texts)
# Not documented: Slack answers msg_blocks_too_long at about 13 000 characters of blocks
# (slackapi/bolt-js#2509, #2867). The fake measures the compact JSON serialisation.
MSG_BLOCKS_CHARS_MAX = 13000
STREAM_MARKDOWN_MAX = 12000  # markdown_text per call, and (stricter than observed) per streamed message
STREAM_LIFETIME_SECONDS = 300.0  # Slack ends a stream about five minutes after it started
# Per-minute, per-workspace budgets of the streaming methods (None = unlimited): Tier 4 for
# appendStream (100+), Tier 2 (20+) for startStream and stopStream, each method its own budget.
STREAM_RATE_LIMITS = {"chat.startStream": 20, "chat.appendStream": 100, "chat.stopStream": 20}
RATE_WINDOW_SECONDS = 60.0
VIEW_PUSH_LIMIT = 3
STREAM_CHUNK_TYPES = {"markdown_text", "plan_update", "task_update", "blocks"}
TASK_STATUSES = {"pending", "in_progress", "complete", "error"}
ASSISTANT_PROMPTS_MAX = 4  # assistant.threads.setSuggestedPrompts
ASSISTANT_LOADING_MAX = 10  # assistant.threads.setStatus loading_messages
TRIGGER_TTL_SECONDS = 3.0

KNOWN_BLOCK_TYPES = {
    "section", "header", "divider", "actions", "context", "image", "input", "markdown",
    "rich_text", "file", "video", "call", "table", "context_actions", "plan", "task_card",
    "card", "carousel", "alert",
}

BASE_TS = 1700000000


class FakeSlackTimeout(AssertionError):
    """Raised by wait_for when the predicate never became true."""


# --------------------------------------------------------------------------------------
# Block Kit validation


class _BlockChecker:
    """Collects Slack-style error lines: "[ERROR] <what> [json-pointer:/blocks/3/text/text]"."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.block_ids: set[str] = set()
        self.markdown_chars = 0

    def err(self, what: str, ptr: str) -> None:
        self.errors.append(f"[ERROR] {what} [json-pointer:{ptr}]")

    # -- primitives
    def string(self, obj: dict, key: str, ptr: str, *, max_len: Optional[int] = None,
               required: bool = False, min_len: int = 0) -> Optional[str]:
        if key not in obj or obj[key] is None:
            if required:
                self.err(f"missing required field: {key}", ptr)
            return None
        val = obj[key]
        if not isinstance(val, str):
            self.err("must be a string", f"{ptr}/{key}")
            return None
        if len(val) < min_len:
            self.err(f"must be more than {min_len - 1} characters", f"{ptr}/{key}")
        if max_len is not None and len(val) > max_len:
            self.err(f"must be less than {max_len + 1} characters", f"{ptr}/{key}")
        return val

    def text_obj(self, obj: Any, ptr: str, *, max_len: Optional[int], plain_only: bool = False,
                 required: bool = True) -> Optional[str]:
        if obj is None:
            if required:
                self.err("missing required field", ptr)
            return None
        if not isinstance(obj, dict):
            self.err("must be a text object", ptr)
            return None
        ttype = obj.get("type")
        allowed = ("plain_text",) if plain_only else ("plain_text", "mrkdwn")
        if ttype not in allowed:
            self.err(f"must be one of {', '.join(allowed)}", f"{ptr}/type")
        return self.string(obj, "text", ptr, max_len=max_len, required=True, min_len=1)

    # -- composition objects
    def option(self, opt: Any, ptr: str) -> None:
        if not isinstance(opt, dict):
            self.err("must be an option object", ptr)
            return
        self.text_obj(opt.get("text"), f"{ptr}/text", max_len=OPTION_TEXT_MAX)
        self.string(opt, "value", ptr, max_len=OPTION_VALUE_MAX)
        if "description" in opt:
            self.text_obj(opt.get("description"), f"{ptr}/description", max_len=OPTION_TEXT_MAX)
        self.string(opt, "url", ptr, max_len=URL_MAX)

    def options(self, el: dict, ptr: str, max_items: int, min_items: int = 0) -> None:
        opts = el.get("options")
        if opts is None:
            if min_items:
                self.err("missing required field: options", ptr)
            return
        if not isinstance(opts, list):
            self.err("must be an array", f"{ptr}/options")
            return
        if len(opts) > max_items:
            self.err(f"no more than {max_items} items allowed", f"{ptr}/options")
        if len(opts) < min_items:
            self.err(f"must provide at least {min_items} items", f"{ptr}/options")
        for i, opt in enumerate(opts):
            self.option(opt, f"{ptr}/options/{i}")

    def confirm(self, obj: Any, ptr: str) -> None:
        if not isinstance(obj, dict):
            self.err("must be a confirm object", ptr)
            return
        self.text_obj(obj.get("title"), f"{ptr}/title", max_len=100, plain_only=True)
        self.text_obj(obj.get("text"), f"{ptr}/text", max_len=300)
        self.text_obj(obj.get("confirm"), f"{ptr}/confirm", max_len=30, plain_only=True)
        self.text_obj(obj.get("deny"), f"{ptr}/deny", max_len=30, plain_only=True)

    # -- elements
    def element(self, el: Any, ptr: str) -> Optional[str]:
        """Validates an interactive (or image) element; returns its action_id."""
        if not isinstance(el, dict):
            self.err("must be an element object", ptr)
            return None
        etype = el.get("type")
        if not isinstance(etype, str):
            self.err("missing required field: type", ptr)
            return None
        action_id = self.string(el, "action_id", ptr, max_len=ID_MAX, min_len=1)
        if "confirm" in el:
            self.confirm(el["confirm"], f"{ptr}/confirm")
        if "placeholder" in el:
            self.text_obj(el["placeholder"], f"{ptr}/placeholder", max_len=PLACEHOLDER_MAX,
                          plain_only=True)
        if etype == "button":
            self.text_obj(el.get("text"), f"{ptr}/text", max_len=BUTTON_TEXT_MAX, plain_only=True)
            self.string(el, "value", ptr, max_len=BUTTON_VALUE_MAX)
            self.string(el, "url", ptr, max_len=URL_MAX)
            self.string(el, "accessibility_label", ptr, max_len=BUTTON_TEXT_MAX)
            if "style" in el and el["style"] not in ("primary", "danger"):
                self.err("must be one of primary, danger", f"{ptr}/style")
        elif etype in ("static_select", "multi_static_select"):
            if "options" in el:
                self.options(el, ptr, SELECT_OPTIONS_MAX, min_items=1)
            elif "option_groups" in el:
                groups = el["option_groups"]
                if not isinstance(groups, list) or len(groups) > SELECT_OPTIONS_MAX:
                    self.err(f"no more than {SELECT_OPTIONS_MAX} items allowed",
                             f"{ptr}/option_groups")
                else:
                    for i, g in enumerate(groups):
                        if isinstance(g, dict):
                            self.text_obj(g.get("label"), f"{ptr}/option_groups/{i}/label",
                                          max_len=OPTION_TEXT_MAX, plain_only=True)
                            self.options(g, f"{ptr}/option_groups/{i}", SELECT_OPTIONS_MAX, 1)
            else:
                self.err("missing required field: options", ptr)
        elif etype == "overflow":
            self.options(el, ptr, OVERFLOW_OPTIONS_MAX, min_items=1)
        elif etype in ("checkboxes", "radio_buttons"):
            self.options(el, ptr, CHOICE_OPTIONS_MAX, min_items=1)
        elif etype == "plain_text_input":
            self.string(el, "initial_value", ptr, max_len=TEXT_INPUT_LENGTH_MAX)
            for key in ("min_length", "max_length"):
                if key in el:
                    v = el[key]
                    if not isinstance(v, int) or v < 0 or v > TEXT_INPUT_LENGTH_MAX:
                        self.err(f"must be an integer between 0 and {TEXT_INPUT_LENGTH_MAX}",
                                 f"{ptr}/{key}")
        elif etype == "image":
            if "image_url" not in el and "slack_file" not in el:
                self.err("missing required field: image_url", ptr)
            self.string(el, "image_url", ptr, max_len=URL_MAX)
            self.string(el, "alt_text", ptr, max_len=IMAGE_ALT_MAX, required=True, min_len=1)
        # other element types (selects, pickers, inputs, workflow_button...): lenient
        return action_id

    # -- blocks
    def blocks(self, blocks: Any, ptr: str, *, max_blocks: int, surface: str) -> None:
        if not isinstance(blocks, list):
            self.err("must be an array", ptr)
            return
        if len(blocks) > max_blocks:
            self.err(f"no more than {max_blocks} items allowed", ptr)
        for i, block in enumerate(blocks):
            self.block(block, f"{ptr}/{i}", surface)

    def block(self, block: Any, ptr: str, surface: str) -> None:
        if not isinstance(block, dict):
            self.err("must be a block object", ptr)
            return
        btype = block.get("type")
        if not isinstance(btype, str):
            self.err("missing required field: type", ptr)
            return
        if btype not in KNOWN_BLOCK_TYPES:
            self.err(f"unsupported block type: {btype}", f"{ptr}/type")
            return
        block_id = self.string(block, "block_id", ptr, max_len=ID_MAX, min_len=1)
        if block_id is not None:
            if block_id in self.block_ids:
                self.err(f"duplicate block_id: {block_id}", f"{ptr}/block_id")
            self.block_ids.add(block_id)

        if btype == "section":
            has_text = block.get("text") is not None
            fields = block.get("fields")
            if not has_text and not fields:
                self.err("missing required field: text or fields", ptr)
            if has_text:
                self.text_obj(block["text"], f"{ptr}/text", max_len=SECTION_TEXT_MAX)
            if fields is not None:
                if not isinstance(fields, list):
                    self.err("must be an array", f"{ptr}/fields")
                else:
                    if len(fields) > SECTION_FIELDS_MAX:
                        self.err(f"no more than {SECTION_FIELDS_MAX} items allowed", f"{ptr}/fields")
                    for j, f in enumerate(fields):
                        self.text_obj(f, f"{ptr}/fields/{j}", max_len=SECTION_FIELD_TEXT_MAX)
            if "accessory" in block:
                self.element(block["accessory"], f"{ptr}/accessory")
        elif btype == "header":
            self.text_obj(block.get("text"), f"{ptr}/text", max_len=HEADER_TEXT_MAX, plain_only=True)
        elif btype == "actions":
            els = block.get("elements")
            if not isinstance(els, list) or not els:
                self.err("missing required field: elements", ptr)
                return
            if len(els) > ACTIONS_ELEMENTS_MAX:
                self.err(f"no more than {ACTIONS_ELEMENTS_MAX} items allowed", f"{ptr}/elements")
            seen: set[str] = set()
            for j, el in enumerate(els):
                aid = self.element(el, f"{ptr}/elements/{j}")
                if aid is not None:
                    if aid in seen:
                        self.err(f"duplicate action_id: {aid}", f"{ptr}/elements/{j}/action_id")
                    seen.add(aid)
        elif btype == "context":
            els = block.get("elements")
            if not isinstance(els, list) or not els:
                self.err("missing required field: elements", ptr)
                return
            if len(els) > CONTEXT_ELEMENTS_MAX:
                self.err(f"no more than {CONTEXT_ELEMENTS_MAX} items allowed", f"{ptr}/elements")
            for j, el in enumerate(els):
                p = f"{ptr}/elements/{j}"
                if isinstance(el, dict) and el.get("type") == "image":
                    self.element(el, p)
                else:
                    self.text_obj(el, p, max_len=None)
        elif btype == "image":
            if "image_url" not in block and "slack_file" not in block:
                self.err("missing required field: image_url", ptr)
            self.string(block, "image_url", ptr, max_len=URL_MAX)
            self.string(block, "alt_text", ptr, max_len=IMAGE_ALT_MAX, required=True, min_len=1)
            if "title" in block:
                self.text_obj(block["title"], f"{ptr}/title", max_len=2000, plain_only=True)
        elif btype == "input":
            self.text_obj(block.get("label"), f"{ptr}/label", max_len=INPUT_LABEL_MAX, plain_only=True)
            if "hint" in block:
                self.text_obj(block["hint"], f"{ptr}/hint", max_len=INPUT_HINT_MAX, plain_only=True)
            if "element" not in block:
                self.err("missing required field: element", ptr)
            else:
                self.element(block["element"], f"{ptr}/element")
        elif btype == "markdown":
            if surface != "message":
                self.err(f"unsupported block type in {surface}: markdown", f"{ptr}/type")
            text = self.string(block, "text", ptr, required=True, min_len=1)
            if text is not None:
                self.markdown_chars += len(text)
        elif btype == "rich_text":
            if not isinstance(block.get("elements"), list):
                self.err("missing required field: elements", ptr)
        elif btype == "video":
            for key in ("alt_text", "thumbnail_url", "video_url"):
                self.string(block, key, ptr, required=True, min_len=1)
            self.text_obj(block.get("title"), f"{ptr}/title", max_len=200, plain_only=True)
        elif btype == "file":
            self.string(block, "external_id", ptr, required=True, min_len=1)
        # divider and the newer types: lenient

    def finish(self, ptr: str = "/blocks") -> None:
        if self.markdown_chars > MARKDOWN_BLOCKS_TEXT_MAX:
            self.err(f"markdown blocks total must be less than {MARKDOWN_BLOCKS_TEXT_MAX + 1} "
                     f"characters (got {self.markdown_chars})", ptr)


def validate_message_blocks(blocks: Any) -> list[str]:
    """Slack-style error lines for a message's blocks (empty list when valid)."""
    chk = _BlockChecker()
    chk.blocks(blocks, "/blocks", max_blocks=MAX_MESSAGE_BLOCKS, surface="message")
    chk.finish()
    return chk.errors


def blocks_chars(blocks: Any) -> int:
    return len(json.dumps(blocks, ensure_ascii=False, separators=(",", ":")))


def validate_view(view: Any, *, expect: tuple[str, ...]) -> list[str]:
    chk = _BlockChecker()
    if not isinstance(view, dict):
        chk.err("must be a view object", "/view")
        return chk.errors
    vtype = view.get("type")
    if vtype not in expect:
        chk.err(f"must be one of {', '.join(expect)}", "/view/type")
    chk.string(view, "callback_id", "/view", max_len=ID_MAX)
    chk.string(view, "external_id", "/view", max_len=ID_MAX)
    chk.string(view, "private_metadata", "/view", max_len=PRIVATE_METADATA_MAX)
    if vtype == "modal":
        chk.text_obj(view.get("title"), "/view/title", max_len=VIEW_TITLE_MAX, plain_only=True)
        for key in ("submit", "close"):
            if view.get(key) is not None:
                chk.text_obj(view[key], f"/view/{key}", max_len=VIEW_BUTTON_MAX, plain_only=True)
    blocks = view.get("blocks")
    if blocks is None:
        chk.err("missing required field: blocks", "/view")
    else:
        chk.blocks(blocks, "/view/blocks", max_blocks=MAX_VIEW_BLOCKS,
                   surface="modal" if vtype == "modal" else "home")
        if (vtype == "modal" and isinstance(blocks, list) and view.get("submit") is None
                and any(isinstance(b, dict) and b.get("type") == "input" for b in blocks)):
            chk.err("submit is required when the view contains input blocks", "/view/submit")
    return chk.errors


# --------------------------------------------------------------------------------------


class _ApiError(Exception):
    def __init__(self, error: str, messages: Optional[list[str]] = None, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.messages = messages
        self.extra = extra


class _Late:
    def __init__(self, body: dict, seconds: float) -> None:
        self.body, self.seconds = body, seconds


def _truthy(v: Any) -> bool:
    if isinstance(v, str):
        return v.lower() in ("1", "true", "yes")
    return bool(v)


def _cursor(offset: int) -> str:
    return base64.b64encode(f"next:{offset}".encode()).decode()


def _offset(cursor: Optional[str]) -> int:
    if not cursor:
        return 0
    try:
        return int(base64.b64decode(cursor).decode().split(":", 1)[1])
    except Exception as exc:  # noqa: BLE001
        raise _ApiError("invalid_cursor") from exc


class _PerTeam:
    """An attribute of FakeSlack whose value belongs to the team the current call acts for."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, objtype: Any = None) -> Any:
        if obj is None:
            return self
        return obj._team_state()[self.name]

    def __set__(self, obj: Any, value: Any) -> None:
        obj._team_state()[self.name] = value


class _TeamField:
    """team_id, bot_token, bot_user_id, bot_id: the current team's."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, objtype: Any = None) -> Any:
        if obj is None:
            return self
        return getattr(obj._team(), self.name)

    def __set__(self, obj: Any, value: Any) -> None:
        setattr(obj._team(), self.name, value)


class FakeTeam:
    """One workspace: its bot user, its tokens (token -> expiry in time.time(), None = never) and
    its single-use refresh tokens. `installed` False: every token answers token_revoked."""

    def __init__(self, team_id: str, *, name: str, bot_user_id: str, bot_id: str,
                 enterprise_id: Optional[str] = None, is_enterprise_install: bool = False) -> None:
        self.team_id = team_id
        self.name = name
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.enterprise_id = enterprise_id
        self.is_enterprise_install = is_enterprise_install
        self.tokens: dict[str, Optional[float]] = {}
        self.refresh_tokens: set[str] = set()
        self.revoked: set[str] = set()
        self.installed = False

    @property
    def bot_token(self) -> Optional[str]:
        """The newest live bot token (the one a test would paste into SLACK_BOT_TOKEN)."""
        live = [t for t, exp in self.tokens.items() if exp is None or exp > time.time()]
        return live[-1] if live else (next(reversed(self.tokens)) if self.tokens else None)

    @bot_token.setter
    def bot_token(self, value: str) -> None:
        self.tokens[value] = None


_TEAM_STATE = ("_channels", "_users", "_messages", "_ephemerals", "views", "_view_stacks", "files",
               "statuses", "responses", "_streams", "long_texts", "suggested_prompts", "titles")


class FakeSlack:
    """Fake Slack Web API. See the module docstring and the README of tests/fakes."""

    JSON_FIELDS = ("blocks", "attachments", "view", "files", "metadata", "user_ids", "chunks")

    team_id = _TeamField()
    bot_token = _TeamField()
    bot_user_id = _TeamField()
    bot_id = _TeamField()
    # per-team state (see _TEAM_STATE)
    _channels = _PerTeam()
    _users = _PerTeam()
    _messages = _PerTeam()
    _ephemerals = _PerTeam()
    views = _PerTeam()
    _view_stacks = _PerTeam()
    files = _PerTeam()
    statuses = _PerTeam()
    responses = _PerTeam()
    _streams = _PerTeam()
    long_texts = _PerTeam()
    suggested_prompts = _PerTeam()  # assistant.threads.setSuggestedPrompts
    titles = _PerTeam()  # assistant.threads.setTitle

    CLIENT_ID = "1111.2222"
    CLIENT_SECRET = "fake-client-secret"
    TOKEN_LIFETIME = 43200  # seconds: Slack's rotating tokens live 12 hours
    CODE_TTL = 600.0  # an OAuth code is valid 10 minutes, once

    def __init__(self, bot_token: str = "xoxb-test", bot_user_id: str = "UBOT",
                 team_id: str = "T1", *, bot_id: str = "BBOT", app_id: str = "A1",
                 auto_channels: bool = True, host: str = "127.0.0.1", port: int = 0) -> None:
        self._lock = threading.RLock()
        self._tl = threading.local()
        self._teams: dict[str, FakeTeam] = {}
        self._default_team = team_id
        self.add_team(team_id, bot_token=bot_token, bot_user_id=bot_user_id, bot_id=bot_id)
        self.app_id = app_id
        self.client_id = self.CLIENT_ID
        self.client_secret = self.CLIENT_SECRET
        self.token_rotation = True  # OAuth installs get expiring tokens and refresh tokens
        self.token_lifetime = self.TOKEN_LIFETIME
        self.approver: tuple[str, str] = (team_id, "U1")  # who clicks « Allow » on the next install
        self._codes: dict[str, dict] = {}
        self._team_scopes: dict[str, str] = {}
        self.installs: list[dict] = []  # {"team", "user", "code", "at"} per approved install
        self.auto_channels = auto_channels
        self.trigger_ttl = TRIGGER_TTL_SECONDS
        self.max_blocks_chars = MSG_BLOCKS_CHARS_MAX
        self._reset_state()

        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((host, port))
        self.port = self._sock.getsockname()[1]
        self.root_url = f"http://{host}:{self.port}"
        self.base_url = f"{self.root_url}/api/"

        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._startup_error: Optional[BaseException] = None
        self._thread = threading.Thread(target=self._run, name="fake-slack", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("fake Slack did not start")
        if self._startup_error:
            raise self._startup_error

    # ---------------------------------------------------------------- lifecycle

    def _reset_state(self) -> None:
        with self._lock:
            self._states: dict[str, dict] = {}
            self._calls: list[dict] = []
            self._pending_uploads: dict[str, dict] = {}
            self._failures: dict[str, list[dict]] = {}
            self._holds: list[dict] = []
            self._used_triggers: set[str] = set()
            self._last_us = 0
            self._ids = itertools.count(1)
            self._delays: dict[str, list[float]] = {}
            self._rate_log: dict[tuple[str, str], list[float]] = {}
            self.stream_lifetime = STREAM_LIFETIME_SECONDS
            self.rate_limits: dict[str, Optional[int]] = dict(STREAM_RATE_LIMITS)
            self.rate_window = RATE_WINDOW_SECONDS
            self.streaming_enabled = True  # False: the streaming methods answer unknown_method
            self.stream_unsupported_channels: set[str] = set()  # channel_type_not_supported there
            # Chunk types chat.*Stream take; remove "task_update" / "plan_update" to play a Slack
            # that refuses them (invalid_chunks).
            self.stream_chunk_types: set[str] = set(STREAM_CHUNK_TYPES)

    def reset(self) -> None:
        """Forget every call, message, view, file, channel setting and scripted failure (of every
        team; teams, their tokens and installs stay)."""
        self._reset_state()

    # ---------------------------------------------------------------- teams

    @staticmethod
    def _fresh_team_state() -> dict:
        return {"_channels": {}, "_users": {}, "_messages": {}, "_ephemerals": [], "views": [],
                "_view_stacks": {}, "files": [], "statuses": [], "responses": [], "_streams": [],
                "long_texts": [], "suggested_prompts": [], "titles": []}

    def _current(self) -> str:
        return getattr(self._tl, "team", None) or self._default_team

    def _team(self, team_id: Optional[str] = None) -> FakeTeam:
        return self._teams[team_id or self._current()]

    def _team_state(self) -> dict:
        tid = self._current()
        state = self._states.get(tid)
        if state is None:
            state = self._states[tid] = self._fresh_team_state()
        return state

    def add_team(self, team_id: str, *, bot_token: Optional[str] = None, bot_user_id: Optional[str] = None,
                 bot_id: Optional[str] = None, name: Optional[str] = None,
                 enterprise_id: Optional[str] = None, is_enterprise_install: bool = False) -> FakeTeam:
        """A workspace. With `bot_token`: the app is already installed there with that static
        token (what single-workspace mode uses); without: installed through OAuth only."""
        with self._lock:
            team = FakeTeam(team_id, name=name or f"Rédaction {team_id}",
                            bot_user_id=bot_user_id or f"UBOT{team_id}", bot_id=bot_id or f"BBOT{team_id}",
                            enterprise_id=enterprise_id, is_enterprise_install=is_enterprise_install)
            if bot_token:
                team.tokens[bot_token] = None
                team.installed = True
            self._teams[team_id] = team
            return team

    def teams(self) -> list[FakeTeam]:
        return list(self._teams.values())

    def team(self, team_id: str) -> FakeTeam:
        return self._teams[team_id]

    @contextlib.contextmanager
    def as_team(self, team_id: Optional[str]):
        """Test-side readers (messages, streams, views, ...) look at `team_id` inside this block."""
        previous = getattr(self._tl, "team", None)
        self._tl.team = team_id or previous
        try:
            yield self
        finally:
            self._tl.team = previous

    def _token_team(self, token: str) -> tuple[Optional[FakeTeam], Optional[str]]:
        """(team, None) for a live token; (team, error) for an expired or revoked one; (None,
        "invalid_auth") for an unknown one."""
        for team in self._teams.values():
            if token in team.revoked:
                return team, "token_revoked"
            if token in team.tokens:
                expires = team.tokens[token]
                if not team.installed:
                    return team, "token_revoked"
                if expires is not None and expires <= time.time():
                    return team, "token_expired"
                return team, None
        return None, "invalid_auth"

    def _new_token(self, team: FakeTeam, *, rotating: bool) -> dict:
        serial = next(self._ids)
        secret = uuid.uuid4().hex[:12]
        if not rotating:
            token = f"xoxb-{team.team_id}-{serial}-{secret}"
            team.tokens[token] = None
            return {"access_token": token}
        token = f"xoxe.xoxb-1-{team.team_id}-{serial}-{secret}"
        refresh = f"xoxe-1-{team.team_id}-{serial}-{uuid.uuid4().hex[:12]}"
        team.tokens[token] = time.time() + self.token_lifetime
        team.refresh_tokens.add(refresh)
        return {"access_token": token, "refresh_token": refresh, "expires_in": int(self.token_lifetime)}

    def approve_as(self, team_id: str, user_id: str = "U1") -> None:
        """The next visit of the authorize page is approved by `user_id` of `team_id`."""
        with self._lock:
            self.approver = (team_id, user_id)

    def expire_tokens(self, team_id: Optional[str] = None, *, in_seconds: float = 0.0) -> None:
        """Every access token of the team expires `in_seconds` from now (0: already expired)."""
        with self._lock:
            team = self._team(team_id)
            for token, expires in team.tokens.items():
                team.tokens[token] = time.time() + in_seconds

    def uninstall(self, team_id: str) -> None:
        """The workspace removes the app: every token and refresh token of it is revoked (the
        test then sends the app_uninstalled / tokens_revoked events)."""
        with self._lock:
            team = self._teams[team_id]
            team.revoked.update(team.tokens)
            team.tokens.clear()
            team.refresh_tokens.clear()
            team.installed = False

    def refreshes(self, team_id: Optional[str] = None) -> list[dict]:
        """oauth.v2.access calls with grant_type=refresh_token (team None: any)."""
        return [c for c in self.calls("oauth.v2.access", team="*")
                if c["args"].get("grant_type") == "refresh_token"
                and (team_id is None or c.get("team") == team_id)]

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            app = web.Application(client_max_size=64 * 1024 * 1024)
            app.router.add_route("*", "/api/{method}", self._handle_api)
            app.router.add_get("/oauth/v2/authorize", self._handle_authorize)
            app.router.add_get("/socket-mode", self._handle_socket)
            app.router.add_get("/files-pri/{file_id}/{name}", self._handle_file_download)
            app.router.add_post("/upload/v1/{file_id}", self._handle_upload)
            app.router.add_post("/commands/{team}/{channel}/{user}/{message_ts}/{n}",
                                self._handle_response_url)
            self._runner = web.AppRunner(app, access_log=None)
            self._loop.run_until_complete(self._runner.setup())
            site = web.SockSite(self._runner, self._sock)
            self._loop.run_until_complete(site.start())
        except BaseException as exc:  # noqa: BLE001
            self._startup_error = exc
            self._ready.set()
            return
        self._ready.set()
        self._loop.run_forever()
        self._loop.run_until_complete(self._runner.cleanup())
        self._loop.close()

    def stop(self) -> None:
        if self._loop.is_closed() or not self._thread.is_alive():
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        try:
            self._sock.close()
        except OSError:
            pass

    def __enter__(self) -> "FakeSlack":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # ---------------------------------------------------------------- test-side API

    def calls(self, method: Optional[str] = None, *, team: Optional[str] = "*") -> list[dict]:
        """Recorded calls, oldest first: {"method", "args", "ts", "ok", "error", "status", "team"
        (the team of the token used; None when the token was unknown)}. team="*": every team."""
        with self._lock:
            return [copy.deepcopy(c) for c in self._calls if (method is None or c["method"] == method)
                    and (team == "*" or c.get("team") == team)]

    def call_count(self) -> int:
        """How many calls were recorded (cheap: for polling until the bot is quiet)."""
        with self._lock:
            return len(self._calls)

    def last_call(self, method: Optional[str] = None) -> Optional[dict]:
        found = self.calls(method)
        return found[-1] if found else None

    def messages(self, channel: Optional[str] = None, thread_ts: Optional[str] = None, *,
                 include_parent: bool = True, team: Optional[str] = None) -> list[dict]:
        """Current messages (updates applied, deleted ones gone), oldest first.

        channel=None: every channel. thread_ts: only that thread (its parent too unless
        include_parent=False). Each message carries a "channel" key (absent from API answers).
        team: that workspace's messages (default: the current one, see as_team).
        """
        with self._lock, self.as_team(team):
            chans = [channel] if channel is not None else list(self._messages)
            out = []
            for ch in chans:
                for m in self._messages.get(ch, []):
                    if thread_ts is not None:
                        if m["ts"] == thread_ts:
                            if not include_parent:
                                continue
                        elif m.get("thread_ts") != thread_ts:
                            continue
                    out.append(copy.deepcopy(m))
            out.sort(key=lambda m: float(m["ts"]))
            return out

    def message(self, channel: str, ts: str, *, team: Optional[str] = None) -> Optional[dict]:
        with self._lock, self.as_team(team):
            m = self._find(channel, ts)
            return copy.deepcopy(m) if m else None

    def streams(self, channel: Optional[str] = None, thread_ts: Optional[str] = None, *,
                team: Optional[str] = None) -> list[dict]:
        """Every streamed message, oldest first: {"channel", "ts", "thread_ts", "state"
        ("streaming" | "stopped" | "expired" | "updated"), "markdown" (the text streamed so far),
        "started_at", "first_text_at" (time.time() when its first words showed), "stopped_at",
        "appends" (accepted appendStream calls), "chunks" ([(time, text)] as they arrived),
        "recipient_user_id", "recipient_team_id", "stop_blocks"}. team: that workspace's."""
        with self._lock, self.as_team(team):
            out = []
            for st in self._streams:
                if channel is not None and st["channel"] != channel:
                    continue
                if thread_ts is not None and st["thread_ts"] != thread_ts:
                    continue
                self._expire(st)
                out.append(copy.deepcopy(st))
            return out

    def reset_budgets(self) -> None:
        """Forget the calls counted against the per-minute budgets (as if a minute had passed)."""
        with self._lock:
            self._rate_log.clear()

    def rate_limited(self, method: Optional[str] = None, *, team: Optional[str] = "*") -> int:
        """How many calls were answered `ratelimited` by the per-minute budgets (team: of that
        workspace only; "*": of every one)."""
        with self._lock:
            return sum(1 for c in self._calls if c["error"] == "ratelimited" and c.get("budget")
                       and (method is None or c["method"] == method)
                       and (team == "*" or c.get("team") == team))

    def ephemerals(self, channel: Optional[str] = None, *, team: Optional[str] = None) -> list[dict]:
        with self._lock, self.as_team(team):
            return [copy.deepcopy(e) for e in self._ephemerals
                    if channel is None or e["channel"] == channel]

    def add_message(self, channel: str, text: str, *, user: str = "U1",
                    thread_ts: Optional[str] = None, ts: Optional[str] = None,
                    blocks: Optional[list] = None, team: Optional[str] = None, **extra: Any) -> dict:
        """Seeds a message as if a human had posted it (no validation). Returns it."""
        with self._lock, self.as_team(team):
            ch = self._channel(channel, create=True)
            msg = {"type": "message", "user": user, "text": text, "team": self.team_id,
                   "ts": ts or self._next_ts()}
            if blocks is not None:
                msg["blocks"] = blocks
            msg.update(extra)
            self._store(ch["id"], msg, thread_ts)
            return copy.deepcopy(msg)

    def set_channel(self, channel_id: str, member: bool = True, archived: bool = False,
                    exists: bool = True, is_im: bool = False, *, name: Optional[str] = None,
                    is_private: bool = False, team: Optional[str] = None) -> None:
        with self._lock, self.as_team(team):
            self._channels[channel_id] = {
                "id": channel_id, "name": name or channel_id.lower(), "is_member": member,
                "is_archived": archived, "exists": exists, "is_im": is_im,
                "is_private": is_private, "members": set(),
            }

    def add_member(self, channel_id: str, *users: str, team: Optional[str] = None) -> None:
        """Puts users in a channel (what users.conversations reports for them)."""
        with self._lock, self.as_team(team):
            self._channel(channel_id, create=True)["members"].update(users)

    def set_user(self, user_id: str, *, name: Optional[str] = None,
                 real_name: Optional[str] = None, is_bot: bool = False, exists: bool = True,
                 tz: str = "Europe/Paris", locale: str = "fr-FR", is_admin: bool = False,
                 is_owner: bool = False, team: Optional[str] = None) -> None:
        with self._lock, self.as_team(team):
            self._users[user_id] = {"id": user_id, "name": name or user_id.lower(),
                                    "real_name": real_name or (name or user_id), "is_bot": is_bot,
                                    "exists": exists, "tz": tz, "locale": locale,
                                    "is_admin": is_admin or is_owner, "is_owner": is_owner}

    def fail(self, method: str, error: str = "ratelimited", times: Optional[int] = 1,
             retry_after: Optional[int] = None, status: int = 200) -> None:
        """Scripts the next `times` calls of `method` to fail (times=None: until reset()).

        error="ratelimited": HTTP 429 with a Retry-After header (default 1 s, like Slack) and
        {"ok": false, "error": "ratelimited"}. Anything else: HTTP `status` (default 200) with
        {"ok": false, "error": error}. method "upload" targets the upload-URL POST, and
        "response_url" the response_url POSTs.
        """
        with self._lock:
            self._failures.setdefault(method, []).append(
                {"error": error, "times": times, "retry_after": retry_after, "status": status})

    def clear_failures(self, method: Optional[str] = None) -> None:
        """Forgets the scripted failures of `method` (None: of every method)."""
        with self._lock:
            if method is None:
                self._failures.clear()
            else:
                self._failures.pop(method, None)

    def hold(self, method: str, seconds: float, *, match: Optional[Callable[[dict], bool]] = None,
             times: Optional[int] = None) -> None:
        """Delays the answer to `method` by `seconds` AFTER the call took effect (times=None: until
        reset()). What a busy network or a loaded bot looks like: people already see the message
        (and can click its buttons) while the poster still waits for Slack's answer. `match(args)`
        picks the calls to hold (e.g. only messages carrying buttons)."""
        with self._lock:
            self._holds.append({"method": method, "seconds": seconds, "match": match, "times": times})

    def release_holds(self) -> None:
        with self._lock:
            self._holds.clear()

    def _take_hold(self, method: str, args: dict) -> float:
        for h in self._holds:
            if h["method"] != method:
                continue
            try:
                if h["match"] is not None and not h["match"](args):
                    continue
            except Exception:  # noqa: BLE001
                continue
            if h["times"] is not None:
                h["times"] -= 1
                if h["times"] <= 0:
                    self._holds.remove(h)
            return h["seconds"]
        return 0.0

    def delay_answer(self, method: str, seconds: float, times: int = 1) -> None:
        """The next `times` calls of `method` take effect at once but are answered `seconds` later."""
        with self._lock:
            self._delays.setdefault(method, []).extend([seconds] * times)

    def _take_delay(self, method: str) -> float:
        queue = self._delays.get(method)
        return queue.pop(0) if queue else 0.0

    def response_url(self, channel_id: str, user_id: str, message_ts: Optional[str] = None, *,
                     team: Optional[str] = None) -> str:
        """A response_url served by this fake (what Slack puts in commands and actions)."""
        n = next(self._ids)
        return (f"{self.root_url}/commands/{team or self.team_id}/{channel_id}/{user_id}/"
                f"{message_ts or '-'}/{n}")

    def assistant_thread(self, channel: str, *, user: str = "U1", team: Optional[str] = None) -> str:
        """Opens an assistant thread in the DM `channel` as Slack does (its root is the app's
        `assistant_app_thread` message); returns its thread_ts."""
        with self._lock, self.as_team(team):
            ch = self._channel(channel, create=True)
            ts = self._next_ts()
            msg = self._bot_message("New Assistant Thread", None, ts)
            msg.update({"subtype": "assistant_app_thread", "thread_ts": ts,
                        "assistant_app_thread": {"title": "", "first_user_message": ""}})
            self._store(ch["id"], msg, None)
            return ts

    def title_of(self, channel_id: str, thread_ts: str, *, team: Optional[str] = None) -> Optional[str]:
        """Latest assistant.threads.setTitle title of a thread."""
        with self._lock, self.as_team(team):
            for t in reversed(self.titles):
                if t["channel_id"] == channel_id and t["thread_ts"] == thread_ts:
                    return t["title"]
        return None

    def status_of(self, channel_id: str, thread_ts: str, *, team: Optional[str] = None) -> Optional[str]:
        """Latest assistant.threads.setStatus status for a thread ('' clears it)."""
        with self._lock, self.as_team(team):
            for s in reversed(self.statuses):
                if s["channel_id"] == channel_id and s["thread_ts"] == thread_ts:
                    return s["status"]
        return None

    def dump(self, last: int = 30) -> str:
        with self._lock:
            lines = []
            for c in self._calls[-last:]:
                args = json.dumps(c["args"], ensure_ascii=False, default=str)
                if len(args) > 400:
                    args = args[:400] + "…"
                outcome = "ok" if c.get("ok") else f"error={c.get('error')}"
                team = f" team={c.get('team')}" if len(self._teams) > 1 else ""
                lines.append(f"  {c['method']} [{outcome}]{team} {args}")
            return "\n".join(lines) or "  (no calls)"

    def wait_for(self, predicate: Callable[["FakeSlack"], Any], timeout: float = 30.0,
                 interval: float = 0.02) -> Any:
        """Polls predicate(self) until truthy; returns its value. Do not call it from the event
        loop that runs the bot (it blocks): use wait_for_async there."""
        deadline = time.monotonic() + timeout
        last_exc: Optional[BaseException] = None
        while True:
            try:
                value = predicate(self)
                if value:
                    return value
                last_exc = None
            except Exception as exc:  # noqa: BLE001
                last_exc = exc
            if time.monotonic() >= deadline:
                raise self._timeout(predicate, timeout, last_exc)
            time.sleep(interval)

    async def wait_for_async(self, predicate: Callable[["FakeSlack"], Any], timeout: float = 30.0,
                             interval: float = 0.02) -> Any:
        deadline = time.monotonic() + timeout
        last_exc: Optional[BaseException] = None
        while True:
            try:
                value = predicate(self)
                if value:
                    return value
                last_exc = None
            except Exception as exc:  # noqa: BLE001
                last_exc = exc
            if time.monotonic() >= deadline:
                raise self._timeout(predicate, timeout, last_exc)
            await asyncio.sleep(interval)

    def _timeout(self, predicate: Any, timeout: float, exc: Optional[BaseException]) -> FakeSlackTimeout:
        name = getattr(predicate, "__name__", repr(predicate))
        extra = f"\nlast predicate error: {exc!r}" if exc else ""
        return FakeSlackTimeout(
            f"condition {name} not met within {timeout}s{extra}\nrecent Slack API calls:\n{self.dump()}")

    # ---------------------------------------------------------------- internals: state

    def _next_ts(self) -> str:
        """Slack-style ts ("1764103000.123400"): wall clock, strictly increasing, so the bot's
        replies sort after the (real-time) ts of events built by slack_requests."""
        us = max(int(time.time() * 1_000_000) // 100 * 100, self._last_us + 100)
        self._last_us = us
        return f"{us // 1_000_000}.{us % 1_000_000:06d}"

    def _channel(self, channel_id: Optional[str], *, create: bool = False) -> dict:
        if not channel_id:
            raise _ApiError("channel_not_found")
        if channel_id[0] in "UW" and channel_id not in self._channels:
            # posting to a user id lands in the DM with the app
            channel_id = "D" + channel_id[1:]
        ch = self._channels.get(channel_id)
        if ch is None and (self.auto_channels or create):
            self.set_channel(channel_id, is_im=channel_id.startswith("D"))
            ch = self._channels[channel_id]
        if ch is None or not ch["exists"]:
            raise _ApiError("channel_not_found")
        return ch

    def _writable_channel(self, channel_id: Optional[str]) -> dict:
        ch = self._channel(channel_id)
        if ch["is_archived"]:
            raise _ApiError("is_archived")
        if not ch["is_member"] and not ch["is_im"]:
            raise _ApiError("not_in_channel")
        return ch

    def _find(self, channel: str, ts: str) -> Optional[dict]:
        for m in self._messages.get(channel, []):
            if m["ts"] == ts:
                return m
        return None

    def _store(self, channel: str, msg: dict, thread_ts: Optional[str]) -> None:
        msg["channel"] = channel
        lst = self._messages.setdefault(channel, [])
        if thread_ts:
            parent = self._find(channel, thread_ts)
            if parent is not None and parent.get("thread_ts") and parent["thread_ts"] != parent["ts"]:
                thread_ts = parent["thread_ts"]  # a reply's ts: Slack threads under the root
                parent = self._find(channel, thread_ts)
            msg["thread_ts"] = thread_ts
            if parent is not None:
                msg["parent_user_id"] = parent.get("user")
                parent["thread_ts"] = thread_ts
                parent["reply_count"] = parent.get("reply_count", 0) + 1
                users = parent.setdefault("reply_users", [])
                if msg.get("user") and msg["user"] not in users:
                    users.append(msg["user"])
                parent["reply_users_count"] = len(users)
                parent["latest_reply"] = msg["ts"]
        lst.append(msg)

    def _bot_message(self, text: str, blocks: Optional[list], ts: str) -> dict:
        msg = {"type": "message", "user": self.bot_user_id, "bot_id": self.bot_id,
               "app_id": self.app_id, "team": self.team_id, "text": text, "ts": ts,
               "bot_profile": {"id": self.bot_id, "app_id": self.app_id, "name": "seo-bot",
                               "team_id": self.team_id, "deleted": False}}
        if blocks is not None:
            msg["blocks"] = blocks
        return msg

    @staticmethod
    def _public(msg: dict) -> dict:
        out = copy.deepcopy(msg)
        out.pop("channel", None)
        return out

    def _take_failure(self, method: str) -> Optional[dict]:
        queue = self._failures.get(method)
        if not queue:
            return None
        f = queue[0]
        if f["times"] is not None:
            f["times"] -= 1
            if f["times"] <= 0:
                queue.pop(0)
        return f

    @staticmethod
    def _failure_response(f: dict) -> web.Response:
        if f["error"] == "ratelimited":
            ra = f["retry_after"] if f["retry_after"] is not None else 1
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429,
                                     headers={"Retry-After": str(ra)})
        return web.json_response({"ok": False, "error": f["error"]}, status=f["status"])

    # ---------------------------------------------------------------- internals: HTTP

    async def _read_args(self, request: web.Request) -> tuple[dict, Optional[str]]:
        args: dict[str, Any] = dict(request.query)
        ctype = request.content_type
        if request.method == "POST" and request.can_read_body:
            if ctype == "application/json":
                raw = await request.read()
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    raise _ApiError("invalid_json")
                if not isinstance(body, dict):
                    raise _ApiError("invalid_json")
                args.update(body)
            elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
                form = await request.post()
                for k in form.keys():
                    v = form.get(k)
                    if hasattr(v, "file"):
                        v = v.file.read()
                    args[k] = v
        token = None
        auth = request.headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            token = auth[len("Bearer "):].strip()
        if "token" in args:
            token = token or args["token"]
            args.pop("token")
        for key in self.JSON_FIELDS:
            v = args.get(key)
            if isinstance(v, str) and v[:1] in ("[", "{"):
                try:
                    args[key] = json.loads(v)
                except ValueError:
                    args[key] = {"__invalid_json__": v}
        return args, token

    def _record(self, method: str, args: dict, body: dict, status: int,
                team: Optional[str] = "") -> None:
        self._calls.append({"method": method, "args": copy.deepcopy(args), "ts": time.time(),
                            "ok": bool(body.get("ok")), "error": body.get("error"),
                            "status": status, "team": self._current() if team == "" else team})

    async def _handle_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        try:
            args, token = await self._read_args(request)
        except _ApiError as exc:
            args, token = {}, None
            parse_error: Optional[_ApiError] = exc
        else:
            parse_error = None
        if method == "apps.connections.open":  # Socket Mode: authenticated by the app-level token
            if not (token or "").startswith("xapp-"):
                return web.json_response({"ok": False, "error": "invalid_auth"})
            return web.json_response({"ok": True, "url": f"ws://{self.root_url.split('://', 1)[1]}/socket-mode"})
        with self._lock:
            team, token_error = self._token_team(token) if token else (None, "not_authed")
            self._tl.team = team.team_id if team is not None else None
            try:
                resp = self._answer(request, method, args, token, team, token_error, parse_error)
            finally:
                self._tl.team = None
        if isinstance(resp, _Late):  # the call is done on Slack's side; its answer is late
            await asyncio.sleep(resp.seconds)
            return web.json_response(resp.body)
        return resp

    def _answer(self, request: web.Request, method: str, args: dict, token: Optional[str],
                      team: Optional[FakeTeam], token_error: Optional[str],
                      parse_error: Optional[_ApiError]) -> web.Response:
        """Runs under self._lock with the token's team current. A held or delayed answer comes
        back as _Late: the caller sleeps after releasing the lock."""
        record_team = team.team_id if team is not None else None
        if True:
            failure = self._take_failure(method)
            if failure is not None:
                resp = self._failure_response(failure)
                status = resp.status
                self._record(method, args, {"ok": False, "error": failure["error"]}, status, record_team)
                return resp
            try:
                if parse_error:
                    raise parse_error
                if method == "oauth.v2.access":  # authenticated by the app's client id and secret
                    record_team = None
                    body = {"ok": True}
                    body.update(self._oauth_v2_access(request, args))
                    record_team = body.pop("_team")
                else:
                    handler = self._METHODS.get(method)
                    if handler is None:
                        raise _ApiError("unknown_method", req_method=method)
                    if token_error:
                        raise _ApiError(token_error)
                    body = {"ok": True}
                    body.update(handler(self, args))
            except _ApiError as exc:
                body = {"ok": False, "error": exc.error}
                retry_after = exc.extra.pop("retry_after", None)
                body.update(exc.extra)
                if exc.messages:
                    body["response_metadata"] = {"messages": exc.messages}
                if retry_after is not None:
                    self._record(method, args, body, 429, record_team)
                    self._calls[-1]["budget"] = True
                    return web.json_response(body, status=429, headers={"Retry-After": str(retry_after)})
            self._record(method, args, body, 200, record_team)
            hold = self._take_hold(method, args) if body.get("ok") else 0.0
            delay = self._take_delay(method)
        if hold or delay:
            return _Late(body, hold + delay)
        return web.json_response(body)

    # ---------------------------------------------------------------- files shared by people

    def add_file(self, content: str | bytes, *, name: str = "depeche.txt", filetype: str = "text",
                 mimetype: str = "text/plain", mode: str = "snippet", served_as: str = "text/plain",
                 redirect_to: str | None = None, public: bool = False, team: Optional[str] = None) -> dict:
        """A file a person shared (e.g. a long paste Slack turned into a snippet), as the
        `files` item of a message event; its url_private answers the bot token only (unless
        `public`), with Content-Type `served_as`, or a 302 to `redirect_to`."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        file_id = f"F{next(self._ids):08d}"
        self.__dict__.setdefault("_shared_files", {})[file_id] = data
        self.__dict__.setdefault("_file_serving", {})[file_id] = (served_as, redirect_to, public)
        url = f"{self.root_url}/files-pri/{team or self.team_id}-{file_id}/{name}"
        return {"id": file_id, "name": name, "title": name, "mimetype": mimetype, "filetype": filetype,
                "size": len(data), "mode": mode, "url_private": url, "url_private_download": url + "?download=1",
                "preview": data[:200].decode("utf-8", "replace")}

    async def _handle_file_download(self, request: web.Request) -> web.Response:
        team_id, _, file_id = request.match_info["file_id"].rpartition("-")
        served_as, redirect_to, public = self.__dict__.get("_file_serving", {}).get(
            file_id, ("text/plain", None, False))
        auth = request.headers.get("Authorization", "")
        with self._lock:
            owner, error = self._token_team(auth[7:].strip()) if auth.startswith("Bearer ") else (None, "not_authed")
            self._record("files.request", {"file": file_id, "authorization": auth or None}, {"ok": True}, 200,
                         owner.team_id if owner is not None else None)
        allowed = owner is not None and error is None and owner.team_id == (team_id or self._default_team)
        if not public and not allowed:
            return web.Response(status=302, headers={"Location": "https://slack.com/signin"})
        if redirect_to:
            return web.Response(status=302, headers={"Location": redirect_to})
        data = self.__dict__.get("_shared_files", {}).get(file_id)
        if data is None:
            return web.Response(status=404)
        with self._lock:
            self._record("files.download", {"file": file_id}, {"ok": True}, 200)
        return web.Response(body=data, headers={"Content-Type": served_as})

    # ---------------------------------------------------------------- Socket Mode

    async def _handle_socket(self, request: web.Request) -> web.WebSocketResponse:
        """Slack's Socket Mode WebSocket: hello, then envelopes the app must ack by envelope_id."""
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.__dict__.setdefault("_sockets", []).append(ws)
        await ws.send_json({"type": "hello", "num_connections": 1,
                            "connection_info": {"app_id": self.app_id}, "debug_info": {"host": "fake"}})
        async for msg in ws:
            if msg.type == web.WSMsgType.TEXT:
                data = json.loads(msg.data)
                waiter = self.__dict__.setdefault("_socket_acks", {}).pop(data.get("envelope_id"), None)
                if waiter is not None and not waiter.done():
                    waiter.set_result(data)
        self._sockets.remove(ws)
        return ws

    def socket_connected(self) -> bool:
        return bool(self.__dict__.get("_sockets"))

    def socket_send(self, envelope_type: str, payload: dict, *, timeout: float = 30.0) -> tuple[dict, float]:
        """Send one envelope over Socket Mode as Slack does; returns (the app's ack, seconds to ack)."""
        async def send():
            envelope_id = str(uuid.uuid4())
            waiter = self._loop.create_future()
            self.__dict__.setdefault("_socket_acks", {})[envelope_id] = waiter
            started = time.monotonic()
            await self._sockets[-1].send_json({"envelope_id": envelope_id, "type": envelope_type,
                                               "payload": payload, "accepts_response_payload":
                                               envelope_type != "events_api", "retry_attempt": 0,
                                               "retry_reason": ""})
            ack = await asyncio.wait_for(waiter, timeout)
            return ack, time.monotonic() - started
        return asyncio.run_coroutine_threadsafe(send(), self._loop).result(timeout + 1)

    async def _handle_upload(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        ctype = request.content_type
        if ctype == "multipart/form-data":
            form = await request.post()
            part = form.get("file") or next((v for v in form.values() if hasattr(v, "file")), None)
            content = part.file.read() if part is not None and hasattr(part, "file") else b""
        else:
            content = await request.read()
        with self._lock:
            args = {"file_id": file_id, "length": len(content)}
            failure = self._take_failure("upload")
            if failure is not None:
                self._record("upload", args, {"ok": False, "error": failure["error"]},
                             failure["status"] if failure["error"] != "ratelimited" else 429)
                if failure["error"] == "ratelimited":
                    return self._failure_response(failure)
                return web.Response(status=failure["status"] if failure["status"] != 200 else 500,
                                    text=failure["error"], content_type="text/plain")
            pending = self._pending_uploads.get(file_id)
            if pending is None:
                self._record("upload", args, {"ok": False, "error": "not_found"}, 404)
                return web.Response(status=404, text="not_found", content_type="text/plain")
            pending["content"] = content
            pending["uploaded"] = True
            self._record("upload", args, {"ok": True}, 200)
        return web.Response(text=f"OK - {len(content)}", content_type="text/plain")

    async def _handle_response_url(self, request: web.Request) -> web.Response:
        info = dict(request.match_info)
        try:
            payload = await request.json()
        except ValueError:
            payload = {}
        with self._lock, self.as_team(info["team"] if info["team"] in self._teams else None):
            args = {"channel": info["channel"], "user": info["user"], **payload}
            failure = self._take_failure("response_url")
            if failure is not None:
                self._record("response_url", args, {"ok": False, "error": failure["error"]}, 500)
                return web.Response(status=failure["status"] if failure["status"] != 200 else 500,
                                    text=failure["error"])
            error = None
            text = payload.get("text") or ""
            blocks = payload.get("blocks")
            if isinstance(blocks, str):
                try:
                    blocks = json.loads(blocks)
                except ValueError:
                    error = "invalid_blocks_format"
            if error is None and not _truthy(payload.get("delete_original")):
                if not text and not blocks:
                    error = "no_text"
                elif blocks is not None and validate_message_blocks(blocks):
                    error = "invalid_blocks"
            if error:
                self._record("response_url", args, {"ok": False, "error": error}, 400)
                return web.Response(status=400, text=error)
            channel = info["channel"]
            message_ts = None if info["message_ts"] == "-" else info["message_ts"]
            entry = {"channel": channel, "user": info["user"], "payload": copy.deepcopy(payload),
                     "ts": time.time()}
            self.responses.append(entry)
            original = self._find(channel, message_ts) if message_ts else None
            if _truthy(payload.get("delete_original")) and original is not None:
                self._messages[channel].remove(original)
            elif _truthy(payload.get("replace_original")) and original is not None:
                original["text"] = text
                if blocks is not None:
                    original["blocks"] = blocks
            elif payload.get("response_type") == "in_channel":
                msg = self._bot_message(text, blocks, self._next_ts())
                self._store(channel, msg, payload.get("thread_ts"))
            else:
                self._ephemerals.append({"channel": channel, "user": info["user"], "text": text,
                                         "blocks": blocks, "thread_ts": payload.get("thread_ts"),
                                         "message_ts": self._next_ts(), "via": "response_url"})
            self._record("response_url", args, {"ok": True}, 200)
        return web.Response(text="ok", content_type="text/html")

    # ---------------------------------------------------------------- Web API methods

    def _check_message_content(self, method: str, args: dict, *, require: bool = True) -> None:
        text = args.get("text")
        blocks = args.get("blocks")
        attachments = args.get("attachments")
        if isinstance(blocks, dict) and "__invalid_json__" in blocks:
            raise _ApiError("invalid_blocks_format")
        if require and not text and not blocks and not attachments and not args.get("markdown_text"):
            raise _ApiError("no_text")
        if blocks is not None:
            if not isinstance(blocks, list):
                raise _ApiError("invalid_blocks_format")
            errors = validate_message_blocks(blocks)
            if errors:
                raise _ApiError("invalid_blocks", errors)
            if blocks_chars(blocks) > self.max_blocks_chars:
                raise _ApiError("msg_blocks_too_long")
        if isinstance(text, str):
            if len(text) > MSG_TEXT_MAX:
                raise _ApiError("msg_too_long")
            if len(text) > MSG_TEXT_WARN:
                self.long_texts.append({"method": method, "channel": args.get("channel"),
                                        "length": len(text), "text": text[:200]})

    def _auth_test(self, args: dict) -> dict:
        team = self._team()
        out = {"url": f"https://{self.team_id.lower()}.slack.com/", "team": team.name,
               "user": "seo-bot", "team_id": self.team_id, "user_id": self.bot_user_id,
               "bot_id": self.bot_id, "is_enterprise_install": team.is_enterprise_install}
        if team.enterprise_id:
            out["enterprise_id"] = team.enterprise_id
        return out

    # ---------------------------------------------------------------- OAuth v2

    async def _handle_authorize(self, request: web.Request) -> web.Response:
        """The browser's visit of Slack's authorize page; the approver (approve_as) clicks Allow
        at once: a redirect to redirect_uri with a single-use code and the state, unchanged."""
        q = request.query
        with self._lock:
            self._record("oauth.authorize", dict(q), {"ok": True}, 200, None)
            if q.get("client_id") != self.client_id:
                return web.Response(status=400, text="invalid_client_id")
            redirect_uri = q.get("redirect_uri") or getattr(self, "redirect_uri", None)
            if not redirect_uri:
                return web.Response(status=400, text="bad_redirect_uri")
            team_id, user_id = self.approver
            if q.get("team") and q["team"] in self._teams:
                team_id = q["team"]
            code = f"{team_id}.{uuid.uuid4().hex}"
            self._codes[code] = {"team": team_id, "user": user_id, "redirect_uri": q.get("redirect_uri"),
                                 "scope": q.get("scope", ""), "user_scope": q.get("user_scope", ""),
                                 "expires": time.time() + self.CODE_TTL}
            self.installs.append({"team": team_id, "user": user_id, "code": code, "at": time.time()})
        sep = "&" if "?" in redirect_uri else "?"
        params = urllib.parse.urlencode({"code": code, "state": q.get("state", "")})
        return web.Response(status=302, headers={"Location": f"{redirect_uri}{sep}{params}"})

    @staticmethod
    def _team_field(team: FakeTeam) -> Optional[dict]:
        """oauth.v2.access's `team`: null for an org-wide (Enterprise Grid) install."""
        return None if team.is_enterprise_install else {"id": team.team_id, "name": team.name}

    def _client_credentials(self, request: web.Request, args: dict) -> tuple[Optional[str], Optional[str]]:
        auth = request.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            try:
                cid, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
                return cid, secret
            except Exception:  # noqa: BLE001
                return None, None
        return args.get("client_id"), args.get("client_secret")

    def _oauth_v2_access(self, request: web.Request, args: dict) -> dict:
        cid, secret = self._client_credentials(request, args)
        args.pop("client_secret", None)  # never kept in the record
        if cid != self.client_id:
            raise _ApiError("invalid_client_id")
        if secret != self.client_secret:
            raise _ApiError("bad_client_secret")
        if args.get("grant_type") == "refresh_token":
            refresh = args.get("refresh_token")
            team = next((t for t in self._teams.values() if refresh in t.refresh_tokens), None)
            if team is None or not team.installed:
                raise _ApiError("invalid_refresh_token")
            team.refresh_tokens.discard(refresh)  # single use
            issued = self._new_token(team, rotating=True)
            return {"_team": team.team_id, "token_type": "bot", "scope": self._team_scopes.get(team.team_id, ""),
                    "bot_user_id": team.bot_user_id, "app_id": self.app_id,
                    "team": self._team_field(team),
                    "enterprise": ({"id": team.enterprise_id, "name": f"Groupe {team.enterprise_id}"}
                                   if team.enterprise_id else None),
                    "is_enterprise_install": team.is_enterprise_install, **issued}
        if args.get("grant_type") not in (None, "", "authorization_code"):
            raise _ApiError("unsupported_grant_type")
        code = args.get("code")
        grant = self._codes.pop(code, None) if code else None  # single use
        if grant is None or grant["expires"] < time.time():
            raise _ApiError("invalid_code")
        if grant["redirect_uri"] and args.get("redirect_uri") != grant["redirect_uri"]:
            raise _ApiError("bad_redirect_uri")
        team = self._teams[grant["team"]]
        team.installed = True
        team.revoked.clear()
        self._team_scopes[team.team_id] = grant["scope"]
        issued = self._new_token(team, rotating=self.token_rotation)
        self._tl.team = team.team_id
        return {"_team": team.team_id, "token_type": "bot", "scope": grant["scope"],
                "bot_user_id": team.bot_user_id, "app_id": self.app_id, "team": self._team_field(team),
                "enterprise": ({"id": team.enterprise_id, "name": f"Groupe {team.enterprise_id}"}
                               if team.enterprise_id else None),
                "is_enterprise_install": team.is_enterprise_install,
                "authed_user": {"id": grant["user"], "scope": grant["user_scope"] or None}, **issued}

    def _chat_post_message(self, args: dict) -> dict:
        ch = self._writable_channel(args.get("channel"))
        self._check_message_content("chat.postMessage", args)
        ts = self._next_ts()
        msg = self._bot_message(args.get("text") or "", args.get("blocks"), ts)
        if args.get("metadata") is not None:
            msg["metadata"] = args["metadata"]
        thread_ts = args.get("thread_ts") or None
        self._store(ch["id"], msg, thread_ts)
        return {"channel": ch["id"], "ts": ts, "message": self._public(msg)}

    def _chat_update(self, args: dict) -> dict:
        ch = self._channel(args.get("channel"))
        ts = args.get("ts")
        msg = self._find(ch["id"], ts) if ts else None
        if msg is None:
            raise _ApiError("message_not_found")
        if msg.get("user") != self.bot_user_id:
            raise _ApiError("cant_update_message")
        if ch["is_archived"]:
            raise _ApiError("is_archived")
        if "text" not in args and "blocks" not in args and "attachments" not in args:
            raise _ApiError("no_text")
        self._check_message_content("chat.update", args, require=False)
        if "text" in args:
            msg["text"] = args.get("text") or ""
        if "blocks" in args:
            if args["blocks"]:
                msg["blocks"] = args["blocks"]
            else:
                msg.pop("blocks", None)
        if not msg.get("text") and not msg.get("blocks"):
            raise _ApiError("no_text")
        if args.get("metadata") is not None:  # chat.update takes metadata like chat.postMessage
            msg["metadata"] = args["metadata"]
        msg["edited"] = {"user": self.bot_user_id, "ts": self._next_ts()}
        msg.pop("streaming", None)
        for st in self._streams:
            if st["channel"] == ch["id"] and st["ts"] == ts and st["state"] in ("streaming", "expired"):
                st["state"] = "updated"  # the message is a plain message from now on
        return {"channel": ch["id"], "ts": ts, "text": msg["text"], "message": self._public(msg)}

    # ---------------------------------------------------------------- streaming (chat.*Stream)

    def _budget(self, method: str) -> None:
        """Per-workspace, per-method sliding-window budget; ratelimited (HTTP 429) past it."""
        limit = self.rate_limits.get(method)
        if limit is None:
            return
        now = time.monotonic()
        log = [t for t in self._rate_log.get((self.team_id, method), []) if t > now - self.rate_window]
        if len(log) >= limit:
            self._rate_log[(self.team_id, method)] = log
            retry_after = max(1, int(log[0] + self.rate_window - now + 0.999))
            raise _ApiError("ratelimited", retry_after=retry_after)
        log.append(now)
        self._rate_log[(self.team_id, method)] = log

    def _expire(self, st: dict) -> None:
        if st["state"] == "streaming" and time.monotonic() - st["_started_mono"] > self.stream_lifetime:
            st["state"] = "expired"

    def _stream_of(self, args: dict) -> dict:
        ch = self._channel(args.get("channel"))
        ts = args.get("ts")
        if not ts:
            raise _ApiError("invalid_arguments")
        msg = self._find(ch["id"], ts)
        if msg is None:
            raise _ApiError("message_not_found")
        st = next((s for s in self._streams if s["channel"] == ch["id"] and s["ts"] == ts), None)
        if st is None:
            raise _ApiError("message_not_in_streaming_state")
        self._expire(st)
        if st["state"] != "streaming":
            raise _ApiError("message_not_in_streaming_state")
        return st

    def _stream_text(self, st: dict, args: dict) -> str:
        text = args.get("markdown_text")
        chunks = args.get("chunks")
        if text is None and chunks is None:
            return ""
        mode = "chunks" if chunks is not None else "markdown"
        if st.get("mode") and st["mode"] != mode:
            raise _ApiError("streaming_mode_mismatch")
        if chunks is not None:
            self._check_chunks(st, chunks)
            text = "".join(str(c.get("text", "")) for c in chunks
                           if isinstance(c, dict) and c.get("type") == "markdown_text")
        text = str(text)
        if len(text) > STREAM_MARKDOWN_MAX or len(st["markdown"]) + len(text) > STREAM_MARKDOWN_MAX:
            raise _ApiError("msg_too_long")
        st["mode"] = mode
        return text

    def _check_chunks(self, st: dict, chunks: Any) -> None:
        """Chunks as Slack takes them (slack_sdk.models.messages.chunk): markdown_text {text},
        plan_update {title}, task_update {id, title, status pending|in_progress|complete|error};
        types this Slack does not take (stream_chunk_types) answer invalid_chunks. The plan's
        title and each task's latest state are kept on the stream ("plan", "tasks")."""
        if not isinstance(chunks, list) or not chunks:
            raise _ApiError("invalid_chunks")
        for i, c in enumerate(chunks):
            kind = c.get("type") if isinstance(c, dict) else None
            if kind not in self.stream_chunk_types:
                raise _ApiError("invalid_chunks", [f"[ERROR] unsupported chunk type [json-pointer:/chunks/{i}/type]"])
            if kind == "markdown_text" and not isinstance(c.get("text"), str):
                raise _ApiError("invalid_chunks", [f"[ERROR] missing text [json-pointer:/chunks/{i}/text]"])
            if kind == "plan_update" and not str(c.get("title") or "").strip():
                raise _ApiError("invalid_chunks", [f"[ERROR] missing title [json-pointer:/chunks/{i}/title]"])
            if kind == "task_update" and (not str(c.get("id") or "").strip() or not str(c.get("title") or "").strip()
                                          or c.get("status") not in TASK_STATUSES):
                raise _ApiError("invalid_chunks", [f"[ERROR] task_update needs id, title and a status "
                                                   f"[json-pointer:/chunks/{i}]"])
        for c in chunks:
            if c["type"] == "plan_update":
                st["plan"] = c["title"]
            elif c["type"] == "task_update":
                st.setdefault("tasks", {})[c["id"]] = {"title": c["title"], "status": c["status"]}
                st.setdefault("task_log", []).append((c["id"], c["status"]))

    def _stream_grow(self, st: dict, text: str) -> None:
        if not text:
            return
        now = time.time()
        st["markdown"] += text
        st["chunks"].append((now, text))
        if st["first_text_at"] is None and st["markdown"].strip():
            st["first_text_at"] = now
        msg = self._find(st["channel"], st["ts"])
        if msg is not None:
            msg["text"] = st["markdown"]
            msg["blocks"] = [{"type": "markdown", "text": st["markdown"]}] if st["markdown"] else []

    def _streaming_allowed(self, ch: dict) -> None:
        if not self.streaming_enabled:
            raise _ApiError("unknown_method")
        if ch["id"] in self.stream_unsupported_channels:
            raise _ApiError("channel_type_not_supported")

    def _chat_start_stream(self, args: dict) -> dict:
        if not self.streaming_enabled:
            raise _ApiError("unknown_method")
        ch = self._writable_channel(args.get("channel"))
        self._streaming_allowed(ch)
        if not ch["is_im"]:
            if not args.get("recipient_team_id"):
                raise _ApiError("missing_recipient_team_id")
            if not args.get("recipient_user_id"):
                raise _ApiError("missing_recipient_user_id")
        st = {"channel": ch["id"], "ts": None, "thread_ts": args.get("thread_ts") or None,
              "state": "streaming", "markdown": "", "mode": None, "chunks": [], "appends": 0,
              "started_at": time.time(), "_started_mono": time.monotonic(), "first_text_at": None,
              "stopped_at": None, "recipient_user_id": args.get("recipient_user_id"),
              "recipient_team_id": args.get("recipient_team_id"), "stop_blocks": None,
              "task_display_mode": args.get("task_display_mode"), "plan": None, "tasks": {}, "task_log": []}
        if args.get("task_display_mode") not in (None, "timeline", "plan"):
            raise _ApiError("invalid_arguments", ["[ERROR] task_display_mode: timeline or plan"])
        text = self._stream_text(st, args)
        self._budget("chat.startStream")
        ts = self._next_ts()
        st["ts"] = ts
        msg = self._bot_message("", None, ts)
        msg["streaming"] = True
        self._store(ch["id"], msg, st["thread_ts"])
        self._streams.append(st)
        self._stream_grow(st, text)
        return {"channel": ch["id"], "ts": ts}

    def _chat_append_stream(self, args: dict) -> dict:
        if not self.streaming_enabled:
            raise _ApiError("unknown_method")
        st = self._stream_of(args)
        text = self._stream_text(st, args)
        only_tasks = isinstance(args.get("chunks"), list) and any(
            isinstance(c, dict) and c.get("type") in ("task_update", "plan_update") for c in args["chunks"])
        if not text and not only_tasks:
            raise _ApiError("no_text")
        self._budget("chat.appendStream")
        st["appends"] += 1
        self._stream_grow(st, text)
        return {"channel": st["channel"], "ts": st["ts"]}

    def _chat_stop_stream(self, args: dict) -> dict:
        if not self.streaming_enabled:
            raise _ApiError("unknown_method")
        st = self._stream_of(args)
        text = self._stream_text(st, args)
        blocks = args.get("blocks")
        if blocks is not None:
            if isinstance(blocks, dict) and "__invalid_json__" in blocks:
                raise _ApiError("invalid_blocks_format")
            errors = validate_message_blocks(blocks)
            if errors:
                raise _ApiError("invalid_blocks", errors)
            if blocks_chars(blocks) > self.max_blocks_chars:
                raise _ApiError("msg_blocks_too_long")
        self._budget("chat.stopStream")
        self._stream_grow(st, text)
        st["state"] = "stopped"
        st["stopped_at"] = time.time()
        st["stop_blocks"] = blocks
        msg = self._find(st["channel"], st["ts"])
        if msg is not None:
            msg.pop("streaming", None)
            msg["blocks"] = ([{"type": "markdown", "text": st["markdown"]}] if st["markdown"] else []) \
                + list(blocks or [])
            if args.get("metadata") is not None:
                msg["metadata"] = args["metadata"]
        return {"channel": st["channel"], "ts": st["ts"], "message": self._public(msg or {})}

    def _chat_delete(self, args: dict) -> dict:
        ch = self._channel(args.get("channel"))
        ts = args.get("ts")
        msg = self._find(ch["id"], ts) if ts else None
        if msg is None:
            raise _ApiError("message_not_found")
        if msg.get("user") != self.bot_user_id:
            raise _ApiError("cant_delete_message")
        self._messages[ch["id"]].remove(msg)
        return {"channel": ch["id"], "ts": ts}

    def _chat_post_ephemeral(self, args: dict) -> dict:
        ch = self._writable_channel(args.get("channel"))
        if not args.get("user"):
            raise _ApiError("user_not_found")
        self._check_message_content("chat.postEphemeral", args)
        message_ts = self._next_ts()
        self._ephemerals.append({"channel": ch["id"], "user": args["user"],
                                 "text": args.get("text") or "", "blocks": args.get("blocks"),
                                 "thread_ts": args.get("thread_ts"), "message_ts": message_ts,
                                 "via": "chat.postEphemeral"})
        return {"message_ts": message_ts}

    def _chat_get_permalink(self, args: dict) -> dict:
        ch = self._channel(args.get("channel"))
        ts = args.get("message_ts")
        msg = self._find(ch["id"], ts) if ts else None
        if msg is None:
            raise _ApiError("message_not_found")
        link = f"https://{self.team_id.lower()}.slack.com/archives/{ch['id']}/p{ts.replace('.', '')}"
        if msg.get("thread_ts") and msg["thread_ts"] != ts:
            link += f"?thread_ts={msg['thread_ts']}&cid={ch['id']}"
        return {"channel": ch["id"], "permalink": link}

    # -- views
    def _consume_trigger(self, trigger_id: Optional[str]) -> None:
        if not trigger_id:
            raise _ApiError("invalid_arguments", ["[ERROR] missing required field: trigger_id"])
        parts = str(trigger_id).split(".")
        if len(parts) < 3 or parts[0] != "trig" or not parts[1].isdigit():
            raise _ApiError("invalid_trigger_id")
        if trigger_id in self._used_triggers:
            raise _ApiError("exchanged_trigger_id")
        age = time.time() - int(parts[1]) / 1000.0
        if age > self.trigger_ttl:
            raise _ApiError("expired_trigger_id")
        self._used_triggers.add(trigger_id)

    def _view_arg(self, args: dict, expect: tuple[str, ...]) -> dict:
        view = args.get("view")
        if view is None:
            raise _ApiError("invalid_arguments", ["[ERROR] missing required field: view"])
        if isinstance(view, dict) and "__invalid_json__" in view:
            raise _ApiError("invalid_arguments", ["[ERROR] view must be valid JSON [json-pointer:/view]"])
        errors = validate_view(view, expect=expect)
        if errors:
            raise _ApiError("invalid_arguments", errors)
        if len(json.dumps(view)) > 250_000:
            raise _ApiError("view_too_large")
        ext = view.get("external_id")
        if ext and any(v.get("external_id") == ext for v in self.views):
            raise _ApiError("duplicate_external_id")
        return view

    def _make_view(self, view: dict, *, root: Optional[str] = None,
                   previous: Optional[str] = None, user_id: Optional[str] = None) -> dict:
        vid = f"V{next(self._ids):09d}"
        out = {"id": vid, "team_id": self.team_id, "type": view["type"],
               "callback_id": view.get("callback_id", ""), "private_metadata":
               view.get("private_metadata", ""), "external_id": view.get("external_id", ""),
               "title": view.get("title"), "submit": view.get("submit"), "close": view.get("close"),
               "blocks": copy.deepcopy(view.get("blocks", [])), "state": {"values": {}},
               "hash": f"{time.time():.6f}.{vid}", "clear_on_close": view.get("clear_on_close", False),
               "notify_on_close": view.get("notify_on_close", False),
               "root_view_id": root or vid, "previous_view_id": previous,
               "app_id": self.app_id, "app_installed_team_id": self.team_id,
               "bot_id": self.bot_id}
        if user_id:
            out["user_id"] = user_id
        self.views.append(out)
        return out

    def _views_open(self, args: dict) -> dict:
        view = self._view_arg(args, ("modal",))
        self._consume_trigger(args.get("trigger_id") or args.get("interactivity_pointer"))
        out = self._make_view(view)
        self._view_stacks[out["id"]] = [out["id"]]
        return {"view": copy.deepcopy(out)}

    def _views_push(self, args: dict) -> dict:
        view = self._view_arg(args, ("modal",))
        self._consume_trigger(args.get("trigger_id") or args.get("interactivity_pointer"))
        roots = [v for v in self.views if v["type"] == "modal" and v["id"] in self._view_stacks]
        if not roots:
            raise _ApiError("not_found")
        stack = self._view_stacks[roots[-1]["id"]]
        if len(stack) >= VIEW_PUSH_LIMIT:
            raise _ApiError("push_limit_reached")
        out = self._make_view(view, root=stack[0], previous=stack[-1])
        stack.append(out["id"])
        return {"view": copy.deepcopy(out)}

    def _views_update(self, args: dict) -> dict:
        view = self._view_arg(args, ("modal", "home"))
        vid, ext = args.get("view_id"), args.get("external_id")
        if not vid and not ext:
            raise _ApiError("invalid_arguments", ["[ERROR] view_id or external_id is required"])
        target = next((v for v in self.views if (vid and v["id"] == vid)
                       or (ext and v.get("external_id") == ext)), None)
        if target is None:
            raise _ApiError("not_found")
        if args.get("hash") and args["hash"] != target["hash"]:
            raise _ApiError("hash_conflict")
        for key in ("type", "callback_id", "private_metadata", "title", "submit", "close",
                    "clear_on_close", "notify_on_close"):
            if key in view:
                target[key] = copy.deepcopy(view[key])
        target["blocks"] = copy.deepcopy(view.get("blocks", []))
        target["external_id"] = view.get("external_id", target.get("external_id", ""))
        target["hash"] = f"{time.time():.6f}.{target['id']}"
        return {"view": copy.deepcopy(target)}

    def _views_publish(self, args: dict) -> dict:
        user_id = args.get("user_id")
        if not user_id:
            raise _ApiError("invalid_arguments", ["[ERROR] missing required field: user_id"])
        view = self._view_arg(args, ("home",))
        existing = next((v for v in self.views if v["type"] == "home" and v.get("user_id") == user_id), None)
        if existing is not None:
            if args.get("hash") and args["hash"] != existing["hash"]:
                raise _ApiError("hash_conflict")
            self.views.remove(existing)
        return {"view": copy.deepcopy(self._make_view(view, user_id=user_id))}

    # -- files
    def _files_get_upload_url_external(self, args: dict) -> dict:
        filename = args.get("filename")
        length = args.get("length")
        if not filename:
            raise _ApiError("invalid_arguments", ["[ERROR] missing required field: filename"])
        try:
            length = int(length)
        except (TypeError, ValueError):
            raise _ApiError("invalid_arguments", ["[ERROR] missing required field: length"])
        if length <= 0:
            raise _ApiError("invalid_arguments", ["[ERROR] length must be greater than 0"])
        file_id = f"F{next(self._ids):09d}"
        self._pending_uploads[file_id] = {"id": file_id, "filename": filename, "length": length,
                                          "alt_txt": args.get("alt_txt"),
                                          "snippet_type": args.get("snippet_type"),
                                          "uploaded": False, "content": None}
        return {"upload_url": f"{self.root_url}/upload/v1/{file_id}", "file_id": file_id}

    def _files_complete_upload_external(self, args: dict) -> dict:
        files = args.get("files")
        if not isinstance(files, list) or not files:
            raise _ApiError("invalid_arguments", ["[ERROR] missing required field: files"])
        channel_id = args.get("channel_id")
        channels = [c for c in str(args.get("channels") or "").split(",") if c]
        if channel_id:
            channels = [channel_id] + [c for c in channels if c != channel_id]
        chans = [self._writable_channel(c) for c in channels]
        thread_ts = args.get("thread_ts") or None
        if thread_ts and len(chans) != 1:
            raise _ApiError("invalid_arguments", ["[ERROR] thread_ts needs exactly one channel"])
        done = []
        for f in files:
            pending = self._pending_uploads.get(f.get("id")) if isinstance(f, dict) else None
            if pending is None:
                raise _ApiError("file_not_found")
            if not pending["uploaded"]:
                raise _ApiError("file_not_found")  # completed before its bytes were POSTed
            done.append((pending, f))
        shared = []
        for pending, f in done:
            self._pending_uploads.pop(pending["id"], None)
            rec = {"id": pending["id"], "filename": pending["filename"],
                   "title": f.get("title") or pending["filename"], "content": pending["content"],
                   "length": pending["length"], "declared_length_matches":
                   len(pending["content"]) == pending["length"], "channel": chans[0]["id"] if chans else None,
                   "channels": [c["id"] for c in chans], "thread_ts": thread_ts,
                   "initial_comment": args.get("initial_comment"),
                   "snippet_type": pending["snippet_type"], "alt_txt": pending["alt_txt"]}
            self.files.append(rec)
            shared.append({"id": rec["id"], "name": rec["filename"], "title": rec["title"],
                           "size": rec["length"], "user": self.bot_user_id,
                           "mimetype": "text/plain", "permalink":
                           f"https://{self.team_id.lower()}.slack.com/files/{self.bot_user_id}/{rec['id']}"})
        for ch in chans:
            msg = self._bot_message(args.get("initial_comment") or "", None, self._next_ts())
            msg["files"] = copy.deepcopy(shared)
            msg["upload"] = True
            self._store(ch["id"], msg, thread_ts)
        return {"files": shared}

    # -- assistant, conversations, users, reactions
    def _assistant_threads_set_status(self, args: dict) -> dict:
        if not args.get("channel_id") or not args.get("thread_ts") or "status" not in args:
            raise _ApiError("invalid_arguments",
                            ["[ERROR] channel_id, thread_ts and status are required"])
        loading = args.get("loading_messages")
        if loading is not None and (not isinstance(loading, list) or len(loading) > ASSISTANT_LOADING_MAX
                                    or not all(isinstance(m, str) and m.strip() for m in loading)):
            raise _ApiError("invalid_arguments",
                            [f"[ERROR] loading_messages: up to {ASSISTANT_LOADING_MAX} non-empty strings"])
        self._channel(args["channel_id"])
        self.statuses.append({"channel_id": args["channel_id"], "thread_ts": args["thread_ts"],
                              "status": args["status"], "loading_messages": loading, "ts": time.time()})
        return {}

    def _assistant_threads_set_suggested_prompts(self, args: dict) -> dict:
        """channel_id and 1 to 4 prompts, each a non-empty title and message; thread_ts optional
        (an agent_view app sets them for its Messages tab, where thread_ts is ignored)."""
        if not args.get("channel_id"):
            raise _ApiError("invalid_arguments", ["[ERROR] missing required field: channel_id"])
        prompts = args.get("prompts")
        if not isinstance(prompts, list) or not 1 <= len(prompts) <= ASSISTANT_PROMPTS_MAX:
            raise _ApiError("invalid_arguments",
                            [f"[ERROR] prompts: between 1 and {ASSISTANT_PROMPTS_MAX} items"])
        for i, p in enumerate(prompts):
            if not isinstance(p, dict) or not str(p.get("title") or "").strip() \
                    or not str(p.get("message") or "").strip():
                raise _ApiError("invalid_arguments",
                                [f"[ERROR] prompts[{i}] needs a non-empty title and message"])
        self._channel(args["channel_id"])
        self.suggested_prompts.append({"channel_id": args["channel_id"], "thread_ts": args.get("thread_ts"),
                                       "title": args.get("title"), "prompts": copy.deepcopy(prompts),
                                       "ts": time.time()})
        return {}

    def _assistant_threads_set_title(self, args: dict) -> dict:
        if not args.get("channel_id") or not args.get("thread_ts") or not str(args.get("title") or "").strip():
            raise _ApiError("invalid_arguments",
                            ["[ERROR] channel_id, thread_ts and a non-empty title are required"])
        self._channel(args["channel_id"])
        self.titles.append({"channel_id": args["channel_id"], "thread_ts": args["thread_ts"],
                            "title": args["title"], "ts": time.time()})
        return {}

    def _conversations_members(self, args: dict) -> dict:
        """The members of a channel the bot can read (paged)."""
        ch = self._channel(args.get("channel"))
        if not ch["is_member"] and ch["is_private"] and not ch["is_im"]:
            raise _ApiError("channel_not_found")
        members = sorted(ch.get("members", ()))
        limit = max(1, min(int(args.get("limit") or 100), 1000))
        start = _offset(args.get("cursor"))
        more = start + limit < len(members)
        return {"members": members[start:start + limit],
                "response_metadata": {"next_cursor": _cursor(start + limit) if more else ""}}

    def _channel_info(self, ch: dict) -> dict:
        info = {"id": ch["id"], "name": ch["name"], "is_channel": not ch["is_im"],
                "is_group": False, "is_im": ch["is_im"], "is_private": ch["is_private"],
                "is_archived": ch["is_archived"], "is_member": ch["is_member"] or ch["is_im"],
                "created": BASE_TS, "context_team_id": self.team_id}
        if ch["is_im"]:
            info.pop("name")
        return info

    def _conversations_info(self, args: dict) -> dict:
        return {"channel": self._channel_info(self._channel(args.get("channel")))}

    def _conversations_join(self, args: dict) -> dict:
        ch = self._channel(args.get("channel"))
        if ch["is_im"]:
            raise _ApiError("method_not_supported_for_channel_type")
        if ch["is_archived"]:
            raise _ApiError("is_archived")
        already = ch["is_member"]
        ch["is_member"] = True
        out: dict[str, Any] = {"channel": self._channel_info(ch)}
        if already:
            out["warning"] = "already_in_channel"
            out["response_metadata"] = {"warnings": ["already_in_channel"]}
        return out

    @staticmethod
    def _window(msgs: list[dict], args: dict) -> list[dict]:
        inclusive = _truthy(args.get("inclusive", False))
        oldest = args.get("oldest")
        latest = args.get("latest")
        out = []
        for m in msgs:
            t = float(m["ts"])
            if oldest is not None and (t < float(oldest) or (t == float(oldest) and not inclusive)):
                continue
            if latest is not None and (t > float(latest) or (t == float(latest) and not inclusive)):
                continue
            out.append(m)
        return out

    def _page(self, msgs: list[dict], args: dict, default_limit: int) -> dict:
        limit = int(args.get("limit") or default_limit)
        limit = max(1, min(limit, 1000))
        start = _offset(args.get("cursor"))
        page = msgs[start:start + limit]
        more = start + limit < len(msgs)
        return {"messages": [self._public(m) for m in page], "has_more": more,
                "response_metadata": {"next_cursor": _cursor(start + limit) if more else ""}}

    def _readable_channel(self, channel_id: Optional[str]) -> dict:
        ch = self._channel(channel_id)
        if not ch["is_member"] and not ch["is_im"] and ch["is_private"]:
            raise _ApiError("channel_not_found")
        if not ch["is_member"] and not ch["is_im"]:
            raise _ApiError("not_in_channel")
        return ch

    def _conversations_replies(self, args: dict) -> dict:
        ch = self._readable_channel(args.get("channel"))
        ts = args.get("ts")
        if not ts:
            raise _ApiError("invalid_arguments", ["[ERROR] missing required field: ts"])
        root = self._find(ch["id"], ts)
        if root is None:
            raise _ApiError("thread_not_found")
        root_ts = root.get("thread_ts") or root["ts"]
        thread = [m for m in self._messages.get(ch["id"], [])
                  if m["ts"] == root_ts or m.get("thread_ts") == root_ts]
        thread.sort(key=lambda m: float(m["ts"]))
        thread = self._window(thread, args) if ("oldest" in args or "latest" in args) else thread
        return self._page(thread, args, 1000)

    def _conversations_history(self, args: dict) -> dict:
        ch = self._readable_channel(args.get("channel"))
        top = [m for m in self._messages.get(ch["id"], [])
               if not m.get("thread_ts") or m["thread_ts"] == m["ts"]]
        top.sort(key=lambda m: float(m["ts"]), reverse=True)
        return self._page(self._window(top, args), args, 100)

    def _users_conversations(self, args: dict) -> dict:
        """The channels a user is in (default: the bot), as far as the bot can see them: private
        channels only when the bot is a member too. Types, exclude_archived and paging."""
        user = args.get("user") or self.bot_user_id
        types = set(str(args.get("types") or "public_channel").split(","))
        exclude = _truthy(args.get("exclude_archived", False))
        out = []
        for ch in sorted(self._channels.values(), key=lambda c: c["id"]):
            if ch["is_im"] or not ch["exists"] or (exclude and ch["is_archived"]):
                continue
            kind = "private_channel" if ch["is_private"] else "public_channel"
            if kind not in types:
                continue
            member = ch["is_member"] if user == self.bot_user_id else user in ch.get("members", ())
            if member and (not ch["is_private"] or ch["is_member"]):
                out.append(self._channel_info(ch))
        limit = max(1, min(int(args.get("limit") or 100), 1000))
        start = _offset(args.get("cursor"))
        more = start + limit < len(out)
        return {"channels": out[start:start + limit],
                "response_metadata": {"next_cursor": _cursor(start + limit) if more else ""}}

    def _users_info(self, args: dict) -> dict:
        uid = args.get("user")
        if not uid:
            raise _ApiError("user_not_found")
        u = self._users.get(uid)
        if u is None and uid[0] in "UW":
            self.set_user(uid, is_bot=(uid == self.bot_user_id),
                          name="seo-bot" if uid == self.bot_user_id else None)
            u = self._users[uid]
        if u is None or not u["exists"]:
            raise _ApiError("user_not_found")
        return {"user": {"id": u["id"], "team_id": self.team_id, "name": u["name"],
                         "real_name": u["real_name"], "deleted": False, "is_bot": u["is_bot"],
                         "is_admin": u.get("is_admin", False), "is_owner": u.get("is_owner", False),
                         "tz": u["tz"], "tz_offset": 3600,
                         "locale": u["locale"],
                         "profile": {"real_name": u["real_name"], "display_name": u["name"],
                                     "team": self.team_id}}}

    def _reaction_target(self, args: dict) -> dict:
        ch = self._readable_channel(args.get("channel"))
        ts = args.get("timestamp")
        msg = self._find(ch["id"], ts) if ts else None
        if msg is None:
            raise _ApiError("message_not_found")
        if not args.get("name"):
            raise _ApiError("invalid_name")
        return msg

    def _reactions_add(self, args: dict) -> dict:
        msg = self._reaction_target(args)
        name = args["name"].strip(":")
        reactions = msg.setdefault("reactions", [])
        r = next((r for r in reactions if r["name"] == name), None)
        if r is None:
            r = {"name": name, "users": [], "count": 0}
            reactions.append(r)
        if self.bot_user_id in r["users"]:
            raise _ApiError("already_reacted")
        r["users"].append(self.bot_user_id)
        r["count"] = len(r["users"])
        return {}

    def _reactions_remove(self, args: dict) -> dict:
        msg = self._reaction_target(args)
        name = args["name"].strip(":")
        reactions = msg.get("reactions", [])
        r = next((r for r in reactions if r["name"] == name), None)
        if r is None or self.bot_user_id not in r["users"]:
            raise _ApiError("no_reaction")
        r["users"].remove(self.bot_user_id)
        r["count"] = len(r["users"])
        if not r["users"]:
            reactions.remove(r)
        if not reactions:
            msg.pop("reactions", None)
        return {}

    _METHODS: dict[str, Callable[["FakeSlack", dict], dict]] = {
        "auth.test": _auth_test,
        "chat.postMessage": _chat_post_message,
        "chat.update": _chat_update,
        "chat.delete": _chat_delete,
        "chat.postEphemeral": _chat_post_ephemeral,
        "chat.startStream": _chat_start_stream,
        "chat.appendStream": _chat_append_stream,
        "chat.stopStream": _chat_stop_stream,
        "chat.getPermalink": _chat_get_permalink,
        "views.open": _views_open,
        "views.update": _views_update,
        "views.push": _views_push,
        "views.publish": _views_publish,
        "files.getUploadURLExternal": _files_get_upload_url_external,
        "files.completeUploadExternal": _files_complete_upload_external,
        "assistant.threads.setStatus": _assistant_threads_set_status,
        "assistant.threads.setSuggestedPrompts": _assistant_threads_set_suggested_prompts,
        "assistant.threads.setTitle": _assistant_threads_set_title,
        "conversations.members": _conversations_members,
        "conversations.info": _conversations_info,
        "conversations.join": _conversations_join,
        "conversations.replies": _conversations_replies,
        "conversations.history": _conversations_history,
        "users.info": _users_info,
        "users.conversations": _users_conversations,
        "reactions.add": _reactions_add,
        "reactions.remove": _reactions_remove,
    }


__all__ = ["FakeSlack", "FakeSlackTimeout", "validate_message_blocks", "validate_view", "blocks_chars"]
