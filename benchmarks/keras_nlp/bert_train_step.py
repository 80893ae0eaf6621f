# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""BERT encoder: classifier training step time and forward throughput.

Configuration (fixed, seed 0, TensorFlow backend, CPU, float32):

- Training: a BERT encoder with vocabulary 1000, 2 layers, hidden size 128,
  2 heads, feed-forward 512, dropout 0.1, sequence length 128, with a 2-way
  dense classifier on the pooled output; batch 32 of padded sequences
  (random lengths 16..128); Adam, sparse categorical cross-entropy, Keras'
  default compilation (`jit_compile="auto"`). `train_on_batch`, 2 warm-up
  steps, then the median over `--steps` steps.
- Forward: a 6-layer encoder, hidden size 384, 6 heads, feed-forward 1536,
  same inputs; `predict_on_batch`, 2 warm-up batches, median over `--steps`.
- Peak memory: the process' maximum resident set size after the default
  mode (`peak_memory_mb`), and the same over the peak after `import keras`
  (`peak_memory_over_keras_mb`; environments differ in what importing Keras
  loads).
- Both modes on both sides: Keras' default compilation (as written) and
  `jit_compile=True` (XLA), each with freshly built models; the XLA figures
  carry the suffix `_jit`, and `tools/bench` puts each side's better mode
  against the other's as its headline (best vs best).

Wall-clock figures suffer when other processes share the CPU; the CPU-time
figures (`*_cpu_*`: process time of all threads per step) are the robust
comparison on a busy machine.

    python benchmarks/keras_nlp/bert_train_step.py --impl ours  # keras_nlp.encoders.BertEncoder
    python benchmarks/keras_nlp/bert_train_step.py --impl peer  # keras_hub.models.BertBackbone

