# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Id parity with HuggingFace for the SentencePiece family tokenizers.

The family tests (`models/albert/`, `models/xlm_roberta/`) call
`SentencePieceParity` so that each parity test is a few lines. The
references are `testdata/hf_sentence_piece_reference.json` (the messy
corpus, special-token lines, edge cases) and `testdata/hf_unigram_reference.json`
(random strings of pieces, where the unigram search meets exact ties).
This file is named `*_test.py` so that it does not ship in the wheel.
"""

import functools
import json
import os

import keras
import tensorflow as tf

TESTDATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "testdata")
CORPUS_LINES = 1505
# Lines where HuggingFace's offsets shift: characters the normalisation
# table removes at the start of a text (or after a special token).
SHIFT_LINES = (119, 511, 859, 1529)
# Corpus lines that tensorflow-text's unigram search (float32 sums) split
# otherwise than HuggingFace: 71, 929 (both families), 822 (XLM-R), 1691
# (ALBERT).
TIE_LINES = (71, 822, 929, 1691)


@functools.cache
def _load(name):
    with open(os.path.join(TESTDATA, name), encoding="utf-8") as f:
        return json.load(f)


def saved_model_tokenize(tokenizer, directory):
    """The tokenizer exported in a SavedModel and reloaded, as a function of
    a list of str giving lists of ids."""
    module = tf.Module()
    module.tokenizer = tokenizer
    module.serve = tf.function(
        lambda x: tokenizer(x).to_tensor(default_value=-1),
        input_signature=[tf.TensorSpec([None], tf.string)],
    )
    tf.saved_model.save(module, directory)
    reloaded = tf.saved_model.load(directory)
    return lambda texts: [
        [x for x in row if x != -1]
        for row in reloaded.serve(tf.constant(texts)).numpy().tolist()
    ]


class SentencePieceParity:
    """A family's tokenizer against HuggingFace's ids, in any of three modes.

    Args:
        family: the family's key in the reference files (`"albert"`, ...).
        model_file: the SentencePiece model in `testdata/`.
        tokenizer_cls: the family's tokenizer class.
    """

    def __init__(self, family, model_file, tokenizer_cls):
        self.family = family
        self.model = os.path.join(TESTDATA, model_file)
        self.tokenizer_cls = tokenizer_cls

    def reference(self):
        """`(texts, case)` of `hf_sentence_piece_reference.json`."""
        reference = _load("hf_sentence_piece_reference.json")
        return reference["texts"][self.family], reference["cases"][self.family]

    def tie_cases(self):
        """`(texts, ids)`: the corpus's tie lines and the random strings."""
        texts, case = self.reference()
        random = _load("hf_unigram_reference.json")[self.family]
        inputs = [texts[i] for i in TIE_LINES] + random["random_texts"]
        return inputs, [case["ids"][i] for i in TIE_LINES] + random["random_ids"]

    def tokenize(self, texts, mode, tmp_path=None, tokenizer=None):
        """Lists of ids of `texts`, by the tokenizer (a new one if None) run
        in `mode`: `"eager"`, `"tf_data"` or `"saved_model"` (which needs
        `tmp_path`)."""
        tokenizer = tokenizer or self.tokenizer_cls(self.model)
        if mode == "eager":
            return tokenizer(texts).to_list()
        if mode == "tf_data":
            dataset = tf.data.Dataset.from_tensor_slices(texts).batch(97)
            return [ids for batch in dataset.map(tokenizer) for ids in batch.to_list()]
        if mode == "saved_model":
            return saved_model_tokenize(tokenizer, str(tmp_path / "saved"))(texts)
        raise ValueError(f"Unknown mode {mode!r}.")

    def check_corpus(self, mode, tmp_path=None):
        """Every reference text's ids equal HuggingFace's."""
        texts, case = self.reference()
        assert len(texts) > CORPUS_LINES
        ours = self.tokenize(texts, mode, tmp_path)
        mismatches = [i for i, (a, b) in enumerate(zip(ours, case["ids"])) if a != b]
        assert len(ours) == len(texts) and mismatches == []

    def check_ties(self, modes, tmp_path=None):
        """The tie cases' ids equal HuggingFace's in each of `modes`."""
        texts, want = self.tie_cases()
        tokenizer = self.tokenizer_cls(self.model)
        for mode in modes:
            assert self.tokenize(texts, mode, tmp_path, tokenizer) == want, mode

    def check_keras_file_round_trip(self, tmp_path, pad_id, mask_token):
        """A Functional model around the tokenizer (`sequence_length=32`)
        saved to a `.keras` file and loaded gives HuggingFace's ids padded
        with `pad_id`, and the loaded tokenizer keeps `mask_token`'s id."""
        texts, case = self.reference()
        inputs = keras.Input(shape=(), dtype="string")
        outputs = self.tokenizer_cls(self.model, sequence_length=32)(inputs)
        path = str(tmp_path / "tokenizer.keras")
        keras.Model(inputs, outputs).save(path)
        restored = keras.saving.load_model(path)
        got = restored.predict(tf.constant(texts[:50]), verbose=0).tolist()
        assert got == [(ids + [pad_id] * 32)[:32] for ids in case["ids"][:50]]
        layer = restored.layers[-1]
        assert isinstance(layer, self.tokenizer_cls)
        assert layer.mask_token_id == case["special_token_ids"][mask_token]

    def check_offsets(self, mode, lines=None):
        """Every reference text's ids and byte offsets equal HuggingFace's
        (its character offsets, counted in UTF-8 bytes), `mode` `"eager"`
        or `"tf_data"`; only the texts at `lines` when given."""
        texts, case = self.reference()
        offsets = _load("hf_unigram_reference.json")[self.family]["offsets"]
        lines = range(len(texts)) if lines is None else lines
        texts = [texts[i] for i in lines]
        case = {"ids": [case["ids"][i] for i in lines]}
        offsets = [offsets[i] for i in lines]
        tokenizer = self.tokenizer_cls(self.model)
        if mode == "eager":
            ids, starts, ends = tokenizer.tokenize_with_offsets(texts)
            rows = zip(ids.to_list(), starts.to_list(), ends.to_list())
        elif mode == "tf_data":
            dataset = tf.data.Dataset.from_tensor_slices(texts).batch(97)
            rows = [
                row
                for batch in dataset.map(tokenizer.tokenize_with_offsets)
                for row in zip(*(x.to_list() for x in batch))
            ]
        else:
            raise ValueError(f"Unknown mode {mode!r}.")
        mismatches = []
        for i, (text, (ids, starts, ends)) in enumerate(zip(texts, rows)):
            byte = [len(text[:k].encode("utf-8")) for k in range(len(text) + 1)]
            want = [[byte[a], byte[b]] for a, b in offsets[i]]
            if ids != case["ids"][i] or [list(x) for x in zip(starts, ends)] != want:
                mismatches.append(i)
        assert i == len(texts) - 1 and mismatches == []
