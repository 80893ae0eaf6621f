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

import json
import os
import shutil
import sys

# The helpers shared by the fixture scripts (convert/testdata/hf_fixture.py).
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(_HERE, "..", "..", "..", "convert", "testdata"))
import hf_fixture  # noqa: E402

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
    hf_fixture.randomize(masked_lm, generator)
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
    ids, mask, _ = hf_fixture.padded_batch(
        seed + 1, VOCAB_SIZE, 4, high=VOCAB_SIZE - 1, first_id=0, pad_id=1
    )
    kwargs = dict(
        input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(mask)
    )
    with torch.no_grad():
        out = masked_lm(**kwargs, output_hidden_states=True)
        reference = hf_fixture.hidden_state_outputs(out.hidden_states)
        reference["masked_lm_logits"] = out.logits.numpy()
        heads, logits = hf_fixture.task_heads(
            hf_fixture.standard_heads(transformers, "XLMRoberta", NUM_TAGS),
            "roberta",
            masked_lm.roberta.state_dict(),
            config,
            generator,
            kwargs,
            strict=False,
        )
    hf_fixture.save(
        directory, {**reference, **logits}, heads, input_ids=ids, input_mask=mask
    )
    return output


if __name__ == "__main__":
    hf_fixture.main(make, __doc__, __file__)
