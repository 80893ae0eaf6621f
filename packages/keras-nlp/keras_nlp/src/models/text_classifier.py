# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Sentence (and sentence-pair) classification from raw text, for any family."""

import keras
import numpy as np
import tensorflow as tf

from keras_core import api_export
from keras_core import presets as core_presets
from keras_nlp.src.models.preprocessor import Preprocessor
from keras_nlp.src.models.preprocessor import as_segments
from keras_nlp.src.models.task import Task
from keras_nlp.src.models.task import check_num_classes
from keras_nlp.src.models.task import dense_head
from keras_nlp.src.models.task import graph_check_class_ids
from keras_nlp.src.preprocessing.multi_segment_packer import MultiSegmentPacker


@api_export("keras_nlp.models.TextClassifierPreprocessor", stability="experimental")
class TextClassifierPreprocessor(Preprocessor):
    """Raw strings or string pairs to packed encoder inputs, for any family.

    Tokenizes every segment, then packs them as `[CLS] a [SEP] (b [SEP])`
    with `MultiSegmentPacker`, using the tokenizer's `cls_token_id`,
    `sep_token_id` and `pad_token_id`. Returns the entries of
    `model_input_names` among `input_ids`, `input_mask` and
    `input_type_ids`. A family subclasses it (`BertPreprocessor`,
    `DistilBertPreprocessor`); it is not used directly.

    Args:
        tokenizer: a tokenizer of the family, whose vocabulary holds the
            family's `special_tokens`.
        sequence_length: int. Length of the packed inputs; at least 3
            (start, end and one token), 5 for sentence pairs.
        truncate: `"round_robin"` or `"waterfall"` (see `MultiSegmentPacker`).

    Call arguments:
        x: a batch of strings, one string, or a tuple of string batches
            (sentence pairs).
        y: optional labels, passed through.
        sample_weight: optional sample weights, passed through.

    Returns:
        `x` as a dict of int32 `(batch_size, sequence_length)`; with
        `y`/`sample_weight` a tuple `(x, y[, sample_weight])` as Keras'
        `fit` expects.

    Example:

    >>> vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "a", "film"]
    >>> preprocessor = keras_nlp.models.DistilBertPreprocessor(
    ...     keras_nlp.tokenizers.WordPieceTokenizer(vocab), sequence_length=5)
    >>> sorted(preprocessor(["a film"]))
    ['input_ids', 'input_mask']
    """

    def __init__(
        self, tokenizer, sequence_length=512, truncate="round_robin", **kwargs
    ):
        super().__init__(tokenizer, **kwargs)
        if tokenizer.sequence_length is not None:
            raise ValueError(
                "Pass a tokenizer without `sequence_length`: the preprocessor "
                "packs and pads to its own `sequence_length`."
            )
        if (
            isinstance(sequence_length, bool)
            or not isinstance(sequence_length, int)
            or sequence_length < 3
        ):
            raise ValueError(
                f"{type(self).__name__}(sequence_length={sequence_length!r}) "
                "cannot hold [CLS], [SEP] and at least one token of text, so "
                "every text would lose all its tokens. Pass sequence_length "
                ">= 3 (>= 5 for sentence pairs); BERT checkpoints usually "
                "use 128 or 512."
            )
        self._sequence_length = sequence_length
        self.truncate = truncate
        self.packer = MultiSegmentPacker(
            sequence_length=sequence_length,
            start_value=self.special_token_id(tokenizer, "cls"),
            end_value=self.special_token_id(tokenizer, "sep"),
            pad_value=self.special_token_id(tokenizer, "pad"),
            truncate=truncate,
            **(
                {
                    "sep_value": [self.special_token_id(tokenizer, "sep")]
                    * self.pair_separator_count
                }
                if self.pair_separator_count != 1
                else {}
            ),
        )

    @property
    def sequence_length(self):
        """Length of the packed inputs; settable after construction (0.15)."""
        return self._sequence_length

    @sequence_length.setter
    def sequence_length(self, value):
        if isinstance(value, bool) or not isinstance(value, int) or value < 3:
            raise ValueError(
                "`sequence_length` must be an int >= 3 ([CLS], [SEP] and one "
                f"token). Received: sequence_length={value!r}."
            )
        self._sequence_length = value
        packer = getattr(self, "packer", None)
        if packer is not None:
            packer.sequence_length = value

    def pack(self, x):
        """Raw text to all three inputs (`input_ids`, `input_mask`,
        `input_type_ids`), before `model_input_names` selects some."""
        segments = as_segments(x, f"{type(self).__name__} and other preprocessors")
        token_ids = [self.tokenizer(s) for s in segments]
        packed = self.packer(tuple(token_ids))
        return {
            "input_ids": packed["token_ids"],
            "input_mask": tf.cast(packed["padding_mask"], tf.int32),
            "input_type_ids": packed["segment_ids"],
        }

    def call(self, x, y=None, sample_weight=None):
        inputs = self.model_inputs(self.pack(x))
        return keras.utils.pack_x_y_sample_weight(inputs, y, sample_weight)

    def get_config(self):
        config = super().get_config()
        config.update(
            {"sequence_length": self.sequence_length, "truncate": self.truncate}
        )
        return config


