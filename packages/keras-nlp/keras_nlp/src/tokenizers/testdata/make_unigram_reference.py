# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Writes HuggingFace's ids and offsets for the two SentencePiece models.

Reads the committed `xlm_roberta_sentencepiece.model`, `albert_spiece.model`
and `hf_sentence_piece_reference.json` (see
`make_sentence_piece_reference.py`) and writes `hf_unigram_reference.json`:
per family,

- `random_texts` / `random_ids`: 600 strings made of random pieces of the
  model (runs of one piece, pieces that are prefixes of each other, pieces
  glued with and without spaces), where the unigram search meets many
  exact ties, and the ids `transformers`' fast tokenizer gives them;
- `offsets`: for every text of `hf_sentence_piece_reference.json`, the
  character offsets (`return_offsets_mapping=True`) of each id.

`tokenizers`/`transformers` are not test dependencies; run it in a separate
environment (as `make_sentence_piece_reference.py` says), e.g.

    /tmp/hf/bin/python make_unigram_reference.py
"""

import json
import os
import random
import shutil
import tempfile

import sentencepiece
import tokenizers
import transformers

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 2024
FAMILIES = {
    "xlm_roberta": (
        "xlm_roberta_sentencepiece.model",
        "sentencepiece.bpe.model",
        transformers.XLMRobertaTokenizerFast,
    ),
    "albert": (
        "albert_spiece.model",
        "spiece.model",
        transformers.AlbertTokenizerFast,
    ),
}


def random_texts(pieces, rng, count=600):
    pieces = [p for p in pieces if not p.startswith("<") and "[" not in p]
    # Pieces that are runs of one character, or prefixes of other pieces,
    # make equal-score segmentations likely.
    runs = [p for p in pieces if len(p.lstrip("\u2581")) > 1]
    runs = [p for p in runs if len(set(p.lstrip("\u2581"))) == 1]
    singles = [p for p in pieces if len(p) == 1]
    texts = []
    for _ in range(count):
        choice = rng.random()
        if choice < 0.2:
            parts = [rng.choice(runs)] * rng.randint(2, 12)
        elif choice < 0.3:
            parts = [rng.choice(singles)] * rng.randint(10, 90)
        elif choice < 0.6:
            base = rng.choice(pieces)
            parts = [
                base[: rng.randint(1, len(base))] for _ in range(rng.randint(2, 8))
            ]
        else:
            parts = rng.choices(pieces, k=rng.randint(1, 10))
        glue = rng.choice(["", "", " ", "\u2581"])
        text = glue.join(parts).replace("\u2581", rng.choice([" ", "", "\u2581"]))
        texts.append(text)
    return texts


def main():
    with open(os.path.join(HERE, "hf_sentence_piece_reference.json")) as f:
        reference = json.load(f)
    rng = random.Random(SEED)
    out = {}
    for name, (file, hf_name, cls) in FAMILIES.items():
        directory = tempfile.mkdtemp()
        try:
            shutil.copy(os.path.join(HERE, file), os.path.join(directory, hf_name))
            hf = cls.from_pretrained(directory)
        finally:
            shutil.rmtree(directory)
        processor = sentencepiece.SentencePieceProcessor()
        processor.Load(os.path.join(HERE, file))
        pieces = [processor.IdToPiece(i) for i in range(processor.GetPieceSize())]
        texts = random_texts(pieces, rng)
        ids = hf(texts, add_special_tokens=False)["input_ids"]
        corpus = reference["texts"][name]
        encoded = hf(corpus, add_special_tokens=False, return_offsets_mapping=True)
        assert encoded["input_ids"] == reference["cases"][name]["ids"]
        out[name] = {
            "random_texts": texts,
            "random_ids": ids,
            "offsets": [[list(o) for o in row] for row in encoded["offset_mapping"]],
        }
    out["versions"] = {
        "transformers": transformers.__version__,
        "tokenizers": tokenizers.__version__,
    }
    with open(os.path.join(HERE, "hf_unigram_reference.json"), "w") as f:
        json.dump(out, f, ensure_ascii=False)


if __name__ == "__main__":
    main()
