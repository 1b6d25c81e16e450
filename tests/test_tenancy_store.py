"""The Redis installation and OAuth state stores, the per-team tokens (rotation under a lock,
shared by several processes) and the per-team keys, on a real Redis and the fake Slack."""
from __future__ import annotations

import asyncio
import time

import pytest
import redis.asyncio as aioredis
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.web.async_client import AsyncWebClient

from jobs.kv import RedisKV
from tenancy.client import TenantWebClient
from tenancy.context import Tenant, acting_for
from tenancy.kv import TenantKV
from tenancy.store import RedisInstallationStore, RedisOAuthStateStore, Secrets
from tenancy.tokens import InstallationGone, InstalledTokens
from tests.fakes.slack_api import FakeSlack
from tests.redis_server import RedisServer

KEY = Secrets.generate()


@pytest.fixture(scope="module")
def redis_server():
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture
async def redis(redis_server):
    client = aioredis.Redis.from_url(redis_server.url, decode_responses=True)
    await client.flushdb()
    yield client
    await client.aclose()


@pytest.fixture
def slack():
    fake = FakeSlack(team_id="T1")
    fake.add_team("T2")
    yield fake
    fake.stop()


def store_of(redis, key: str = KEY) -> RedisInstallationStore:
    return RedisInstallationStore(redis, Secrets(key), client_id="1111.2222")


def installation(team="T1", token="xoxe.xoxb-1-T1-secret", refresh="xoxe-1-T1-refresh", expires_in=43200,
                 user="UINSTALLER", enterprise=None, org=False) -> Installation:
    return Installation(app_id="A1", enterprise_id=enterprise, team_id=None if org else team, team_name="Rédaction",
                        bot_token=token, bot_id="B1", bot_user_id="UBOT", bot_scopes="chat:write,commands",
                        bot_refresh_token=refresh, bot_token_expires_in=expires_in, user_id=user,
                        is_enterprise_install=org)


async def installed(slack, redis, team="T1"):
    """A real install on the fake (code exchange), saved in the store: what bolt's flow does."""
    slack.approve_as(team, "UADMIN")
    code = f"{team}.code"
    slack._codes[code] = {"team": team, "user": "UADMIN", "redirect_uri": None, "scope": "chat:write",
                          "user_scope": "", "expires": time.time() + 60}
    resp = await AsyncWebClient(base_url=slack.base_url).oauth_v2_access(
        client_id=slack.client_id, client_secret=slack.client_secret, code=code)
    inst = installation(team=team, token=resp["access_token"], refresh=resp["refresh_token"],
                        expires_in=resp["expires_in"])
    await store_of(redis).async_save(inst)
    return inst


def tokens_of(slack, redis, **kw) -> InstalledTokens:
    return InstalledTokens(store_of(redis), client_id=slack.client_id, client_secret=slack.client_secret,
                           client=AsyncWebClient(base_url=slack.base_url), **kw)


# --- installation store ---------------------------------------------------------------------

async def test_save_then_find_bot_and_installation_with_tokens_encrypted_at_rest(redis):
    store = store_of(redis)
    await store.async_save(installation())
    bot = await store.async_find_bot(enterprise_id=None, team_id="T1")
    assert bot.bot_token == "xoxe.xoxb-1-T1-secret" and bot.bot_refresh_token == "xoxe-1-T1-refresh"
    assert bot.bot_token_expires_at > time.time() + 43000
    found = await store.async_find_installation(enterprise_id=None, team_id="T1")
    assert found.user_id == "UINSTALLER" and found.bot_token == bot.bot_token
    mine = await store.async_find_installation(enterprise_id=None, team_id="T1", user_id="UINSTALLER")
    assert mine is not None and mine.bot_token == bot.bot_token
    assert await store.async_find_installation(enterprise_id=None, team_id="T1", user_id="USTRANGER") is None
    assert await store.async_find_bot(enterprise_id=None, team_id="T2") is None
    for key in await redis.keys("seo:install:*"):
        raw = await redis.get(key)
        assert "T1-secret" not in raw and "T1-refresh" not in raw and "xoxe" not in raw
        assert await redis.ttl(key) == -1  # no TTL: an installation lasts until uninstall


async def test_a_wrong_key_reads_no_token_and_key_rotation_keeps_reading(redis):
    await store_of(redis).async_save(installation())
    other = Secrets.generate()
    assert (await store_of(redis, other).async_find_bot(enterprise_id=None, team_id="T1")).bot_token is None
    rotated = store_of(redis, f"{other},{KEY}")  # new key first, old one still decrypts
    assert (await rotated.async_find_bot(enterprise_id=None, team_id="T1")).bot_token == "xoxe.xoxb-1-T1-secret"


