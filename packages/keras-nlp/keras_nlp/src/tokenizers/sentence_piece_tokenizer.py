# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""SentencePiece tokenizer and trainer."""

import base64
import hashlib
import io
import os

import tensorflow as tf

from keras_core import api_export
from keras_nlp.src.tokenizers.tokenizer import RFC
from keras_nlp.src.tokenizers.tokenizer import FromAssets
from keras_nlp.src.tokenizers.tokenizer import Tokenizer
from keras_nlp.src.tokenizers.tokenizer import asset_mismatch_error
from keras_nlp.src.tokenizers.tokenizer import check_ids_in_vocabulary
from keras_nlp.src.tokenizers.tokenizer import pending_vocabulary_error
from keras_nlp.src.tokenizers.tokenizer import to_string_tensor
from keras_nlp.src.tokenizers.tokenizer import token_id_tensor
from keras_nlp.src.utils.lazy import LazyModule

# Imported when first used: tensorflow-text is most of `import keras_nlp`'s cost.
tf_text = LazyModule("tensorflow_text")

# The asset `save_assets` writes: the serialized SentencePiece ModelProto.
PROTO_FILE = "sentence_piece.model"
SPECIAL_IDS = ("pad_token_id", "unk_token_id", "bos_token_id", "eos_token_id")


class _ModelResource(tf.saved_model.experimental.TrackableResource):
    """A SentencePiece model as a TensorFlow resource that outlives its kernel.

    tensorflow-text creates the model resource private to the kernel of the
    op that made it. TensorFlow frees such a resource when it clears its
    eager kernel cache, which `tf.random.set_seed` (and so
    `keras.utils.set_random_seed`) does: every tokenizer built before then
    was left with a handle to nothing ("Resource ... SentencepieceOp does
    not exist"). Here the resource is named (`shared_name`), so it belongs
    to the resource manager and survives. The name is the model's SHA-256:
    tokenizers of the same model share one read-only resource, and memory
    grows with the distinct models used in the process, not with the
    tokenizers built. This replaces the resource of tensorflow-text's
    `SentencepieceTokenizer` (its `_model_resource` attribute), which is the
    one place this module relies on tensorflow-text internals;
    `sentence_piece_tokenizer_test.py` pins it.
    """

    def __init__(self, proto):
        super().__init__()
        self._proto = proto
        digest = hashlib.sha256(proto).hexdigest()
        self._shared_name = f"keras_nlp_sentence_piece_{digest}"
        _ = self.resource_handle  # creates the resource now

    def _create_resource(self):
        return _sentencepiece_ops().sentencepiece_op(
            model=self._proto, shared_name=self._shared_name
        )


def _sentencepiece_ops():
    """tensorflow-text's SentencePiece op library (creating model resources)."""
    from tensorflow_text.python.ops import sentencepiece_tokenizer

    return sentencepiece_tokenizer.gen_sentencepiece_tokenizer


def _load_proto(proto):
    if isinstance(proto, (bytes, bytearray)):
        return bytes(proto)
    if isinstance(proto, (str, os.PathLike)):
        path = os.fspath(proto)
        if not os.path.isfile(path):
            raise ValueError(
                "`proto` must be a SentencePiece model as bytes or the path of "
                f"a `.model` file. Received: proto={path!r}, which is not a "
                "file."
            )
        with open(path, "rb") as f:
            return f.read()
    raise TypeError(
        f"`proto` must be bytes or a file path. Received: {type(proto).__name__}."
    )


