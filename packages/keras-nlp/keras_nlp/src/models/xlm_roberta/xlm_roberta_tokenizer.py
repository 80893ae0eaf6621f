# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""XLM-RoBERTa's SentencePiece tokenizer, with fairseq's (HuggingFace's) ids."""

import os

import tensorflow as tf

from keras_core import api_export
from keras_nlp.src.tokenizers.hf_sentence_piece import HuggingFaceSentencePiece
from keras_nlp.src.tokenizers.hf_sentence_piece import tokenize_with_offsets
from keras_nlp.src.tokenizers.hf_sentence_piece import without_normalization
from keras_nlp.src.tokenizers.sentence_piece_tokenizer import SentencePieceTokenizer
from keras_nlp.src.tokenizers.tokenizer import check_ids_in_vocabulary
from keras_nlp.src.tokenizers.tokenizer import to_string_tensor
from keras_nlp.src.tokenizers.tokenizer import token_id_tensor

# fairseq's dictionary starts with these; the model's pieces follow.
FAIRSEQ_SPECIALS = ("<s>", "<pad>", "</s>", "<unk>")
MASK = "<mask>"
# The name of the SentencePiece model in HuggingFace XLM-RoBERTa checkpoints.
SENTENCEPIECE_FILE = "sentencepiece.bpe.model"


