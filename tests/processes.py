"""Stopping a child process the polite way first: SIGTERM, then SIGKILL after a grace period."""
from __future__ import annotations

import subprocess


def stop_process(proc: subprocess.Popen | None, grace: float = 10) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
