# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Token classification (named-entity recognition, tagging), for any family."""

import keras
import numpy as np
import tensorflow as tf

from keras_core import api_export
from keras_nlp.src.models.preprocessor import Preprocessor
from keras_nlp.src.models.task import DEFAULT_BATCH_SIZE
from keras_nlp.src.models.task import Task
from keras_nlp.src.models.task import check_num_classes
from keras_nlp.src.models.task import dense_head
from keras_nlp.src.models.task import graph_check_class_ids
from keras_nlp.src.tokenizers.tokenizer import to_string_tensor


def to_words(x):
    """Sentences -> ragged `(batch, words)` strings.

    Takes pre-split words (a list of lists of str or a rank-2 ragged string
    tensor) or raw sentences (str, list of str, rank 0/1 tensor), which are
    split on whitespace.
    """
    if isinstance(x, tf.RaggedTensor):
        if x.dtype != tf.string or x.shape.rank != 2:
            raise ValueError(
                "Word inputs must be strings of rank 2 (sentences of words). "
                f"Received a ragged tensor of dtype {x.dtype.name} and rank "
                f"{x.shape.rank}."
            )
        return x
    if isinstance(x, tf.Tensor) and x.shape.rank == 2:
        return tf.RaggedTensor.from_tensor(x)
    if (
        isinstance(x, (list, tuple))
        and x
        and isinstance(x[0], (list, tuple, np.ndarray))
    ):
        for sentence in x:
            for word in sentence:
                if not isinstance(word, (str, bytes, np.str_, np.bytes_)):
                    raise TypeError(
                        "Sentences of words must hold str. Received an "
                        f"element of type {type(word).__name__}: {word!r}."
                    )
        return tf.ragged.constant([list(s) for s in x], dtype=tf.string, ragged_rank=1)
    strings, unbatched = to_string_tensor(x, "x")
    if unbatched:
        strings = tf.expand_dims(strings, 0)
    return tf.strings.split(strings)


