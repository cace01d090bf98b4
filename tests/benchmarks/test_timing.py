"""The timing helper every benchmark uses: N runs, their median, the garbage collector handled."""

from __future__ import annotations

import gc
import time

import pytest

from benchmarks import timing


def test_measure_times_every_run_and_keeps_the_last_result():
    calls = []

    def work() -> int:
        calls.append(1)
        time.sleep(0.002)
        return len(calls)

    t = timing.measure(work, repeat=5)
    assert len(t.seconds) == 5 and len(calls) == 5
    assert t.result == 5
    assert all(s >= 0.002 for s in t.seconds)
    assert t.fastest <= t.median <= max(t.seconds)
    assert t.median_ms == pytest.approx(t.median * 1000) and t.fastest_ms == pytest.approx(t.fastest * 1000)
    assert timing.median_ms(lambda: time.sleep(0.002), repeat=3) >= 2


def test_the_median_is_the_middle_run():
    durations = iter([0.03, 0.001, 0.01])
    t = timing.measure(lambda: time.sleep(next(durations)), repeat=3)
    assert t.fastest < 0.01 <= t.median < 0.03 <= max(t.seconds)


def test_garbage_is_collected_before_each_run_and_the_collector_paused_only_when_asked():
    states: list[tuple[bool, int]] = []

    def work() -> None:
        states.append((gc.isenabled(), gc.get_count()[0]))

    assert gc.isenabled()
    timing.measure(work, repeat=2)
    assert [enabled for enabled, _ in states] == [True, True]
    assert all(count < 50 for _, count in states)  # a collection just ran: generation 0 is (nearly) empty
    states.clear()
    timing.measure(work, repeat=2, pause_gc=True)
    assert [enabled for enabled, _ in states] == [False, False]
    assert gc.isenabled()  # switched back on afterwards


def test_phases_of_one_run_are_timed_apart():
    def run(lap) -> None:
        time.sleep(0.005)
        lap("read")
        time.sleep(0.001)
        lap("match")

    phases = timing.measure_phases(run, repeat=3)
    assert list(phases) == ["read", "match"]
    assert all(len(p.seconds) == 3 for p in phases.values())
    assert phases["read"].median >= 0.005 and 0.001 <= phases["match"].median < phases["read"].median


def test_at_least_one_run():
    with pytest.raises(ValueError):
        timing.measure(lambda: None, repeat=0)
    with pytest.raises(ValueError):
        timing.measure_phases(lambda lap: None, repeat=0)


def test_the_machine_is_described():
    info = timing.machine_info()
    assert set(info) == {"processor", "cpus", "python", "platform"}
    assert isinstance(info["cpus"], int) and info["cpus"] >= 1
    assert f"{info['cpus']} cores" in timing.machine()
