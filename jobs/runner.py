"""The worker task: run the engine for one job and post the result in its thread.

Idempotent: a job re-run after a crash (or started twice by a sweep race) reuses
what the first run recorded (status message, version number, saved version,
posted parts), so the thread gets exactly one article message per version.

Streaming (SEO_STREAM=on): the first LLM call's Markdown is written into the thread as it comes
(jobs/streaming/); that message then becomes the article's first message (stopStream with its
blocks, or chat.update in place when the checked article differs from what was streamed). Its ts
is recorded as soon as the stream starts (job:{id}:stream:article0), so a re-run after a crash
does not stream again: it labels the old draft and replaces it in place with its article.
"""
from __future__ import annotations

import asyncio
import inspect
import logging
import secrets
import time

from slack_sdk.errors import SlackApiError

import blockkit as blocks
from seo.article import Article
from seo.errors import InputError, LLMError
from seo.llm import REQUEST_ID
from seo.pipeline import Engine, Result

from .publisher import METADATA_EVENT, ChannelUnavailable, Publisher, slack_error
from .queue import HEARTBEAT_TIMEOUT
from .quotas import Quotas
from .settings import BotSettings
from .links import LinkStep
from .page import page_meta
from .short_copy import FAILED as SHORT_COPY_FAILED, run_short_copy
from .spec import JobSpec
from .state import ArticleRecord, State
from .status_line import StatusLine
from .streaming import LiveStream, Streamer
from .wordpress import WordPressJob

log = logging.getLogger(__name__)

# A run's claim expires this long after its worker died: shorter than the queue's heartbeat
# timeout (15 s for the default 20 s), so the retry that follows a crash finds it free.
RUN_TTL = HEARTBEAT_TIMEOUT * 0.75
assert RUN_TTL < HEARTBEAT_TIMEOUT


SHORT_COPY_KINDS = ("titles", "social")  # a message in the thread, not a new version

# Steps that take a few milliseconds: the status line skips them.
_INSTANT_STEPS = {"cleaning", "finishing"}