@api_export("keras_nlp.models.TokenClassifierPreprocessor", stability="experimental")
class TokenClassifierPreprocessor(Preprocessor):
    """Turns sentences of words, and word-level tags, into model inputs.

    The generic token-classification preprocessor of every family
    (`BertTokenClassifierPreprocessor`, ...). Every word is split into
    tokens and the sentence is packed as `[CLS] pieces [SEP]` (cut to
    `sequence_length`; words that no longer fit are dropped). A word's tag
    goes to its first piece; continuation pieces, `[CLS]`, `[SEP]` and
    padding get tag 0 with sample weight 0. A word the tokenizer turns into
    nothing becomes one `[UNK]` so that every word keeps a position.

    Args:
        tokenizer: a tokenizer of the family with `[CLS]`, `[SEP]`, `[PAD]`
            and `[UNK]`.
        sequence_length: int. Length of the packed inputs.

    Example:

    >>> vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "ada", "wrote"]
    >>> preprocessor = keras_nlp.models.DistilBertTokenClassifierPreprocessor(
    ...     keras_nlp.tokenizers.WordPieceTokenizer(vocab), sequence_length=5)
    >>> x, y, w = preprocessor([["Ada", "wrote"]], [[1, 0]])
    >>> x["input_ids"].numpy().tolist(), y.numpy().tolist()
    ([[2, 4, 5, 3, 0]], [[0, 1, 0, 0, 0]])
    """

    special_tokens = ("[CLS]", "[SEP]", "[PAD]", "[UNK]")

    def __init__(self, tokenizer, sequence_length=128, **kwargs):
        super().__init__(tokenizer, **kwargs)
        if (
            isinstance(sequence_length, bool)
            or not isinstance(sequence_length, int)
            or sequence_length < 3
        ):
            raise ValueError(
                "`sequence_length` must be an int >= 3. Received: "
                f"sequence_length={sequence_length!r}."
            )
        self.sequence_length = sequence_length

    def tokenize_words(self, words):
        """Token ids of every word (a rank-1 string tensor), ragged. A family
        whose tokenizer marks word starts in the tokens themselves (byte-level
        BPE) overrides it."""
        return self.tokenizer.tokenize(words)

    def align(self, x, y=None):
        """Packs sentences and returns where every word's first piece is.

        Args:
            x: sentences, as for `call`.
            y: optional tag ids per word.

        Returns:
            A dict with the encoder inputs, `words` (ragged strings),
            `word_positions` (ragged int32, the position of each word's
            first piece in the packed sequence, -1 for words cut by
            truncation) and, with `y`, `labels` and `weights`.
        """
        words = to_words(x)
        tokenizer = self.tokenizer
        pieces = tf.cast(self.tokenize_words(words.flat_values), tf.int32)
        counts = pieces.row_lengths()
        unk = tf.fill(
            [tf.shape(counts, out_type=tf.int64)[0], 1],
            self.special_token_id(tokenizer, "unk"),
        )
        padded = tf.concat([pieces, tf.RaggedTensor.from_tensor(unk)], axis=1)
        keep = tf.ragged.range(padded.row_lengths()) < tf.maximum(counts, 1)[:, None]
        pieces = tf.ragged.boolean_mask(padded, keep)
        piece_index = tf.ragged.range(pieces.row_lengths())
        budget = self.sequence_length - 2
        per_sentence = words.with_flat_values(pieces).merge_dims(1, 2)
        is_first = words.with_flat_values(piece_index).merge_dims(1, 2) == 0
        word_of_piece = words.with_flat_values(
            pieces.with_flat_values(pieces.value_rowids())
        ).merge_dims(1, 2)
        per_sentence = per_sentence[:, :budget]
        is_first = is_first[:, :budget]
        word_of_piece = word_of_piece[:, :budget]
        count = tf.shape(words.row_lengths(), out_type=tf.int64)[0]

        def column(value, dtype):
            return tf.RaggedTensor.from_tensor(
                tf.fill([count, 1], tf.cast(value, dtype))
            )

        ids = tf.concat(
            [
                column(self.special_token_id(tokenizer, "cls"), tf.int32),
                per_sentence,
                column(self.special_token_id(tokenizer, "sep"), tf.int32),
            ],
            axis=1,
        )
        shape = [None, self.sequence_length]
        out = {
            "input_ids": ids.to_tensor(
                default_value=self.special_token_id(tokenizer, "pad"), shape=shape
            ),
            "input_mask": tf.ones_like(ids).to_tensor(shape=shape),
            "input_type_ids": tf.zeros_like(ids).to_tensor(shape=shape),
            "words": words,
        }
        # Position (in the packed sequence) of each word's first piece.
        position = tf.ragged.range(is_first.row_lengths()) + 1
        first_words = tf.ragged.boolean_mask(word_of_piece, is_first).flat_values
        first_positions = tf.ragged.boolean_mask(position, is_first).flat_values
        flat_positions = tf.tensor_scatter_nd_update(
            tf.fill([tf.size(counts)], tf.constant(-1, tf.int64)),
            first_words[:, None],
            first_positions,
        )
        out["word_positions"] = words.with_flat_values(
            tf.cast(flat_positions, tf.int32)
        )
        if y is not None:
            labels = self._labels(words, y)
            flat_labels = tf.gather(labels.flat_values, word_of_piece.flat_values)
            flat_labels = tf.where(
                is_first.flat_values, flat_labels, tf.zeros_like(flat_labels)
            )
            zero = column(0, tf.int32)
            tags = tf.concat(
                [zero, word_of_piece.with_flat_values(flat_labels), zero], axis=1
            )
            weights = tf.concat(
                [
                    column(0, tf.float32),
                    tf.cast(is_first, tf.float32),
                    column(0, tf.float32),
                ],
                axis=1,
            )
            out["labels"] = tags.to_tensor(shape=shape)
            out["weights"] = weights.to_tensor(shape=shape)
        return out

    def _labels(self, words, y):
        if not isinstance(y, (tf.RaggedTensor, tf.Tensor)):
            y = tf.ragged.constant([list(row) for row in y], dtype=tf.int32)
        if isinstance(y, tf.Tensor):
            y = tf.RaggedTensor.from_tensor(y)
        y = tf.cast(y, tf.int32)
        check = tf.debugging.assert_equal(
            y.row_lengths(),
            words.row_lengths(),
            message=(
                "Tags are misaligned with words: every sentence needs exactly "
                "one tag per word"
            ),
        )
        with tf.control_dependencies([check]):
            return tf.identity(y)

    def call(self, x, y=None, sample_weight=None):
        out = self.align(x, y)
        inputs = self.model_inputs(out)
        if y is None:
            return inputs
        weights = out["weights"]
        if sample_weight is not None:
            weights = weights * tf.cast(tf.reshape(sample_weight, [-1, 1]), tf.float32)
        return inputs, out["labels"], weights

    def get_config(self):
        config = super().get_config()
        config["sequence_length"] = self.sequence_length
        return config


