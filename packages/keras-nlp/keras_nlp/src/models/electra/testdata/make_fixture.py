# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Writes a tiny random ELECTRA discriminator checkpoint and reference outputs.

The reference implementation is HuggingFace `transformers` on PyTorch (CPU),
which is NOT a dependency of keras-nlp: run this script in a separate
environment, for example

    python3 -m venv /tmp/hf
    /tmp/hf/bin/pip install torch transformers safetensors numpy
    /tmp/hf/bin/python make_fixture.py \\
        --output packages/keras-nlp/keras_nlp/src/models/electra/testdata

(the committed files were written with torch 2.14.1 and transformers 5.25.0).
It writes `tiny_electra/`: an `ElectraForPreTraining` (discriminator)
checkpoint (`config.json`, `model.safetensors`, tensor names prefixed
`electra.` plus the discriminator head; embeddings of width 16 projected to
32), `vocab.txt`, `tokenizer_config.json`,
`heads.npz` (the tensors of a sequence-classification, a question-answering
and a token-classification head on the same body, under their
`transformers` names prefixed `classifier/`, `qa/` and `token/`) and
`reference.npz`: a padded batch and the outputs of `transformers` on it
(sequence output, every layer's output, and the logits of every head;
there is no pooled output and no masked-LM head in an ELECTRA
discriminator).

Every weight, layer norms and biases included, is drawn at random so that a
converter that drops or transposes any tensor fails the comparison.
"""

import os
import sys

# The helpers shared by the fixture scripts (convert/testdata/hf_fixture.py).
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(_HERE, "..", "..", "..", "convert", "testdata"))
import hf_fixture  # noqa: E402

VOCAB_SIZE = 99
NUM_CLASSES = 3
NUM_TAGS = 4


def make(output, seed=0):
    import torch
    import transformers

    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    config = transformers.ElectraConfig(
        vocab_size=VOCAB_SIZE,
        embedding_size=16,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=4,
        intermediate_size=37,
        max_position_embeddings=24,
        type_vocab_size=2,
        hidden_act="gelu",
        layer_norm_eps=1e-12,
        attn_implementation="eager",
    )
    directory = os.path.join(output, "tiny_electra")
    os.makedirs(directory, exist_ok=True)
    discriminator = transformers.ElectraForPreTraining(config)
    hf_fixture.randomize(discriminator, generator)
    discriminator.eval()
    discriminator.save_pretrained(directory, safe_serialization=True)
    hf_fixture.write_wordpiece_vocab(directory, VOCAB_SIZE, tokenizer_config=True)

    ids, mask, types = hf_fixture.padded_batch(seed, VOCAB_SIZE, 5, first_id=2)
    kwargs = dict(
        input_ids=torch.from_numpy(ids),
        attention_mask=torch.from_numpy(mask),
        token_type_ids=torch.from_numpy(types),
    )
    with torch.no_grad():
        out = discriminator(**kwargs, output_hidden_states=True)
        reference = hf_fixture.hidden_state_outputs(out.hidden_states)
        heads, logits = hf_fixture.task_heads(
            hf_fixture.standard_heads(transformers, "Electra", NUM_TAGS),
            "electra",
            discriminator.electra.state_dict(),
            config,
            generator,
            kwargs,
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
