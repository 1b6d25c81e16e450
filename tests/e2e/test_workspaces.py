"""Several workspaces (OAuth mode), driven over HTTP as Slack drives them: the install flow
(/slack/install -> Slack's authorize page -> /slack/oauth_redirect -> oauth.v2.access), signed
requests from each team, token rotation, uninstall, and two teams with a channel of the same id."""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from types import SimpleNamespace

import pytest
import redis as redis_sync
from cryptography.fernet import Fernet

from tests.fakes import slack_requests as sr
from tests.fakes.openai_server import FakeOpenAI, Latency
from tests.fakes.slack_api import FakeSlack
from tests.harness import BotProcess, bot_env, settle

from .conftest import article_messages, button_labels, title_of

KEY = Fernet.generate_key().decode()
CHANNEL = "C0SHARED"  # the same channel id in two workspaces


@pytest.fixture(scope="module")
def slack():
    with FakeSlack(team_id="T1") as fake:
        for team in ("T2", "T3", "T4", "T5"):
            fake.add_team(team)
        fake.add_team("T6", enterprise_id="E1", is_enterprise_install=True)  # an Enterprise Grid org
        yield fake


@pytest.fixture(scope="module")
def llm():
    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture(scope="module")
def bot(slack, llm, redis_server):
    env = bot_env(slack=slack, openai=llm, redis_url=redis_server.url, SLACK_BOT_TOKEN="",
                  SLACK_CLIENT_ID=slack.client_id, SLACK_CLIENT_SECRET=slack.client_secret,
                  SEO_ENCRYPTION_KEY=KEY, SEO_MAX_JOBS_PER_USER_PER_MINUTE="1")
    env["SLACK_REDIRECT_URI"] = f"http://127.0.0.1:{env['PORT']}/slack/oauth_redirect"
    web = BotProcess("web", env).start()
    worker = BotProcess("worker", env).start()
    root = f"http://127.0.0.1:{env['PORT']}"
    ns = SimpleNamespace(web=web, worker=worker, url=web.url, root=root, env=env, redis_url=redis_server.url)
    yield ns
    web.stop()
    ns.worker.stop()


@pytest.fixture
def r(redis_server):
    client = redis_sync.Redis.from_url(redis_server.url, decode_responses=True)
    yield client
    client.close()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get(url: str, cookie: str | None = None) -> tuple[int, dict, str]:
    """One GET, redirects not followed (the browser's next step is the test's)."""
    req = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.build_opener(_NoRedirect).open(req, timeout=30) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read().decode()


def start_install(bot, slack, team: str, user: str = "UADMIN") -> tuple[str, str]:
    """/slack/install, then Slack's authorize page approved by `user`: (the redirect to our
    oauth_redirect, the state cookie the browser holds)."""
    slack.approve_as(team, user)
    status, headers, _ = get(f"{bot.root}/slack/install")
    assert status == 302, (status, headers)
    cookie = headers["set-cookie"].split(";", 1)[0]
    assert cookie.startswith("slack-app-oauth-state=")
    authorize = headers["location"]
    assert authorize.startswith(f"{slack.root_url}/oauth/v2/authorize?")
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(authorize).query))
    assert query["client_id"] == slack.client_id and "chat:write" in query["scope"]
    status, headers, _ = get(authorize)
    assert status == 302
    return headers["location"], cookie


def install(bot, slack, team: str) -> None:
    redirect, cookie = start_install(bot, slack, team)
    status, _, page = get(redirect, cookie)
    assert status == 200 and "Installation réussie" in page, page


def command(bot, slack, text: str, *, team: str, user: str, channel: str = CHANNEL) -> bytes:
    body, headers = sr.slash_command(text, team_id=team, user_id=user, channel_id=channel, slack=slack)
    status, resp, _ = sr.send(bot.url, body, headers)
    assert status == 200, resp
    return resp


def parent_in(slack, team: str, channel: str = CHANNEL, after: float = 0.0):
    def found(s):
        parents = [m for m in s.messages(channel, team=team)
                   if (not m.get("thread_ts") or m["thread_ts"] == m["ts"]) and float(m["ts"]) > after]
        return parents[-1] if parents else None
    return slack.wait_for(found, timeout=60)


