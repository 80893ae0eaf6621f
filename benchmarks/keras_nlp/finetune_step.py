# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""End-to-end BERT fine-tuning step time from raw strings.

Configuration (fixed, seed 0, CPU, float32): a WordPiece vocabulary of
about 1,000 tokens built from a generated lexicon (see tokenization.py),
BERT with 2 layers, hidden size 128, 2 heads, feed-forward 512, sequence
length 128, a 2-way classifier; batch 32 of raw strings (8-40 words) with
labels; Adam 5e-5 and sparse cross-entropy on logits for both. `fit` on
640 strings (20 steps) once to warm up, then the median over 3 timed
`fit` calls of 20 steps; the figure is seconds per step, tokenization and
packing (in the tf.data pipeline) included. Every step waits for its
results before the next starts (a per-batch callback reads the loss, as a
progress bar does; `benchmarks/_step_sync.py`): without it, `fit`'s wall
time per step was distorted on both sides at the same CPU time. `cpu_seconds_per_step` counts
the process's CPU time (all threads) instead: on a shared machine it is the
load-robust figure; `first_step_cpu_s` likewise for the first step
(tracing, graph optimization and compilation included). `peak_memory_mb` is
the process's maximum resident set size after the default mode, and
`peak_memory_over_keras_mb` the same over the peak after `import keras`.
Importing Keras loads pandas, pyarrow, scipy, scikit-learn and Pillow when
they are installed, as they are in our development environment; so our
side runs where `pip install keras-nlp` puts it (wheels of this tree and
their declared dependencies, see `tools/bench`), as the peer runs where
`pip install keras-hub` puts it.

