# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.

import json
import sys

import pytest

from tools.lib import bench

_SCRIPT = """
import argparse, json
parser = argparse.ArgumentParser()
parser.add_argument("--impl", choices=["ours", "peer"])
args = parser.parse_args()
speed = 30.0 if args.impl == "ours" else 10.0
seconds = 0.5 if args.impl == "ours" else 2.0
print("noise before the result")
print(json.dumps({"benchmark": "fake", "impl": args.impl, "config": {"batch": 8},
                  "figures": {"items_per_s": speed, "latency_s": seconds},
                  "higher_is_better": {"items_per_s": True, "latency_s": False}}))
"""


@pytest.fixture
def fake_benchmark(tmp_path, monkeypatch):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "fake.py").write_text(_SCRIPT)
    monkeypatch.setattr(bench, "BENCH_DIR", tmp_path)
    return tmp_path


def test_runs_both_sides_and_reports_advantage_in_the_right_direction(
    fake_benchmark, capsys
):
    assert bench.main(["pkg/fake", "--against", "keras", "--repeats", "2"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    summary = result["summary"]
    assert summary["items_per_s"] == {"ours": 30.0, "peer": 10.0, "advantage": 3.0}
    assert summary["latency_s"] == {"ours": 0.5, "peer": 2.0, "advantage": 4.0}


def test_unknown_benchmark_lists_the_available_ones(fake_benchmark):
    with pytest.raises(ValueError, match="Available: pkg/fake"):
        bench.main(["pkg/missing"])


def test_failing_benchmark_reports_its_output(fake_benchmark):
    (fake_benchmark / "pkg" / "broken.py").write_text("raise SystemExit('boom')")
    with pytest.raises(RuntimeError, match="boom"):
        bench.run_once(sys.executable, fake_benchmark / "pkg" / "broken.py", "ours", [])


def test_extra_requirements_are_read_from_the_script(tmp_path):
    script = tmp_path / "b.py"
    script.write_text("# bench-requires: pycocotools scipy\nprint(1)\n")
    assert bench._extra_requirements(script) == ["pycocotools", "scipy"]


def _fake_env(tmp_path, monkeypatch, stamp):
    """An existing peer environment under tmp_path with the given stamp."""
    monkeypatch.setattr(bench, "ENVS_DIR", tmp_path / "envs")
    monkeypatch.setattr(bench.workspace, "ROOT", tmp_path)
    monkeypatch.setattr(bench, "_uv", lambda: "uv")
    env = tmp_path / "envs" / "keras-cv-0.9.0"
    (env / "bin").mkdir(parents=True)
    (env / "bin" / "python").write_text("")
    if stamp is not None:
        (env / ".requirements").write_text(stamp)
    calls = []
    monkeypatch.setattr(
        bench.subprocess, "run", lambda args, **kwargs: calls.append(list(args))
    )
    return env, calls


def test_peer_environment_with_the_requirements_is_reused(tmp_path, monkeypatch):
    script = tmp_path / "b.py"
    script.write_text("# bench-requires: pycocotools\n")
    env, calls = _fake_env(tmp_path, monkeypatch, "keras-cv==0.9.0 pycocotools scipy")
    assert bench.peer_python("keras-cv==0.9.0", script) == str(env / "bin" / "python")
    assert calls == []


def test_peer_environment_is_extended_not_recreated(tmp_path, monkeypatch):
    # A second benchmark against the same peer needs another package: the
    # existing environment gets it installed (no `uv venv`, which would fail
    # on an existing directory), and the stamp keeps both sets.
    script = tmp_path / "b.py"
    script.write_text("# bench-requires: scipy\n")
    env, calls = _fake_env(tmp_path, monkeypatch, "keras-cv==0.9.0 pycocotools")
    bench.peer_python("keras-cv==0.9.0", script)
    assert not any("venv" in call for call in calls)
    assert len(calls) == 1 and "install" in calls[0] and "scipy" in calls[0]
    assert (env / ".requirements").read_text().split() == [
        "keras-cv==0.9.0",
        "pycocotools",
        "scipy",
    ]


_MODES_SCRIPT = """
import argparse, json
parser = argparse.ArgumentParser()
parser.add_argument("--impl", choices=["ours", "peer"])
args = parser.parse_args()
# ours: 30 as written, 20 under XLA; peer: 10 as written, 40 under XLA.
figures = {"items_per_s": 30.0, "items_per_s_jit": 20.0,
           "step_s": 0.5, "step_s_jit": 0.25} if args.impl == "ours" else {
           "items_per_s": 10.0, "items_per_s_jit": 40.0,
           "step_s": 2.0, "step_s_jit": 4.0}
print(json.dumps({"benchmark": "modes", "impl": args.impl, "figures": figures,
                  "higher_is_better": {"items_per_s": True, "items_per_s_jit": True,
                                       "step_s": False, "step_s_jit": False}}))
"""


def test_headline_compares_each_side_in_its_best_mode(fake_benchmark, capsys):
    (fake_benchmark / "pkg" / "modes.py").write_text(_MODES_SCRIPT)
    assert bench.main(["pkg/modes", "--against", "keras", "--repeats", "1"]) == 0
    out = capsys.readouterr().out
    best = json.loads(out.strip().splitlines()[-1])["best_vs_best"]
    # Throughput: ours best as written (30), the peer's best under XLA (40).
    assert best["items_per_s"]["ours"] == 30.0
    assert best["items_per_s"]["ours_mode"] == "as written"
    assert best["items_per_s"]["peer"] == 40.0
    assert best["items_per_s"]["peer_mode"] == "xla"
    assert best["items_per_s"]["advantage"] == pytest.approx(0.75)
    assert best["items_per_s"]["ours_xla_over_default"] == pytest.approx(2 / 3)
    # Lower is better: ours best under XLA (0.25 s), the peer's as written (2 s).
    assert best["step_s"]["ours_mode"] == "xla"
    assert best["step_s"]["peer_mode"] == "as written"
    assert best["step_s"]["advantage"] == pytest.approx(8.0)
    assert best["step_s"]["ours_xla_over_default"] == pytest.approx(2.0)
    assert set(best) == {"items_per_s", "step_s"}  # `_jit` figures are modes
    assert out.index("headline: best mode vs best mode") < out.index("per mode:")
    assert "best-vs-best advantage 0.75x" in out


_ONE_MODE_PEER_SCRIPT = """
import argparse, json
parser = argparse.ArgumentParser()
parser.add_argument("--impl", choices=["ours", "peer"])
args = parser.parse_args()
# ours: 30 as written, 45 under XLA; the peer has no XLA mode: 50.
figures = {"items_per_s": 30.0, "items_per_s_jit": 45.0} if args.impl == "ours" else {
           "items_per_s": 50.0}
notes = {"items_per_s_jit_error": "no XLA"} if args.impl == "peer" else {}
print(json.dumps({"benchmark": "modes", "impl": args.impl, "figures": figures,
                  "notes": notes}))
"""


def test_a_peer_with_one_mode_is_compared_in_it(fake_benchmark, capsys):
    (fake_benchmark / "pkg" / "one.py").write_text(_ONE_MODE_PEER_SCRIPT)
    assert bench.main(["pkg/one", "--against", "keras", "--repeats", "1"]) == 0
    captured = capsys.readouterr()
    best = json.loads(captured.out.strip().splitlines()[-1])["best_vs_best"]
    assert best["items_per_s"]["ours"] == 45.0
    assert best["items_per_s"]["ours_mode"] == "xla"
    assert best["items_per_s"]["peer"] == 50.0
    assert best["items_per_s"]["peer_mode"] == "as written"
    assert best["items_per_s"]["advantage"] == pytest.approx(0.9)
    assert "peer note items_per_s_jit_error: no XLA" in captured.err


def test_figures_without_modes_have_no_headline(fake_benchmark, capsys):
    assert bench.main(["pkg/fake", "--repeats", "1"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out.strip().splitlines()[-1])["best_vs_best"] == {}
    assert "headline" not in out


def test_no_benchmark_defines_an_option_that_tools_bench_consumes():
    # `tools/bench` parses `--against`, `--repeats` and `--list` itself and
    # passes only the rest to the script: a script option of the same name
    # could never be set from the command line.
    import re

    from tools.lib import workspace

    taken = ("--against", "--repeats", "--list")
    clashes = []
    for path in sorted((workspace.ROOT / "benchmarks").rglob("*.py")):
        if ".envs" in path.parts:
            continue
        for option in re.findall(r"add_argument\(\s*\"(--[\w-]+)\"", path.read_text()):
            if option in taken:
                clashes.append(f"{path.relative_to(workspace.ROOT)}: {option}")
    assert clashes == []


def test_ours_runs_in_the_development_environment_by_default(tmp_path, monkeypatch):
    _, calls = _fake_env(tmp_path, monkeypatch, None)
    script = tmp_path / "b.py"
    script.write_text("# bench-requires: pycocotools\nprint(1)\n")
    assert bench.ours_python(script) == sys.executable
    assert calls == []


def test_ours_installs_builds_fresh_wheels_and_installs_only_the_package(
    tmp_path, monkeypatch
):
    _, calls = _fake_env(tmp_path, monkeypatch, None)
    script = tmp_path / "b.py"
    script.write_text("# bench-ours-installs: keras-nlp\nprint(1)\n")
    stale = tmp_path / "envs" / "ours-wheels" / "keras_nlp-0.1-py3-none-any.whl"
    stale.parent.mkdir(parents=True)
    stale.write_text("")
    python = bench.ours_python(script)
    assert python == str(tmp_path / "envs" / "ours-keras-nlp" / "bin" / "python")
    assert not stale.exists()  # a wheel of an earlier tree is never installed
    build, venv, install = calls
    assert build[1:3] == ["build", "--all-packages"]
    assert build[build.index("--out-dir") + 1] == str(stale.parent)
    assert venv[1] == "venv"
    assert install[1:3] == ["pip", "install"]
    assert "keras-nlp" in install and "keras-cv" not in install
    assert "--reinstall-package=keras-core" in install
    assert any(arg.startswith("tensorflow==") for arg in install)
    assert any(arg.startswith("keras==") for arg in install)


def test_ours_installs_refuses_a_name_that_is_not_ours(tmp_path, monkeypatch):
    _fake_env(tmp_path, monkeypatch, None)
    script = tmp_path / "b.py"
    script.write_text("# bench-ours-installs: keras-hub\n")
    with pytest.raises(ValueError, match="keras-hub.*not our distributions"):
        bench.ours_python(script)
