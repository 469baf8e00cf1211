"""The cells the lesson plan runs live in class take at most 60 s each (target: 30 s).

Each notebook with cells tagged ``live`` runs up to its last live cell (every
cell before a live cell is one it may depend on) in the plan's mode: full mode
with the plan's environment (LECTURE.md's ``lecture-env``, which makes notebook
04 load its shipped models). The times of the live cells are reported; the test
fails past 60 s. The machinery is also checked on a synthetic notebook.
"""

from __future__ import annotations

import math

import nbformat
import pytest
from _lecture import ROOT, build_lecture, synthetic_notebook

LIMIT, TARGET = 60.0, 30.0
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
WITH_LIVE = [p for p in NOTEBOOKS
             if any("live" in c.metadata.get("tags", []) for c in nbformat.read(p, as_version=4).cells)]


def report(name: str, times) -> str:
    return "\n".join(f"{name} cell {cid} ({first!r}): {sec:.1f} s"
                     f"{'' if sec <= TARGET else ' (over the 30 s target)'}" for cid, first, sec in times)


def too_slow(times, limit=LIMIT):
    return [(cid, first, sec) for cid, first, sec in times if not sec <= limit]


def test_live_cells_of_a_synthetic_notebook_are_timed(tmp_path):
    path = synthetic_notebook(tmp_path / "98_synthetic.ipynb", live_seconds=1.5)
    times = build_lecture.time_live_cells(path, build_lecture.run_env("quick", tmp_path / "none.md"))
    assert len(times) == 1
    cid, first, seconds = times[0]
    assert first == "time.sleep(1.5)" and 1.5 <= seconds < 20, times
    assert too_slow(times) == [] and too_slow(times, limit=1.0) == times
    assert "(over the 30 s target)" not in report("98", times)


def test_a_notebook_without_live_cells_runs_nothing(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("raise SystemExit('must not run')")]
    nbformat.write(nb, tmp_path / "97_x.ipynb")
    assert build_lecture.time_live_cells(tmp_path / "97_x.ipynb", {}) == []


@pytest.mark.parametrize("path", WITH_LIVE or [None], ids=lambda p: p.name if p else "none")
def test_live_cells_fit_the_class(path):
    if path is None:
        pytest.skip("no notebook has cells tagged 'live' yet (the lead adds them from "
                    "/work/coord/lecture_tags.md)")
    env = build_lecture.run_env("full")
    times = build_lecture.time_live_cells(path, env)
    print(f"\n{report(path.name, times)}  [mode: full, {build_lecture.plan_env()}]")
    slow = too_slow(times)
    assert not slow and all(not math.isnan(s) for _, _, s in times), (
        f"live cells must take at most {LIMIT:.0f} s in the plan's mode:\n{report(path.name, slow)}")
