"""d2l_birnn.compat: MXNet 1.9.1 on NumPy >= 1.24.

Here (NumPy 1.23.5) patch_numpy must change nothing, and every value it would
restore is compared with what NumPy 1.23.5 itself has. The environments made
by ``make compat-envs`` (.venv-np126: NumPy 1.26; .venv-np2: the newest NumPy
2) import MXNet through d2l_birnn and train a tiny bidirectional LSTM.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import types
import warnings
from pathlib import Path

import numpy
import pytest

from d2l_birnn import compat

ROOT = Path(__file__).resolve().parent.parent
ENVS = {"np126": ROOT / ".venv-np126" / "bin" / "python",
        "np2": ROOT / ".venv-np2" / "bin" / "python"}


# Python 3.9-3.11 run NumPy 1.23.5; from 3.12 on, the project's own environment runs NumPy 2
# (pyproject.toml) and `make test` builds no side environments there.
NUMPY_123 = numpy.__version__.startswith("1.23.")
needs_numpy_123 = pytest.mark.skipif(
    not NUMPY_123, reason="compares with NumPy 1.23, the NumPy of Python 3.9-3.11 "
    "(`make test` on Python 3.11 runs it)")


def env_python(name: str) -> Path:
    python = ENVS[name]
    if not python.exists() and sys.version_info >= (3, 12):
        pytest.skip("the NumPy 1.26/2 side environments are built on Python 3.9-3.11 only; "
                    "here the project's own environment runs NumPy 2")
    if not python.exists():
        message = f"{python} is missing: run 'make compat-envs'"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return python


def numpy_123(path: str):
    """The object NumPy 1.23 (this environment) has at ``numpy.<path>``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        obj = numpy
        for part in path.split("."):
            obj = getattr(obj, part)
    return obj


@needs_numpy_123
def test_this_environment_has_numpy_1_23():
    assert numpy.__version__.startswith("1.23."), "these tests compare against NumPy 1.23"


@needs_numpy_123
def test_patch_numpy_changes_nothing_below_1_24():
    before = dict(vars(numpy))
    assert compat.patch_numpy() == []
    assert compat.patch_numpy(numpy) == []
    assert dict(vars(numpy)) == before


@pytest.mark.parametrize("version", ["1.16.6", "1.23.5", "1.23.0rc1"])
def test_patch_numpy_ignores_any_numpy_below_1_24(version):
    fake = types.ModuleType("numpy")
    fake.__version__ = version
    assert compat.patch_numpy(fake) == []
    assert set(vars(fake)) == {"__name__", "__doc__", "__package__", "__loader__", "__spec__",
                               "__version__"}


@pytest.mark.parametrize("version, expected", [
    ("1.23.5", (1, 23)), ("1.24.0", (1, 24)), ("2.0.0rc2", (2, 0)), ("2.4.6", (2, 4)),
    ("1.26.0b1", (1, 26)),
])
def test_numpy_version(version, expected):
    assert compat.numpy_version(types.SimpleNamespace(__version__=version)) == expected


def fake_numpy_2() -> types.ModuleType:
    """A module with what a NumPy 2 has of the names RESTORE's values point to."""
    fake = types.ModuleType("numpy")
    fake.__version__ = "2.4.0"
    for name in ("all", "any", "prod", "cumprod", "round", "trapezoid"):
        setattr(fake, name, getattr(numpy, name, lambda *a, **k: None))
    fake.bool = numpy.bool_  # NumPy 2 has np.bool again, as the NumPy bool type
    return fake


def test_patch_numpy_restores_every_missing_name_once():
    fake = fake_numpy_2()
    restored = compat.patch_numpy(fake)
    assert set(restored) == set(compat.RESTORE) - {"bool"}
    assert fake.bool is numpy.bool_, "a name NumPy has is never replaced"
    assert fake.int is int and fake.alltrue is fake.all and fake.round_ is fake.round
    assert math.isnan(fake.NAN) and fake.PINF == math.inf and fake.NINF == -math.inf
    assert fake.compat.basestring is str  # numpy.compat is gone in NumPy 2
    assert compat.patch_numpy(fake) == [], "a second call changes nothing"


def test_restore_table_is_well_formed():
    kinds = {"builtin", "constant", "alias", "replacement", "expired"}
    assert compat.RESTORE, "the generated table is empty"
    for path, (kind, value) in compat.RESTORE.items():
        assert kind in kinds, path
        assert isinstance(value, str) and value, path
        if value.startswith("shim:"):
            assert value[len("shim:"):] in compat.SHIMS, path


