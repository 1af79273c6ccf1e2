"""`checker check --profile`: seconds and peak memory of each phase of a run, on stderr."""
from __future__ import annotations

import resource
import sys
import threading
import time
from pathlib import Path

# How often the resident memory is read while a phase runs: often enough to catch the
# temporaries of a phase of a second, rarely enough to cost nothing.
SAMPLE_SECONDS = 0.02
_STATM = Path("/proc/self/statm")


class Profile:
    """Marks the end of each phase; the table lists each phase's wall seconds (a phase marked
    several times, such as reading one file after another, adds up) and the most resident
    memory the process held while it ran. Where the system shows a process's memory as it
    changes (/proc on Linux) that is sampled within the phase; elsewhere it is the peak so far,
    as the OS reports it."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.phases: dict[str, tuple[float, int]] = {}
        self._start = self._last = time.perf_counter()
        self._sampler = _Sampler() if enabled and _STATM.exists() else None

    def mark(self, phase: str) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        seconds, peak = self.phases.get(phase, (0.0, 0))
        self.phases[phase] = (seconds + now - self._last, max(peak, self._phase_peak()))
        self._last = now

    def add(self, part: str, seconds: float) -> None:
        """A part of the phase just marked, timed on its own (parts that ran side by side each
        show their own seconds); listed indented, under the phase, with the phase's memory."""
        if self.enabled:
            self.phases["  " + part] = (seconds, next(reversed(self.phases.values()), (0, _peak_mb()))[1])

    def report(self) -> None:
        if not self.enabled:
            return
        lines = [f"{'phase':<30} {'seconds':>8} {'peak MB':>9}"]
        lines += [f"{name:<30} {seconds:>8.3f} {peak:>9d}" for name, (seconds, peak) in self.phases.items()]
        lines.append(f"{'total':<30} {time.perf_counter() - self._start:>8.3f} {_peak_mb():>9d}")
        print("\n".join(lines), file=sys.stderr)

    def _phase_peak(self) -> int:
        return self._sampler.taken() if self._sampler else _peak_mb()


class _Sampler:
    """Reads the resident memory every SAMPLE_SECONDS on a thread of its own; taken() gives
    the most seen since the last call."""

    def __init__(self) -> None:
        self._page_mb = resource.getpagesize() / (1 << 20)
        self._most = self._now()
        self._lock = threading.Lock()
        threading.Thread(target=self._watch, name="profile-memory", daemon=True).start()

    def taken(self) -> int:
        with self._lock:
            most, self._most = max(self._most, self._now()), self._now()
        return int(most)

    def _watch(self) -> None:
        while True:
            time.sleep(SAMPLE_SECONDS)
            now = self._now()
            with self._lock:
                self._most = max(self._most, now)

    def _now(self) -> float:
        return int(_STATM.read_text().split()[1]) * self._page_mb


def _peak_mb() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak / 1024 if sys.platform != "darwin" else peak / (1024 * 1024))
