# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""BERT sentence (and sentence-pair) classification from raw text."""

import keras
import numpy as np
import tensorflow as tf

from keras_core import api_export
from keras_core import presets
from keras_nlp.src.models.bert import bert_presets
from keras_nlp.src.models.bert.bert_encoder import BertEncoder
from keras_nlp.src.models.bert.bert_preprocessor import BertPreprocessor
from keras_nlp.src.models.task import Task
from keras_nlp.src.models.task import graph_check_class_ids
from keras_nlp.src.tokenizers.tokenizer import RFC

INPUT_NAMES = ("input_ids", "input_mask", "input_type_ids")


def bert_inputs():
    return {
        name: keras.Input(shape=(None,), dtype="int32", name=name)
        for name in INPUT_NAMES
    }


def check_encoder(encoder):
    if not isinstance(encoder, BertEncoder):
        raise TypeError(
            "`encoder` must be a keras_nlp.encoders.BertEncoder. Received: "
            f"{type(encoder).__name__}."
        )


def check_preprocessor(preprocessor, encoder, cls):
    if preprocessor is None:
        return
    if not isinstance(preprocessor, cls):
        raise TypeError(
            f"`preprocessor` must be a {cls.__name__} or None. Received: "
            f"{type(preprocessor).__name__}."
        )
    vocab = preprocessor.tokenizer.vocabulary_size()
    size = encoder.get_config()["vocab_size"]
    if vocab != size:
        raise ValueError(
            f"The tokenizer has {vocab} tokens but the encoder's vocab_size is "
            f"{size}. Build the encoder with vocab_size={vocab}."
        )


def check_num_classes(num_classes, hint):
    if (
        isinstance(num_classes, bool)
        or not isinstance(num_classes, int)
        or num_classes < 2
    ):
        raise ValueError(
            f"`num_classes` must be an int >= 2 ({hint}). "
            f"Received: num_classes={num_classes!r}."
        )


def dense_head(x, units, dropout, name, dropout_name):
    """Dropout, then a float32 dense layer with BERT's initializer."""
    x = keras.layers.Dropout(dropout, name=dropout_name)(x)
    return keras.layers.Dense(
        units,
        kernel_initializer=keras.initializers.TruncatedNormal(stddev=0.02),
        name=name,
        dtype="float32",
    )(x)


def task_config(model, **entries):
    """The config of a BERT task: its encoder, preprocessor and `entries`."""
    preprocessor = model.preprocessor
    config = {
        "name": model.name,
        "trainable": model.trainable,
        "encoder": keras.saving.serialize_keras_object(model.encoder),
        "preprocessor": keras.saving.serialize_keras_object(preprocessor)
        if preprocessor is not None
        else None,
    }
    config.update(entries)
    return config


def task_from_config(cls, config):
    config = dict(config)
    config["encoder"] = keras.saving.deserialize_keras_object(config["encoder"])
    if config.get("preprocessor") is not None:
        config["preprocessor"] = keras.saving.deserialize_keras_object(
            config["preprocessor"]
        )
    return cls(**config)


