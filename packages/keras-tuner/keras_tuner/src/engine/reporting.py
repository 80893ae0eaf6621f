# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""What a search shows and writes: progress lines, summaries, result files."""

import csv
import importlib.util
import json
import math
import os
import time

from keras_tuner.src.engine import state as state_io
from keras_tuner.src.engine.trial import TrialStatus


def format_duration(seconds):
    seconds = int(round(seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _fmt(value):
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def _print_values(values):
    if values:
        width = max(len(k) for k in values)
        for name, value in values.items():
            print(f"  {name.ljust(width)} = {_fmt(value)}")


class Display:
    """Progress lines printed during a search."""

    def __init__(self, oracle, verbose=1):
        self.oracle = oracle
        self.verbose = verbose
        self.search_start = time.time()
        self.trial_start = None

    def on_trial_begin(self, trial):
        if not self.verbose:
            return
        self.trial_start = time.time()
        total = self.oracle.max_trials
        number = (
            int(trial.trial_id) + 1 if str(trial.trial_id).isdigit() else trial.trial_id
        )
        best = self.oracle.get_best_trials(1)
        best_text = (
            f"best {self.oracle.objective.name} so far: {_fmt(best[0].score)}"
            if best
            else "no completed trial yet"
        )
        again = " (run again)" if trial.attempts > 1 else ""
        print(
            f"\nSearch: trial {number}/{total if total else '?'}{again} | {best_text} | "
            f"elapsed {format_duration(time.time() - self.search_start)}",
            flush=True,
        )
        values = trial.hyperparameters.active_values()
        self._printed_values = set(values)
        _print_values(values)

    def on_trial_end(self, trial):
        if not self.verbose:
            return
        took = format_duration(time.time() - (self.trial_start or time.time()))
        # Hyperparameters first declared while the trial ran (in an
        # overridden `run_trial` or `HyperModel.fit`, e.g. every value of the
        # first trial of such a search) were unknown when it began.
        printed = getattr(self, "_printed_values", set())
        declared = {
            name: value
            for name, value in trial.hyperparameters.active_values().items()
            if name not in printed
        }
        if declared:
            print("  declared during the trial:")
            _print_values(declared)
        self._printed_values = set()
        if trial.status == TrialStatus.COMPLETED and trial.score is not None:
            print(
                f"Trial {trial.trial_id} completed in {took}: "
                f"{self.oracle.objective.name} = {_fmt(trial.score)}",
                flush=True,
            )
        elif trial.status == TrialStatus.FAILED:
            last = (trial.message or "").strip().splitlines()[-1:] or [""]
            print(f"Trial {trial.trial_id} failed after {took}: {last[0]}", flush=True)
        elif trial.status == TrialStatus.INVALID:
            last = (trial.message or "").strip().splitlines()[-1:] or [""]
            print(
                f"Trial {trial.trial_id} raised ({last[0]}); it will be retried.",
                flush=True,
            )

    def on_search_end(self):
        if not self.verbose:
            return
        best = self.oracle.get_best_trials(1)
        text = (
            f"best {self.oracle.objective.name}: {_fmt(best[0].score)}" if best else ""
        )
        print(
            f"\nSearch finished: {len(self.oracle.trials)} trials in "
            f"{format_duration(time.time() - self.search_start)}; {text}",
            flush=True,
        )


def search_space_summary(hyperparameters, extended=False):
    space = hyperparameters.space
    print("Search space summary")
    print(f"Default search space size: {len(space)}")
    for hp in space:
        config = hp.get_config()
        config.pop("name")
        if "default" in config:
            config["default"] = hp.default
        if not extended:
            config.pop("conditions", None)
        print(f"{hp.name} ({type(hp).__name__})")
        print(config)


def results_summary(oracle, num_trials=10):
    print("Results summary")
    print(f"Results in {oracle.project_dir}")
    print(f"Showing {num_trials} best trials")
    print(f"Objective: {oracle.objective!r}")
    for trial in oracle.get_best_trials(num_trials):
        print()
        trial.summary()
    failed = [t for t in oracle.trials.values() if t.status == TrialStatus.FAILED]
    if failed:
        print(
            f"\n{len(failed)} trial(s) failed: {', '.join(t.trial_id for t in failed)}"
        )


def results_table(oracle):
    """One row per trial: id, status, score, values and best metrics."""
    rows = []
    hp_names = [hp.name for hp in oracle.hyperparameters.space]
    metric_names = sorted(
        {m for t in oracle.trials.values() for m in t.metrics.metrics}
    )
    for trial_id in sorted(oracle.trials):
        trial = oracle.trials[trial_id]
        row = {
            "trial_id": trial_id,
            "status": trial.status,
            "score": trial.score,
            "duration_s": trial.duration,
        }
        active = trial.hyperparameters.active_values()
        for name in hp_names:
            row[name] = active.get(name)
        for name in metric_names:
            row[f"metric/{name}"] = trial.metrics.get_last_value(name)
        rows.append(row)
    return rows


def export_results(oracle, directory):
    """Writes results.json, results.csv and objective.png; returns their paths."""
    os.makedirs(directory, exist_ok=True)
    rows = results_table(oracle)
    json_path = os.path.join(directory, "results.json")
    best = oracle.get_best_trials(1)
    state_io.write_json(
        json_path,
        {
            "objective": oracle.objective.get_config(),
            "best_trial_id": best[0].trial_id if best else None,
            "best_score": best[0].score if best else None,
            "best_hyperparameters": best[0].hyperparameters.active_values()
            if best
            else None,
            "trials": [
                dict(row, message=oracle.trials[row["trial_id"]].message)
                for row in rows
            ],
        },
    )
    csv_path = os.path.join(directory, "results.csv")
    columns = list(rows[0]) if rows else ["trial_id", "status", "score"]
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(key)
    tmp = csv_path + ".tmp"
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    os.replace(tmp, csv_path)
    png_path = os.path.join(directory, "objective.png")
    plot_objective(oracle, png_path)
    return {"json": json_path, "csv": csv_path, "png": png_path}


def _series(oracle):
    xs, ys, best = [], [], []
    current = None
    for trial_id in sorted(oracle.trials):
        trial = oracle.trials[trial_id]
        if trial.status != TrialStatus.COMPLETED or trial.score is None:
            continue
        if math.isnan(trial.score):
            continue
        xs.append(int(trial_id) if trial_id.isdigit() else len(xs))
        ys.append(trial.score)
        if oracle.objective.better_than(trial.score, current):
            current = trial.score
        best.append(current)
    return xs, ys, best


def plot_objective(oracle, path):
    """Objective per trial and best so far, as a PNG (matplotlib if present, else Pillow)."""
    xs, ys, best = _series(oracle)
    if importlib.util.find_spec("matplotlib") is not None:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(6, 4))
        ax.plot(xs, ys, "o", label="trial")
        ax.step(xs, best, where="post", label="best so far")
        ax.set_xlabel("trial")
        ax.set_ylabel(oracle.objective.name)
        ax.legend()
        fig.tight_layout()
        fig.savefig(path)
        plt.close(fig)
        return path
    _plot_with_pillow(xs, ys, best, oracle.objective.name, path)
    return path


def _plot_with_pillow(xs, ys, best, label, path):
    from PIL import Image
    from PIL import ImageDraw

    width, height, margin = 640, 400, 50
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle(
        [margin, margin // 2, width - margin // 2, height - margin], outline="black"
    )
    draw.text(
        (margin, 5), f"{label} per trial (dots) and best so far (line)", fill="black"
    )
    draw.text((width // 2 - 15, height - margin + 25), "trial", fill="black")
    if xs:
        x_lo, x_hi = min(xs), max(xs)
        y_lo, y_hi = min(ys), max(ys)
        x_span = (x_hi - x_lo) or 1
        y_span = (y_hi - y_lo) or 1

        def to_px(x, y):
            px = margin + (x - x_lo) / x_span * (width - 1.5 * margin - 10) + 5
            py = (
                height - margin - (y - y_lo) / y_span * (height - 1.5 * margin - 10) - 5
            )
            return px, py

        points = [to_px(x, y) for x, y in zip(xs, best)]
        steps = []
        for i, (px, py) in enumerate(points):
            if i:
                steps.append((px, points[i - 1][1]))
            steps.append((px, py))
        if len(steps) > 1:
            draw.line(steps, fill="red", width=2)
        for x, y in zip(xs, ys):
            px, py = to_px(x, y)
            draw.ellipse([px - 3, py - 3, px + 3, py + 3], fill="blue")
        draw.text((5, height - margin - 10), _fmt(y_lo), fill="black")
        draw.text((5, margin // 2), _fmt(y_hi), fill="black")
        draw.text((margin, height - margin + 5), str(x_lo), fill="black")
        draw.text((width - margin, height - margin + 5), str(x_hi), fill="black")
    tmp = path + ".tmp.png"
    image.save(tmp, format="PNG")
    os.replace(tmp, path)


def load_results(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)