def article_in(slack, team: str, parent: dict, timeout: float = 90):
    with slack.as_team(team):
        return slack.wait_for(lambda s: article_messages(s, parent["channel"], parent["ts"]), timeout=timeout)[0]


def installed_keys(r, slack, team: str) -> list[str]:
    return sorted(r.scan_iter(f"seo:install:{slack.client_id}:*:{team}*"))


@pytest.fixture(scope="module")
def installed(bot, slack):
    install(bot, slack, "T1")
    install(bot, slack, "T2")
    return ("T1", "T2")


# ---------------------------------------------------------------------------------------------

def test_install_flow_stores_the_installation_encrypted_and_that_team_is_served(bot, slack, llm, r, installed,
                                                                                sample_text):
    keys = installed_keys(r, slack, "T2")
    assert any(":bot:" in k for k in keys) and any(":installation:" in k for k in keys)
    token = slack.team("T2").bot_token
    stored = r.get(next(k for k in keys if ":bot:" in k))
    assert token and token not in stored and "xoxe" not in stored  # encrypted at rest
    assert token not in bot.web.output() and token not in bot.worker.output()  # never logged

    command(bot, slack, sample_text, team="T2", user="U20")
    parent = parent_in(slack, "T2")
    article = article_in(slack, "T2", parent)
    assert title_of(article)
    settle(slack, llm, redis_url=bot.redis_url)
    mine = [c for c in slack.calls() if c["args"].get("channel") == CHANNEL and c["method"].startswith("chat.")]
    assert mine and {c["team"] for c in mine} == {"T2"}  # every post with T2's own token
    assert slack.messages(CHANNEL, team="T1") == []  # nothing landed in the other workspace


def test_a_bad_or_replayed_state_is_refused(bot, slack, r, installed):
    redirect, cookie = start_install(bot, slack, "T3")
    # a state that we never issued, with a browser cookie to match it: refused
    forged = redirect.replace("state=", "state=x")
    state = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(forged).query))["state"]
    status, _, page = get(forged, f"slack-app-oauth-state={state}")
    assert status in (400, 401) and "Installation impossible" in page
    # the real state from another browser (no cookie): refused
    status, _, page = get(redirect)
    assert status == 400 and "Installation impossible" in page
    assert installed_keys(r, slack, "T3") == []
    # the real one works once...
    status, _, page = get(redirect, cookie)
    assert status == 200 and "Installation réussie" in page
    # ...and its replay is refused (the state is single-use; the code too)
    status, _, page = get(redirect, cookie)
    assert status == 401 and "Installation impossible" in page


def test_an_expiring_token_is_rotated_once_before_the_job_uses_it(bot, slack, llm, r, installed, sample_text):
    install(bot, slack, "T3")
    # 11 h 59 later: the stored token expires within the refresh margin (and on Slack's side too)
    from tenancy.store import RedisInstallationStore, Secrets
    import asyncio

    async def age() -> str:
        store = RedisInstallationStore(bot.redis_url, Secrets(KEY), client_id=slack.client_id)
        bot_ = await store.async_find_bot(enterprise_id=None, team_id="T3")
        bot_.bot_token_expires_at = int(time.time()) + 40
        await store.async_save_bot(bot_)
        await store.close()
        return bot_.bot_token
    old = asyncio.run(age())
    slack.expire_tokens("T3", in_seconds=40)
    before = len(slack.refreshes("T3"))
    command(bot, slack, sample_text, team="T3", user="U30")
    parent = parent_in(slack, "T3")
    article_in(slack, "T3", parent)
    settle(slack, llm, redis_url=bot.redis_url)
    refreshes = slack.refreshes("T3")[before:]
    assert len(refreshes) == 1  # web and worker both needed it: one refresh token spent
    first_post = min(c["ts"] for c in slack.calls("chat.postMessage", team="T3"))
    assert refreshes[0]["ts"] < first_post  # rotated before anything was posted
    assert slack.team("T3").bot_token != old


