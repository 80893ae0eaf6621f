# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Writes a tiny random ALBERT checkpoint and reference outputs.

The reference implementation is HuggingFace `transformers` on PyTorch (CPU),
which is NOT a dependency of keras-nlp: run this script in a separate
environment, for example

    python3 -m venv /tmp/hf
    /tmp/hf/bin/pip install torch transformers safetensors numpy
    /tmp/hf/bin/python make_fixture.py \\
        --output packages/keras-nlp/keras_nlp/src/models/albert/testdata

(the committed files were written with torch 2.14.1 and transformers 5.25.0).
It writes `tiny_albert/`: an `AlbertForPreTraining` checkpoint
(`config.json`, `model.safetensors`, `spiece.model` (the tokenizer
fixture's), tensor names prefixed `albert.` plus
the masked-LM head `predictions.` and sentence-order head `sop_classifier.`; embeddings of width 16 projected to 32,
3 layers sharing the weights of one), `heads.npz` (the tensors of a
sequence-classification, a question-answering and a token-classification
head on the same body, under their `transformers` names prefixed
`classifier/`, `qa/` and `token/`) and `reference.npz`: a padded batch and
the outputs of `transformers` on it (sequence output, pooled output,
every layer's output, the masked-LM logits at the first 5 positions and the logits of every head).
It also writes `tiny_albert_groups/`, the same with 4 layers in 2 groups
(`num_hidden_groups=2`) and its `reference.npz`.

Every weight, layer norms and biases included, is drawn at random so that a
converter that drops or transposes any tensor fails the comparison.
"""

import os
import shutil
import sys

import numpy as np

# The helpers shared by the fixture scripts (convert/testdata/hf_fixture.py).
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(_HERE, "..", "..", "..", "convert", "testdata"))
import hf_fixture  # noqa: E402

# The vocabulary of `tokenizers/testdata/albert_spiece.model`, which is
# copied into `tiny_albert/` as its `spiece.model`.
VOCAB_SIZE = 4000
SPIECE = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
    "..",
    "tokenizers",
    "testdata",
    "albert_spiece.model",
)
NUM_CLASSES = 3
NUM_TAGS = 4


def _config(transformers, **overrides):
    values = dict(
        vocab_size=VOCAB_SIZE,
        embedding_size=16,
        hidden_size=32,
        num_hidden_layers=3,
        num_hidden_groups=1,
        inner_group_num=1,
        num_attention_heads=4,
        intermediate_size=37,
        max_position_embeddings=24,
        type_vocab_size=2,
        hidden_act="gelu_new",
        layer_norm_eps=1e-12,
        pad_token_id=0,
        bos_token_id=2,
        eos_token_id=3,
        attn_implementation="eager",
    )
    values.update(overrides)
    return transformers.AlbertConfig(**values)


def make(output, seed=0):
    import torch
    import transformers

    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    for name, overrides, with_heads in (
        ("tiny_albert", {}, True),
        ("tiny_albert_groups", {"num_hidden_layers": 4, "num_hidden_groups": 2}, False),
    ):
        config = _config(transformers, **overrides)
        directory = os.path.join(output, name)
        os.makedirs(directory, exist_ok=True)
        masked_lm = transformers.AlbertForPreTraining(config)
        hf_fixture.randomize(masked_lm, generator)
        masked_lm.eval()
        masked_lm.save_pretrained(directory, safe_serialization=True)
        if with_heads:
            shutil.copyfile(SPIECE, os.path.join(directory, "spiece.model"))
        body = masked_lm.albert.state_dict()
        reference = {}
        ids, mask, types = hf_fixture.padded_batch(seed, VOCAB_SIZE, 5, first_id=2)
        kwargs = dict(
            input_ids=torch.from_numpy(ids),
            attention_mask=torch.from_numpy(mask),
            token_type_ids=torch.from_numpy(types),
        )
        with torch.no_grad():
            base = masked_lm.albert(**kwargs, output_hidden_states=True)
            reference["sequence_output"] = base.last_hidden_state.numpy()
            reference["pooled_output"] = base.pooler_output.numpy()
            reference["encoder_outputs"] = np.stack(
                [h.numpy() for h in base.hidden_states[1:]]
            )
            if with_heads:  # The first 5 positions (the file stays small).
                predictions = masked_lm(**kwargs).prediction_logits.numpy()
                reference["mlm_logits"] = predictions[:, :5]
            heads, logits = hf_fixture.task_heads(
                hf_fixture.standard_heads(transformers, "Albert", NUM_TAGS)
                if with_heads
                else (),
                "albert",
                body,
                lambda labels, overrides=overrides: _config(
                    transformers, num_labels=labels, **overrides
                ),
                generator,
                kwargs,
                strict=False,
            )
        hf_fixture.save(
            directory,
            {**reference, **logits},
            heads,
            input_ids=ids,
            input_mask=mask,
            input_type_ids=types,
        )
    return output


if __name__ == "__main__":
    hf_fixture.main(make, __doc__, __file__)
