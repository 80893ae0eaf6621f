# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Writes a tiny random RoBERTa checkpoint and its reference outputs.

The reference implementation is HuggingFace `transformers` on PyTorch (CPU),
which is NOT a dependency of keras-nlp: run this script in a separate
environment (and not from inside `keras_nlp/src`, whose `tokenizers` folder
would shadow HuggingFace's package), for example

    python3 -m venv /tmp/hf
    /tmp/hf/bin/pip install torch transformers tokenizers safetensors numpy
    /tmp/hf/bin/python make_fixture.py \\
        --output packages/keras-nlp/keras_nlp/src/models/roberta/testdata

(the committed files were written with torch 2.14.1 and transformers 5.25.0).
It writes `tiny_roberta/`: a `RobertaForMaskedLM` checkpoint
(`config.json`, `model.safetensors`, tensor names prefixed `roberta.` plus
the `lm_head.`), a byte-level BPE vocabulary (`vocab.json`, `merges.txt`:
the special tokens, the 256 byte symbols and a few merges),
`heads.npz` (the tensors of a sequence-classification, a question-answering
and a token-classification head on the same body, under their
`transformers` names prefixed `classifier/`, `qa/` and `token/`) and
`reference.npz`: a padded batch (padding holds `<pad>`, id 1, as RoBERTa
numbers positions from the ids) and the outputs of `transformers` on it
(sequence output, every layer's output, and the logits of every head), plus
the ids `RobertaTokenizerFast` gives for `TEXTS` alone and as pairs.

Every weight, layer norms and biases included, is drawn at random so that a
converter that drops or transposes any tensor fails the comparison.
"""

import json
import os
import sys

import numpy as np

# The helpers shared by the fixture scripts (convert/testdata/hf_fixture.py).
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(_HERE, "..", "..", "..", "convert", "testdata"))
import hf_fixture  # noqa: E402

SPECIAL = ["<s>", "<pad>", "</s>", "<unk>"]
MERGES = ["Ġ t", "h e", "Ġt he", "Ġ a", "i n", "Ġ c", "a t", "Ġc at", "o n"]
NUM_TAGS = 4
TEXTS = [
    "the cat sat on the mat",
    "The Cat!",
    "a <mask> in the hat",
    "  café, naïve — 東京 🙂",
]
PAIRS = [("the cat", "sat on"), ("who?", "a cat in the hat")]


def _bytes_to_unicode():
    printable = [
        b
        for b in range(256)
        if ord("!") <= b <= ord("~") or 0xA1 <= b <= 0xAC or 0xAE <= b <= 0xFF
    ]
    mapping = {b: chr(b) for b in printable}
    others = [b for b in range(256) if b not in mapping]
    for offset, b in enumerate(others):
        mapping[b] = chr(256 + offset)
    return mapping


def vocabulary():
    """Specials, the 256 byte symbols, the merged tokens, then `<mask>`."""
    tokens = list(SPECIAL) + [_bytes_to_unicode()[b] for b in range(256)]
    for merge in MERGES:
        tokens.append(merge.replace(" ", ""))
    tokens.append("<mask>")
    return {token: i for i, token in enumerate(tokens)}


def make(output, seed=0):
    import torch
    import transformers

    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    vocab = vocabulary()
    directory = os.path.join(output, "tiny_roberta")
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False)
    with open(os.path.join(directory, "merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n" + "".join(m + "\n" for m in MERGES))
    config = transformers.RobertaConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=4,
        intermediate_size=37,
        max_position_embeddings=16 + 2,
        type_vocab_size=1,
        hidden_act="gelu",
        layer_norm_eps=1e-5,
        pad_token_id=1,
        bos_token_id=0,
        eos_token_id=2,
        attn_implementation="eager",
    )
    masked_lm = transformers.RobertaForMaskedLM(config)
    hf_fixture.randomize(masked_lm, generator)
    masked_lm.tie_weights()
    masked_lm.eval()
    masked_lm.save_pretrained(directory, safe_serialization=True)
    tokenizer = transformers.RobertaTokenizerFast(
        vocab=os.path.join(directory, "vocab.json"),
        merges=os.path.join(directory, "merges.txt"),
        # As in the hub's RoBERTa tokenizers: `<mask>` takes the space before.
        mask_token=transformers.AddedToken("<mask>", lstrip=True, rstrip=False),
    )
    tokenizer.save_pretrained(directory)

    ids, mask, _ = hf_fixture.padded_batch(
        seed, len(vocab), 4, high=len(vocab) - 1, first_id=0, pad_id=1
    )
    kwargs = dict(
        input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(mask)
    )
    with torch.no_grad():
        out = masked_lm(**kwargs, output_hidden_states=True)
        reference = hf_fixture.hidden_state_outputs(out.hidden_states)
        reference["masked_lm_logits"] = out.logits.numpy()
        heads, logits = hf_fixture.task_heads(
            hf_fixture.standard_heads(transformers, "Roberta", NUM_TAGS),
            "roberta",
            masked_lm.roberta.state_dict(),
            config,
            generator,
            kwargs,
            strict=False,
        )
    # The tokenizer's packing, alone and in pairs, padded to 48 with <pad>.
    single = tokenizer(TEXTS, padding="max_length", max_length=48)
    pairs = tokenizer(
        [a for a, _ in PAIRS],
        [b for _, b in PAIRS],
        padding="max_length",
        max_length=48,
    )
    tokenized = dict(
        texts=np.array(TEXTS),
        single_ids=np.array(single["input_ids"], "int32"),
        single_mask=np.array(single["attention_mask"], "int32"),
        pair_first=np.array([a for a, _ in PAIRS]),
        pair_second=np.array([b for _, b in PAIRS]),
        pair_ids=np.array(pairs["input_ids"], "int32"),
        pair_mask=np.array(pairs["attention_mask"], "int32"),
    )
    hf_fixture.save(
        directory,
        {**tokenized, **reference, **logits},
        heads,
        input_ids=ids,
        input_mask=mask,
    )
    return output


if __name__ == "__main__":
    hf_fixture.main(make, __doc__, __file__)
