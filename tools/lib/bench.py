# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""`tools/bench`: run a benchmark against ours and a peer in the same run.

    tools/bench keras_cv/label_encoding                      ours only
    tools/bench keras_cv/label_encoding --against keras-cv==0.9.0
    tools/bench keras_applications/inference --against keras  (peer inside Keras: same env)
    tools/bench --list

A benchmark is `benchmarks/<package>/<name>.py`, run as
`python <script> --impl ours|peer`; it prints one JSON line with its
figures. With `--against`, the runner creates the peer's virtual
environment on first use (`benchmarks/.envs/`, from PyPI, with our
TensorFlow and Keras versions so that only the library differs), then
alternates ours and the peer `--repeats` times and prints each figure's
median and the ratio. A script may list extra packages its peer run needs
in a comment line: `# bench-requires: pycocotools scipy`.

Our side runs in the development environment (`.venv`), which holds every
package's optional and test dependencies. Where that environment itself
changes a figure (peak memory: Keras imports pandas, scipy and scikit-learn
when they are installed), a script says `# bench-ours-installs: keras-nlp`
and our side runs instead where a user's `pip install keras-nlp` would put
it: a virtual environment (`benchmarks/.envs/ours-keras-nlp`) holding the
wheels built from this working tree and the package's declared
dependencies only, with our TensorFlow and Keras versions, as the peer's.
The wheels are rebuilt and reinstalled on every run.

Modes. A figure `<name>_jit` is the XLA mode (`jit_compile=True`) of the
figure `<name>` (as written). A benchmark that measures both modes for both
sides gets a best-vs-best headline: each side's better mode (by median)
against the other's, which is what a user who wants speed compares. The
per-mode figures and ratios follow it, and `xla/as written` shows how each
side's XLA mode compares with its own default. A side that reports only one
of the two modes (a peer without XLA, e.g. PyTorch) is taken in that mode.
Non-numeric `notes` of a run (e.g. why a mode failed) are printed too.
"""

import argparse
import json
import re
import statistics
import subprocess
import sys
from importlib import metadata

from tools.lib import workspace

BENCH_DIR = workspace.ROOT / "benchmarks"
ENVS_DIR = BENCH_DIR / ".envs"
KNOWN_PEERS = (
    "keras-cv==0.9.0",
    "keras-hub==0.32.0",
    "keras-tuner==1.4.8",
    "optuna",
    "keras",
)


def script_path(name):
    path = BENCH_DIR / f"{name.removesuffix('.py')}.py"
    if not path.is_file():
        raise ValueError(
            f"No benchmark {name!r} (looked for {path}). "
            f"Available: {', '.join(list_benchmarks()) or 'none'}."
        )
    return path


def list_benchmarks():
    return sorted(
        str(p.relative_to(BENCH_DIR).with_suffix(""))
        for p in BENCH_DIR.glob("*/*.py")
        if not p.name.startswith("_") and not p.name.endswith("_test.py")
    )


def _uv():
    found = sorted((workspace.ROOT / ".tools").glob("uv-*/bin/uv"))
    if not found:
        raise RuntimeError(
            "uv is missing from .tools/; run tools/bench through its wrapper."
        )
    return str(found[-1])


def _extra_requirements(script):
    extra = []
    for line in script.read_text().splitlines():
        match = re.match(r"#\s*bench-requires:\s*(.+)", line)
        if match:
            extra += match.group(1).split()
    return extra


def peer_python(peer, script):
    """The interpreter of the peer's environment, created on first use."""
    if peer == "keras":  # the peer ships inside Keras: our own environment
        return sys.executable
    slug = re.sub(r"[^A-Za-z0-9.]+", "-", peer).strip("-")
    env = ENVS_DIR / slug
    python = env / "bin" / "python"
    extra = _extra_requirements(script)
    stamp = env / ".requirements"
    wanted = [peer, *extra]
    have = stamp.read_text().split() if stamp.exists() else []
    if python.exists() and set(wanted) <= set(have):
        return str(python)
    pins = _pins("tensorflow", "keras")
    print(
        f"bench: preparing the peer environment {env.relative_to(workspace.ROOT)} "
        f"({' '.join(wanted)})",
        file=sys.stderr,
    )
    if not python.exists():
        # --clear: a half-created directory from an interrupted run is replaced.
        subprocess.run(
            [_uv(), "venv", "--quiet", "--clear", "--python", sys.executable, str(env)],
            check=True,
        )
    # An existing environment is extended, not recreated: another benchmark
    # against the same peer may need extra packages (`# bench-requires:`).
    subprocess.run(
        [
            _uv(),
            "pip",
            "install",
            "--quiet",
            "--python",
            str(python),
            *wanted,
            *pins,
        ],
        check=True,
    )
    stamp.write_text(" ".join(sorted(set(have) | set(wanted))))
    return str(python)


