# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Train a tiny Transformer encoder-decoder and decode with greedy and beam search.

The task is made here: reverse a string of letters ("b c a d" -> "d a c b").
The model reads and writes strings through a WordPiece tokenizer, is saved
as a preset, reloaded, and exported as a SavedModel that maps strings to
strings. Run it with `python -m examples.keras_nlp.seq2seq_generation`.
"""

import tempfile
import time

import keras
import numpy as np
import tensorflow as tf

import keras_nlp

# --8<-- [start:vocabulary]
LETTERS = list("abcdefghij")
VOCABULARY = ["[PAD]", "[START]", "[END]", "[UNK]"] + LETTERS
# --8<-- [end:vocabulary]


# --8<-- [start:data]
def make_pairs(count, min_length, max_length, seed):
    """Random letter strings and their reversals, as space-separated text."""
    rng = np.random.default_rng(seed)
    sources, targets = [], []
    for _ in range(count):
        letters = rng.choice(LETTERS, size=rng.integers(min_length, max_length + 1))
        sources.append(" ".join(letters))
        targets.append(" ".join(letters[::-1]))
    return sources, targets


# --8<-- [end:data]
def exact_match(predictions, references):
    return float(np.mean([p == r for p, r in zip(predictions, references)]))


def main(quick=False):
    keras.utils.set_random_seed(0)
    n_train, n_test, epochs = (1500, 64, 3) if quick else (4000, 300, 10)
    max_letters = 8
    start = time.time()

    train_sources, train_targets = make_pairs(n_train, 3, max_letters, seed=0)
    test_sources, test_targets = make_pairs(n_test, 3, max_letters, seed=1)
    print(f"Task: reverse letters, e.g. {train_sources[0]!r} -> {train_targets[0]!r}")

    # --8<-- [start:model]
    tokenizer = keras_nlp.tokenizers.WordPieceTokenizer(VOCABULARY)
    model = keras_nlp.models.Seq2SeqTransformer(
        vocab_size=len(VOCABULARY),
        hidden_size=64,
        num_layers=2,
        num_attention_heads=4,
        inner_dim=128,
        max_source_length=max_letters,
        max_target_length=max_letters + 2,
        dropout=0.0,
        tokenizer=tokenizer,
    )
    # --8<-- [end:model]
    # --8<-- [start:train]
    dataset = (
        tf.data.Dataset.from_tensor_slices((train_sources, train_targets))
        .shuffle(n_train, seed=0)
        .batch(32)
        .map(model.preprocess)
        .cache()
    )
    steps = epochs * ((n_train + 31) // 32)
    schedule = keras.optimizers.schedules.CosineDecay(
        0.0, steps, warmup_target=3e-3, warmup_steps=min(200, steps // 5)
    )
    model.compile(optimizer=keras.optimizers.Adam(schedule))
    history = model.fit(dataset, epochs=epochs, verbose=2, shuffle=False)
    print(f"Trained {epochs} epochs in {time.time() - start:.1f} s")
    # --8<-- [end:train]

    # --8<-- [start:generate]
    greedy = model.generate(test_sources, sampler="greedy")
    beam_sampler = keras_nlp.samplers.BeamSampler(num_beams=4, length_penalty=1.0)
    beam = model.generate(test_sources, sampler=beam_sampler)
    greedy_accuracy = exact_match(greedy, test_targets)
    beam_accuracy = exact_match(beam, test_targets)
    for source, target, predicted in list(zip(test_sources, test_targets, beam))[:3]:
        print(f"  {source!r} -> {predicted!r} (expected {target!r})")
    print(
        f"Exact match on {n_test} held-out strings: greedy {greedy_accuracy:.3f}, "
        f"beam(4) {beam_accuracy:.3f}"
    )
    # --8<-- [end:generate]

    # --8<-- [start:export]
    with tempfile.TemporaryDirectory() as directory:
        model.save_to_preset(f"{directory}/reverser")
        restored = keras_nlp.models.Seq2SeqTransformer.from_preset(
            f"{directory}/reverser"
        )
        preset_match = float(
            restored.generate(test_sources[:16], sampler="greedy") == greedy[:16]
        )
        export_match = 1.0
        if not quick:
            import tensorflow_text  # noqa: F401  (tokenizer ops for the SavedModel)

            model.export(f"{directory}/served", sampler="greedy")
            served = tf.saved_model.load(f"{directory}/served")
            out = served.signatures["serving_default"](
                text=tf.constant(test_sources[:16])
            )
            export_match = float(
                [t.decode() for t in out["generated"].numpy()] == greedy[:16]
            )
    print(
        f"Preset reload gives the same outputs: {bool(preset_match)}; "
        f"exported SavedModel too: {bool(export_match)}"
    )
    # --8<-- [end:export]
    return {
        "train_loss": float(history.history["loss"][-1]),
        "greedy_exact_match": greedy_accuracy,
        "beam_exact_match": beam_accuracy,
        "preset_match": preset_match,
        "export_match": export_match,
        "seconds": time.time() - start,
    }


if __name__ == "__main__":
    main()
