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

import argparse
import json
import os

import numpy as np


def _randomize(model, seed):
    import torch

    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, param in model.named_parameters():
            noise = torch.randn(param.shape, generator=generator, dtype=torch.float32)
            if "LayerNorm.weight" in name:
                param.copy_(1.0 + 0.2 * noise)
            elif "embeddings" in name:
                param.copy_(0.5 * noise)
            else:
                param.copy_(0.15 * noise)


def _inputs(vocab_size, type_vocab_size, seed):
    rng = np.random.RandomState(seed)
    batch, length = 4, 16
    lengths = np.array([16, 11, 5, 1])
    ids = rng.randint(1, vocab_size, size=(batch, length))
    mask = (np.arange(length)[None] < lengths[:, None]).astype("int64")
    types = np.zeros((batch, length), "int64")
    types[0, 9:] = 1
    types[1, 6:11] = type_vocab_size - 1
    # Padding holds arbitrary ids and types: it must not matter.
    ids = np.where(mask == 1, ids, rng.randint(0, vocab_size, size=ids.shape))
    return ids.astype("int64"), mask, types


def _write_vocab(directory, vocab_size):
    special = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    words = [f"tok{i}" for i in range(vocab_size - len(special))]
    with open(os.path.join(directory, "vocab.txt"), "w") as f:
        f.write("\n".join(special + words) + "\n")


def _reference(model, bert, ids, mask, types, directory):
    import torch

    with torch.no_grad():
        outputs = bert(
            input_ids=torch.from_numpy(ids),
            attention_mask=torch.from_numpy(mask),
            token_type_ids=torch.from_numpy(types),
            output_hidden_states=True,
        )
    np.savez_compressed(
        os.path.join(directory, "reference.npz"),
        input_ids=ids.astype("int32"),
        input_mask=mask.astype("int32"),
        input_type_ids=types.astype("int32"),
        sequence_output=outputs.last_hidden_state.numpy(),
        pooled_output=outputs.pooler_output.numpy(),
        # hidden_states[0] is the embedding output; then one per layer.
        encoder_outputs=np.stack([h.numpy() for h in outputs.hidden_states[1:]]),
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
    _randomize(model, seed)
    model.eval()
    model.save_pretrained(directory, safe_serialization=True)
    _write_vocab(directory, config.vocab_size)
    ids, mask, types = _inputs(config.vocab_size, config.type_vocab_size, seed)
    _reference(model, model, ids, mask, types, directory)

    # 2. BertForPreTraining, tanh GELU, pytorch_model.bin (zip format).
    directory = os.path.join(output, "tiny_bert_pretraining_bin")
    os.makedirs(directory, exist_ok=True)
    config = transformers.BertConfig(
        hidden_act="gelu_new", attn_implementation="eager", **common
    )
    model = transformers.BertForPreTraining(config)
    _randomize(model, seed + 1)
    model.eval()
    config.architectures = ["BertForPreTraining"]
    with open(os.path.join(directory, "config.json"), "w") as f:
        json.dump(config.to_dict(), f, indent=2, sort_keys=True)
    state = {k: v.contiguous() for k, v in model.state_dict().items()}
    torch.save(state, os.path.join(directory, "pytorch_model.bin"))
    _write_vocab(directory, config.vocab_size)
    ids, mask, types = _inputs(config.vocab_size, config.type_vocab_size, seed + 1)
    _reference(model, model.bert, ids, mask, types, directory)
    return output


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    make(args.output, args.seed)
    print(f"wrote fixtures to {args.output}")


if __name__ == "__main__":
    main()