def _ours_installs(script):
    for line in script.read_text().splitlines():
        match = re.match(r"#\s*bench-ours-installs:\s*(.+)", line)
        if match:
            return match.group(1).split()
    return []


def _pins(*names):
    """`name==version` of each of `names` installed here (others skipped)."""
    pins = []
    for name in names:
        try:
            pins.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    return pins


def ours_python(script):
    """Our interpreter: `.venv`, or a user-like install (`# bench-ours-installs:`)."""
    wanted = _ours_installs(script)
    if not wanted:
        return sys.executable
    # Our distributions: reinstalled from freshly built wheels on every run.
    ours = [package.dist_name for package in workspace.packages()]
    unknown = [w for w in wanted if w not in ours]
    if unknown:
        raise ValueError(
            f"{script.name}: `# bench-ours-installs:` names {unknown}, which are "
            f"not our distributions. Expected some of {ours}."
        )
    env = ENVS_DIR / ("ours-" + "-".join(wanted))
    wheels = ENVS_DIR / "ours-wheels"
    python = env / "bin" / "python"
    print(
        f"bench: ours runs as installed by `pip install {' '.join(wanted)}` "
        f"(wheels of this tree, declared dependencies only): "
        f"{env.relative_to(workspace.ROOT)}",
        file=sys.stderr,
    )
    # Only wheels we build go into this directory; stale ones are replaced.
    wheels.mkdir(parents=True, exist_ok=True)
    for old in wheels.glob("*.whl"):
        old.unlink()
    subprocess.run(
        [_uv(), "build", "--all-packages", "--wheel", "--quiet"]
        + ["--python", sys.executable, "--out-dir", str(wheels)],
        cwd=workspace.ROOT,
        check=True,
    )
    if not python.exists():
        subprocess.run(
            [_uv(), "venv", "--quiet", "--clear", "--python", sys.executable, str(env)],
            check=True,
        )
    reinstall = [f"--reinstall-package={name}" for name in ours]
    subprocess.run(
        [_uv(), "pip", "install", "--quiet", "--python", str(python)]
        + [
            "--find-links",
            str(wheels),
            *reinstall,
            *wanted,
            *_pins("tensorflow", "keras", "tensorflow-text"),
        ],
        check=True,
    )
    return str(python)