The peer is keras-hub 0.32.0's `BertBackbone` (`tools/bench keras_nlp/bert_train_step
--against keras-hub==0.32.0`), which a user would otherwise pick for a BERT
encoder in Keras; it runs in its own environment, where keras_nlp is absent.
Note that keras-hub always uses the tanh approximation of GELU, while ours
defaults to BERT's exact GELU (as in the checkpoints): the figures compare
the defaults a user gets.
"""

import argparse
import json
import resource
import statistics
import time

import numpy as np

SEED = 0
BATCH = 32
LENGTH = 128
VOCAB = 1000
TRAIN = {"num_layers": 2, "hidden_size": 128, "num_heads": 2, "inner_dim": 512}
FORWARD = {"num_layers": 6, "hidden_size": 384, "num_heads": 6, "inner_dim": 1536}


def _inputs():
    rng = np.random.RandomState(SEED)
    lengths = rng.randint(16, LENGTH + 1, size=BATCH)
    mask = (np.arange(LENGTH)[None] < lengths[:, None]).astype("int32")
    ids = np.where(mask == 1, rng.randint(1, VOCAB, size=(BATCH, LENGTH)), 0).astype(
        "int32"
    )
    types = np.zeros_like(ids)
    labels = rng.randint(0, 2, size=BATCH)
    return ids, mask, types, labels


def _encoder(impl, size):
    """(model inputs, pooled output tensor, data converter) for one size."""
    import keras

    if impl == "ours":
        import keras_nlp

        encoder = keras_nlp.encoders.BertEncoder(
            vocab_size=VOCAB,
            hidden_size=size["hidden_size"],
            num_layers=size["num_layers"],
            num_attention_heads=size["num_heads"],
            inner_dim=size["inner_dim"],
            max_sequence_length=LENGTH,
            type_vocab_size=2,
        )
        inputs = {
            "input_ids": keras.Input((LENGTH,), dtype="int32", name="input_ids"),
            "input_mask": keras.Input((LENGTH,), dtype="int32", name="input_mask"),
            "input_type_ids": keras.Input(
                (LENGTH,), dtype="int32", name="input_type_ids"
            ),
        }

        def feed(ids, mask, types):
            return {"input_ids": ids, "input_mask": mask, "input_type_ids": types}

    else:
        import keras_hub

        encoder = keras_hub.models.BertBackbone(
            vocabulary_size=VOCAB,
            num_layers=size["num_layers"],
            num_heads=size["num_heads"],
            hidden_dim=size["hidden_size"],
            intermediate_dim=size["inner_dim"],
            max_sequence_length=LENGTH,
            num_segments=2,
            dropout=0.1,
        )
        inputs = {
            "token_ids": keras.Input((LENGTH,), dtype="int32", name="token_ids"),
            "padding_mask": keras.Input((LENGTH,), dtype="int32", name="padding_mask"),
            "segment_ids": keras.Input((LENGTH,), dtype="int32", name="segment_ids"),
        }

        def feed(ids, mask, types):
            return {"token_ids": ids, "padding_mask": mask, "segment_ids": types}

    return inputs, encoder(inputs)["pooled_output"], feed


def _median_seconds(fn, warmup, steps):
    """Median wall-clock and CPU (all threads of this process) seconds per call."""
    for _ in range(warmup):
        fn()
    wall, cpu = [], []
    for _ in range(steps):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def _measure(impl, steps, jit_compile):
    """Training step and forward figures of one mode (fresh models)."""
    import keras

    keras.utils.set_random_seed(SEED)
    ids, mask, types, labels = _inputs()

    inputs, pooled, feed = _encoder(impl, TRAIN)
    classifier = keras.Model(inputs, keras.layers.Dense(2)(pooled))
    classifier.compile(
        optimizer=keras.optimizers.Adam(1e-4),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        jit_compile=jit_compile,
    )
    batch = feed(ids, mask, types)
    train_s, train_cpu_s = _median_seconds(
        lambda: classifier.train_on_batch(batch, labels), 2, steps
    )

    inputs, pooled, feed = _encoder(impl, FORWARD)
    forward = keras.Model(inputs, pooled)
    forward.compile(jit_compile=jit_compile)
    batch = feed(ids, mask, types)
    forward_s, forward_cpu_s = _median_seconds(
        lambda: forward.predict_on_batch(batch), 2, steps
    )
    return {
        "train_step_ms": round(1000.0 * train_s, 2),
        "train_step_cpu_ms": round(1000.0 * train_cpu_s, 2),
        "train_sequences_per_s": round(BATCH / train_s, 1),
        "forward_sequences_per_s": round(BATCH / forward_s, 1),
        "forward_cpu_ms_per_batch": round(1000.0 * forward_cpu_s, 2),
    }


def run(impl, steps):
    import keras  # noqa: F401  (the memory baseline: TensorFlow and Keras)

    keras_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    figures = _measure(impl, steps, jit_compile="auto")
    # Peak memory of the default mode (before the XLA mode runs).
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    figures["peak_memory_mb"] = round(peak_mb, 1)
    # Over `import keras`: environments differ in what importing TensorFlow
    # and Keras loads (ours has scikit-learn, pandas and SciPy installed,
    # which Keras imports when present: about 120 MB).
    figures["peak_memory_over_keras_mb"] = round(peak_mb - keras_mb, 1)
    jit = _measure(impl, steps, jit_compile=True)
    figures.update({f"{key}_jit": value for key, value in jit.items()})
    higher = {
        "train_step_ms": False,
        "train_step_cpu_ms": False,
        "train_sequences_per_s": True,
        "forward_sequences_per_s": True,
        "forward_cpu_ms_per_batch": False,
        "peak_memory_mb": False,
        "peak_memory_over_keras_mb": False,
    }
    higher.update({f"{key}_jit": higher[key] for key in jit})
    return {
        "benchmark": "bert_train_step",
        "impl": impl,
        "config": {
            "seed": SEED,
            "batch": BATCH,
            "sequence_length": LENGTH,
            "vocab_size": VOCAB,
            "train_encoder": TRAIN,
            "forward_encoder": FORWARD,
            "steps": steps,
            "backend": keras.backend.backend(),
            "modes": ["jit_compile='auto'", "jit_compile=True"],
        },
        "figures": figures,
        "higher_is_better": higher,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--impl", choices=("ours", "peer"), required=True)
    parser.add_argument("--steps", type=int, default=10)
    args = parser.parse_args(argv)
    print(json.dumps(run(args.impl, args.steps)))


if __name__ == "__main__":
    main()