@api_export("keras_nlp.models.TokenClassifier", stability="experimental")
class TokenClassifier(Task):
    """An encoder with a per-token classification head (NER, tagging).

    The generic token classifier of every family (`BertTokenClassifier`,
    `DistilBertTokenClassifier`, ...): a dense layer gives `num_classes`
    logits for every token of the sequence output. Training uses
    word-level tags: the preprocessor puts each word's tag on its first
    piece and gives the other pieces sample weight 0. `predict_tags` (and
    the SavedModel of `export`) map the predictions back to words.
    Compiled at construction: AdamW 5e-5, sparse cross-entropy on logits,
    accuracy over first pieces (a weighted metric).

    Args:
        encoder: the family's backbone.
        num_classes: int >= 2. Number of tags.
        preprocessor: the family's token-classification preprocessor or None.
        label_names: list of str or None. The name of every tag id; lets
            `fit` take string tags and `predict_tags`/`export` return them.
        dropout: float. Dropout rate before the head.

    Example:

    >>> vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "ada", "wrote"]
    >>> encoder = keras_nlp.encoders.DistilBertEncoder(
    ...     vocab_size=len(vocab), hidden_size=8, num_layers=1,
    ...     num_attention_heads=2, inner_dim=16, max_sequence_length=8)
    >>> tagger = keras_nlp.models.DistilBertTokenClassifier(encoder, 3)
    >>> isinstance(tagger, keras_nlp.models.TokenClassifier)
    True
    """

    preset_sequence_length = 128
    preset_task_arguments = ("num_classes", "label_names", "dropout")
    preset_required_arguments = ("num_classes",)

    def __init__(
        self,
        encoder,
        num_classes,
        preprocessor=None,
        label_names=None,
        dropout=0.1,
        **kwargs,
    ):
        self.check_family(encoder, preprocessor)
        check_num_classes(num_classes, "the number of tags")
        if label_names is not None:
            label_names = [str(name) for name in label_names]
            if len(label_names) != num_classes or len(set(label_names)) != num_classes:
                raise ValueError(
                    f"`label_names` must hold {num_classes} distinct names, one "
                    f"per tag id. Received {len(label_names)} names: "
                    f"{label_names[:10]}."
                )
        inputs = self.backbone_inputs()
        sequence = self._backbone_call(encoder, inputs)["sequence_output"]
        logits = dense_head(
            sequence, num_classes, dropout, "token_logits", "token_dropout"
        )
        super().__init__(inputs=inputs, outputs=logits, **kwargs)
        self.encoder = encoder
        self.preprocessor = preprocessor
        self.num_classes = num_classes
        self.label_names = label_names
        self.dropout = dropout
        self._tags_fn = None
        self.compile(
            optimizer=keras.optimizers.AdamW(5e-5),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            weighted_metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")],
        )

    def _tag_ids(self, y):
        """Python tags (ids or names) -> list of lists of int, checked."""
        rows = []
        index = {name: i for i, name in enumerate(self.label_names or [])}
        for row in y:
            ids = []
            for tag in row:
                if isinstance(tag, (str, bytes, np.str_, np.bytes_)):
                    tag = tag.decode("utf-8") if isinstance(tag, bytes) else str(tag)
                    if tag not in index:
                        raise ValueError(
                            f"Unknown tag {tag!r}. "
                            + (
                                f"Known tags: {self.label_names}."
                                if self.label_names
                                else "Pass tag ids, or build the model with "
                                "`label_names` to use tag names."
                            )
                        )
                    tag = index[tag]
                tag = int(tag)
                if not 0 <= tag < self.num_classes:
                    raise ValueError(
                        f"Tag ids must lie in [0, num_classes={self.num_classes}). "
                        f"Received {tag}."
                    )
                ids.append(tag)
            rows.append(ids)
        return rows

    def _graph_check_labels(self, y):
        if not y.dtype.is_integer:
            return y
        return graph_check_class_ids(y, self.num_classes, what="Tag ids")

    def _batch_raw_dataset(self, dataset, spec, batch_size):
        # One example is a sentence (a string) or its words (a rank-1 tensor).
        if isinstance(spec, tf.TensorSpec) and spec.shape.rank in (0, 1):
            dataset = dataset.ragged_batch(batch_size or DEFAULT_BATCH_SIZE)
        return dataset

    def _dataset_from_data(self, x, y, sample_weight, batch_size, shuffle):
        words = to_words(x)
        data = (words,)
        if y is not None:
            tags = self._tag_ids(y)
            lengths = words.row_lengths().numpy().tolist()
            for index, (row, length) in enumerate(zip(tags, lengths)):
                if len(row) != length:
                    raise ValueError(
                        f"Sentence {index} has {length} words but {len(row)} "
                        "tags. Pass exactly one tag per word (tags are "
                        "word-level; the preprocessor aligns them to "
                        "word pieces)."
                    )
            if len(tags) != len(lengths):
                raise ValueError(
                    f"Got {len(lengths)} sentences but {len(tags)} tag sequences."
                )
            data = (words, tf.ragged.constant(tags, dtype=tf.int32, ragged_rank=1))
            if sample_weight is not None:
                data += (tf.constant(sample_weight, tf.float32),)
        dataset = tf.data.Dataset.from_tensor_slices(data)
        if shuffle:
            dataset = dataset.shuffle(int(words.nrows()))
        return dataset.ragged_batch(batch_size or DEFAULT_BATCH_SIZE)

    def _tags_graph(self, words):
        aligned = self.preprocessor.align(words)
        inputs = self.preprocessor.model_inputs(aligned)
        logits = self(inputs, training=False)
        predicted = tf.argmax(logits, axis=-1, output_type=tf.int32)
        positions = aligned["word_positions"]
        gathered = tf.gather(predicted, tf.maximum(positions, 0), batch_dims=1)
        # Words cut by truncation get tag 0.
        tags = tf.where(positions >= 0, gathered, tf.zeros_like(gathered))
        return aligned["words"], tags

    def predict_tags(self, x, batch_size=32):
        """Tags of every word of every sentence.

        Args:
            x: sentences as lists of words, or raw sentences (split on
                whitespace).
            batch_size: int. Sentences per batch.

        Returns:
            A list (one per sentence) of lists of tags: names when the model
            has `label_names`, otherwise ids. Words beyond `sequence_length`
            pieces get tag 0.
        """
        if self.preprocessor is None:
            raise ValueError(
                "`predict_tags` takes words, which needs a preprocessor. Build "
                "the model with "
                f"`preprocessor={self.preprocessor_cls.__name__}(...)`."
            )
        words = to_words(x)
        if self._tags_fn is None:
            self._tags_fn = tf.function(
                self._tags_graph,
                input_signature=[tf.RaggedTensorSpec([None, None], tf.string, 1)],
            )
        results = []
        total = int(words.nrows())
        for begin in range(0, total, batch_size):
            _, tags = self._tags_fn(words[begin : begin + batch_size])
            for row in tags.to_list():
                if self.label_names is not None:
                    row = [self.label_names[t] for t in row]
                results.append(row)
        return results

    def serving_function(self):
        """Strings `text` to `words`, `tags` and `tag_ids` (see `export`)."""
        if self.label_names is not None:
            names = tf.constant(self.label_names)
        else:
            names = tf.strings.as_string(tf.range(self.num_classes))

        @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="text")])
        def serve(text):
            words, tags = self._tags_graph(tf.strings.split(text))
            return {
                "words": words.to_tensor(default_value=""),
                "tag_ids": tags.to_tensor(default_value=-1),
                "tags": tags.with_flat_values(
                    tf.gather(names, tags.flat_values)
                ).to_tensor(default_value=""),
            }

        return serve

    def export(self, filepath):
        """Writes a SavedModel that tags raw sentences.

        The serving signature `serving_default` takes `text` (a `tf.string`
        vector of sentences, split into words on whitespace) and returns
        `words` and `tags` (`tf.string`, `(batch_size, max_words)`, padded
        with "") and `tag_ids` (padded with -1), as `predict_tags`. Load it
        with `tf.saved_model.load` after `import tensorflow_text`.

        Args:
            filepath: the directory to write.
        """
        super().export(filepath)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "num_classes": self.num_classes,
                "label_names": self.label_names,
                "dropout": self.dropout,
            }
        )
        return config
