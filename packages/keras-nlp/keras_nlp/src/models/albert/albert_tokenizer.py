# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""ALBERT's SentencePiece tokenizer, with HuggingFace's ids."""

import tensorflow as tf

from keras_core import api_export
from keras_nlp.src.tokenizers.hf_sentence_piece import HuggingFaceSentencePiece
from keras_nlp.src.tokenizers.hf_sentence_piece import tokenize_with_offsets
from keras_nlp.src.tokenizers.sentence_piece_tokenizer import SentencePieceTokenizer
from keras_nlp.src.utils.lazy import LazyModule

tf_text = LazyModule("tensorflow_text")

SPECIAL_TOKENS = ("<pad>", "<unk>", "[CLS]", "[SEP]", "[MASK]")


def albert_normalize(strings):
    """ALBERT's steps before the model's table, as HuggingFace's normalizers.

    `` and '' become ", then NFKD, then every combining mark (Unicode
    category M) is removed, then each character is lowercased on its own
    (so a final capital sigma becomes σ, as in HuggingFace, not ς).
    """
    strings = tf.strings.regex_replace(strings, "``|''", '"')
    strings = tf_text.normalize_utf8(strings, "NFKD")
    strings = tf.strings.regex_replace(strings, r"\p{M}", "")
    strings = tf.strings.regex_replace(strings, "\u03a3", "\u03c3")
    return tf.strings.lower(strings, encoding="utf-8")


# `tokenize_with_offsets` applies `albert_normalize` one character at a
# time; the replacement of two characters it does first.
albert_normalize.pair_replacements = {"`": '"', "'": '"'}


