# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""keras-nlp workflow: BERT from raw text, with no download at all.

1. Learn a WordPiece vocabulary on the training text.
2. Pretrain a tiny BERT with masked language modelling (dynamic masks).
3. Fine-tune it as a sentiment classifier on raw strings, with BERT's
   warmup + linear decay schedule, and report validation accuracy.
4. Save it as a preset, export a SavedModel that takes strings and returns
   logits, reload both and check they give the same logits.

The data is the project's synthetic sentiment corpus (generated in code,
Apache-2.0), so the example runs offline.
"""

import os
import tempfile
import time

import keras
import numpy as np
import tensorflow as tf

import keras_nlp


# --8<-- [start:workflow]
def main(quick=False):
    keras.utils.set_random_seed(0)
    n_train, n_val = (400, 200) if quick else (2000, 400)
    mlm_epochs, fine_tune_epochs = (1, 3) if quick else (2, 4)
    sequence_length = 32
    start = time.time()

    # --8<-- [start:data]
    train_texts, train_labels = keras_nlp.datasets.load_synthetic_sentiment(
        "train", num_examples=n_train, as_dataset=False
    )
    val_texts, val_labels = keras_nlp.datasets.load_synthetic_sentiment(
        "validation", num_examples=n_val, as_dataset=False
    )
    print(
        f"Data: {n_train} training and {n_val} validation reviews, e.g. {train_texts[0]!r}"
    )
    # --8<-- [end:data]

    # 1. Vocabulary.
    # --8<-- [start:vocabulary]
    vocabulary = keras_nlp.tokenizers.compute_word_piece_vocabulary(
        train_texts, vocabulary_size=300
    )
    tokenizer = keras_nlp.tokenizers.WordPieceTokenizer(vocabulary)
    print(
        f"Learned a WordPiece vocabulary of {len(vocabulary)} tokens: "
        f"{tokenizer(train_texts[0]).numpy()[:8].tolist()} ..."
    )
    # --8<-- [end:vocabulary]

    # 2. Masked-LM pretraining of a tiny encoder.
    # --8<-- [start:pretrain]
    encoder = keras_nlp.encoders.BertEncoder(
        vocab_size=len(vocabulary),
        hidden_size=64,
        num_layers=2,
        num_attention_heads=2,
        inner_dim=128,
        max_sequence_length=sequence_length,
        type_vocab_size=2,
    )
    mlm_preprocessor = keras_nlp.models.BertMaskedLMPreprocessor(
        tokenizer, sequence_length=sequence_length, mask_selection_length=6, seed=0
    )
    masked_lm = keras_nlp.models.BertMaskedLM(encoder, mlm_preprocessor)
    masked_lm.compile(
        optimizer=keras.optimizers.AdamW(2e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        weighted_metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")],
    )
    history = masked_lm.fit(train_texts, epochs=mlm_epochs, batch_size=32, verbose=0)
    mlm_loss = float(history.history["loss"][-1])
    mlm_accuracy = float(history.history["accuracy"][-1])
    print(
        f"Masked-LM pretraining: {mlm_epochs} epoch(s), loss {mlm_loss:.3f}, "
        f"masked-token accuracy {mlm_accuracy:.3f}"
    )
    # --8<-- [end:pretrain]

    # 3. Fine-tuning on raw strings.
    # --8<-- [start:finetune]
    classifier = keras_nlp.models.BertClassifier(
        masked_lm.encoder,
        num_classes=2,
        preprocessor=keras_nlp.models.BertPreprocessor(tokenizer, sequence_length),
    )
    steps = fine_tune_epochs * int(np.ceil(n_train / 32))
    schedule = keras_nlp.schedules.WarmupLinearDecay(
        learning_rate=1e-3, decay_steps=steps, warmup_steps=steps // 10
    )
    classifier.compile(
        optimizer=keras.optimizers.AdamW(schedule),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")],
    )
    history = classifier.fit(
        train_texts,
        train_labels,
        validation_data=(val_texts, val_labels),
        epochs=fine_tune_epochs,
        batch_size=32,
        verbose=0,
    )
    val_accuracy = float(history.history["val_accuracy"][-1])
    print(
        f"Fine-tuning: {fine_tune_epochs} epochs, validation accuracy {val_accuracy:.3f}"
    )
    reviews = [
        "A truly wonderful film. I loved every minute.",
        "The plot was dull and the acting awful. Avoid it.",
    ]
    logits = classifier.predict(reviews, verbose=0)
    print(f"predict({reviews}) -> classes {logits.argmax(-1).tolist()}")
    # --8<-- [end:finetune]

    # 4. Preset, SavedModel export, reload.
    # --8<-- [start:export]
    with tempfile.TemporaryDirectory() as directory:
        preset = os.path.join(directory, "sentiment_preset")
        classifier.save_to_preset(preset)
        restored = keras_nlp.models.BertClassifier.from_preset(preset)
        preset_diff = float(np.abs(restored.predict(reviews, verbose=0) - logits).max())
        served = os.path.join(directory, "served")
        classifier.export(served)
        loaded = tf.saved_model.load(served)
        served_logits = loaded.signatures["serving_default"](text=tf.constant(reviews))[
            "logits"
        ]
        export_diff = float(np.abs(served_logits.numpy() - logits).max())
    print(
        f"Preset reload max |diff| {preset_diff:.2e}; SavedModel (strings in, "
        f"logits out) max |diff| {export_diff:.2e}"
    )
    # --8<-- [end:export]
    seconds = time.time() - start
    print(f"Done in {seconds:.0f} s")
    return {
        "vocabulary_size": float(len(vocabulary)),
        "mlm_loss": mlm_loss,
        "mlm_accuracy": mlm_accuracy,
        "val_accuracy": val_accuracy,
        "preset_max_abs_diff": preset_diff,
        "export_max_abs_diff": export_diff,
        "seconds": seconds,
    }


# --8<-- [end:workflow]


if __name__ == "__main__":
    main()
