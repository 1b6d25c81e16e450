"""The same delivery twice (Slack's retries, a double click, two web processes) runs once."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.fakes import slack_requests as sr

from .conftest import dispatch_of, parents, settle, versions_posted, wait_articles, wait_parent


def _send_all(urls_and_requests):
    with ThreadPoolExecutor(len(urls_and_requests)) as pool:
        return list(pool.map(lambda ur: sr.send(ur[0], *ur[1])[0], urls_and_requests))


def test_same_slash_command_retried_and_sent_to_two_web_processes_runs_once(cluster, slack, llm, channel,
                                                                            sample_text):
    bot = cluster()
    web1 = bot.web()
    web2 = bot.web()
    bot.worker()
    req = sr.slash_command(dispatch_of(sample_text), channel_id=channel, slack=slack)
    statuses = _send_all([(web1.url, req), (web2.url, req), (web1.url, sr.retry(req, 1)),
                          (web2.url, sr.retry(req, 2))])
    assert statuses == [200] * 4
    thread = wait_parent(slack, channel)["ts"]
    wait_articles(slack, channel, thread)
    settle(slack, llm, bot.redis)
    assert len(parents(slack, channel)) == 1
    assert versions_posted(slack, channel, thread) == {1: 1}
    assert llm.calls == 1
    # The same click on Régénérer, delivered to both web processes and retried: one version 2.
    v1 = wait_articles(slack, channel, thread)[0]
    click = sr.block_actions("seo_regenerate", message=v1, slack=slack)
    assert _send_all([(web1.url, click), (web2.url, click), (web1.url, sr.retry(click, 1))]) == [200] * 3
    wait_articles(slack, channel, thread, 2)
    # The same DM event: both web processes, three retries.
    dm = "D" + channel[1:]
    slack.set_channel(dm, is_im=True)
    msg = slack.add_message(dm, dispatch_of(sample_text), user="U3")
    ev = sr.event_callback(sr.message_event(msg["text"], channel=dm, user="U3", ts=msg["ts"], channel_type="im"))
    assert _send_all([(web1.url, ev), (web2.url, ev)] + [(web1.url, sr.retry(ev, n)) for n in (1, 2, 3)]) == [200] * 5
    wait_articles(slack, dm, msg["ts"])
    settle(slack, llm, bot.redis)
    assert versions_posted(slack, channel, thread) == {1: 1, 2: 1}
    assert versions_posted(slack, dm, msg["ts"]) == {1: 1}
    assert llm.calls == 3