@api_export("keras_nlp.tokenizers.AlbertTokenizer", stability="experimental")
class AlbertTokenizer(SentencePieceTokenizer):
    """ALBERT's tokenizer: a SentencePiece model with ALBERT's normalisation.

    Gives the ids of HuggingFace's fast `AlbertTokenizerFast`
    (`transformers` 5, `do_lower_case=True`, `keep_accents=False`, the
    setting of every ALBERT v2 checkpoint), not those of the SentencePiece
    library on the same `spiece.model`: checkpoints are fine-tuned and
    evaluated with the HuggingFace tokenizer, and the two differ on real text
    (the library applies the model's normalisation table by longest match
    and knows only the ASCII space; HuggingFace lowercases with its own
    rules, applies the table per grapheme cluster, splits words at every
    Unicode space). The steps, all TensorFlow / tensorflow-text ops so that
    the tokenizer runs in `tf.data` and in exported SavedModels:

    1. special tokens written in the text (`[MASK]`, `[SEP]`, `[CLS]`,
       `<pad>`, `<unk>`) become their ids;
    2. `` and '' become ", NFKD, combining marks removed, lowercase;
    3. the model's normalisation table, per grapheme cluster;
    4. words split at Unicode white space, each starting with "▁";
    5. SentencePiece's unigram search for each word.

    The unigram search is HuggingFace's, float64 sums and tie rule
    included (tensorflow-text's SentencePiece op sums in float32 and splits
    e.g. long runs of one character differently).

    Ids are the model's own: `<pad>` 0, `<unk>` 1, `[CLS]` 2, `[SEP]` 3,
    `[MASK]` 4 in ALBERT's `spiece.model`.

    Args:
        proto: ALBERT's SentencePiece model (`spiece.model`), as bytes or a
            file path. Saved as an asset.
        sequence_length: int or None. Pad with `<pad>` (0) or truncate to
            this length; ragged outputs when None.
        dtype: `"int32"` or `"int64"` ids, or `"string"` pieces.
        **kwargs: Keras layer arguments.

    Example:

    >>> import sentencepiece, io
    >>> model = io.BytesIO()
    >>> sentencepiece.SentencePieceTrainer.train(
    ...     sentence_iterator=iter(["the quick brown fox", "the lazy dog"] * 20),
    ...     model_writer=model, vocab_size=30, pad_id=0, unk_id=1, bos_id=-1,
    ...     eos_id=-1, control_symbols=["[CLS]", "[SEP]", "[MASK]"],
    ...     hard_vocab_limit=False, minloglevel=2)
    >>> tokenizer = keras_nlp.tokenizers.AlbertTokenizer(model.getvalue())
    >>> ids = tokenizer(["The [MASK] DOG"]).to_list()[0]
    >>> tokenizer.mask_token_id in ids  # written in the text
    True
    >>> tokenizer.detokenize([i for i in ids if i != tokenizer.mask_token_id])
    <tf.Tensor: shape=(), dtype=string, numpy=b'the dog'>
    """

    def __init__(self, proto=None, sequence_length=None, dtype="int32", **kwargs):
        super().__init__(proto, sequence_length=sequence_length, dtype=dtype, **kwargs)
        if self.proto is None:  # Rebuilt from a config: ids until the asset.
            for name, value in self._pending.special_token_ids.items():
                setattr(self, name, value)

    def _special_ids(self):
        ids = super()._special_ids()
        for name in ("cls_token_id", "sep_token_id", "mask_token_id"):
            ids[name] = getattr(self, name)
        return ids

    def _set_proto(self, proto):
        super()._set_proto(proto)
        ids = {token: self._index().get(token) for token in SPECIAL_TOKENS}
        missing = [token for token, i in ids.items() if i is None]
        if missing:
            self.proto = None
            raise ValueError(
                f"An ALBERT SentencePiece model has the pieces {list(SPECIAL_TOKENS)}; "
                f"this one lacks {missing}. Pass ALBERT's `spiece.model`, or "
                "train one with `control_symbols=['[CLS]', '[SEP]', '[MASK]']`."
            )
        self.pad_token_id = ids["<pad>"]
        self.unk_token_id = ids["<unk>"]
        self.cls_token_id = ids["[CLS]"]
        self.sep_token_id = ids["[SEP]"]
        self.mask_token_id = ids["[MASK]"]
        dtype = tf.int64 if self._output_dtype == "int64" else tf.int32
        self._pipeline = HuggingFaceSentencePiece(proto, ids, dtype)
        # Tracked by the layer, so that SavedModels keep them.
        self._pipeline_resources = self._pipeline.trackables()

    def tokenize_with_offsets(self, inputs):
        """Strings -> `(token_ids, starts, ends)`, ragged, with byte offsets.

        The ids are those of `tokenize`. `starts[i][k]:ends[i][k]` is the
        span of the UTF-8 bytes of `inputs[i]` that token `k` comes from,
        the convention of `WordPieceTokenizer.tokenize_with_offsets`; they
        are HuggingFace's `offset_mapping` (which counts characters) in
        bytes: a token whose pieces come from the "▁" a word starts
        with spans the word's first character, a special token written in
        the text spans itself, and characters the normalisation removes
        belong to no token.

        Args:
            inputs: a str, a list of str or a rank 0/1 `tf.string` tensor.

        Returns:
            Three ragged tensors of shape `(batch_size, None)` (one
            dimension less for a scalar input); offsets are int64.
        """
        self._require_proto()
        vocabulary = self._vocab_tensor if self._output_dtype == "string" else None
        return tokenize_with_offsets(
            self._pipeline, inputs, albert_normalize, vocabulary=vocabulary
        )

    def _index(self):
        return {piece: i for i, piece in enumerate(self._vocabulary)}

    def tokenize(self, inputs):
        from keras_nlp.src.tokenizers.tokenizer import to_string_tensor

        self._require_proto()
        strings, unbatched = to_string_tensor(inputs)
        if unbatched:
            strings = tf.expand_dims(strings, 0)
        ids = self._pipeline.tokenize(strings, albert_normalize)
        tokens = self._format_tokens(ids)
        if unbatched:
            tokens = tokens[0]
        return tokens
