"""Running the bot as a service: health, metrics, logs, usage and cost (beside jobs/)."""
from __future__ import annotations


def observe_llm(metrics) -> None:
    """Wires the engine's hooks (seo.observe) to this process's metrics."""
    from seo import observe

    from .metrics import MetricsObserver

    observe.add_observer(MetricsObserver(metrics))