@api_export("keras_nlp.tokenizers.SentencePieceTokenizer", stability="stable", rfc=RFC)
class SentencePieceTokenizer(Tokenizer):
    """A SentencePiece tokenizer (unigram or BPE), from raw strings to ids.

    Wraps tensorflow-text's `SentencepieceTokenizer`, so it runs in
    `tf.data`, in Functional models and eagerly. The model is a serialized
    SentencePiece `ModelProto`, e.g. written by `compute_sentence_piece_proto`
    or shipped with a checkpoint (`spiece.model`).

    Reference: [Kudo and Richardson, 2018](https://arxiv.org/abs/1808.06226).

    Args:
        proto: the SentencePiece model, as bytes or the path of a file. It
            is saved as an asset (`sentence_piece.model` in the `assets/` of
            `.keras` files and presets), not in the config.
        sequence_length: int or None. Pad (with 0) or truncate outputs to this
            length; ragged outputs when None.
        dtype: `"int32"` or `"int64"` ids, or `"string"` pieces.
        **kwargs: Keras layer arguments, and keras-nlp 0.15's keyword-only
            `add_bos=True` / `add_eos=True`, which start / end every
            sequence with the model's `<s>` / `</s>` id.

    Call arguments:
        inputs: a str, a list of str or a rank-0/1 `tf.string` tensor.

    Output shape:
        `(batch_size, None)` ragged, or `(batch_size, sequence_length)`.

    Examples:

    >>> proto = keras_nlp.tokenizers.compute_sentence_piece_proto(
    ...     ["the quick brown fox", "the lazy dog"] * 20, vocabulary_size=30)
    >>> tokenizer = keras_nlp.tokenizers.SentencePieceTokenizer(proto)
    >>> tokenizer.detokenize(tokenizer(["the lazy fox"])).numpy()
    array([b'the lazy fox'], dtype=object)
    """

    def __init__(
        self,
        proto=None,
        sequence_length=None,
        dtype="int32",
        proto_base64=None,
        **kwargs,
    ):
        # keras-nlp 0.15's options, keyword-only (the stable signature is
        # unchanged).
        self.add_bos = bool(kwargs.pop("add_bos", False))
        self.add_eos = bool(kwargs.pop("add_eos", False))
        super().__init__(dtype=dtype, **kwargs)
        if sequence_length is not None and (
            not isinstance(sequence_length, int) or sequence_length < 1
        ):
            raise ValueError(
                "`sequence_length` must be a positive int or None. Received: "
                f"{sequence_length!r}."
            )
        self.sequence_length = sequence_length
        if isinstance(proto, FromAssets):
            # Rebuilt from a config: the model file comes with the assets.
            self.proto = None
            self._pending = proto
            for name in SPECIAL_IDS:
                setattr(self, name, proto.special_token_ids.get(name))
            return
        if proto is None and proto_base64 is None:
            raise ValueError(
                "SentencePieceTokenizer needs `proto`: the SentencePiece model "
                "as bytes or a file path (see compute_sentence_piece_proto)."
            )
        if proto_base64 is not None:
            # Configs written before the model became an asset embed it.
            proto = base64.b64decode(proto_base64)
        self._pending = None
        self._set_proto(_load_proto(proto))

    def _set_proto(self, proto):
        import sentencepiece

        processor = sentencepiece.SentencePieceProcessor()
        try:
            processor.LoadFromSerializedProto(proto)
        except RuntimeError as error:
            raise ValueError(
                "`proto` is not a valid SentencePiece model "
                f"({len(proto)} bytes): {error}"
            ) from error
        self.proto = proto
        self._index_cache = None
        self._vocabulary = [
            processor.IdToPiece(i) for i in range(processor.GetPieceSize())
        ]
        ids_dtype = tf.int64 if self._output_dtype == "int64" else tf.int32
        with tf.init_scope():
            self._sentence_piece = tf_text.SentencepieceTokenizer(
                model=self.proto,
                out_type=ids_dtype,
                add_bos=self.add_bos,
                add_eos=self.add_eos,
            )
            self._sentence_piece._model_resource = _ModelResource(self.proto)
            self._vocab_tensor = tf.constant(self._vocabulary)
        for name, fn in (
            ("pad_token_id", processor.pad_id),
            ("unk_token_id", processor.unk_id),
            ("bos_token_id", processor.bos_id),
            ("eos_token_id", processor.eos_id),
        ):
            value = fn()
            setattr(self, name, value if value >= 0 else None)

    def set_proto(self, proto):
        """Replaces the SentencePiece model (bytes or a file path).

        Args:
            proto: the serialized model, or the path of a `.model` file.
        """
        self._set_proto(_load_proto(proto))
        self._pending = None

    def _require_proto(self):
        if self.proto is None:
            raise pending_vocabulary_error(self)

    def _special_ids(self):
        return {
            name: getattr(self, name)
            for name in SPECIAL_IDS
            if getattr(self, name) is not None
        }

    def save_assets(self, dir_path):
        """Writes the SentencePiece model to `dir_path/sentence_piece.model`."""
        self._require_proto()
        with open(os.path.join(dir_path, PROTO_FILE), "wb") as f:
            f.write(self.proto)

    def load_assets(self, dir_path):
        """Reads the SentencePiece model from `dir_path/sentence_piece.model`."""
        path = self._asset_path(dir_path, PROTO_FILE, self.proto is not None, "model")
        if path is None:
            return
        with open(path, "rb") as f:
            proto = f.read()
        pending = self._pending
        self._set_proto(proto)
        if pending is not None:
            found = (len(self._vocabulary), self._special_ids())
            expected = (pending.vocabulary_size, pending.special_token_ids)
            if found != expected:
                self.proto = None
                raise asset_mismatch_error(
                    path,
                    f"{expected[0]} pieces with special ids {expected[1]}",
                    f"{found[0]} with {found[1]}",
                )
        self._pending = None

    def get_vocabulary(self):
        self._require_proto()
        return list(self._vocabulary)

    def vocabulary_size(self):
        if self.proto is None:
            return self._pending.vocabulary_size
        return len(self._vocabulary)

    def tokenize(self, inputs):
        self._require_proto()
        strings, unbatched = to_string_tensor(inputs)
        if unbatched:
            strings = tf.expand_dims(strings, 0)
        tokens = self._format_tokens(self._sentence_piece.tokenize(strings))
        if unbatched:
            tokens = tokens[0]
        return tokens

    def detokenize(self, inputs):
        """Token ids -> strings.

        Args:
            inputs: integer ids: one sequence (rank 1, gives a scalar string)
                or a batch (rank 2, dense or ragged; gives a string vector).

        Raises:
            TypeError: for ids that are not integers (floats are never
                truncated).
            ValueError: for ids outside `[0, vocabulary_size)`, naming them
                and the valid range; inside a traced function the same text
                comes with a `tf.errors.InvalidArgumentError`.
        """
        self._require_proto()
        ids = token_id_tensor(inputs, "detokenize inputs")
        ids = check_ids_in_vocabulary(
            ids, len(self._vocabulary), f"{type(self).__name__}.detokenize"
        )
        # In range, so the cast cannot wrap around.
        return self._sentence_piece.detokenize(tf.cast(ids, tf.int32))

    def get_config(self):
        config = super().get_config()
        summary = None
        if self.proto is not None:
            summary = len(self._vocabulary), self._special_ids()
        config.update(self._asset_config("proto", summary))
        config["sequence_length"] = self.sequence_length
        config["add_bos"] = self.add_bos
        config["add_eos"] = self.add_eos
        return config

    @classmethod
    def from_config(cls, config):
        inline = config.get("proto_base64") is not None
        return cls(**cls._config_with_assets(config, "proto", "a model", inline))