@api_export("keras_nlp.models.BertClassifier", stability="stable", rfc=RFC)
class BertClassifier(Task):
    """A BERT encoder with a classification head, trained from raw text.

    Classifies a sentence or a sentence pair from the `[CLS]` pooled output
    (dropout, then a dense layer giving `num_classes` logits). With a
    `preprocessor`, `fit`, `evaluate` and `predict` take raw strings, tuples
    of strings (pairs) or `tf.data.Dataset`s yielding `(text, label)`, and
    `export` writes a SavedModel whose signature takes strings and returns
    logits. The model is compiled with sensible defaults at construction
    (AdamW at 5e-5, sparse categorical cross-entropy on logits, accuracy);
    call `compile` again to change them.

    Reference: [Devlin et al., 2019](https://arxiv.org/abs/1810.04805).

    Args:
        encoder: a `keras_nlp.encoders.BertEncoder`.
        num_classes: int >= 2. Number of classes.
        preprocessor: a `BertPreprocessor` or None (then the model takes the
            encoder's inputs, `input_ids`, `input_mask`, `input_type_ids`).
        dropout: float. Dropout rate before the head.

    Call arguments:
        inputs: a dict `{"input_ids", "input_mask", "input_type_ids"}` of
            int32 `(batch_size, sequence_length)`.

    Returns:
        Logits `(batch_size, num_classes)`.

    Examples:

    >>> vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "good", "bad", "film"]
    >>> preprocessor = keras_nlp.models.BertPreprocessor(
    ...     keras_nlp.tokenizers.WordPieceTokenizer(vocab), sequence_length=8)
    >>> encoder = keras_nlp.encoders.BertEncoder(
    ...     vocab_size=len(vocab), hidden_size=16, num_layers=1,
    ...     num_attention_heads=2, inner_dim=32, max_sequence_length=8)
    >>> classifier = keras_nlp.models.BertClassifier(encoder, 2, preprocessor)
    >>> history = classifier.fit(["a good film", "a bad film"], [1, 0], verbose=0)
    >>> classifier.predict(["good film"], verbose=0).shape
    (1, 2)
    """

    #: Named pretrained presets: name -> {"source", "description"}. Each
    #: name loads with `from_preset(name, num_classes=...)`.
    presets = bert_presets.BERT_PRESETS

    def __init__(self, encoder, num_classes, preprocessor=None, dropout=0.1, **kwargs):
        check_encoder(encoder)
        check_preprocessor(preprocessor, encoder, BertPreprocessor)
        check_num_classes(num_classes, "use 2 for binary classification")
        inputs = bert_inputs()
        pooled = encoder(inputs)["pooled_output"]
        logits = dense_head(
            pooled, num_classes, dropout, "logits", "classifier_dropout"
        )
        super().__init__(inputs=inputs, outputs=logits, **kwargs)
        self.encoder = encoder
        self.preprocessor = preprocessor
        self.num_classes = num_classes
        self.dropout = dropout
        self.compile(
            optimizer=keras.optimizers.AdamW(5e-5),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")],
        )

    def _expects_sparse_labels(self):
        loss = getattr(self, "loss", None)
        if isinstance(loss, str):
            return "sparse" in loss
        return isinstance(loss, keras.losses.SparseCategoricalCrossentropy)

    def _one_hot_error(self, shape):
        return ValueError(
            f"Labels of shape {tuple(shape)} look one-hot (or multi-label), "
            "but the model is compiled with SparseCategoricalCrossentropy, "
            "which takes one integer class id per text. Pass "
            "`np.argmax(y, axis=-1)`, or compile with "
            "`loss=keras.losses.CategoricalCrossentropy(from_logits=True)` "
            "to train on one-hot labels."
        )

    def _check_labels(self, y):
        if not self._expects_sparse_labels():
            return y  # e.g. one-hot labels for a categorical loss
        if y.ndim >= 2 and y.shape[-1] != 1:
            raise self._one_hot_error(y.shape)
        if y.dtype.kind not in "iu" and not (
            y.dtype.kind == "f" and np.all(np.floor(y) == y)
        ):
            raise ValueError(
                "Labels must be integer class ids in [0, num_classes). "
                f"Received labels of dtype {y.dtype}."
            )
        if y.size and (y.min() < 0 or y.max() >= self.num_classes):
            bad = sorted(set(y[(y < 0) | (y >= self.num_classes)].tolist()))
            raise ValueError(
                f"Labels must lie in [0, num_classes={self.num_classes}). "
                f"Received labels outside it: {bad[:10]}. Remap them or "
                "build the classifier with a larger `num_classes`."
            )
        return y

    def _graph_check_labels(self, y):
        if not self._expects_sparse_labels():
            return y
        if y.shape.rank is not None and y.shape.rank >= 2 and y.shape[-1] != 1:
            raise self._one_hot_error(y.shape)
        if not y.dtype.is_integer:
            return y
        return graph_check_class_ids(y, self.num_classes)

    def export(self, filepath, num_segments=1):
        """Writes a SavedModel that takes raw strings and returns logits.

        The serving signature `serving_default` takes `text` (a `tf.string`
        vector), or `text_a` and `text_b` with `num_segments=2`, and returns
        `{"logits": ...}`. Load it with `tf.saved_model.load` after
        `import tensorflow_text` (its tokenizer ops live there).

        Args:
            filepath: the directory to write.
            num_segments: 1 for single sentences, 2 for sentence pairs.
        """
        self._check_can_export("BertPreprocessor", built="classifier")
        if num_segments not in (1, 2):
            raise ValueError(
                f"`num_segments` must be 1 or 2. Received: {num_segments!r}."
            )
        module = tf.Module()
        module.model = self
        module.preprocessor = self.preprocessor
        preprocessor, model = self.preprocessor, self

        if num_segments == 1:

            @tf.function(
                input_signature=[tf.TensorSpec([None], tf.string, name="text")]
            )
            def serve(text):
                return {"logits": model(preprocessor(text), training=False)}

        else:

            @tf.function(
                input_signature=[
                    tf.TensorSpec([None], tf.string, name="text_a"),
                    tf.TensorSpec([None], tf.string, name="text_b"),
                ]
            )
            def serve(text_a, text_b):
                return {"logits": model(preprocessor((text_a, text_b)), training=False)}

        module.serve = serve
        tf.saved_model.save(module, filepath, signatures={"serving_default": serve})

    @classmethod
    def from_preset(
        cls, directory, load_weights=True, num_classes=None, **config_overrides
    ):
        """Loads a classifier, or builds one on a pretrained preset.

        A preset holding a `BertClassifier` is restored as saved. A preset
        holding a `BertMaskedLM` (pretraining) or a `BertEncoder` gives a new
        classifier on its encoder (and the masked LM's tokenizer), with a
        fresh head of `num_classes` outputs.

        A preset name from `BertClassifier.presets` (e.g.
        `"bert_base_en_uncased"`) or `"hf://<org>/<name>[@<revision>]"`
        names a BERT checkpoint on the HuggingFace hub: it is downloaded
        once, converted by `keras_nlp.convert` and cached converted in
        `$KERAS_HOME/presets/hf/`; the classifier gets its encoder and a
        `BertPreprocessor` with its WordPiece vocabulary. A hub repository
        holding a preset of ours loads as a preset. Offline
        (`HF_HUB_OFFLINE=1`), cached downloads are used; or pass a local
        folder: a preset, or a HuggingFace BERT checkpoint (e.g. from
        `hf download google-bert/bert-base-uncased --local-dir DIR`).

        Args:
            directory: a preset name, a local preset or HuggingFace
                checkpoint directory, or `"hf://<org>/<name>[@<revision>]"`.
            load_weights: whether to load the saved weights.
            num_classes: int. Required unless the preset is a classifier.
            **config_overrides: other config entries to replace. For a
                converted hub checkpoint: `sequence_length` (of the
                preprocessor; default and maximum: the checkpoint's
                `max_sequence_length`, at most 512) and `dropout`.

        Example:

        ```python
        classifier = keras_nlp.models.BertClassifier.from_preset(
            "bert_base_en_uncased", num_classes=2, sequence_length=128
        )
        ```
        """
        from keras_nlp.src.models.bert.bert_masked_lm import BertMaskedLM

        resolved = bert_presets.load(directory, load_weights=load_weights)
        if resolved[0] == "converted":
            _, encoder, tokenizer = resolved
            return bert_presets.build_task(
                cls,
                directory,
                encoder,
                tokenizer,
                BertPreprocessor,
                512,
                dict(config_overrides, num_classes=num_classes),
                ("num_classes", "dropout"),
                required=("num_classes",),
            )
        obj = presets.from_preset(
            resolved[1], load_weights=load_weights, **config_overrides
        )
        if isinstance(obj, BertClassifier):
            if num_classes is not None and num_classes != obj.num_classes:
                return cls(
                    obj.encoder, num_classes, obj.preprocessor, dropout=obj.dropout
                )
            return obj
        if isinstance(obj, (BertMaskedLM, BertEncoder)):
            if num_classes is None:
                raise ValueError(
                    f"The preset {str(directory)!r} holds a {type(obj).__name__}; "
                    "pass `num_classes` to put a new classification head on it."
                )
            if isinstance(obj, BertEncoder):
                return cls(obj, num_classes)
            preprocessor = None
            if obj.preprocessor is not None:
                preprocessor = BertPreprocessor(
                    obj.preprocessor.tokenizer, obj.preprocessor.sequence_length
                )
            return cls(obj.encoder, num_classes, preprocessor)
        raise ValueError(
            f"The preset {str(directory)!r} holds a {type(obj).__name__}, not a "
            "BERT model. BertClassifier.from_preset loads presets of a "
            "BertClassifier, a BertMaskedLM or a BertEncoder."
        )

    def get_config(self):
        return task_config(self, num_classes=self.num_classes, dropout=self.dropout)

    @classmethod
    def from_config(cls, config):
        return task_from_config(cls, config)