def test_a_token_expired_mid_job_is_refreshed_and_the_article_still_posted(bot, slack, llm, installed, sample_text):
    llm.script(Latency(seconds=3))
    before = len(slack.refreshes("T2"))
    command(bot, slack, sample_text, team="T2", user="U21", channel="C0EXPIRE")
    parent = parent_in(slack, "T2", channel="C0EXPIRE")
    slack.wait_for(lambda s: llm.calls >= 1 or llm.requests, timeout=60)
    slack.expire_tokens("T2")  # Slack ends the token while the worker writes
    article_in(slack, "T2", parent)
    settle(slack, llm, redis_url=bot.redis_url)
    expired = [c for c in slack.calls(team="T2") if c["error"] == "token_expired"]
    assert expired, slack.dump()
    assert len(slack.refreshes("T2")) - before == 1


def test_same_channel_id_in_two_teams_keeps_articles_settings_quotas_and_home_apart(bot, slack, llm, installed,
                                                                                   sample_text):
    dispatch = sample_text.split("\n", 1)[1]
    # T1 sets a credit line for its channel; T2's channel of the same id keeps none
    command(bot, slack, "réglages", team="T1", user="U10")
    with slack.as_team("T1"):
        view = slack.wait_for(lambda s: [v for v in s.views if v.get("callback_id") == "seo_settings_modal"])[-1]
    body, headers = sr.view_submission(view, {"min_words": {"min_words_input": "700"},
                                              "credit": {"credit_input": "(Avec AFP, rédaction Un)"}},
                                       team_id="T1", user_id="U10")
    assert sr.send(bot.url, body, headers)[0] == 200
    slack.wait_for(lambda s: [e for e in s.ephemerals(CHANNEL, team="T1") if "Réglages enregistrés" in e["text"]])

    t0 = time.time()
    command(bot, slack, dispatch, team="T1", user="U11")
    command(bot, slack, dispatch, team="T2", user="U11")  # same user id, same channel id, other workspace
    one, two = parent_in(slack, "T1", after=t0), parent_in(slack, "T2", after=t0)
    a1, a2 = article_in(slack, "T1", one), article_in(slack, "T2", two)
    assert "(Avec AFP, rédaction Un)" in json.dumps(a1["blocks"], ensure_ascii=False)
    assert "rédaction Un" not in json.dumps(a2["blocks"], ensure_ascii=False)

    # quotas: U11 has used its one job a minute in T1, not in T2's count (and vice versa)
    resp = command(bot, slack, dispatch, team="T1", user="U11")
    slack.wait_for(lambda s: [e for e in s.ephemerals(CHANNEL, team="T1") if e["user"] == "U11"]
                   or b"Trop" in resp or b"trop" in resp, timeout=30)
    settle(slack, llm, redis_url=bot.redis_url)
    assert len([m for m in slack.messages(CHANNEL, team="T1") if m.get("thread_ts") in (None, m["ts"])
                and float(m["ts"]) > t0]) == 1  # the refused one posted nothing

    # App Home: each workspace lists its own article for U11
    for team, parent in (("T1", one), ("T2", two)):
        event = {"type": "app_home_opened", "user": "U11", "channel": "D011", "tab": "home", "event_ts": sr.new_ts()}
        assert sr.send(bot.url, *sr.event_callback(event, team_id=team))[0] == 200
    def homes(s):
        out = {}
        for team in ("T1", "T2"):
            views = [c for c in s.calls("views.publish", team=team) if c["args"].get("user_id") == "U11"]
            if views:
                out[team] = json.dumps(views[-1]["args"]["view"], ensure_ascii=False)
        return out if len(out) == 2 else None
    home = slack.wait_for(homes, timeout=60)
    assert "(Avec AFP, rédaction Un)" not in home["T2"]
    # one article each, linked in its own workspace (a permalink names its workspace)
    for team, other in (("T1", "t2"), ("T2", "t1")):
        assert home[team].count("• <") == 1, home[team]
        assert f"{team.lower()}.slack.com/archives/{CHANNEL}" in home[team]
        assert f"{other}.slack.com" not in home[team]