@api_export("keras_nlp.tokenizers.XLMRobertaTokenizer", stability="experimental")
class XLMRobertaTokenizer(SentencePieceTokenizer):
    """XLM-RoBERTa's tokenizer: its SentencePiece model with fairseq's ids.

    XLM-RoBERTa was trained with fairseq, whose dictionary puts `<s>` (0),
    `<pad>` (1), `</s>` (2), `<unk>` (3) first, then the SentencePiece
    model's pieces from its id 3 on, each shifted by one, then `<mask>`
    (last). This tokenizer returns those ids (the checkpoints' embedding
    rows).

    It gives the ids of HuggingFace's fast `XLMRobertaTokenizerFast`
    (`transformers` 5), not those of the SentencePiece library on the same
    `sentencepiece.bpe.model`: checkpoints are fine-tuned and evaluated
    with the HuggingFace tokenizer, and the two differ on real text (the
    library applies the model's normalisation table by longest match,
    stops at NUL and knows only the ASCII space; HuggingFace applies the
    table per grapheme cluster and splits words at every Unicode space).
    The steps, all TensorFlow / tensorflow-text ops so that the tokenizer
    runs in `tf.data` and in exported SavedModels:

    1. special tokens written in the text (`<s>`, `<pad>`, `</s>`, `<unk>`,
       `<mask>`) become their ids;
    2. the model's normalisation table, per grapheme cluster;
    3. words split at Unicode white space, each starting with "▁";
    4. SentencePiece's unigram search for each word, ids shifted as above.

    The unigram search is HuggingFace's, float64 sums and tie rule
    included (tensorflow-text's SentencePiece op sums in float32 and splits
    e.g. long runs of one character differently).

    Args:
        proto: XLM-RoBERTa's SentencePiece model (`sentencepiece.bpe.model`:
            `<unk>`, `<s>`, `</s>` are its ids 0, 1, 2), as bytes or a file
            path. Saved as an asset.
        sequence_length: int or None. Pad with `<pad>` (1) or truncate to
            this length; ragged outputs when None.
        dtype: `"int32"` or `"int64"` ids, or `"string"` pieces.
        **kwargs: Keras layer arguments.

    Example:

    >>> import sentencepiece, io
    >>> model = io.BytesIO()
    >>> sentencepiece.SentencePieceTrainer.train(
    ...     sentence_iterator=iter(["the quick brown fox", "the lazy dog"] * 20),
    ...     model_writer=model, vocab_size=30, unk_id=0, bos_id=1, eos_id=2,
    ...     pad_id=-1, hard_vocab_limit=False, minloglevel=2)
    >>> tokenizer = keras_nlp.tokenizers.XLMRobertaTokenizer(model.getvalue())
    >>> ids = tokenizer(["the <mask> dog"]).to_list()[0]
    >>> tokenizer.mask_token_id in ids  # written in the text
    True
    >>> tokenizer.mask_token_id == tokenizer.vocabulary_size() - 1  # last
    True
    >>> tokenizer.detokenize(ids)
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
        pieces = self._vocabulary
        expected = ["<unk>", "<s>", "</s>"]
        if pieces[:3] != expected:
            self.proto = None
            raise ValueError(
                "An XLM-RoBERTa SentencePiece model starts with the pieces "
                f"{expected} (ids 0, 1, 2). This one starts with {pieces[:3]}. "
                "Pass XLM-RoBERTa's `sentencepiece.bpe.model`, or train one "
                "with `unk_id=0, bos_id=1, eos_id=2, pad_id=-1`."
            )
        self._vocabulary = list(FAIRSEQ_SPECIALS) + pieces[3:] + [MASK]
        with tf.init_scope():
            self._vocab_tensor = tf.constant(self._vocabulary)
        self.bos_token_id = self.cls_token_id = 0
        self.pad_token_id = 1
        self.eos_token_id = self.sep_token_id = 2
        self.unk_token_id = 3
        self.mask_token_id = len(self._vocabulary) - 1
        dtype = tf.int64 if self._output_dtype == "int64" else tf.int32
        specials = {token: i for i, token in enumerate(FAIRSEQ_SPECIALS)}
        specials[MASK] = self.mask_token_id
        # HuggingFace's vocabulary: fairseq's ids, the added tokens score 0.
        scores = [p.score for p in without_normalization(proto)[0].pieces]
        vocabulary = list(zip(self._vocabulary, [0.0] * 4 + scores[3:] + [0.0]))
        self._pipeline = HuggingFaceSentencePiece(
            proto, specials, dtype, vocabulary=vocabulary, unk_id=self.unk_token_id
        )
        # Tracked by the layer, so that SavedModels keep them.
        self._pipeline_resources = self._pipeline.trackables()

    def _format_tokens(self, tokens):
        if self.sequence_length is None or self._output_dtype == "string":
            return super()._format_tokens(tokens)
        # Padded with <pad>, which is 1 here.
        return tokens.to_tensor(
            default_value=tf.cast(self.pad_token_id, tokens.dtype),
            shape=[None, self.sequence_length],
        )

    def tokenize(self, inputs):
        self._require_proto()
        strings, unbatched = to_string_tensor(inputs)
        if unbatched:
            strings = tf.expand_dims(strings, 0)
        ids = self._pipeline.tokenize(strings)
        tokens = self._format_tokens(ids)
        if unbatched:
            tokens = tokens[0]
        return tokens

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
        return tokenize_with_offsets(self._pipeline, inputs, vocabulary=vocabulary)

    def detokenize(self, inputs):
        """Token ids -> strings; `<s>`, `<pad>`, `</s>`, `<mask>` are dropped.

        Args:
            inputs: integer ids: one sequence (rank 1, gives a scalar string)
                or a batch (rank 2, dense or ragged; gives a string vector).
        """
        self._require_proto()
        ids = token_id_tensor(inputs, "detokenize inputs")
        ids = check_ids_in_vocabulary(
            ids, len(self._vocabulary), f"{type(self).__name__}.detokenize"
        )
        ids = tf.cast(ids, tf.int32)
        single = ids.shape.rank == 1
        if single:
            ids = ids[None]
        if not isinstance(ids, tf.RaggedTensor):
            ids = tf.RaggedTensor.from_tensor(ids)
        keep = tf.logical_and(ids >= 3, ids != self.mask_token_id)
        ids = tf.ragged.boolean_mask(ids, keep)
        # fairseq's ids back to SentencePiece's: <unk> 3 -> 0, others - 1.
        ids = tf.ragged.map_flat_values(
            lambda x: tf.where(tf.equal(x, 3), tf.zeros_like(x), x - 1), ids
        )
        text = self._sentence_piece.detokenize(ids)
        return text[0] if single else text


def tokenizer_from_huggingface(directory, sequence_length=None):
    """The `XLMRobertaTokenizer` of a HuggingFace XLM-RoBERTa checkpoint
    folder, read from its `sentencepiece.bpe.model`.

    `keras_nlp.convert.tokenizer_from_huggingface` calls it for checkpoints
    whose `model_type` is `"xlm-roberta"`.

    Args:
        directory: the checkpoint folder.
        sequence_length: int or None. Pad or truncate outputs to this length.
    """
    path = os.path.join(os.fspath(directory), SENTENCEPIECE_FILE)
    if not os.path.isfile(path):
        raise ValueError(
            f"No {SENTENCEPIECE_FILE} in {os.fspath(directory)!r}. XLM-RoBERTa "
            "checkpoints keep their SentencePiece model there; download it "
            "with the checkpoint (e.g. `hf download FacebookAI/xlm-roberta-base "
            f"{SENTENCEPIECE_FILE} --local-dir DIR`)."
        )
    return XLMRobertaTokenizer(path, sequence_length=sequence_length)
