"""Usage and cost: recorded per version by the worker, shown in App Home for the channels the
reader is in, and by `python bot.py --usage`."""
from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from types import SimpleNamespace

import pytest
import redis

from ops.usage import UsageStore, month_label, month_of, previous_month
from jobs.kv import RedisKV
from seo.pricing import Prices, format_cost
from tests.fakes import slack_requests as sr
from tests.harness import ROOT, BotProcess, bot_env

from .test_slack_flows import dispatch, parent_of, run_command, wait_articles

PRICES = {"SEO_PRICE_INPUT_PER_MTOK": "0.15", "SEO_PRICE_CACHED_INPUT_PER_MTOK": "0.075",
          "SEO_PRICE_OUTPUT_PER_MTOK": "0.6", "SEO_PRICE_CURRENCY": "EUR"}


@pytest.fixture(scope="module")
def priced_bot(slack, llm, redis_server):
    env = bot_env(slack=slack, openai=llm, redis_url=redis_server.url, **PRICES)
    web = BotProcess("web", env).start()
    worker = BotProcess("worker", env).start()
    yield SimpleNamespace(web=web, worker=worker, url=web.url, env=env)
    web.stop()
    worker.stop()


def published(slack, channel, thread, version):
    slack.wait_for(lambda s: any(f"Version {version} publiée" in m["text"]
                                 for m in s.messages(channel, thread, include_parent=False)), timeout=30)


def home_for(bot, slack, user, predicate, timeout=20):
    """Opens App Home (again) until its view satisfies `predicate`; returns the view's text."""
    def check(s):
        event = {"type": "app_home_opened", "user": user, "channel": "D" + user[1:], "tab": "home",
                 "event_ts": sr.new_ts()}
        before = len(s.calls("views.publish"))
        assert sr.send(bot.url, *sr.event_callback(event))[0] == 200
        s.wait_for(lambda s2: len(s2.calls("views.publish")) > before, timeout=10)
        views = [c for c in s.calls("views.publish") if c["args"].get("user_id") == user]
        text = json.dumps(views[-1]["args"]["view"], ensure_ascii=False)
        return text if predicate(text) else None
    return slack.wait_for(check, timeout=timeout)


def stored_usage(redis_url) -> list[dict]:
    r = redis.Redis.from_url(redis_url, decode_responses=True)
    return [json.loads(r.get(k)) for k in r.scan_iter("seo:usage:*:v*")]


def test_app_home_shows_usage_and_cost_of_the_readers_channels(priced_bot, slack, llm, channel, redis_server,
                                                             sample_text):
    bot = priced_bot
    mine, theirs = channel, channel + "Z"
    slack.add_member(mine, "U90", "U91")
    slack.add_member(theirs, "U91")  # U90 is not in it: its figures are not U90's business
    before = {json.dumps(u, sort_keys=True) for u in stored_usage(redis_server.url)}
    # Two articles in U90's channel (asked by someone else), one shorter version; one elsewhere.
    run_command(bot, slack, mine, dispatch(sample_text), user="U91")
    first = slack.wait_for(lambda s: parent_of(s, mine) if s.messages(mine) else None)["ts"]
    v1 = wait_articles(slack, mine, first)[0]
    published(slack, mine, first, 1)
    assert sr.send(bot.url, *sr.block_actions("seo_shorten", message=v1, user_id="U91", slack=slack))[0] == 200
    wait_articles(slack, mine, first, 2)
    published(slack, mine, first, 2)
    second_channel = mine + "B"
    slack.add_member(second_channel, "U90")
    run_command(bot, slack, second_channel, dispatch(sample_text), user="U91")
    second = slack.wait_for(lambda s: parent_of(s, second_channel) if s.messages(second_channel) else None)["ts"]
    wait_articles(slack, second_channel, second)
    published(slack, second_channel, second, 1)
    run_command(bot, slack, theirs, dispatch(sample_text), user="U91")
    other = slack.wait_for(lambda s: parent_of(s, theirs) if s.messages(theirs) else None)["ts"]
    wait_articles(slack, theirs, other)
    published(slack, theirs, other, 1)

    # What the worker recorded per version: calls, tokens, seconds, a cost at the configured prices.
    slack.wait_for(lambda s: len([u for u in stored_usage(redis_server.url)
                                  if json.dumps(u, sort_keys=True) not in before]) >= 4, timeout=15)
    new = [u for u in stored_usage(redis_server.url) if json.dumps(u, sort_keys=True) not in before]
    prices = Prices(0.15, 0.075, 0.6, "EUR")
    for u in new:
        assert u["llm_calls"] >= 1 and u["prompt_tokens"] > 0 and u["seconds"] > 0 and u["currency"] == "EUR"
        assert u["cost"] == pytest.approx(prices.cost(u["prompt_tokens"], u["cached_tokens"],
                                                      u["completion_tokens"]))
    # App Home of U90: its two channels, not the third.
    store = UsageStore(RedisKV(redis_server.url))
    month = month_of()

    async def figures():
        try:
            return [await store.month(c, month) for c in (mine, second_channel)]
        finally:
            await store.kv.close()
    counts = asyncio.run(figures())
    nano = sum(c.get("cost_nano_EUR", 0) for c in counts)
    assert sum(c["articles"] for c in counts) == 2 and sum(c["versions"] for c in counts) == 3
    text = home_for(bot, slack, "U90", lambda t: "Utilisation et coût" in t and "*3*" in t)
    assert f"Ce mois-ci ({month_label(month)})" in text
    assert f"Le mois dernier ({month_label(previous_month(month))})" in text
    assert "Articles\u00a0: *2* · versions\u00a0: *3*" in text
    assert "premiers jets validés sans réparation\u00a0: *100\u00a0%*" in text
    assert format_cost(nano / 1e9, "EUR") in text
    assert f"<#{mine}>" in text and f"<#{second_channel}>" in text and f"<#{theirs}>" not in text
    assert ":+1:" not in text  # no feedback yet: no thumbs

    # Feedback votes (recorded by the feedback buttons) show up once they exist.
    async def vote():
        s = UsageStore(RedisKV(redis_server.url))
        try:
            await s.record_feedback(mine, vote="up")
            await s.record_feedback(mine, vote="up")
            await s.record_feedback(second_channel, vote="down")
        finally:
            await s.kv.close()
    asyncio.run(vote())
    text = home_for(bot, slack, "U90", lambda t: ":+1:" in t)
    assert ":+1: 2 · :-1: 1" in text

    # The same figures on the command line, French headers.
    out = subprocess.run([sys.executable, "bot.py", "--usage"], cwd=ROOT, env=bot.env, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "Canal" in out.stdout and "Articles" in out.stdout and "Coût" in out.stdout
    lines = {line.split()[0]: line for line in out.stdout.splitlines() if line.strip()}
    assert mine in lines and theirs in lines and second_channel in lines
    mine_cost = format_cost(counts[0]["cost_nano_EUR"] / 1e9, "EUR")
    assert mine_cost in lines[mine] and month_label(month) in lines[mine]