async def test_org_wide_install_is_found_from_any_of_its_workspaces(redis):
    store = store_of(redis)
    await store.async_save(installation(enterprise="E1", org=True))
    bot = await store.async_find_bot(enterprise_id="E1", team_id="T9", is_enterprise_install=True)
    assert bot is not None and bot.enterprise_id == "E1"
    assert await store.async_find_bot(enterprise_id="E1", team_id="T9", is_enterprise_install=False) is None


async def test_save_bot_updates_the_installation_and_delete_all_removes_everything(redis):
    store = store_of(redis)
    await store.async_save(installation())
    await store.async_save(installation(team="T2", token="xoxe.xoxb-1-T2-x", refresh="xoxe-1-T2-y"))
    bot = await store.async_find_bot(enterprise_id=None, team_id="T1")
    bot.bot_token = "xoxe.xoxb-1-T1-new"
    await store.async_save_bot(bot)
    assert (await store.async_find_installation(enterprise_id=None, team_id="T1")).bot_token == "xoxe.xoxb-1-T1-new"
    await store.async_delete_installation(enterprise_id=None, team_id="T1", user_id="UINSTALLER")
    assert await store.async_find_installation(enterprise_id=None, team_id="T1", user_id="UINSTALLER") is None
    assert await store.async_find_installation(enterprise_id=None, team_id="T1") is not None
    await store.async_delete_all(enterprise_id=None, team_id="T1")
    assert await store.async_find_bot(enterprise_id=None, team_id="T1") is None
    assert await store.async_find_installation(enterprise_id=None, team_id="T1") is None
    assert await store.async_find_bot(enterprise_id=None, team_id="T2") is not None  # the other stays
    assert await store.teams() == [(None, "T2")]


# --- OAuth state store ------------------------------------------------------------------------

async def test_a_state_is_consumed_once_and_expires(redis):
    states = RedisOAuthStateStore(redis, expiration_seconds=1)
    first, second = await states.async_issue(), await states.async_issue()
    assert first != second and len(first) >= 30
    assert await states.async_consume(first) is True
    assert await states.async_consume(first) is False  # replayed
    assert await states.async_consume("never-issued") is False
    assert await states.async_consume("") is False
    results = await asyncio.gather(*(states.async_consume(second) for _ in range(10)))
    assert results.count(True) == 1  # racing callbacks: one wins
    late = await states.async_issue()
    assert 0 < await redis.ttl(f"seo:oauth:state:{late}") <= 1


# --- tokens: cache, rotation under a lock, refresh on token_expired -------------------------

async def test_an_expiring_token_is_rotated_once_by_several_processes_at_once(slack, redis):
    await installed(slack, redis)
    bot = await store_of(redis).async_find_bot(enterprise_id=None, team_id="T1")
    bot.bot_token_expires_at = int(time.time()) + 60  # within the 2 h margin
    await store_of(redis).async_save_bot(bot)
    processes = [tokens_of(slack, redis) for _ in range(3)]  # three processes: own caches, one Redis
    tenant = Tenant("T1")
    got = await asyncio.gather(*(p.token(tenant) for p in processes for _ in range(5)))
    assert len(slack.refreshes("T1")) == 1  # one refresh token spent, never twice
    assert len(set(got)) == 1 and got[0] != bot.bot_token
    assert sum(p.rotations for p in processes) == 1
    stored = await store_of(redis).async_find_bot(enterprise_id=None, team_id="T1")
    assert stored.bot_token == got[0] and stored.bot_token_expires_at > time.time() + 40000
    resp = await AsyncWebClient(token=got[0], base_url=slack.base_url).auth_test()
    assert resp["team_id"] == "T1"


async def test_a_fresh_token_is_cached_briefly_and_a_missing_installation_is_gone(slack, redis):
    await installed(slack, redis)
    clock = [time.time()]
    tokens = tokens_of(slack, redis, clock=lambda: clock[0])
    first = await tokens.token(Tenant("T1"))
    await store_of(redis).async_delete_all(enterprise_id=None, team_id="T1")
    assert await tokens.token(Tenant("T1")) == first  # cached
    clock[0] += 61
    with pytest.raises(InstallationGone):
        await tokens.token(Tenant("T1"))
    with pytest.raises(InstallationGone):
        await tokens.token(Tenant("T2"))  # never installed
    assert slack.refreshes() == []


