# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Writes a tiny random DistilBERT checkpoint and its reference outputs.

The reference implementation is HuggingFace `transformers` on PyTorch (CPU),
which is NOT a dependency of keras-nlp: run this script in a separate
environment, for example

    python3 -m venv /tmp/hf
    /tmp/hf/bin/pip install torch transformers safetensors numpy
    /tmp/hf/bin/python make_fixture.py \\
        --output packages/keras-nlp/keras_nlp/src/models/distil_bert/testdata

(the committed files were written with torch 2.14.1 and transformers 5.25.0).
It writes `tiny_distil_bert/`: a `DistilBertForMaskedLM` checkpoint
(`config.json`, `model.safetensors`, tensor names prefixed `distilbert.`
plus the masked-LM head), `vocab.txt`, `tokenizer_config.json`,
`heads.npz` (the tensors of a sequence-classification, a question-answering
and a token-classification head on the same body, under their
`transformers` names prefixed `classifier/`, `qa/` and `token/`) and
`reference.npz`: a padded batch and the outputs of `transformers` on it
(sequence output, every layer's output, and the logits of every head).

Every weight, layer norms and biases included, is drawn at random so that a
converter that drops or transposes any tensor fails the comparison.
"""

import argparse
import os

import numpy as np

VOCAB_SIZE = 99
NUM_CLASSES = 3
NUM_TAGS = 4


def _randomize(model, generator):
    import torch

    with torch.no_grad():
        for name, param in model.named_parameters():
            noise = torch.randn(param.shape, generator=generator, dtype=torch.float32)
            if "layer_norm.weight" in name or "LayerNorm.weight" in name:
                param.copy_(1.0 + 0.2 * noise)
            elif "embeddings" in name:
                param.copy_(0.5 * noise)
            else:
                param.copy_(0.15 * noise)


def _inputs(seed):
    rng = np.random.RandomState(seed)
    batch, length = 4, 16
    lengths = np.array([16, 11, 5, 1])
    ids = rng.randint(5, VOCAB_SIZE, size=(batch, length))
    ids[:, 0] = 2  # [CLS]
    mask = (np.arange(length)[None] < lengths[:, None]).astype("int64")
    # Padding holds arbitrary ids: it must not matter.
    ids = np.where(mask == 1, ids, rng.randint(0, VOCAB_SIZE, size=ids.shape))
    return ids.astype("int64"), mask


def make(output, seed=0):
    import torch
    import transformers

    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    config = transformers.DistilBertConfig(
        vocab_size=VOCAB_SIZE,
        dim=32,
        n_layers=2,
        n_heads=4,
        hidden_dim=37,
        max_position_embeddings=24,
        activation="gelu",
        dropout=0.1,
        attention_dropout=0.1,
        attn_implementation="eager",
    )
    directory = os.path.join(output, "tiny_distil_bert")
    os.makedirs(directory, exist_ok=True)
    masked_lm = transformers.DistilBertForMaskedLM(config)
    _randomize(masked_lm, generator)
    masked_lm.eval()
    masked_lm.save_pretrained(directory, safe_serialization=True)
    special = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    words = [f"tok{i}" for i in range(VOCAB_SIZE - len(special))]
    with open(os.path.join(directory, "vocab.txt"), "w") as f:
        f.write("\n".join(special + words) + "\n")
    with open(os.path.join(directory, "tokenizer_config.json"), "w") as f:
        f.write('{"do_lower_case": true, "tokenize_chinese_chars": true}\n')

    body = masked_lm.distilbert.state_dict()
    heads, reference = {}, {}
    ids, mask = _inputs(seed)
    kwargs = dict(
        input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(mask)
    )
    with torch.no_grad():
        out = masked_lm(**kwargs, output_hidden_states=True)
        reference["sequence_output"] = out.hidden_states[-1].numpy()
        reference["encoder_outputs"] = np.stack(
            [h.numpy() for h in out.hidden_states[1:]]
        )
        reference["masked_lm_logits"] = out.logits.numpy()
        for prefix, cls, labels in (
            ("classifier", transformers.DistilBertForSequenceClassification, 3),
            ("qa", transformers.DistilBertForQuestionAnswering, 2),
            ("token", transformers.DistilBertForTokenClassification, NUM_TAGS),
        ):
            model = cls(
                transformers.DistilBertConfig(
                    **{
                        **{
                            k: v
                            for k, v in config.to_dict().items()
                            if k not in ("id2label", "label2id")
                        },
                        "num_labels": labels,
                    }
                )
            )
            _randomize(model, generator)
            model.distilbert.load_state_dict(body)
            model.eval()
            for name, value in model.state_dict().items():
                if not name.startswith("distilbert."):
                    heads[f"{prefix}/{name}"] = value.numpy()
            result = model(**kwargs)
            if prefix == "qa":
                reference["qa_start_logits"] = result.start_logits.numpy()
                reference["qa_end_logits"] = result.end_logits.numpy()
            else:
                reference[f"{prefix}_logits"] = result.logits.numpy()
    np.savez_compressed(os.path.join(directory, "heads.npz"), **heads)
    np.savez_compressed(
        os.path.join(directory, "reference.npz"),
        input_ids=ids.astype("int32"),
        input_mask=mask.astype("int32"),
        **reference,
    )
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