@api_export("keras_nlp.models.TextClassifier", stability="experimental")
class TextClassifier(Task):
    """An encoder with a classification head, trained from raw text.

    The generic sentence (and sentence-pair) classifier of every family:
    `BertClassifier`, `DistilBertClassifier`, ... are this class with the
    family's `backbone_cls`, `preprocessor_cls` and presets. It classifies
    from the backbone's `pooled_output` (dropout, then a dense layer giving
    `num_classes` logits); a family without a pooler overrides
    `classification_head`. With a `preprocessor`, `fit`, `evaluate` and
    `predict` take raw strings, tuples of strings (pairs) or
    `tf.data.Dataset`s yielding `(text, label)`, and `export` writes a
    SavedModel whose signature takes strings and returns logits. The model
    is compiled with sensible defaults at construction (AdamW at 5e-5,
    sparse categorical cross-entropy on logits, accuracy); call `compile`
    again to change them.

    The heads of the families read the first (`[CLS]`) position only, so
    the classifier calls its backbone with `output_range=1`: the last
    Transformer layer computes its keys and values at every position but
    its queries, attention output, feed-forward network and normalizations
    at the first position only, in training and inference alike. The predictions and gradients are those of
    the whole computation, to float32 rounding; with dropout active the
    last layer draws masks of its own shapes, so the individual masks
    differ from the whole computation's (same rate and scaling). The
    backbone itself is unchanged and shared (same layers and weights; its
    own calls still compute every position), and so are saved files. A
    subclass whose `classification_head` reads other positions sets the
    class attribute `first_position_head = False` (a subclass that
    overrides `classification_head` without setting it gets False).

    Args:
        encoder: the family's backbone.
        num_classes: int >= 2. Number of classes.
        preprocessor: the family's classifier preprocessor or None (then the
            model takes the backbone's inputs).
        dropout: float. Dropout rate before the head.

    Example:

    >>> vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "a", "good", "bad", "film"]
    >>> preprocessor = keras_nlp.models.DistilBertPreprocessor(
    ...     keras_nlp.tokenizers.WordPieceTokenizer(vocab), sequence_length=8)
    >>> encoder = keras_nlp.encoders.DistilBertEncoder(
    ...     vocab_size=len(vocab), hidden_size=16, num_layers=1,
    ...     num_attention_heads=2, inner_dim=32, max_sequence_length=8)
    >>> classifier = keras_nlp.models.DistilBertClassifier(encoder, 2, preprocessor)
    >>> isinstance(classifier, keras_nlp.models.TextClassifier)
    True
    """

    preset_task_arguments = ("num_classes", "dropout")
    preset_required_arguments = ("num_classes",)
    _noun = "classifier"
    #: True when `classification_head` reads the backbone's outputs at the
    #: first position only (`pooled_output`, or `sequence_output[:, 0]`): the
    #: task then calls the backbone with `output_range=1`. Read from the
    #: class that defines `classification_head` or a subclass of it: a
    #: subclass that overrides `classification_head` without setting it
    #: gets the whole last layer.
    first_position_head = True

    def __init__(self, encoder, num_classes, preprocessor=None, dropout=0.1, **kwargs):
        self.check_family(encoder, preprocessor)
        check_num_classes(num_classes, "use 2 for binary classification")
        inputs = self.backbone_inputs()
        # A head that reads the first position only needs the last encoder
        # layer at that position alone (see the class docstring).
        output_range = 1 if self._head_reads_first_position() else None
        outputs = self._backbone_call(encoder, inputs, output_range=output_range)
        logits = self.classification_head(outputs, num_classes, dropout)
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

    @classmethod
    def _head_reads_first_position(cls):
        """Whether the class's `classification_head` reads the backbone's
        outputs at the first position only (then the task calls the
        backbone with `output_range=1`).

        It is the value of `first_position_head` in the class that defines
        `classification_head`, or in a subclass of it; a class that
        overrides `classification_head` without setting
        `first_position_head` gets False (the whole last layer).
        """
        for klass in cls.__mro__:
            if "first_position_head" in vars(klass):
                return bool(vars(klass)["first_position_head"])
            if "classification_head" in vars(klass):
                return False
        return False

    @classmethod
    def classification_head(cls, outputs, num_classes, dropout):
        """Logits from the backbone's outputs: dropout and a dense layer on
        `pooled_output`. Families without a pooler override it."""
        if "pooled_output" not in outputs:
            raise TypeError(
                f"{cls.__name__} cannot build its classification head: its "
                f"backbone_cls {cls.backbone_cls.__name__} returns no "
                f"'pooled_output' (it returns {', '.join(sorted(outputs))}). "
                "Fix: override the class method `classification_head(outputs, "
                "num_classes, dropout)` to compute the logits from "
                "`outputs['sequence_output']`, as "
                "keras_nlp.models.DistilBertClassifier does."
            )
        return dense_head(
            outputs["pooled_output"],
            num_classes,
            dropout,
            "logits",
            "classifier_dropout",
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

    def serving_function(self, num_segments=1):
        """Strings (`text`, or `text_a` and `text_b`) to `{"logits": ...}`."""
        if num_segments not in (1, 2):
            raise ValueError(
                f"`num_segments` must be 1 or 2. Received: {num_segments!r}."
            )
        preprocessor, model = self.preprocessor, self
        if num_segments == 1:

            @tf.function(
                input_signature=[tf.TensorSpec([None], tf.string, name="text")]
            )
            def serve(text):
                return {"logits": model(preprocessor(text), training=False)}

            return serve

        @tf.function(
            input_signature=[
                tf.TensorSpec([None], tf.string, name="text_a"),
                tf.TensorSpec([None], tf.string, name="text_b"),
            ]
        )
        def serve_pairs(text_a, text_b):
            return {"logits": model(preprocessor((text_a, text_b)), training=False)}

        return serve_pairs

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
        if num_segments not in (1, 2):
            raise ValueError(
                f"`num_segments` must be 1 or 2. Received: {num_segments!r}."
            )
        super().export(filepath, num_segments=num_segments)

    @classmethod
    def from_preset(
        cls, directory, load_weights=True, num_classes=None, **config_overrides
    ):
        """Loads a classifier, or builds one on a pretrained preset.

        A preset holding a classifier of this class is restored as saved. A
        preset holding a masked language model or a backbone of the family
        gives a new classifier on its encoder (and the masked LM's
        tokenizer), with a fresh head of `num_classes` outputs.

        A preset name from `presets` or `"hf://<org>/<name>[@<revision>]"`
        names a checkpoint of the family on the HuggingFace hub: it is
        downloaded once, converted by `keras_nlp.convert` and cached
        converted in `$KERAS_HOME/presets/hf/`; the classifier gets its
        encoder and a preprocessor with its vocabulary. A hub repository
        holding a preset of ours loads as a preset. Offline
        (`HF_HUB_OFFLINE=1`), cached downloads are used; or pass a local
        folder: a preset, or a HuggingFace checkpoint (e.g. from
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
        """
        return super().from_preset(
            directory,
            load_weights=load_weights,
            num_classes=num_classes,
            **config_overrides,
        )

    @classmethod
    def _from_saved_preset(cls, source, load_weights, config_overrides):
        from keras_nlp.src.models.masked_language_model import MaskedLanguageModel

        num_classes = config_overrides.pop("num_classes", None)
        obj = core_presets.from_preset(
            source, load_weights=load_weights, **config_overrides
        )
        if isinstance(obj, cls):
            if num_classes is not None and num_classes != obj.num_classes:
                return cls(
                    obj.encoder, num_classes, obj.preprocessor, dropout=obj.dropout
                )
            return obj
        family_lm = isinstance(obj, MaskedLanguageModel) and isinstance(
            obj.encoder, cls.backbone_cls
        )
        if family_lm or isinstance(obj, cls.backbone_cls):
            if num_classes is None:
                raise ValueError(
                    f"The preset {str(source)!r} holds a {type(obj).__name__}; "
                    "pass `num_classes` to put a new classification head on it."
                )
            if isinstance(obj, cls.backbone_cls):
                return cls(obj, num_classes)
            preprocessor = None
            if obj.preprocessor is not None:
                preprocessor = cls.preprocessor_cls(
                    obj.preprocessor.tokenizer, obj.preprocessor.sequence_length
                )
            return cls(obj.encoder, num_classes, preprocessor)
        family = cls.hub_presets.display_name if cls.hub_presets else "family"
        raise ValueError(
            f"The preset {str(source)!r} holds a {type(obj).__name__}, not a "
            f"{family} model. {cls.__name__}.from_preset loads presets of a "
            f"{cls.__name__}, a {family} masked language model or a "
            f"{cls.backbone_cls.__name__}."
        )

    def get_config(self):
        config = super().get_config()
        config.update({"num_classes": self.num_classes, "dropout": self.dropout})
        return config