class JobRunner:
    def __init__(self, engine: Engine, state: State, publisher: Publisher, settings: BotSettings,
                 wordpress: WordPressJob | None = None, streamer: Streamer | None = None,
                 quotas: Quotas | None = None):
        self.engine = engine
        self.quotas = quotas  # released as soon as the result is saved (see `release`)
        self.state = state
        self.publisher = publisher
        self.settings = settings
        self.wordpress = wordpress or WordPressJob(None, state, publisher)
        self._local: dict[str, list] = {}  # job id -> [lock, runs holding or awaiting it]
        self.streamer = streamer
        self.links = LinkStep(self)
        # The engine takes on_text once it streams its draft (seo.pipeline); older engines do not.
        self._engine_streams = "on_text" in inspect.signature(engine.rewrite).parameters

    async def __call__(self, spec: JobSpec) -> None:
        # saq can hand this process a job it is already running (its sweep re-queues a job whose
        # heartbeat was late: a loop busy with a long article's checks on a loaded machine). The Redis
        # run claim could then expire under the busy run and let the copy run the engine again
        # (LLM calls twice, two runs racing): in one process, the copy simply waits its turn.
        entry = self._local.setdefault(spec.id, [asyncio.Lock(), 0])
        entry[1] += 1
        try:
            async with entry[0]:
                await self._claimed(spec)
        finally:
            entry[1] -= 1
            if entry[1] == 0:
                del self._local[spec.id]

    async def _claimed(self, spec: JobSpec) -> None:
        job = await self.state.job_fields(spec.id, "done", "version")  # one round trip for both
        if job["done"]:
            log.info("job %s already done: nothing to do", spec.id)
            return
        token = secrets.token_hex(8)
        while not await self.state.claim_run(spec.id, token, RUN_TTL):
            # Another live run has it (saq's sweep can start a job that is just starting): wait
            # until it is done, or dead and its claim expired. (Raising instead made saq log a
            # traceback and retry with a growing delay.)
            await asyncio.sleep(RUN_TTL / 3)
            job = await self.state.job_fields(spec.id, "done", "version")
            if job["done"]:
                log.info("job %s done by another run", spec.id)
                return
        keeper = asyncio.create_task(self._keep(spec.id, token))
        wordpress = spec.kind == "wordpress"  # locks its article's draft, not the thread
        if wordpress:
            await self.state.lock_wordpress(spec.article_id, spec.id, self.settings.job_timeout)
        elif not job["version"]:
            # A re-run whose result is saved (and maybe shown) must not take the thread again:
            # a click on that article would be refused as busy.
            await self.state.lock_thread(spec.channel, spec.thread_ts, spec.id, self.settings.job_timeout)
        try:
            await (self.wordpress.run(spec) if wordpress else self._run(spec))
        except ChannelUnavailable as exc:
            log.warning("job %s: channel unavailable (%s)", spec.id, exc.error)
            await self.publisher.tell_user(
                spec.user,
                f"Je ne peux pas publier l’article dans <#{spec.channel}> ({exc.error}). "
                "Invitez-moi dans le canal avec `/invite` puis relancez la demande.",
            )
            await self.state.job_set(spec.id, "done", "channel_unavailable")
        finally:
            keeper.cancel()
            if wordpress:
                await self.state.unlock_wordpress(spec.article_id, spec.id)
            else:
                await self.state.unlock_thread(spec.channel, spec.thread_ts, spec.id)
            await self.state.end_run(spec.id, token)

    async def give_up(self, spec: JobSpec, exc: BaseException) -> None:
        """Called by the queue when a job failed for good on an unexpected error."""
        if await self.state.job_get(spec.id, "done"):
            return
        if spec.kind == "wordpress":
            await self.wordpress.failed(spec, "Erreur interne (l’équipe technique a la trace dans les journaux).")
            return
        status_ts = spec.status_ts or await self.state.job_get(spec.id, "status_ts")
        await self._failed(spec, status_ts, "Erreur interne pendant la réécriture (l’équipe technique a la trace "
                                            "dans les journaux). Réessayez ; si l’erreur revient, prévenez-la.")

    async def release(self, spec: JobSpec) -> None:
        """The job's result is saved: free its thread and its in-flight quota before the result
        shows. A click, a thread reply or a new request made the instant it appears must not be
        refused as « déjà en cours » or over quota; freeing them after posting and bookkeeping
        (status line, permalink, usage) left a window of up to seconds under load. The worker's
        FairShare releases the quota again once the job is over (a no-op then, a retry after a blip)."""
        await self.state.unlock_thread(spec.channel, spec.thread_ts, spec.id)
        if self.quotas is not None:
            try:
                await self.quotas.release(spec.id, user=spec.user, channel=spec.channel)
            except Exception:  # a Redis blip: released again when the job is over
                log.warning("could not release the quota of job %s", spec.id)

    async def _keep(self, job_id: str, token: str) -> None:
        while True:
            await asyncio.sleep(RUN_TTL / 3)
            try:
                await self.state.keep_run(job_id, token, RUN_TTL)
            except Exception:  # a Redis blip; the next refresh may work
                log.warning("could not refresh the run claim of %s", job_id)

    async def _run(self, spec: JobSpec) -> None:
        status = StatusLine(self.publisher, spec.channel, spec.thread_ts)
        try:
            await self._rewrite(spec, status)
        finally:
            await status.settle()

    async def _rewrite(self, spec: JobSpec, status: StatusLine) -> None:
        REQUEST_ID.set(spec.id)  # this task's LLM requests carry the job's id
        picked, asked = time.time(), None  # wall clock: benchmarks/burst.py lines them up with the fakes'
        # What an earlier run may have left, the article and the channel's settings (an assistant
        # thread: its requester's channel): one round trip each, at once (seven in a row before).
        # A job that may stream marks its intent here (SET NX), before any chat.startStream: the mark
        # is new on a first run; an earlier run of the job (same kind, same streamer) left it.
        no_llm_stream = ("title", "links", *SHORT_COPY_KINDS)  # a title, links: no LLM call; short copy: not streamed
        may_stream = self.streamer is not None and self._engine_streams and spec.kind not in no_llm_stream
        job, record, channel_settings, *marked = await asyncio.gather(
            self.state.job_fields(spec.id, "status_ts", "version", "stream:article0", "posted:article0",
                                  "stream_intent"),
            self.state.article(spec.article_id),
            self.state.channel_settings(spec.settings_channel or spec.channel),
            *([self.state.job_claim(spec.id, "stream_intent")] if may_stream else []))
        if marked:  # what the MGET read may already be our own mark: the SET NX says whose it is
            job["stream_intent"] = None if marked[0] else "1"
        status_ts = spec.status_ts or job["status_ts"]
        if not status_ts:
            msg = blocks.status_message("queued")
            status_ts = await self.publisher.post_once(spec.id, "status", channel=spec.channel,
                                                       thread_ts=spec.thread_ts, **msg)
            await self.state.job_set(spec.id, "status_ts", status_ts)
        status.ts = status_ts

        stream: LiveStream | None = None

        async def progress(step: str, detail: str | None = None) -> None:
            nonlocal asked
            if stream is not None:
                stream.step(step)  # an assistant thread's plan of steps moves on
            if step in _INSTANT_STEPS:
                return  # replaced within milliseconds: not worth a Slack call
            if step == "repairing" and stream is not None and stream.started:
                await stream.label_draft()  # the streamed draft: « Brouillon en cours de vérification… »
            # In the background: the LLM call waits on no Slack round trip. A DM's threads show it natively.
            native = spec.assistant or spec.channel.startswith("D")
            status.show(blocks.status_message(step, detail=detail),
                        assistant=blocks.assistant.assistant_status(step) if native else None)
            if asked is None:
                asked = time.time()
                log.info("job %s timeline in %s: picked up %.3f, LLM asked %.3f",
                         spec.id, spec.channel, picked, asked)

        if record is None:
            await self.publisher.update(spec.channel, status_ts, **blocks.notice_message(
                "Cet article a expiré : collez à nouveau la dépêche pour une nouvelle réécriture."))
            await self.state.job_set(spec.id, "done", "expired")
            return

        if spec.kind in SHORT_COPY_KINDS:
            try:
                await run_short_copy(self, spec, status_ts, record.source)
            except InputError as exc:
                await self.publisher.update(spec.channel, status_ts, **blocks.notice_message(str(exc)))
                await self.state.job_set(spec.id, "done", "input")
            except LLMError as exc:
                await self._failed(spec, status_ts, str(exc), status=SHORT_COPY_FAILED[spec.kind])
            return

        version_no = job["version"]
        data = await self.state.version(spec.article_id, int(version_no)) if version_no else None
        streamed_ts = job["stream:article0"]
        engine_done = 0.0
        posted_first = job["posted:article0"]
        if streamed_ts and not posted_first:
            # An earlier run crashed mid-stream: its draft is labelled, then replaced in place.
            await self._label_orphan(spec, streamed_ts)
        elif not streamed_ts and not posted_first and job["stream_intent"]:
            # It crashed between chat.startStream and recording its ts: find that draft, drop it.
            await self._drop_unrecorded_stream(spec, status_ts)
        if data is None:
            on_text = None
            if may_stream and not posted_first and not streamed_ts:
                async def started(ts: str) -> None:
                    await self.state.job_set(spec.id, "stream:article0", ts)
                stream = await self.streamer.open(
                    channel=spec.channel, thread_ts=spec.thread_ts, user=spec.recipient_user_id or spec.user,
                    team=spec.recipient_team_id, on_started=started, steps=spec.assistant,
                    budget_team=getattr(spec, "team_id", None))
                on_text = stream.feed if stream is not None else None
            try:
                result = await self._engine(spec, record, progress, on_text, channel_settings)
            except InputError as exc:
                await self._discard(stream)
                await status.settle()
                await self.publisher.update(spec.channel, status_ts, **blocks.notice_message(str(exc)))
                await self.state.job_set(spec.id, "done", "input")
                return
            except LLMError as exc:
                await self._discard(stream)
                await status.settle()
                await self._failed(spec, status_ts, str(exc))
                return
            except BaseException:
                # A crash, a shutdown: the streamed draft stays; the re-run replaces it in place.
                if stream is not None:
                    await stream.abandon()
                raise
            if spec.kind != "links":
                result = await self.links.settle(spec, record.source, result)
            engine_done = time.monotonic()
            version = await self.state.allocate_version(spec.article_id, spec.id)
            data = self._version_data(spec, version, result)
            data["page"] = await page_meta(self, spec, record, data["created_at"])
            data = await self.state.save_version(spec.article_id, version, data)

        # The version is saved: free the thread and the quota BEFORE its buttons show.
        await self.release(spec)
        version = data["version"]
        wordpress = (await self.wordpress.available()
                     and (await self.state.channel_settings(spec.settings_channel or spec.channel)).get(
                         "wordpress", True) is not False)
        messages = blocks.article_messages(
            data["article"], data["report"], data["body_markdown"], version=version,
            article_id=spec.article_id, requested_by=spec.user, wordpress=wordpress)
        streamed_ts = streamed_ts or (stream.ts if stream is not None else None)
        if streamed_ts and not posted_first:
            await self._finish_streamed(spec, data, messages, stream, streamed_ts, wordpress=wordpress)
        first_ts = None
        for i, msg in enumerate(messages):
            ts = await self.publisher.post_once(spec.id, f"article{i}", channel=spec.channel,
                                                thread_ts=spec.thread_ts, **msg)
            first_ts = first_ts or ts
        if engine_done:
            log.info("job %s: article out %.0f ms after the engine (%s)", spec.id,
                     (time.monotonic() - engine_done) * 1000, "streamed" if streamed_ts else "posted")
        await self.state.job_set(spec.id, "done", "ok")
        if spec.assistant:  # the assistant's history names the thread after its article
            await self.publisher.assistant_title(spec.channel, spec.thread_ts, data["article"]["title"])
        report = data["report"]
        await status.settle()
        await self.publisher.update(spec.channel, status_ts, **blocks.notice_message(
            f":white_check_mark: Version {version} publiée : {report['word_count']} mots, "
            f"SEO {report['seo']['score']}/100, lisibilité {report['readability']['score']}/100."))
        if await self.state.job_claim(spec.id, "remembered"):
            await self.state.remember_for_user(spec.user, {
                "article_id": spec.article_id, "title": data["article"]["title"], "version": version,
                "channel": spec.channel, "ts": first_ts, "created_at": data["created_at"],
                "permalink": await self._permalink(spec.channel, first_ts)})
        try:
            await self.links.propose(spec, data, wordpress_on=wordpress)
        except Exception:  # noqa: BLE001 - links are a bonus: never fail an article for them
            log.exception("job %s: no internal links proposal", spec.id)

    async def _label_orphan(self, spec: JobSpec, ts: str) -> None:
        if self.streamer is not None:
            await self.streamer.stop_quietly(spec.channel, ts, getattr(spec, "team_id", None),
                                             blocks=blocks.draft_label_blocks())

    async def _drop_unrecorded_stream(self, spec: JobSpec, status_ts: str | None) -> None:
        """A streamed draft carries no metadata until it is stopped: it is the bot's message after
        this job's status line that has none and opens with the article's '# ' title line."""
        client = self.publisher.client
        try:
            resp = await client.conversations_replies(channel=spec.channel, ts=spec.thread_ts,
                                                      include_all_metadata=True, limit=200,
                                                      oldest=status_ts or spec.thread_ts)
            me = (await client.auth_test()).get("user_id")
        except SlackApiError as exc:
            log.warning("could not look for an unrecorded streamed draft: %s", slack_error(exc))
            return
        for msg in resp.get("messages", []):
            if (msg.get("user") == me and not msg.get("metadata") and msg.get("ts") != status_ts
                    and msg.get("ts") != spec.thread_ts and str(msg.get("text", "")).startswith("# ")
                    and float(msg["ts"]) > float(status_ts or 0)):
                try:
                    await client.chat_delete(channel=spec.channel, ts=msg["ts"])
                    log.info("job %s: dropped a streamed draft its crashed run had not recorded", spec.id)
                except SlackApiError as exc:
                    log.warning("could not drop an unrecorded streamed draft: %s", slack_error(exc))

    @staticmethod
    async def _discard(stream: LiveStream | None) -> None:
        if stream is not None:
            try:
                await stream.discard()
            except Exception:  # noqa: BLE001 - the failure itself matters more
                log.exception("could not discard the streamed draft")

    async def _finish_streamed(self, spec: JobSpec, data: dict, messages: list[dict],
                               stream: LiveStream | None, ts: str, *, wordpress: bool = False) -> None:
        """The streamed message becomes the article's first message (recorded as posted)."""
        metadata = {"event_type": METADATA_EVENT, "event_payload": {"job": spec.id, "part": "article0"}}
        try:
            if stream is not None and stream.ts == ts:
                stop_blocks = blocks.streamed_article_blocks(
                    data["article"], data["report"], version=data["version"], article_id=spec.article_id,
                    requested_by=spec.user, wordpress=wordpress)
                done = await stream.finalize(messages, stop_blocks, data.get("markdown") or "", metadata)
            else:  # left by a crashed run
                done = False
            if not done:  # replaced in place by the checked article (Tier 3: retried if rate-limited)
                first = messages[0]
                await self.publisher.client.chat_update(channel=spec.channel, ts=ts, text=first["text"],
                                                        blocks=first["blocks"], metadata=metadata)
        except SlackApiError as exc:
            # The streamed message cannot take the article: post it as today, drop the draft.
            log.warning("job %s: the streamed message could not become the article (%s)", spec.id,
                        slack_error(exc))
            try:
                await self.publisher.client.chat_delete(channel=spec.channel, ts=ts)
            except SlackApiError as exc2:
                log.info("could not delete the streamed draft: %s", slack_error(exc2))
            return
        await self.state.job_set(spec.id, "posted:article0", ts)

    async def _engine(self, spec: JobSpec, record: ArticleRecord, progress, on_text=None,
                      channel_settings: dict | None = None) -> Result:
        streaming = {"on_text": on_text} if on_text is not None else {}
        if channel_settings is None:
            # An assistant thread follows the settings of the channel its requester was viewing.
            channel_settings = await self.state.channel_settings(spec.settings_channel or spec.channel)
        min_words = spec.min_words or channel_settings.get("min_words") or self.settings.min_words
        credit = spec.credit or channel_settings.get("credit") or None
        house = channel_settings.get("house_style") or None
        source = record.source
        if spec.kind == "rewrite":
            return await self.engine.rewrite(source, keyword=spec.keyword, min_words=min_words,
                                             credit=credit, progress=progress, house_style=house, **streaming)
        base = await self.state.version(spec.article_id, spec.base_version)
        if base is None:
            raise InputError("La version d’origine de cet article a expiré : relancez une réécriture.")
        article = Article(**base["article"])
        if spec.kind == "links":  # « Insérer »: the proposed internal links, same text, no LLM call
            return await self.links.insert(spec)
        if spec.kind == "title":  # a chosen alternative title: same body, no LLM call
            return self.engine.retitle(source, article, title=spec.new_title or article.title,
                                       meta_title=spec.new_meta_title or article.meta_title)
        if spec.kind == "regenerate":
            return await self.engine.rewrite(source, keyword=article.focus_keyword, min_words=min_words,
                                             credit=credit or article.credit, progress=progress,
                                             temperature=0.8, house_style=house, **streaming)
        if spec.kind == "shorten":
            return await self.engine.shorten(source, article, min_words=min_words, credit=credit,
                                             progress=progress, house_style=house, **streaming)
        if spec.kind == "keyword":
            return await self.engine.change_keyword(source, article, spec.keyword or "", min_words=min_words,
                                                    credit=credit, progress=progress, house_style=house, **streaming)
        return await self.engine.revise(source, article, instruction=spec.instruction or "",
                                        min_words=min_words, credit=credit, progress=progress, house_style=house, **streaming)

    @staticmethod
    def _version_data(spec: JobSpec, version: int, result: Result) -> dict:
        return {
            "version": version,
            "kind": spec.kind,
            "job": spec.id,
            "article": result.article.to_contract(),
            "report": result.report,
            "body_markdown": result.body_markdown,
            "markdown": result.markdown,
            "html": result.html,
            "usage": result.usage.to_contract(),
            "created_at": time.time(),
        }

    async def _failed(self, spec: JobSpec, status_ts: str | None, message: str,
                      status: str = ":x: La réécriture a échoué (détail ci-dessous).") -> None:
        await self.state.job_set(spec.id, "spec", spec.model_dump_json())
        # Free the thread and the quota before the Réessayer button shows: a quick click was refused.
        await self.release(spec)
        msg = blocks.error_message(message, retry_value=spec.id)
        await self.publisher.post_once(spec.id, "error", channel=spec.channel, thread_ts=spec.thread_ts, **msg)
        if status_ts:
            await self.publisher.update(spec.channel, status_ts, **blocks.notice_message(status))
        await self.state.job_set(spec.id, "done", "failed")

    async def _permalink(self, channel: str, ts: str | None) -> str | None:
        if not ts:
            return None
        try:
            resp = await self.publisher.client.chat_getPermalink(channel=channel, message_ts=ts)
            return resp.get("permalink")
        except SlackApiError as exc:
            log.info("no permalink: %s", slack_error(exc))
            return None