@needs_numpy_123
@pytest.mark.parametrize("path", sorted(compat.RESTORE))
def test_restored_value_is_what_numpy_1_23_had(path):
    kind, value = compat.RESTORE[path]
    fake = fake_numpy_2()
    got = compat.restored_value(fake, path, kind, value)
    old = numpy_123(path)
    if kind in ("builtin", "alias"):
        assert got is old or (kind == "alias" and got is getattr(fake, value))
        if kind == "alias":
            assert numpy_123(value) is old, f"numpy.{path} was numpy.{value} in NumPy 1.23"
    elif kind == "constant":
        assert repr(got) == repr(old)
    elif kind == "expired":
        with pytest.raises(RuntimeError) as new_error:
            got(0.1, [1.0])
        with pytest.raises(RuntimeError) as old_error:
            old(0.1, [1.0])
        assert str(new_error.value) == str(old_error.value)
    elif kind == "replacement":
        assert callable(got)
    else:
        with pytest.raises(compat.RemovedFromNumPyError, match=f"numpy.{path}"):
            got()


@pytest.mark.parametrize("args, kwargs", [
    (([[1, 5], [2, 7]], [1, 2]), {}),
    (([3, 1, 3, 4], [3, 9]), {"invert": True}),
    ((numpy.array([0.5, 1.5, 2.5]), numpy.array([2.5])), {"assume_unique": True}),
])
@needs_numpy_123
def test_in1d_shim_equals_numpy_1_23(args, kwargs):
    new, old = compat.SHIMS["in1d"](*args, **kwargs), numpy_123("in1d")(*args, **kwargs)
    assert new.dtype == old.dtype and new.shape == old.shape and (new == old).all()


@pytest.mark.parametrize("a", [
    [[3.0, 1.0], [2.0, 4.0]], [5, 2, 9, 1], numpy.arange(24).reshape(4, 3, 2)[::-1]])
@needs_numpy_123
def test_msort_shim_equals_numpy_1_23(a):
    new, old = compat.SHIMS["msort"](a), numpy_123("msort")(a)
    assert new.dtype == old.dtype and (new == old).all()


@pytest.mark.parametrize("old_name, new_name", [
    ("alltrue", "all"), ("sometrue", "any"), ("product", "prod"), ("round_", "round")])
@needs_numpy_123
def test_named_replacements_compute_what_numpy_1_23_did(old_name, new_name):
    x = numpy.array([[1.25, 0.0], [2.5, 3.75]])
    assert (numpy_123(old_name)(x) == getattr(numpy, new_name)(x)).all()
    assert compat.RESTORE[old_name][1] == new_name


def test_a_replacement_missing_from_numpy_becomes_a_clear_stand_in():
    fake = types.ModuleType("numpy")
    fake.__version__ = "2.0.0"
    got = compat.restored_value(fake, "trapz", "replacement", "trapezoid")
    with pytest.raises(compat.RemovedFromNumPyError, match="numpy.trapz.*numpy.trapezoid"):
        got([1.0, 2.0])


def test_the_derivation_never_emits_a_kind_compat_does_not_accept():
    """A removed name that fits no kind stops tools/derive_numpy_compat.py with the fix, instead of
    writing a kind that restored_value would refuse."""
    sys.path.insert(0, str(ROOT / "tools"))
    import derive_numpy_compat

    with pytest.raises(derive_numpy_compat.UnclassifiedRemovalError,
                       match="numpy.frobnicate.*RELEASE_NOTE_REPLACEMENTS"):
        derive_numpy_compat.classify("frobnicate", object(), ["gone, no advice"], set())


def test_unknown_kind_is_a_clear_error():
    with pytest.raises(ValueError, match="make numpy-compat"):
        compat.restored_value(fake_numpy_2(), "x", "guess", "y")


@needs_numpy_123   # the tool compares NumPy 1.23 (this environment's) with the side environments
def test_restore_table_is_current():
    """RESTORE equals what tools/derive_numpy_compat.py derives today."""
    pythons = [str(env_python("np126")), str(env_python("np2"))]
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "derive_numpy_compat.py"),
                             "--check", *pythons], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr + result.stdout


def test_mxnet_cannot_load_on_numpy_2_without_the_patch():
    """Why this module exists: plain ``import mxnet`` fails on NumPy 2."""
    result = subprocess.run([str(env_python("np2")), "-c", "import mxnet"],
                            capture_output=True, text=True, check=False)
    assert result.returncode != 0
    assert "AttributeError" in result.stderr and "was removed" in result.stderr


@pytest.mark.parametrize("env, major", [("np126", "1"), ("np2", "2")])
def test_tiny_bidirectional_lstm_trains_on_newer_numpy(env, major):
    result = subprocess.run([str(env_python(env)), str(ROOT / "tools" / "compat_smoke.py")],
                            capture_output=True, text=True, check=False, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:] + result.stdout[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["numpy"].split(".")[0] == major
    assert tuple(int(p) for p in report["numpy"].split(".")[:2]) >= (1, 24)
    assert report["mxnet"] == "1.9.1"
    assert report["restored"] and set(report["restored"]) <= set(compat.RESTORE)
    losses = report["losses"]
    assert all(math.isfinite(v) for v in losses) and losses[-1] < 0.5 * losses[0]
    assert report["msort"] == [[2.0, 1.0], [3.0, 4.0]]
    assert report["in1d"] == [True, False, True, False]
    assert report["pad"] == [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]
    assert "NEP 32" in report["expired_error"]