Both modes on both sides: as written (Keras' default compilation) and with
`compile(jit_compile=True)` (XLA), each in a freshly built model; the XLA
figures carry the suffix `_jit`, and `tools/bench` puts each side's better
mode against the other's as its headline (best vs best). Both sides build
their library's classifier as a user does. Ours calls its encoder with
`output_range=1` (`TextClassifier` does it by itself since its head reads
the `[CLS]` position only): the last layer computes its keys and values at
every position, everything else at `[CLS]` alone, with the same weights
and the same predictions (to float32 rounding) as the whole computation.
keras-hub 0.32's `BertTextClassifier` computes every position of every
layer.

Ours only, as written, in a third freshly built model:
`cpu_seconds_per_step_whole_last_layer` and
`first_step_cpu_s_whole_last_layer`, the same measurement (same steps,
same data, same seed, so the same weights) with the whole last layer (a
`BertClassifier` subclass with `first_position_head = False`, the
computation of ours before the classifier called the encoder with
`output_range=1`): the before/after of that change in one run. It runs
after both other modes, in a process that has already traced and compiled
two models, so `first_step_cpu_s_whole_last_layer` is not comparable to
`first_step_cpu_s` one for one (it lacks the process's first-use costs).

    python benchmarks/keras_nlp/finetune_step.py --impl ours  # keras_nlp BertClassifier
    python benchmarks/keras_nlp/finetune_step.py --impl peer  # keras_hub BertTextClassifier

The peer is keras-hub 0.32.0's `BertTextClassifier` with its
`BertTextClassifierPreprocessor`, the closest "fine-tune BERT on strings"
workflow in Keras (`tools/bench keras_nlp/finetune_step --against keras-hub==0.32.0`).
"""

# bench-ours-installs: keras-nlp

import argparse
import json
import os
import resource
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(
    0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
)

from tokenization import make_corpus  # noqa: E402

from benchmarks._step_sync import wait_for_each_step  # noqa: E402  (the repository root)

SEED = 0
BATCH = 32
STEPS = 20
LENGTH = 128


def build(impl, vocabulary, jit_compile=False, whole_last_layer=False):
    import keras

    keras.utils.set_random_seed(SEED)
    if impl == "ours":
        import keras_nlp

        tokenizer = keras_nlp.tokenizers.WordPieceTokenizer(vocabulary)
        preprocessor = keras_nlp.models.BertPreprocessor(
            tokenizer, sequence_length=LENGTH
        )
        encoder = keras_nlp.encoders.BertEncoder(
            vocab_size=len(vocabulary),
            hidden_size=128,
            num_layers=2,
            num_attention_heads=2,
            inner_dim=512,
            max_sequence_length=LENGTH,
        )
        classifier = keras_nlp.models.BertClassifier
        if whole_last_layer:
            # The encoder called without `output_range` (every position).
            classifier = type(
                "WholeBertClassifier", (classifier,), {"first_position_head": False}
            )
        model = classifier(encoder, 2, preprocessor)
    else:
        import keras_hub

        tokenizer = keras_hub.models.BertTokenizer(
            vocabulary=vocabulary, lowercase=True
        )
        preprocessor = keras_hub.models.BertTextClassifierPreprocessor(
            tokenizer, sequence_length=LENGTH
        )
        backbone = keras_hub.models.BertBackbone(
            vocabulary_size=len(vocabulary),
            num_layers=2,
            num_heads=2,
            hidden_dim=128,
            intermediate_dim=512,
            max_sequence_length=LENGTH,
        )
        model = keras_hub.models.BertTextClassifier(backbone, 2, preprocessor)
    model.compile(
        optimizer=keras.optimizers.Adam(5e-5),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        jit_compile=jit_compile,
    )
    return model


def measure(
    impl, texts, labels, vocabulary, jit_compile, steps, whole_last_layer=False
):
    """First-step seconds, then median wall and CPU seconds per step."""
    model = build(
        impl, vocabulary, jit_compile=jit_compile, whole_last_layer=whole_last_layer
    )

    # Each step waits for its results before the next starts, as with a
    # progress bar (see `benchmarks/_step_sync.py`).
    wait = [wait_for_each_step()]

    def run():
        model.fit(
            texts,
            labels,
            batch_size=BATCH,
            epochs=1,
            shuffle=False,
            verbose=0,
            callbacks=wait,
        )

    # The first epoch traces and builds the graphs; its first step is what
    # a user waits for: the first epoch minus the other steps at the
    # steady-state step time (wall and CPU alike).
    start, start_cpu = time.perf_counter(), time.process_time()
    run()
    first_epoch = time.perf_counter() - start
    first_epoch_cpu = time.process_time() - start_cpu
    times, cpu_times = [], []
    for _ in range(3):
        start, start_cpu = time.perf_counter(), time.process_time()
        run()
        times.append((time.perf_counter() - start) / steps)
        cpu_times.append((time.process_time() - start_cpu) / steps)
    step, step_cpu = statistics.median(times), statistics.median(cpu_times)
    return {
        "first_step_s": round(first_epoch - (steps - 1) * step, 3),
        "first_step_cpu_s": round(first_epoch_cpu - (steps - 1) * step_cpu, 3),
        "seconds_per_step": round(step, 4),
        "cpu_seconds_per_step": round(step_cpu, 4),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--impl", choices=["ours", "peer"], required=True)
    parser.add_argument("--steps", type=int, default=STEPS)
    args = parser.parse_args()
    if args.steps < 2:
        raise SystemExit(f"--steps must be at least 2. Received: {args.steps}")
    texts, vocabulary = make_corpus()
    texts = texts[: BATCH * args.steps]
    labels = [i % 2 for i in range(len(texts))]
    import keras  # noqa: F401  (the memory baseline: TensorFlow and Keras)

    keras_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    figures = measure(args.impl, texts, labels, vocabulary, False, args.steps)
    # Peak memory of the default mode (before the XLA mode runs).
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    figures["peak_memory_mb"] = round(peak_mb, 1)
    # Over `import keras`: what the library and its training add to what
    # importing TensorFlow and Keras loads (both sides run where a user's
    # pip install puts them, see the module docstring).
    figures["peak_memory_over_keras_mb"] = round(peak_mb - keras_mb, 1)
    jit = measure(args.impl, texts, labels, vocabulary, True, args.steps)
    figures.update({f"{key}_jit": value for key, value in jit.items()})
    modes = ["as written", "jit_compile=True"]
    if args.impl == "ours":
        # The whole last layer (see the module): ours only, as written.
        whole = measure(
            "ours", texts, labels, vocabulary, False, args.steps, whole_last_layer=True
        )
        figures["cpu_seconds_per_step_whole_last_layer"] = whole["cpu_seconds_per_step"]
        figures["first_step_cpu_s_whole_last_layer"] = whole["first_step_cpu_s"]
        modes.append("ours only: whole last layer, as written")
    print(
        json.dumps(
            {
                "benchmark": "finetune_step",
                "impl": args.impl,
                "config": {
                    "vocabulary_size": len(vocabulary),
                    "num_layers": 2,
                    "hidden_size": 128,
                    "num_heads": 2,
                    "sequence_length": LENGTH,
                    "batch": BATCH,
                    "steps": args.steps,
                    "seed": SEED,
                    "modes": modes,
                },
                "figures": figures,
                "higher_is_better": {key: False for key in figures},
            }
        )
    )


if __name__ == "__main__":
    main()