async def test_the_tenant_client_uses_each_teams_token_and_refreshes_on_token_expired(slack, redis):
    await installed(slack, redis, "T1")
    await installed(slack, redis, "T2")
    tokens = tokens_of(slack, redis)
    client = TenantWebClient(tokens=tokens, base_url=slack.base_url)
    for team in ("T1", "T2"):
        with acting_for(Tenant(team)):
            await client.chat_postMessage(channel="C1", text=f"pour {team}")
    assert [c["team"] for c in slack.calls("chat.postMessage")] == ["T1", "T2"]
    slack.expire_tokens("T2")  # Slack ends it early; the store still believes it valid
    with acting_for(Tenant("T2")):
        await asyncio.gather(*(client.chat_postMessage(channel="C1", text=f"encore {i}") for i in range(4)))
    assert len(slack.refreshes("T2")) == 1
    assert len(slack.messages("C1", team="T2")) == 5
    slack.uninstall("T1")
    tokens.forget(Tenant("T1"))
    with acting_for(Tenant("T1")), pytest.raises(InstallationGone):
        await client.chat_postMessage(channel="C1", text="plus installé")


# --- per-team keys ---------------------------------------------------------------------------

async def test_keys_are_kept_per_team_and_purged_with_it(redis_server, redis):
    kv = TenantKV(RedisKV(redis_server.url))
    for team, value in (("T1", "un"), ("T2", "deux")):
        with acting_for(Tenant(team)):
            await kv.set("settings:C1", value, 60)
            await kv.add_counts("usage:C1:2026-12", {"articles": 1}, 60)
            assert await kv.admit([("quota:rate:channel:C1", 1, 60.0)], f"job-{team}", time.time()) == 0
    await kv.set("health", "1", 60)  # outside any team: as it is
    with acting_for(Tenant("T1")):
        assert await kv.get("settings:C1") == "un"
        assert await kv.admit([("quota:rate:channel:C1", 1, 60.0)], "job-T1b", time.time()) == 1  # full here
    with acting_for(Tenant("T2")):
        assert await kv.get("settings:C1") == "deux"
    assert await redis.get("seo:t:T1:settings:C1") == "un" and await redis.get("seo:health") == "1"
    assert await kv.purge(Tenant("T1")) == 3
    with acting_for(Tenant("T1")):
        assert await kv.get("settings:C1") is None
    with acting_for(Tenant("T2")):
        assert await kv.get("settings:C1") == "deux"
    await kv.close()


async def test_usage_report_has_one_table_per_workspace(redis_server, redis, monkeypatch, capsys):
    from ops.report import print_usage
    from ops.usage import UsageStore, VersionUsage

    for team in ("T1", "T2"):
        await store_of(redis).async_save(installation(team=team, token=f"xoxe.xoxb-1-{team}-x"))
    kv = TenantKV(RedisKV(redis_server.url))
    usage = UsageStore(kv)
    for team, articles in (("T1", 1), ("T2", 2)):
        with acting_for(Tenant(team)):
            for i in range(articles):
                await usage.record_version("C1", article_id=f"a{team}{i}", version=1, kind="rewrite",
                                           usage=VersionUsage(llm_calls=1, prompt_tokens=10, completion_tokens=5))
    await kv.close()
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    monkeypatch.setenv("SLACK_CLIENT_ID", "1111.2222")
    monkeypatch.setenv("SLACK_CLIENT_SECRET", "s")
    assert await print_usage() == 0
    out = capsys.readouterr().out
    one, two = out.split("Espace de travail T1", 1)[1].split("Espace de travail T2", 1)
    assert "C1" in one and "C1" in two
    row = lambda text: next(line for line in text.splitlines() if line.lstrip().startswith("C1"))  # noqa: E731
    assert row(one).split()[3] == "1" and row(two).split()[3] == "2"  # articles, each its own


async def test_a_failed_rotation_keeps_the_still_valid_token_and_retries_next_time(slack, redis):
    await installed(slack, redis)
    bot = await store_of(redis).async_find_bot(enterprise_id=None, team_id="T1")
    bot.bot_token_expires_at = int(time.time()) + 600  # expiring soon, still valid
    await store_of(redis).async_save_bot(bot)
    slack.fail("oauth.v2.access", "internal_error", status=500)
    tokens = tokens_of(slack, redis)
    assert await tokens.token(Tenant("T1")) == bot.bot_token  # Slack hiccup: the current one meanwhile
    fresh = await tokens.token(Tenant("T1"))  # not cached: tried again, and now rotated
    assert fresh != bot.bot_token and len(slack.refreshes("T1")) == 1
