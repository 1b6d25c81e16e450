"""The fake Slack serving several workspaces, and Slack's OAuth v2 (code exchange, token rotation)."""
from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from tests.fakes.slack_api import FakeSlack


@pytest.fixture
def slack():
    fake = FakeSlack(bot_token="xoxb-one", team_id="T1")
    fake.add_team("T2", bot_token="xoxb-two")
    fake.add_team("T3")  # not installed yet: OAuth only
    yield fake
    fake.stop()


def client(slack, token=None):
    return AsyncWebClient(token=token, base_url=slack.base_url)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def authorize(slack, state="s1", redirect_uri="https://bot.example/slack/oauth_redirect", **extra):
    """What the browser does on Slack's authorize page: returns the redirect's query."""
    q = urllib.parse.urlencode({"client_id": slack.client_id, "scope": "chat:write,commands",
                                "state": state, "redirect_uri": redirect_uri, **extra})
    opener = urllib.request.build_opener(_NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as err:
        opener.open(f"{slack.root_url}/oauth/v2/authorize?{q}")
    assert err.value.code == 302
    location = err.value.headers["Location"]
    assert location.startswith(redirect_uri)
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))


async def test_each_token_acts_in_its_own_team(slack):
    one, two = client(slack, "xoxb-one"), client(slack, "xoxb-two")
    assert (await one.auth_test())["team_id"] == "T1"
    assert (await two.auth_test())["team_id"] == "T2"
    await one.chat_postMessage(channel="C1", text="pour T1")
    await two.chat_postMessage(channel="C1", text="pour T2")  # same channel id, another workspace
    assert [m["text"] for m in slack.messages("C1")] == ["pour T1"]
    assert [m["text"] for m in slack.messages("C1", team="T2")] == ["pour T2"]
    with slack.as_team("T2"):
        assert [m["text"] for m in slack.messages("C1")] == ["pour T2"]
    posts = slack.calls("chat.postMessage")
    assert [c["team"] for c in posts] == ["T1", "T2"]
    assert [c["team"] for c in slack.calls("chat.postMessage", team="T2")] == ["T2"]
    with pytest.raises(SlackApiError) as err:
        await client(slack, "xoxb-nobody").auth_test()
    assert err.value.response["error"] == "invalid_auth"


async def test_users_info_says_who_administers_the_workspace(slack):
    slack.set_user("UADMIN", is_admin=True, team="T2")
    slack.set_user("UOWNER", is_owner=True, team="T2")
    two = client(slack, "xoxb-two")
    assert (await two.users_info(user="UADMIN"))["user"]["is_admin"] is True
    owner = (await two.users_info(user="UOWNER"))["user"]
    assert owner["is_owner"] is True and owner["is_admin"] is True
    assert (await two.users_info(user="U1"))["user"]["is_admin"] is False
    # UADMIN administers T2, not T1
    assert (await client(slack, "xoxb-one").users_info(user="UADMIN"))["user"]["is_admin"] is False


async def test_oauth_code_exchange_then_rotation_with_single_use_refresh_tokens(slack):
    slack.approve_as("T3", "UINSTALLER")
    back = authorize(slack, state="abc")
    assert back["state"] == "abc"
    app = client(slack)
    with pytest.raises(SlackApiError) as err:
        await app.oauth_v2_access(client_id=slack.client_id, client_secret="wrong", code=back["code"],
                                  redirect_uri="https://bot.example/slack/oauth_redirect")
    assert err.value.response["error"] == "bad_client_secret"
    resp = await app.oauth_v2_access(client_id=slack.client_id, client_secret=slack.client_secret,
                                     code=back["code"], redirect_uri="https://bot.example/slack/oauth_redirect")
    assert resp["team"]["id"] == "T3" and resp["authed_user"]["id"] == "UINSTALLER"
    assert resp["token_type"] == "bot" and resp["expires_in"] == slack.token_lifetime
    token, refresh = resp["access_token"], resp["refresh_token"]
    assert token.startswith("xoxe.xoxb-") and refresh.startswith("xoxe-1-")
    assert (await client(slack, token).auth_test())["team_id"] == "T3"
    with pytest.raises(SlackApiError) as err:  # a code is single-use
        await app.oauth_v2_access(client_id=slack.client_id, client_secret=slack.client_secret,
                                  code=back["code"], redirect_uri="https://bot.example/slack/oauth_redirect")
    assert err.value.response["error"] == "invalid_code"

    refreshed = await app.oauth_v2_access(client_id=slack.client_id, client_secret=slack.client_secret,
                                          grant_type="refresh_token", refresh_token=refresh)
    assert refreshed["access_token"] != token and refreshed["refresh_token"] != refresh
    assert refreshed["team"]["id"] == "T3"
    with pytest.raises(SlackApiError) as err:  # the old refresh token is spent
        await app.oauth_v2_access(client_id=slack.client_id, client_secret=slack.client_secret,
                                  grant_type="refresh_token", refresh_token=refresh)
    assert err.value.response["error"] == "invalid_refresh_token"
    assert [c["team"] for c in slack.refreshes()] == ["T3", None]
    assert "client_secret" not in slack.calls("oauth.v2.access")[-1]["args"]


async def test_expired_and_revoked_tokens(slack):
    slack.approve_as("T3")
    back = authorize(slack)
    resp = await client(slack).oauth_v2_access(client_id=slack.client_id, client_secret=slack.client_secret,
                                               code=back["code"],
                                               redirect_uri="https://bot.example/slack/oauth_redirect")
    token = resp["access_token"]
    slack.expire_tokens("T3")
    with pytest.raises(SlackApiError) as err:
        await client(slack, token).chat_postMessage(channel="C1", text="trop tard")
    assert err.value.response["error"] == "token_expired"
    assert slack.calls("chat.postMessage")[-1]["team"] == "T3"
    assert slack.messages("C1", team="T3") == []

    slack.uninstall("T2")
    with pytest.raises(SlackApiError) as err:
        await client(slack, "xoxb-two").auth_test()
    assert err.value.response["error"] == "token_revoked"
    assert (await client(slack, "xoxb-one").auth_test())["ok"]  # the other workspace is untouched


async def test_rate_budgets_are_per_team(slack):
    slack.rate_limits["chat.startStream"] = 1
    for token in ("xoxb-one", "xoxb-two"):
        await client(slack, token).chat_startStream(channel="D1", thread_ts="1.1")
    with pytest.raises(SlackApiError):
        await client(slack, "xoxb-two").chat_startStream(channel="D1", thread_ts="1.1")
    assert slack.rate_limited("chat.startStream", team="T2") == 1
    assert slack.rate_limited("chat.startStream", team="T1") == 0


def test_authorize_refuses_another_app(slack):
    q = urllib.parse.urlencode({"client_id": "someone-else", "state": "x",
                                "redirect_uri": "https://bot.example/r"})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(f"{slack.root_url}/oauth/v2/authorize?{q}")
    assert err.value.code == 400
    assert slack.installs == []
