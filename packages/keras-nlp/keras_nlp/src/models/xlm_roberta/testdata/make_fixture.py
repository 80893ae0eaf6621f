# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Writes a tiny random XLM-RoBERTa checkpoint and its reference outputs.

Run it as `../roberta/testdata/make_fixture.py` (whose docstring says how
to set up a `transformers` environment); the committed files were written
with torch 2.14.1 and transformers 5.25.0:

    /tmp/hf/bin/python make_fixture.py \\
        --output packages/keras-nlp/keras_nlp/src/models/xlm_roberta/testdata

It writes `tiny_xlm_roberta/`: an `XLMRobertaForMaskedLM` checkpoint
(`config.json`, `model.safetensors`, names prefixed `roberta.` plus
`lm_head.`), `heads.npz` (sequence-classification, question-answering and
token-classification heads on the same body, prefixed `classifier/`, `qa/`
and `token/`), `reference.npz` (a padded batch, padding id 1, and the
outputs of `transformers` on it), `sentencepiece.bpe.model` (a copy of
`tokenizers/testdata/xlm_roberta_sentencepiece.model`, whose 4,000 pieces
give the 4,002 rows of the embedding table in fairseq's layout) and
`tokenized.json`: short texts and text pairs and the ids that
`transformers`' `XLMRobertaTokenizerFast`, loaded from the folder, packs
them into (`padding="max_length"`, `max_length=16`).
"""

import argparse
import json
import os
import shutil
import sys

import numpy as np

sys.path.insert(
    0,
    os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "roberta", "testdata"
    ),
)
from make_fixture import _inputs  # noqa: E402
from make_fixture import _randomize  # noqa: E402

# `tokenizers/testdata/xlm_roberta_sentencepiece.model` (4,000 pieces:
# <unk>, <s>, </s>, ...) in fairseq's layout: <s> <pad> </s> <unk>, the
# 3,997 other pieces, <mask>.
VOCAB_SIZE = 4002
SENTENCEPIECE = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "..",
    "..",
    "..",
    "tokenizers",
    "testdata",
    "xlm_roberta_sentencepiece.model",
)
NUM_TAGS = 4
SEQUENCE_LENGTH = 16
TEXTS = [
    "The quick brown fox jumps over the lazy dog.",
    "Größere Häuser, naïve café!",
    "  leading spaces and a <mask> token",
    "東京は日本の首都です。",
]
PAIRS = [
    ("Where is the fox?", "The fox is in the garden behind the house."),
    ("¿Dónde está?", "Aquí."),
]


def make(output, seed=0):
    import torch
    import transformers

    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    directory = os.path.join(output, "tiny_xlm_roberta")
    os.makedirs(directory, exist_ok=True)
    config = transformers.XLMRobertaConfig(
        vocab_size=VOCAB_SIZE,
        hidden_size=24,
        num_hidden_layers=2,
        num_attention_heads=3,
        intermediate_size=29,
        max_position_embeddings=16 + 2,
        type_vocab_size=1,
        hidden_act="gelu",
        layer_norm_eps=1e-5,
        pad_token_id=1,
        bos_token_id=0,
        eos_token_id=2,
        attn_implementation="eager",
    )
    masked_lm = transformers.XLMRobertaForMaskedLM(config)
    _randomize(masked_lm, generator)
    masked_lm.tie_weights()
    masked_lm.eval()
    masked_lm.save_pretrained(directory, safe_serialization=True)
    shutil.copyfile(SENTENCEPIECE, os.path.join(directory, "sentencepiece.bpe.model"))
    tokenizer = transformers.XLMRobertaTokenizerFast.from_pretrained(directory)
    assert len(tokenizer) == VOCAB_SIZE, len(tokenizer)
    packing = dict(padding="max_length", truncation=True, max_length=SEQUENCE_LENGTH)
    with open(os.path.join(directory, "tokenized.json"), "w") as f:
        json.dump(
            {
                "transformers": transformers.__version__,
                "sequence_length": SEQUENCE_LENGTH,
                "texts": TEXTS,
                "input_ids": tokenizer(TEXTS, **packing)["input_ids"],
                "pairs": PAIRS,
                "pair_input_ids": tokenizer(
                    [a for a, _ in PAIRS], [b for _, b in PAIRS], **packing
                )["input_ids"],
            },
            f,
            ensure_ascii=False,
            indent=1,
        )
    body = masked_lm.roberta.state_dict()
    heads, reference = {}, {}
    ids, mask = _inputs(seed + 1, VOCAB_SIZE)
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
            ("classifier", transformers.XLMRobertaForSequenceClassification, 3),
            ("qa", transformers.XLMRobertaForQuestionAnswering, 2),
            ("token", transformers.XLMRobertaForTokenClassification, NUM_TAGS),
        ):
            settings = {
                k: v
                for k, v in config.to_dict().items()
                if k not in ("id2label", "label2id")
            }
            model = cls(
                transformers.XLMRobertaConfig(**{**settings, "num_labels": labels})
            )
            _randomize(model, generator)
            model.roberta.load_state_dict(body, strict=False)
            model.eval()
            for name, value in model.state_dict().items():
                if not name.startswith("roberta."):
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