def run_once(python, script, impl, extra_args):
    result = subprocess.run(
        [python, str(script), "--impl", impl, *extra_args],
        cwd=workspace.ROOT,
        capture_output=True,
        text=True,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if result.returncode != 0 or not lines:
        raise RuntimeError(
            f"{script.name} --impl {impl} failed (exit {result.returncode}):\n"
            f"{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
        )
    return json.loads(lines[-1])


def summarize(runs_ours, runs_peer):
    """Median of each figure, and the ratio in the direction 'ours is better > 1'."""
    figures = runs_ours[0]["figures"]
    higher = runs_ours[0].get("higher_is_better", {})
    summary = {}
    for key in figures:
        ours = statistics.median(r["figures"][key] for r in runs_ours)
        entry = {"ours": ours}
        if runs_peer and key in runs_peer[0]["figures"]:
            peer = statistics.median(r["figures"][key] for r in runs_peer)
            entry["peer"] = peer
            if ours and peer:
                entry["advantage"] = (
                    (ours / peer) if higher.get(key, True) else (peer / ours)
                )
        summary[key] = entry
    return summary


JIT_SUFFIX = "_jit"
MODE_NAMES = {"": "as written", JIT_SUFFIX: "xla"}


def _better(a, b, higher_is_better):
    return a > b if higher_is_better else a < b


def best_vs_best(summary, higher):
    """For each figure measured in both modes, each side's best mode.

    Returns `{name: {"ours": v, "ours_mode": m, "peer": v, "peer_mode": m,
    "advantage": r, "ours_xla_over_default": r, ...}}` for every `name` whose
    `name + "_jit"` is also a figure; advantages are oriented so that
    above 1 means the first is better (ours over peer, XLA over default).
    """
    result = {}
    for name in summary:
        jit_name = name + JIT_SUFFIX
        if name.endswith(JIT_SUFFIX) or jit_name not in summary:
            continue
        up = higher.get(name, True)
        entry = {}
        for side in ("ours", "peer"):
            plain, jit = summary[name].get(side), summary[jit_name].get(side)
            if plain is None and jit is None:
                continue
            if plain is None or jit is None:  # the side has one mode only
                entry[side] = jit if plain is None else plain
                entry[f"{side}_mode"] = MODE_NAMES[JIT_SUFFIX if plain is None else ""]
                continue
            use_jit = _better(jit, plain, up)
            entry[side] = jit if use_jit else plain
            entry[f"{side}_mode"] = MODE_NAMES[JIT_SUFFIX if use_jit else ""]
            if plain and jit:
                entry[f"{side}_xla_over_default"] = (
                    (jit / plain) if up else (plain / jit)
                )
        if entry.get("ours") and entry.get("peer"):
            entry["advantage"] = (
                (entry["ours"] / entry["peer"])
                if up
                else (entry["peer"] / entry["ours"])
            )
        result[name] = entry
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="tools/bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument("name", nargs="?", help="e.g. keras_cv/label_encoding")
    parser.add_argument("--against", help=f"peer spec, e.g. {', '.join(KNOWN_PEERS)}")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--list", action="store_true")
    args, extra = parser.parse_known_args(argv)
    if args.list or not args.name:
        print("\n".join(list_benchmarks()))
        return 0
    if args.repeats < 1:
        raise SystemExit(f"--repeats must be at least 1. Received: {args.repeats}")
    script = script_path(args.name)
    ours = ours_python(script)
    peer = peer_python(args.against, script) if args.against else None
    runs_ours, runs_peer = [], []
    for i in range(args.repeats):
        runs_ours.append(run_once(ours, script, "ours", extra))
        if peer:
            runs_peer.append(run_once(peer, script, "peer", extra))
        print(f"bench: round {i + 1}/{args.repeats} done", file=sys.stderr)
    for side, runs in (("ours", runs_ours), ("peer", runs_peer)):
        for key, note in (runs[-1].get("notes") or {}).items() if runs else ():
            print(f"bench: {side} note {key}: {note}", file=sys.stderr)
    summary = summarize(runs_ours, runs_peer)
    best = best_vs_best(summary, runs_ours[0].get("higher_is_better", {}))
    print(f"benchmark {args.name}; config {json.dumps(runs_ours[0].get('config', {}))}")
    if peer:
        print(f"peer: {args.against}; medians of {args.repeats} alternating runs")
    if best:
        print("headline: best mode vs best mode (as written or xla, per side)")
    for key, entry in best.items():
        line = f"  {key:28s} ours {entry['ours']:.6g} ({entry['ours_mode']})"
        if "peer" in entry:
            line += f"   peer {entry['peer']:.6g} ({entry['peer_mode']})"
        if "advantage" in entry:
            line += f"   best-vs-best advantage {entry['advantage']:.2f}x"
        print(line)
        ratios = [
            f"{side} {entry[side + '_xla_over_default']:.2f}x"
            for side in ("ours", "peer")
            if side + "_xla_over_default" in entry
        ]
        if ratios:
            print(f"  {'':28s} xla/as written: {', '.join(ratios)}")
    if best:
        print("per mode:")
    for key, entry in summary.items():
        line = f"  {key:28s} ours {entry['ours']:.6g}"
        if "peer" in entry:
            line += f"   peer {entry['peer']:.6g}"
        if "advantage" in entry:
            line += f"   ours/peer advantage {entry['advantage']:.2f}x"
        print(line)
    print(
        json.dumps(
            {
                "benchmark": args.name,
                "against": args.against,
                "repeats": args.repeats,
                "summary": summary,
                "best_vs_best": best,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
