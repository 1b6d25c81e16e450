"""Thread locks in the all-in-one mode (memory store, in-process queue), on a controlled clock: a lock
whose job is not in the queue is taken over once older than the grace (the patience plus a
heartbeat), never before; a lock whose job is queued is kept however old. The same rules on Redis
and saq, with a real outage: tests/reliability/test_stale_locks.py."""
import asyncio

from jobs.kv import MemoryKV
from jobs.queue import LocalQueue
from jobs.settings import BotSettings
from jobs.state import State
from jobs.submit import Outcome, Submitter

CHANNEL, THREAD = "C1", "1700000000.000100"


def test_a_lock_without_a_live_job_is_taken_over_after_the_grace_and_a_live_one_never():
    now = [1000.0]
    kv = MemoryKV(clock=lambda: now[0])
    state = State(kv)
    settings = BotSettings(job_timeout=900, queue_patience=60)
    submitter = Submitter(state, LocalQueue(), settings)
    grace = submitter.lock_grace()
    assert grace < settings.job_timeout

    async def ask(n: int) -> Outcome:
        return await submitter.new_article(delivery_key=f"d{n}", channel=CHANNEL, thread_ts=THREAD,
                                           source="Dépêche.", user=f"U{n}")

    async def scenario():
        # What a Redis outage right after the lock leaves: a lock whose job was never enqueued.
        assert await state.lock_thread(CHANNEL, THREAD, "never-enqueued", settings.job_timeout)
        for step in (0.0, grace / 2, grace / 2 - 1):  # younger than the grace: its job may be on its way
            now[0] += step
            assert await ask(1) is Outcome.BUSY
        now[0] += 1
        assert await ask(2) is Outcome.STARTED  # stale: taken over, long before the job timeout
        assert await state.thread_job(CHANNEL, THREAD) != "never-enqueued"
        # The new holder is queued (alive): never taken over, however old its lock.
        for step in (grace, settings.job_timeout / 2):
            now[0] += step
            assert await ask(3) is Outcome.BUSY

    asyncio.run(scenario())
