# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""One workflow for every model family: pretrained checkpoint -> fine-tuned
classifier -> string-in SavedModel.

`finetune_and_export` is the same code for BERT, DistilBERT, ELECTRA,
ALBERT, RoBERTa and XLM-RoBERTa; only the classifier class and the preset
change:

    finetune_and_export(keras_nlp.models.BertClassifier, "bert_base_en_uncased")
    finetune_and_export(keras_nlp.models.DistilBertClassifier, "distil_bert_base_en_uncased")
    finetune_and_export(
        keras_nlp.models.ElectraClassifier, "electra_small_discriminator_en_uncased"
    )
    finetune_and_export(keras_nlp.models.AlbertClassifier, "albert_base_en_uncased")
    finetune_and_export(keras_nlp.models.RobertaClassifier, "roberta_base_en")
    finetune_and_export(
        keras_nlp.models.XLMRobertaClassifier, "xlm_roberta_base_multi"
    )

A preset is a name from `<Classifier>.presets` (downloaded from the
HuggingFace hub and converted on first use), an "hf://<org>/<name>"
checkpoint, or a local folder. `main` runs it offline on the tiny random
checkpoints that `transformers` wrote for the tests (their WordPiece
vocabularies are `tok0`, `tok1`, ...; ALBERT's and XLM-RoBERTa's are small
SentencePiece models; RoBERTa's is byte-level, so the same texts work).
"""

import os
import tempfile

import numpy as np

_TESTDATA = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "..",
    "..",
    "packages",
    "keras-nlp",
    "keras_nlp",
    "src",
)
CHECKPOINTS = {
    "BertClassifier": os.path.join(_TESTDATA, "convert", "testdata", "tiny_bert"),
    "DistilBertClassifier": os.path.join(
        _TESTDATA, "models", "distil_bert", "testdata", "tiny_distil_bert"
    ),
    "ElectraClassifier": os.path.join(
        _TESTDATA, "models", "electra", "testdata", "tiny_electra"
    ),
    "AlbertClassifier": os.path.join(
        _TESTDATA, "models", "albert", "testdata", "tiny_albert"
    ),
    "RobertaClassifier": os.path.join(
        _TESTDATA, "models", "roberta", "testdata", "tiny_roberta"
    ),
    "XLMRobertaClassifier": os.path.join(
        _TESTDATA, "models", "xlm_roberta", "testdata", "tiny_xlm_roberta"
    ),
}


def toy_reviews(n, seed):
    """Raw strings labelled 1 when they use the "positive" words tok10..tok19."""
    rng = np.random.RandomState(seed)
    labels = rng.randint(0, 2, n)
    texts = [
        " ".join(f"tok{rng.randint(0, 10) + 10 * label}" for _ in range(6))
        for label in labels
    ]
    return texts, labels


# --8<-- [start:workflow]
def finetune_and_export(classifier_cls, preset, texts, labels, export_dir, epochs=3):
    """Fine-tunes `classifier_cls` on `preset` from raw strings and exports it."""
    import keras
    import tensorflow as tf

    classifier = classifier_cls.from_preset(preset, num_classes=2, sequence_length=16)
    classifier.compile(
        optimizer=keras.optimizers.Adam(2e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    classifier.fit(texts, labels, batch_size=16, epochs=epochs, verbose=0)
    classifier.export(export_dir)  # preprocessing included
    served = tf.saved_model.load(export_dir).signatures["serving_default"]
    logits = served(text=tf.constant(texts))["logits"].numpy()
    return classifier, logits


# --8<-- [end:workflow]


def main(quick=False):
    import keras

    import keras_nlp

    keras.utils.set_random_seed(0)
    texts, labels = toy_reviews(128 if quick else 512, seed=1)
    figures = {}
    for classifier_cls in (
        keras_nlp.models.BertClassifier,
        keras_nlp.models.DistilBertClassifier,
        keras_nlp.models.ElectraClassifier,
        keras_nlp.models.AlbertClassifier,
        keras_nlp.models.RobertaClassifier,
        keras_nlp.models.XLMRobertaClassifier,
    ):
        name = classifier_cls.__name__
        with tempfile.TemporaryDirectory() as directory:
            classifier, served = finetune_and_export(
                classifier_cls,
                CHECKPOINTS[name],
                texts,
                labels,
                os.path.join(directory, "served"),
                epochs=4 if quick else 8,
            )
        eager = classifier.predict(texts, verbose=0)
        accuracy = float(np.mean(np.argmax(eager, axis=-1) == labels))
        figures[name] = {
            "train_accuracy": accuracy,
            "export_max_abs_diff": float(np.abs(served - eager).max()),
        }
        print(f"{name}: {figures[name]}")
    return figures


if __name__ == "__main__":
    main()
