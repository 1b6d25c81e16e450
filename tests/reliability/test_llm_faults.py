"""The model misbehaves: 500s, 429 with Retry-After, a reply that never ends, truncated JSON, a
refusal, a refused key. Retried where it makes sense; otherwise a French message in the thread
with a Réessayer button that works."""
from __future__ import annotations

import json
import time

import pytest

from tests.fakes import slack_requests as sr
from tests.fakes.openai_server import Error, Hang, Malformed, RateLimit, Refusal, Unauthorized

from .conftest import command, dispatch_of, failures, settle, versions_posted, wait_articles, wait_parent


def _start(shared, slack, channel, sample_text):
    assert command(shared.url, slack, channel, dispatch_of(sample_text))[0] == 200
    return wait_parent(slack, channel)["ts"]


@pytest.mark.parametrize("script, calls", [
    ([Error(500), Error(503)], 3),            # two 5xx, the SDK's retries get through
    ([RateLimit(retry_after=1)], 2),          # 429 honoured, then through
    ([Malformed()], 2),                       # truncated JSON: asked once more
    ([Refusal()], 2),                         # one refusal: asked once more
], ids=["5xx", "429", "truncated-json", "one-refusal"])
def test_transient_llm_faults_are_retried_and_the_article_arrives(shared, slack, llm, channel, sample_text,
                                                                  script, calls):
    llm.script(*script)
    started = time.monotonic()
    thread = _start(shared, slack, channel, sample_text)
    wait_articles(slack, channel, thread, timeout=90)
    if isinstance(script[0], RateLimit):
        assert time.monotonic() - started >= 1.0  # Retry-After was waited for
    assert llm.calls == calls
    assert failures(slack, channel, thread) == []
    assert versions_posted(slack, channel, thread) == {1: 1}


@pytest.mark.parametrize("script, calls, words", [
    ([Error(500)] * 3, 3, "panne"),                              # 5xx after every retry
    ([Hang(30)] * 3, 3, "pas répondu à temps"),                  # a reply that never ends
    ([Malformed(), Malformed()], 2, "inutilisable"),             # truncated JSON twice
    ([Refusal(), Refusal()], 2, "inutilisable"),                 # refuses twice
    ([Unauthorized()], 1, "Clé d’API refusée"),                  # refused key: no retry at all
    ([RateLimit(retry_after=0.2)] * 3, 3, "limite"),             # 429 after every retry
], ids=["5xx", "timeout", "truncated-json", "refusal", "refused-key", "429"])
def test_lasting_llm_faults_give_a_french_message_and_reessayer_works(shared, slack, llm, channel, sample_text,
                                                                      script, calls, words):
    llm.script(*script)
    thread = _start(shared, slack, channel, sample_text)
    failure = slack.wait_for(lambda s: failures(s, channel, thread), timeout=90)[0]
    assert words in failure["text"], failure["text"]
    assert llm.calls == calls
    assert article_free(slack, channel, thread)
    slack.wait_for(lambda s: "a échoué" in s.messages(channel, thread, include_parent=False)[0]["text"])
    # Réessayer: the same job again, now that the model behaves.
    status_code, _, elapsed = sr.send(shared.url, *sr.block_actions("seo_retry", message=failure, slack=slack))
    assert status_code == 200 and elapsed < 3
    wait_articles(slack, channel, thread, timeout=90)
    assert llm.calls == calls + 1
    settle(slack, llm, shared.redis)
    assert versions_posted(slack, channel, thread) == {1: 1}
    assert len(failures(slack, channel, thread)) == 1


def article_free(slack, channel, thread):
    return not any("seo_regenerate" in json.dumps(m.get("blocks") or [])
                   for m in slack.messages(channel, thread, include_parent=False))
