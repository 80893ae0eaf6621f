# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""RoBERTa's tokenizer: byte-level BPE with RoBERTa's special tokens."""

import numpy as np
import tensorflow as tf

from keras_core import api_export
from keras_nlp.src.tokenizers.byte_pair_tokenizer import BytePairTokenizer
from keras_nlp.src.tokenizers.byte_pair_tokenizer import bytes_to_unicode
from keras_nlp.src.tokenizers.tokenizer import to_string_tensor

SPECIAL_TOKENS = ("<s>", "<pad>", "</s>", "<unk>", "<mask>")


@api_export("keras_nlp.tokenizers.RobertaTokenizer", stability="experimental")
class RobertaTokenizer(BytePairTokenizer):
    """RoBERTa's byte-level BPE tokenizer, with its special tokens.

    A `BytePairTokenizer` set up as RoBERTa's hub tokenizers are: `<s>`,
    `<pad>`, `</s>`, `<unk>` and `<mask>` are recognised in the text, and
    `<mask>` takes the space before it (`"a <mask>"` gives the ids of `"a"`
    and `"<mask>"`). Ids equal those of HuggingFace's `RobertaTokenizerFast`
    on the same `vocab.json` and `merges.txt`. The special tokens' ids are
    the attributes `cls_token_id` (`<s>`), `sep_token_id` (`</s>`),
    `pad_token_id`, `unk_token_id` and `mask_token_id`, which the RoBERTa
    preprocessors read. `keras_nlp.convert.tokenizer_from_huggingface`
    builds it from a checkpoint folder.

    Args:
        vocabulary: a dict of token to id or the path of a `vocab.json`.
        merges: a list of merges or the path of a `merges.txt`.
        sequence_length: int or None. Pad with 0 or truncate to this length
            (leave None under a preprocessor, which packs and pads).
        add_prefix_space: bool. Add a space before the text (RoBERTa's
            `add_prefix_space`). Defaults to False, as RoBERTa's.
        special_tokens: the special tokens recognised in the text. Defaults
            to RoBERTa's five.
        lstrip_special_tokens: special tokens that take the whitespace
            before them. Defaults to `["<mask>"]`.
        dtype: `"int32"` or `"int64"` for ids, `"string"` for pieces.

    Example:

    >>> vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3, "<mask>": 4,
    ...          "a": 5, "b": 6, "Ġ": 7, "ab": 8, "Ġab": 9}
    >>> tokenizer = keras_nlp.tokenizers.RobertaTokenizer(
    ...     vocab, merges=["a b", "Ġ ab"])
    >>> tokenizer(["ab ab <mask>"]).to_list()
    [[8, 9, 4]]
    >>> tokenizer.cls_token_id, tokenizer.sep_token_id, tokenizer.pad_token_id
    (0, 2, 1)
    """

    cls_token = "<s>"
    sep_token = "</s>"
    pad_token = "<pad>"
    unk_token = "<unk>"
    mask_token = "<mask>"

    def __init__(
        self,
        vocabulary,
        merges=None,
        sequence_length=None,
        add_prefix_space=False,
        special_tokens=None,
        lstrip_special_tokens=None,
        dtype="int32",
        **kwargs,
    ):
        super().__init__(
            vocabulary,
            merges=merges,
            sequence_length=sequence_length,
            add_prefix_space=add_prefix_space,
            special_tokens=list(
                SPECIAL_TOKENS if special_tokens is None else special_tokens
            ),
            lstrip_special_tokens=(
                ["<mask>"] if lstrip_special_tokens is None else lstrip_special_tokens
            ),
            dtype=dtype,
            **kwargs,
        )
        self._byte_tables = None

    def _set_vocabulary(self, vocabulary, merges):
        super()._set_vocabulary(vocabulary, merges)
        self._byte_tables = None

    def _special_id(self, token):
        if self.vocabulary is not None:
            return self.vocabulary.get(token)
        pending = getattr(self, "_pending", None)
        if pending is not None:
            return pending.special_token_ids.get(token)
        return None

    @property
    def cls_token_id(self):
        """The id of `<s>` (the start token)."""
        return self._special_id(self.cls_token)

    @property
    def sep_token_id(self):
        """The id of `</s>` (the end and separator token)."""
        return self._special_id(self.sep_token)

    @property
    def pad_token_id(self):
        """The id of `<pad>`."""
        return self._special_id(self.pad_token)

    @property
    def unk_token_id(self):
        """The id of `<unk>`."""
        return self._special_id(self.unk_token)

    @property
    def mask_token_id(self):
        """The id of `<mask>`."""
        return self._special_id(self.mask_token)

    def _tables(self):
        """Per id: how many bytes of the text the token stands for, and 1
        if its first byte is a space that its span leaves out (as the
        offsets of HuggingFace's `trim_offsets`)."""
        if self._byte_tables is None:
            self._require_vocabulary()
            byte_of = {c: b for b, c in bytes_to_unicode().items()}
            size = len(self.vocabulary)
            lengths = np.zeros(size, "int64")
            trim = np.zeros(size, "int64")
            specials = set(self.special_tokens)
            for token, index in self.vocabulary.items():
                if token in specials or any(c not in byte_of for c in token):
                    lengths[index] = len(token.encode("utf-8"))
                    continue
                lengths[index] = len(token)
                trim[index] = int(len(token) > 1 and byte_of[token[0]] == 0x20)
            self._byte_tables = (lengths, trim)
        # Constants made per call: a cached tensor would belong to the graph
        # of the first trace.
        return tuple(tf.constant(table) for table in self._byte_tables)

    def tokenize_with_offsets(self, inputs):
        """Strings -> `(token_ids, starts, ends)`, ragged, with byte offsets.

        `starts[i][k]:ends[i][k]` is the span of the UTF-8 bytes of
        `inputs[i]` that token `k` stands for, without the leading space of
        a token such as `"Ġcat"`. Byte-level BPE keeps every byte, so the
        spans tile the text, for text whose bytes are all in the vocabulary
        and that holds no `<mask>` (which takes the space before it).

        Args:
            inputs: a str, a list of str or a rank 0/1 `tf.string` tensor.

        Returns:
            Three ragged tensors of shape `(batch_size, None)` (one
            dimension less for a scalar input); offsets are int64.
        """
        if self.sequence_length is not None:
            raise ValueError(
                "tokenize_with_offsets needs a tokenizer without "
                f"`sequence_length` (it has sequence_length={self.sequence_length})."
            )
        strings, unbatched = to_string_tensor(inputs)
        if unbatched:
            strings = tf.expand_dims(strings, 0)
        ids = self.tokenize(strings)
        lengths_table, trim_table = self._tables()
        flat = tf.cast(ids.flat_values, tf.int64)
        lengths = tf.gather(lengths_table, flat)
        total = tf.cumsum(lengths)
        before = tf.gather(
            tf.concat([tf.zeros([1], tf.int64), total], 0), ids.row_starts()
        )
        ends = total - tf.repeat(before, ids.row_lengths())
        starts = ends - lengths + tf.gather(trim_table, flat)
        starts = ids.with_flat_values(starts)
        ends = ids.with_flat_values(ends)
        if unbatched:
            return ids[0], starts[0], ends[0]
        return ids, starts, ends