def test_uninstall_deletes_the_installation_cancels_queued_jobs_and_purges_data(bot, slack, llm, r, installed,
                                                                                 sample_text):
    install(bot, slack, "T4")
    command(bot, slack, sample_text, team="T4", user="U40")
    article_in(slack, "T4", parent_in(slack, "T4"))
    settle(slack, llm, redis_url=bot.redis_url)
    assert list(r.scan_iter("seo:t:T4:*"))  # its data, under its own prefix
    posts_before = len(slack.calls("chat.postMessage", team="T4"))

    bot.worker.stop()  # nothing takes jobs: the next ones stay queued
    command(bot, slack, sample_text, team="T4", user="U41", channel="C0QUEUED")
    parent = parent_in(slack, "T4", channel="C0QUEUED")
    slack.wait_for(lambda s: r.llen("saq:seo-fr:queued") >= 1, timeout=30)

    slack.uninstall("T4")  # the workspace removes the app; Slack says so
    for event in ({"type": "app_uninstalled"}, {"type": "tokens_revoked", "tokens": {"bot": ["UBOTT4"]}}):
        assert sr.send(bot.url, *sr.event_callback(event, team_id="T4"))[0] == 200
    slack.wait_for(lambda s: not installed_keys(r, slack, "T4") and not list(r.scan_iter("seo:t:T4:*"))
                   and r.llen("saq:seo-fr:queued") == 0, timeout=30)

    bot.worker = BotProcess("worker", bot.env).start()
    settle(slack, llm, redis_url=bot.redis_url)
    with slack.as_team("T4"):
        assert article_messages(slack, "C0QUEUED", parent["ts"]) == []  # the queued job never ran
    assert len(slack.calls("chat.postMessage", team="T4")) == posts_before + 2  # its parent and status only
    assert "Traceback" not in bot.web.output()
    # the other workspaces still work
    command(bot, slack, sample_text, team="T1", user="U12", channel="C0AFTER")
    article_in(slack, "T1", parent_in(slack, "T1", channel="C0AFTER"))


def test_a_job_whose_installation_vanishes_mid_run_ends_quietly_without_retry(bot, slack, llm, installed,
                                                                             sample_text):
    install(bot, slack, "T5")
    llm.script(Latency(seconds=4))
    asked = len(llm.requests)
    command(bot, slack, sample_text, team="T5", user="U50", channel="C0GONE")
    parent = parent_in(slack, "T5", channel="C0GONE")
    slack.wait_for(lambda s: len(llm.requests) > asked, timeout=60)  # the worker is writing
    slack.uninstall("T5")
    assert sr.send(bot.url, *sr.event_callback({"type": "app_uninstalled"}, team_id="T5"))[0] == 200
    slack.wait_for(lambda s: "no longer installed for T5" in bot.worker.output(), timeout=60)
    settle(slack, llm, redis_url=bot.redis_url)
    with slack.as_team("T5"):
        thread = slack.messages("C0GONE", parent["ts"], include_parent=False)
    assert article_messages(slack, "C0GONE", parent["ts"]) == []
    assert not any("Réessayer" in json.dumps(m.get("blocks") or [], ensure_ascii=False) for m in thread)
    assert [c for c in slack.calls(team="T5") if c["ok"] and float(c["ts"]) > float(parent["ts"]) + 0.5
            and c["method"] in ("chat.postMessage", "chat.stopStream")] == []
    assert len(llm.requests) == asked + 1  # not run again (no retry)
    assert "Traceback" not in bot.worker.output()


def test_an_org_wide_install_serves_a_workspace_of_its_org(bot, slack, llm, r, installed, sample_text):
    install(bot, slack, "T6")
    assert r.exists(f"seo:install:{slack.client_id}:bot:E1:-")  # the org's, whatever its workspace
    body, headers = sr.slash_command(sample_text, team_id="T6", enterprise_id="E1", is_enterprise_install=True,
                                     user_id="U60", channel_id="C0ORG", slack=slack)
    assert sr.send(bot.url, body, headers)[0] == 200
    article_in(slack, "T6", parent_in(slack, "T6", channel="C0ORG"))
    settle(slack, llm, redis_url=bot.redis_url)
    assert list(r.scan_iter("seo:t:E1:*"))  # its data kept under the org
    posts = [c for c in slack.calls() if c["args"].get("channel") == "C0ORG" and c["method"].startswith("chat.")]
    assert posts and all(c["team"] == "T6" and c["ok"] for c in posts)  # with the org's own token