@api_export(
    "keras_nlp.tokenizers.compute_sentence_piece_proto", stability="stable", rfc=RFC
)
def compute_sentence_piece_proto(
    data=None,
    vocabulary_size=8000,
    model_type="unigram",
    proto_output_file=None,
    lowercase=False,
    files=None,
    **sentencepiece_options,
):
    """Trains a SentencePiece model on raw text and returns its bytes.

    The model's first ids are `<pad>` (0), `<unk>` (1), `<s>` (2) and
    `</s>` (3), as in keras-nlp 0.15; pass `pad_id=-1` (and other
    `unk_id`/`bos_id`/`eos_id`) to change them.

    Args:
        data: a list of str or a `tf.data.Dataset` of str. A list whose
            items are all existing files is read as file names (keras-nlp
            0.15's form) with a `DeprecationWarning` naming `files=`.
        vocabulary_size: int. Size of the vocabulary.
        model_type: `"unigram"`, `"bpe"`, `"word"` or `"char"`.
        proto_output_file: str or None. Also write the model there.
        lowercase: bool. Lowercase the text while normalizing
            (SentencePiece's `nmt_nfkc_cf` rule instead of `nmt_nfkc`).
        files: text file paths (one example per line), instead of `data`.
        **sentencepiece_options: other `SentencePieceTrainer` options, such
            as `character_coverage=0.9995` or `user_defined_symbols=[...]`.

    Returns:
        The serialized model (bytes), for `SentencePieceTokenizer(proto=...)`.

    Examples:

    >>> proto = keras_nlp.tokenizers.compute_sentence_piece_proto(
    ...     ["a tiny corpus"] * 10, vocabulary_size=20)
    >>> isinstance(proto, bytes)
    True
    """
    import sentencepiece

    from keras_nlp.src.tokenizers.word_piece_vocabulary import file_names_in
    from keras_nlp.src.tokenizers.word_piece_vocabulary import text_dataset

    if model_type not in ("unigram", "bpe", "word", "char"):
        raise ValueError(
            "`model_type` must be one of 'unigram', 'bpe', 'word', 'char'. "
            f"Received: model_type={model_type!r}."
        )
    if files is None:
        old_files = file_names_in(data, "compute_sentence_piece_proto")
        if old_files is not None:
            data, files = None, old_files
    dataset = text_dataset(data, files, what="compute_sentence_piece_proto")

    def sentences():
        for batch in dataset.as_numpy_iterator():
            for text in batch.reshape(-1):
                yield text.decode("utf-8", errors="replace")

    model = io.BytesIO()
    options = dict(
        model_type=model_type,
        vocab_size=vocabulary_size,
        normalization_rule_name="nmt_nfkc_cf" if lowercase else "nmt_nfkc",
        hard_vocab_limit=False,
        minloglevel=2,
        # As in keras-nlp 0.15: `<pad>` is id 0, then `<unk>`, `<s>`, `</s>`.
        pad_id=0,
        unk_id=1,
        bos_id=2,
        eos_id=3,
        pad_piece="<pad>",
    )
    options.update(sentencepiece_options)
    try:
        sentencepiece.SentencePieceTrainer.train(
            sentence_iterator=sentences(), model_writer=model, **options
        )
    except RuntimeError as error:
        raise ValueError(
            f"SentencePiece training failed: {error}. `vocabulary_size` must "
            "be at least the corpus's distinct characters plus the 4 special "
            "pieces (<pad>, <unk>, <s>, </s>), and at most what a small "
            "corpus can fill: raise or lower it accordingly."
        ) from error
    proto = model.getvalue()
    if proto_output_file is not None:
        with open(proto_output_file, "wb") as f:
            f.write(proto)
    return proto
