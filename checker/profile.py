"""`checker check --profile`: seconds and peak memory of each phase of a run, on stderr."""
from __future__ import annotations

import resource
import sys
import time


class Profile:
    """Marks the end of each phase; the table lists each phase's wall seconds (a phase marked
    several times, such as reading one file after another, adds up) and the peak resident
    memory of the process when it last ended (the peak so far, as the OS reports it)."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.phases: dict[str, tuple[float, int]] = {}
        self._start = self._last = time.perf_counter()

    def mark(self, phase: str) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        seconds = self.phases.get(phase, (0.0, 0))[0] + now - self._last
        self.phases[phase] = (seconds, _peak_mb())
        self._last = now

    def add(self, part: str, seconds: float) -> None:
        """A part of the phase just marked, timed on its own (parts that ran side by side each
        show their own seconds); listed indented, under the phase."""
        if self.enabled:
            self.phases["  " + part] = (seconds, _peak_mb())

    def report(self) -> None:
        if not self.enabled:
            return
        lines = [f"{'phase':<30} {'seconds':>8} {'peak MB':>9}"]
        lines += [f"{name:<30} {seconds:>8.2f} {peak:>9d}" for name, (seconds, peak) in self.phases.items()]
        lines.append(f"{'total':<30} {time.perf_counter() - self._start:>8.2f} {_peak_mb():>9d}")
        print("\n".join(lines), file=sys.stderr)


def _peak_mb() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak / 1024 if sys.platform != "darwin" else peak / (1024 * 1024))
