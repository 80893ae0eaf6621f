# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Load a HuggingFace BERT checkpoint, check it, fine-tune a classifier, save.

The workflow of a user who has a BERT checkpoint on disk:

1. `keras_nlp.convert.from_huggingface` reads the directory offline
   (config.json + model.safetensors) into a `BertEncoder`.
2. The converted encoder is checked against outputs that HuggingFace
   `transformers` computed for the same checkpoint (stored beside it).
3. A classifier head on `pooled_output` is fine-tuned on a small synthetic
   sentiment task (counts of "positive" versus "negative" tokens, with
   padded, variable-length sequences) and evaluated on held-out data.
4. The classifier is saved as a `.keras` file and reloaded.

The checkpoint is the tiny random BERT that
`packages/keras-nlp/keras_nlp/src/convert/testdata/make_fixture.py` created
with `transformers`; a real one (bert-base-uncased, ...) loads the same way.
"""

import os

import numpy as np

CHECKPOINT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "..",
    "..",
    "packages",
    "keras-nlp",
    "keras_nlp",
    "src",
    "convert",
    "testdata",
    "tiny_bert",
)
POSITIVE = np.arange(5, 20)
NEGATIVE = np.arange(20, 35)


# --8<-- [start:pretrained]
def pretrained_classifier(
    preset="bert_base_en_uncased", num_classes=2, sequence_length=128
):
    """A classifier on a pretrained BERT: the one-line start.

    `preset` is a name from `keras_nlp.models.BertClassifier.presets`
    (downloaded from the HuggingFace hub and converted on first use, then
    cached), an "hf://<org>/<name>" checkpoint, or, offline, a local folder:
    a preset, or a checkpoint downloaded elsewhere with
    `hf download google-bert/bert-base-uncased --local-dir bert-base-uncased`.
    """
    import keras_nlp

    return keras_nlp.models.BertClassifier.from_preset(
        preset, num_classes=num_classes, sequence_length=sequence_length
    )


# --8<-- [end:pretrained]


def make_dataset(n, length, vocab_size, seed):
    """Token-id sequences labelled 1 when positive tokens outnumber negative ones."""
    rng = np.random.RandomState(seed)
    ids = np.zeros((n, length), "int32")
    mask = np.zeros((n, length), "int32")
    labels = np.zeros(n, "int32")
    for i in range(n):
        label = rng.randint(0, 2)
        majority, minority = (POSITIVE, NEGATIVE) if label else (NEGATIVE, POSITIVE)
        strong = rng.randint(3, 6)
        tokens = list(rng.choice(majority, strong)) + list(
            rng.choice(minority, rng.randint(0, strong - 1))
        )
        size = rng.randint(len(tokens) + 1, length + 1)
        tokens += list(rng.randint(35, vocab_size, size - 1 - len(tokens)))
        rng.shuffle(tokens)
        ids[i, :size] = [2] + tokens  # 2 is [CLS] in the fixture's vocab.txt
        mask[i, :size] = 1
        labels[i] = label
    features = {
        "input_ids": ids,
        "input_mask": mask,
        "input_type_ids": np.zeros_like(ids),
    }
    return features, labels


def main(quick=False):
    import keras

    import keras_nlp

    keras.utils.set_random_seed(0)
    print(f"Loading the BERT checkpoint in {os.path.normpath(CHECKPOINT)}")
    # --8<-- [start:convert]
    encoder = keras_nlp.convert.from_huggingface(
        CHECKPOINT, output_dropout=0.0, attention_dropout=0.0
    )
    config = encoder.get_config()
    print(
        f"  BertEncoder: {config['num_layers']} layers, hidden {config['hidden_size']}, "
        f"activation {config['inner_activation']}, {encoder.count_params()} parameters"
    )
    # --8<-- [end:convert]

    # --8<-- [start:check]
    reference = np.load(os.path.join(CHECKPOINT, "reference.npz"))
    outputs = encoder(
        {k: reference[k] for k in ("input_ids", "input_mask", "input_type_ids")}
    )
    diff = float(
        max(
            np.abs(
                outputs["sequence_output"].numpy() - reference["sequence_output"]
            ).max(),
            np.abs(outputs["pooled_output"].numpy() - reference["pooled_output"]).max(),
        )
    )
    print(f"  max |ours - transformers| on a padded batch: {diff:.2e}")
    # --8<-- [end:check]

    # --8<-- [start:classifier]
    length = 16
    n_train, n_val, epochs = (256, 128, 6) if quick else (2048, 512, 10)
    train = make_dataset(n_train, length, config["vocab_size"], seed=1)
    val = make_dataset(n_val, length, config["vocab_size"], seed=2)
    inputs = {
        name: keras.Input((length,), dtype="int32", name=name)
        for name in ("input_ids", "input_mask", "input_type_ids")
    }
    pooled = encoder(inputs)["pooled_output"]
    logits = keras.layers.Dense(2, name="classifier")(keras.layers.Dropout(0.1)(pooled))
    classifier = keras.Model(inputs, logits)
    classifier.compile(
        optimizer=keras.optimizers.Adam(2e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    print(f"Fine-tuning on {n_train} sequences for {epochs} epochs")
    classifier.fit(*train, batch_size=32, epochs=epochs, verbose=0)
    val_loss, val_accuracy = classifier.evaluate(*val, batch_size=64, verbose=0)
    print(f"  validation accuracy {val_accuracy:.3f} (loss {val_loss:.3f})")
    # --8<-- [end:classifier]

    import tempfile

    # --8<-- [start:save]
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "bert_classifier.keras")
        classifier.save(path)
        restored = keras.saving.load_model(path)
        reload_diff = float(
            np.abs(
                restored.predict(val[0], verbose=0)
                - classifier.predict(val[0], verbose=0)
            ).max()
        )
    print(
        f"Saved and reloaded the classifier: max prediction difference {reload_diff:.1e}"
    )
    # --8<-- [end:save]
    return {
        "checkpoint_max_abs_diff": diff,
        "val_accuracy": float(val_accuracy),
        "val_loss": float(val_loss),
        "reload_max_abs_diff": reload_diff,
    }


if __name__ == "__main__":
    print(main())
