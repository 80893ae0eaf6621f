# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""What each family's `testdata/make_fixture.py` saved from `transformers`,
and the comparisons of our encoders and task heads with it.

A fixture folder holds `reference.npz` (the inputs of a padded batch and
HuggingFace's outputs on it) and `heads.npz` (the tensors of HuggingFace's
task heads, under `classifier/`, `qa/` and `token/`). The family tests
(`models/<family>/`) call `CheckpointReference` so that each comparison is a
few lines. This file is named `*_test.py` so that it does not ship in the
wheel.
"""

import os

import numpy as np

from keras_nlp.src.convert.huggingface import read_checkpoint_tensors

ATOL = 1e-5


class CheckpointReference:
    """The reference outputs of one fixture folder.

    Args:
        directory: the fixture folder.
        input_names: the encoder's inputs, read from `reference.npz`.
    """

    def __init__(self, directory, input_names):
        self.directory = directory
        self.outputs = np.load(os.path.join(directory, "reference.npz"))
        self.inputs = {name: self.outputs[name] for name in input_names}
        #: Where the batch holds real tokens (not padding).
        self.real = self.outputs["input_mask"].astype(bool)

    def head(self, prefix):
        """The tensors of one HuggingFace task head, without `prefix/`."""
        heads = np.load(os.path.join(self.directory, "heads.npz"))
        return {
            name[len(prefix) + 1 :]: heads[name]
            for name in heads.files
            if name.startswith(prefix + "/")
        }

    def assert_close(self, ours, name, where=None):
        """`ours` equals the reference `name` (at `where`, if given)."""
        ours, theirs = np.asarray(ours), self.outputs[name]
        if where is not None:
            ours, theirs = ours[where], theirs[where]
        np.testing.assert_allclose(ours, theirs, atol=ATOL, err_msg=name)

    def check_encoder(self, encoder, where=None):
        """The sequence output and every layer's output match (at `where`:
        with absolute positions, padding positions hold arbitrary ids)."""
        outputs = encoder(self.inputs, training=False)
        self.assert_close(outputs["sequence_output"], "sequence_output", where)
        for ours, theirs in zip(
            outputs["encoder_outputs"], self.outputs["encoder_outputs"]
        ):
            ours, theirs = np.asarray(ours), theirs
            if where is not None:
                ours, theirs = ours[where], theirs[where]
            np.testing.assert_allclose(ours, theirs, atol=ATOL)
        return outputs

    def check_heads(
        self,
        converter,
        classifier,
        span_labeler,
        token_classifier,
        span_inputs=None,
        span_where=None,
        token_where=None,
    ):
        """Loads HuggingFace's heads into the three tasks (3 classes, 4 tags)
        and compares their logits: the span labeler's on `span_inputs`
        (default: the reference inputs) at `span_where`, the tagger's at
        `token_where`."""
        converter.load_task_head(classifier, self.head("classifier"))
        self.assert_close(classifier(self.inputs, training=False), "classifier_logits")
        converter.load_task_head(span_labeler, self.head("qa"))
        out = span_labeler(
            self.inputs if span_inputs is None else span_inputs, training=False
        )
        for key, name in (("start", "qa_start_logits"), ("end", "qa_end_logits")):
            self.assert_close(out[key], name, span_where)
        converter.load_task_head(token_classifier, self.head("token"))
        self.assert_close(
            token_classifier(self.inputs, training=False), "token_logits", token_where
        )

    def check_masked_lm(self, masked_lm, converter, prefixes, where=None):
        """Loads the checkpoint's tensors named `prefixes...` (the LM head)
        into `masked_lm` and compares its logits at every position (at
        `where`, if given) with `masked_lm_logits`."""
        tensors = {
            name: value
            for name, value in read_checkpoint_tensors(self.directory).items()
            if name.startswith(prefixes)
        }
        converter.load_task_head(masked_lm, tensors)
        ids = self.inputs["input_ids"]
        positions = np.tile(np.arange(ids.shape[1], dtype="int32"), (ids.shape[0], 1))
        logits = masked_lm(
            {**self.inputs, "masked_positions": positions}, training=False
        )
        self.assert_close(logits, "masked_lm_logits", where)