def test_oauth_mode_refuses_to_start_without_its_requirements(bot, slack, llm):
    import subprocess
    import sys

    from tests.harness import ROOT

    for extra, says in (({"SLACK_APP_TOKEN": "xapp-1-test"}, "Socket Mode"),
                        ({"SEO_ENCRYPTION_KEY": ""}, "SEO_ENCRYPTION_KEY"),
                        ({"SEO_ENCRYPTION_KEY": "pas-une-cle"}, "clé Fernet"),
                        ({"REDIS_URL": ""}, "REDIS_URL")):
        env = {**bot.env, **extra}
        done = subprocess.run([sys.executable, "bot.py", "--role", "all"], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 2, (extra, done.stderr[-2000:])
        assert says in done.stdout + done.stderr


def test_a_workspace_admin_sets_its_own_wordpress_site_password_encrypted_never_shown(
        bot, slack, llm, r, installed, sample_text, wordpress):
    admin = wordpress.accounts["admin"]
    slack.set_user("U2ADMIN", is_admin=True, team="T2")
    dispatch = sample_text.split("\n", 1)[1]

    def settings_view(user):
        with slack.as_team("T2"):
            seen = {v["id"] for v in slack.views}
        command(bot, slack, "réglages", team="T2", user=user, channel="C0WP")
        with slack.as_team("T2"):
            return slack.wait_for(lambda s: [v for v in s.views if v.get("callback_id") == "seo_settings_modal"
                                             and v["id"] not in seen])[-1]

    def block_ids(view):
        return {b.get("block_id") for b in view["blocks"]}

    assert "wp_site_url" not in block_ids(settings_view("U2EDITOR"))  # not an admin: no site fields
    view = settings_view("U2ADMIN")
    assert {"wp_site_url", "wp_site_user", "wp_site_password"} <= block_ids(view)
    body, headers = sr.view_submission(view, {"min_words": {"min_words_input": "700"},
                                              "wp_site_url": {"wp_site_url_input": wordpress.url + "/wp-admin/"},
                                              "wp_site_user": {"wp_site_user_input": admin["user"]}},
                                       team_id="T2", user_id="U2ADMIN")
    status, resp, _ = sr.send(bot.url, body, headers)
    assert status == 200 and "wp_site_password" in json.loads(resp)["errors"]  # no password yet: asked for
    body, headers = sr.view_submission(view, {"min_words": {"min_words_input": "700"},
                                              "wp_site_url": {"wp_site_url_input": wordpress.url + "/wp-admin/"},
                                              "wp_site_user": {"wp_site_user_input": admin["user"]},
                                              "wp_site_password": {"wp_site_password_input": admin["password"]}},
                                       team_id="T2", user_id="U2ADMIN")
    assert sr.send(bot.url, body, headers)[0] == 200
    told = slack.wait_for(lambda s: [e for e in s.ephemerals("C0WP", team="T2") if "Site WordPress" in e["text"]])
    assert wordpress.url in told[-1]["text"] and admin["password"] not in told[-1]["text"]
    stored = r.get("seo:t:T2:wordpress:site")
    assert stored and admin["password"] not in stored and admin["password"].replace(" ", "") not in stored
    again = settings_view("U2ADMIN")  # shown back: the address and the user, never the password
    assert wordpress.url in json.dumps(again) and admin["password"] not in json.dumps(again)
    assert "Un mot de passe est enregistré" in json.dumps(again, ensure_ascii=False)

    command(bot, slack, dispatch, team="T2", user="U2EDITOR", channel="C0WP")
    parent = parent_in(slack, "T2", channel="C0WP")
    article = article_in(slack, "T2", parent)
    assert button_labels(article)[-1] == "WordPress"
    # (another person clicks: this module allows one job a minute per person)
    status, _, _ = sr.send(bot.url, *sr.block_actions("seo_wordpress", message=article, slack=slack, team_id="T2",
                                                       user_id="U2CLICK"))
    assert status == 200
    with slack.as_team("T2"):
        reply = slack.wait_for(lambda s: [m for m in s.messages("C0WP", parent["ts"], include_parent=False)
                                          if "Brouillon créé dans WordPress" in m.get("text", "")], timeout=120)[0]
    assert f"{wordpress.url}/wp-admin/post.php?post=" in json.dumps(reply["blocks"])
    assert admin["password"] not in bot.worker.output() and admin["password"] not in bot.web.output()

    # T1 has no site of its own and the server none: no WordPress button there
    command(bot, slack, dispatch, team="T1", user="U13", channel="C0WP")
    other = article_in(slack, "T1", parent_in(slack, "T1", channel="C0WP"))
    assert "WordPress" not in button_labels(other)
