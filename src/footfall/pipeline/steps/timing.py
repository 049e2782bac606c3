"""StepTimer: runs the steps on a hit and publishes per-step time to telemetry every N hits."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from time import perf_counter

from footfall import telemetry
from footfall.model.hit import Hit
from footfall.model.reasons import Reason
from footfall.model.settings import AppSettings

METRIC = "footfall_pipeline_step_seconds_total"
telemetry.describe(METRIC, "Time spent in each pipeline step, seconds.")


def step_name(step: Callable[..., object]) -> str:
    """A step's name: its `name` attribute (classes) or its function name."""
    name = getattr(step, "name", None)
    return name if isinstance(name, str) else getattr(step, "__name__", type(step).__name__)


class StepTimer:
    """Runs steps in order, stopping at the first drop; sums perf_counter deltas per step."""

    def __init__(
        self,
        steps: Sequence[Callable[[Hit, AppSettings], Reason | None]],
        publish_every: int = 1000,
        scale: float = 1.0,
    ) -> None:
        self.steps = [(step_name(s), s) for s in steps]
        self.publish_every = publish_every
        self.scale = scale  # a sampling caller times 1 hit in N and publishes N times the time
        self._seconds = {name: 0.0 for name, _ in self.steps}
        self._hits = 0

    def run(self, hit: Hit, app: AppSettings) -> Reason | None:
        """Applies every step to `hit`; the Reason of the step that dropped it, else None."""
        seconds = self._seconds
        reason: Reason | None = None
        before = perf_counter()
        for name, step in self.steps:
            reason = step(hit, app)
            now = perf_counter()
            seconds[name] += now - before
            before = now
            if reason is not None:
                break
        self._hits += 1
        if self._hits >= self.publish_every:
            self.publish()
        return reason

    def publish(self) -> None:
        """Adds the accumulated times to telemetry and starts over."""
        publish_seconds(self.take())

    def take(self) -> dict[str, float]:
        """The accumulated (scaled) seconds per step, and start over (a worker hands them back)."""
        taken = {name: total * self.scale for name, total in self._seconds.items() if total}
        for name in self._seconds:
            self._seconds[name] = 0.0
        self._hits = 0
        return taken


def publish_seconds(seconds: dict[str, float]) -> None:
    """Adds per-step seconds (from `StepTimer.take`, maybe of another process) to telemetry."""
    for name, total in seconds.items():
        telemetry.inc(METRIC, total, step=name)
