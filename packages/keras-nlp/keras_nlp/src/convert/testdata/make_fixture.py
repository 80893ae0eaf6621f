# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Writes tiny random BERT checkpoints and their reference outputs.

The reference implementation is HuggingFace `transformers` on PyTorch (CPU),
which is NOT a dependency of keras-nlp: run this script in a separate
environment, for example

    python3 -m venv /tmp/hf-bert
    /tmp/hf-bert/bin/pip install torch==2.13.0 transformers safetensors numpy
    /tmp/hf-bert/bin/python make_fixture.py --output packages/keras-nlp/keras_nlp/src/convert/testdata

It writes two checkpoint directories, each with `config.json`, the weights,
`vocab.txt` and `reference.npz` (inputs of a padded batch and the outputs of
`transformers` on them):

- `tiny_bert/`: a `BertModel` with exact GELU saved as `model.safetensors`.
- `tiny_bert_pretraining_bin/`: a `BertForPreTraining` (tensor names start
  with `bert.`, plus the `cls.` heads) with the tanh GELU (`gelu_new`),
  saved as a zip-format `pytorch_model.bin`.

Every weight, layer norms and biases included, is drawn at random so that a
converter that drops or transposes any tensor fails the comparison.
"""

import json
import os

import hf_fixture  # convert/testdata/hf_fixture.py, next to this script


def _reference(bert, ids, mask, types, directory):
    import torch

    with torch.no_grad():
        outputs = bert(
            input_ids=torch.from_numpy(ids),
            attention_mask=torch.from_numpy(mask),
            token_type_ids=torch.from_numpy(types),
            output_hidden_states=True,
        )
    hidden = hf_fixture.hidden_state_outputs(outputs.hidden_states)
    reference = {
        "sequence_output": outputs.last_hidden_state.numpy(),
        "pooled_output": outputs.pooler_output.numpy(),
        "encoder_outputs": hidden["encoder_outputs"],
    }
    hf_fixture.save(
        directory, reference, input_ids=ids, input_mask=mask, input_type_ids=types
    )


def _inputs(config, seed):
    return hf_fixture.padded_batch(
        seed,
        config.vocab_size,
        1,
        second_segment=config.type_vocab_size - 1,
    )


def make(output, seed=0):
    import torch
    import transformers

    torch.manual_seed(seed)
    common = dict(
        vocab_size=99,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=4,
        intermediate_size=37,
        max_position_embeddings=24,
        type_vocab_size=3,
        layer_norm_eps=1e-12,
        hidden_dropout_prob=0.1,
        attention_probs_dropout_prob=0.1,
    )

    # 1. BertModel, exact GELU, safetensors.
    directory = os.path.join(output, "tiny_bert")
    os.makedirs(directory, exist_ok=True)
    config = transformers.BertConfig(
        hidden_act="gelu", attn_implementation="eager", **common
    )
    model = transformers.BertModel(config, add_pooling_layer=True)
    hf_fixture.randomize(model, torch.Generator().manual_seed(seed))
    model.eval()
    model.save_pretrained(directory, safe_serialization=True)
    hf_fixture.write_wordpiece_vocab(directory, config.vocab_size)
    ids, mask, types = _inputs(config, seed)
    _reference(model, ids, mask, types, directory)

    # 2. BertForPreTraining, tanh GELU, pytorch_model.bin (zip format).
    directory = os.path.join(output, "tiny_bert_pretraining_bin")
    os.makedirs(directory, exist_ok=True)
    config = transformers.BertConfig(
        hidden_act="gelu_new", attn_implementation="eager", **common
    )
    model = transformers.BertForPreTraining(config)
    hf_fixture.randomize(model, torch.Generator().manual_seed(seed + 1))
    model.eval()
    config.architectures = ["BertForPreTraining"]
    with open(os.path.join(directory, "config.json"), "w") as f:
        json.dump(config.to_dict(), f, indent=2, sort_keys=True)
    state = {k: v.contiguous() for k, v in model.state_dict().items()}
    torch.save(state, os.path.join(directory, "pytorch_model.bin"))
    hf_fixture.write_wordpiece_vocab(directory, config.vocab_size)
    ids, mask, types = _inputs(config, seed + 1)
    _reference(model.bert, ids, mask, types, directory)
    return output


if __name__ == "__main__":
    hf_fixture.main(make, __doc__, __file__)
