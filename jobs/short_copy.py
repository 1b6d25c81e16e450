"""Worker side of « Titres » and « Réseaux sociaux »: one LLM call, a message in the thread,
no new version. Idempotent: a re-run after a crash reuses what the first run wrote."""
from __future__ import annotations

import json
import logging

import blockkit as blocks
from blockkit.short_copy import social_message, titles_message
from seo.article import Article
from seo.social import FIELDS

log = logging.getLogger(__name__)

DONE = {
    "titles": ":white_check_mark: Titres proposés ci-dessous.",
    "social": ":white_check_mark: Les textes pour les réseaux sociaux sont prêts ci-dessous.",
}
# The status line when the model failed (the detail and « Réessayer » follow in the thread).
FAILED = {
    "titles": ":x: Les titres n’ont pas pu être proposés (détail ci-dessous).",
    "social": ":x: Les textes pour les réseaux sociaux n’ont pas pu être rédigés (détail ci-dessous).",
}


async def run_short_copy(runner, spec, status_ts: str, source: str) -> None:
    """`runner`: the JobRunner (engine, state, publisher). LLM errors propagate to its caller, an
    incomplete reply too (seo.substance.IncompleteReply): nothing is posted as ready then."""
    state, publisher = runner.state, runner.publisher
    raw = await state.job_get(spec.id, "short_copy")
    if raw:
        data = json.loads(raw)
    else:
        base = await state.version(spec.article_id, spec.base_version)
        if base is None:
            await publisher.update(spec.channel, status_ts, **blocks.notice_message(
                "Cette version a expiré : relancez une réécriture."))
            await state.job_set(spec.id, "done", "expired")
            return
        article = Article(**base["article"])
        house_style = (await state.channel_settings(spec.settings_channel or spec.channel)).get("house_style")
        await publisher.update(spec.channel, status_ts, **blocks.status_message(spec.kind))
        if spec.assistant:
            await publisher.assistant_status(spec.channel, spec.thread_ts,
                                             *blocks.assistant.assistant_status(spec.kind))
        if spec.kind == "titles":
            result = await runner.engine.titles(source, article, house_style=house_style)
            data = {"titles": [v.to_dict() for v in result.variants], "usage": result.usage.to_contract()}
            await state.save_titles(spec.id, spec.article_id, data["titles"])
        else:
            result = await runner.engine.social(source, article, house_style=house_style)
            data = result.to_dict() | {"usage": result.usage.to_contract()}
        await state.job_set(spec.id, "short_copy", json.dumps(data, ensure_ascii=False))
    if spec.kind == "titles":
        msg = titles_message(data["titles"], article_id=spec.article_id, version=spec.base_version,
                             job_id=spec.id)
    else:
        msg = social_message(data["texts"], FIELDS, data["issues"], version=spec.base_version)
    # The thread and the quota are free before the titles show: a « Choisir » clicked at once is
    # never « busy » nor over quota.
    await runner.release(spec)
    await publisher.post_once(spec.id, "short_copy", channel=spec.channel, thread_ts=spec.thread_ts, **msg)
    await state.job_set(spec.id, "done", "ok")
    await publisher.update(spec.channel, status_ts, **blocks.notice_message(DONE[spec.kind]))
