# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Trains a small byte-level BPE and writes HuggingFace's ids for the corpus.

Writes, beside this script:

- `bpe_vocab.json`, `bpe_merges.txt`: a byte-level BPE (GPT-2 / RoBERTa
  style, 256 byte symbols, 6 special tokens, about 3,700 merges) trained with
  HuggingFace `tokenizers` on `messy_corpus.jsonl`;
- `hf_bytelevel_classes.json`: the class (letter, number, whitespace,
  other) HuggingFace's pre-tokenisation regex gives every code point;
- `hf_bpe_reference.json`: the texts (the corpus, then corpus lines with
  special tokens written into them) and, for each configuration, the token
  ids HuggingFace gives them: `tokenizers.Tokenizer` with a `BPE` model and
  the `ByteLevel` pre-tokenizer (GPT-2 style, with and without
  `add_prefix_space`), and `transformers.RobertaTokenizerFast` on the same
  files (RoBERTa's special tokens; loaded from `vocab.json` and `merges.txt`
  with transformers 5, `<mask>` does not take the spaces before it), and
  once more with `<mask>` taking them (`lstrip`, as RoBERTa's hub
  `tokenizer.json` files have it).

`tokenizers` and `transformers` are not dependencies of this project. Run the
script in a separate environment, for example:

    python3 -m venv /tmp/hf && /tmp/hf/bin/pip install tokenizers transformers
    /tmp/hf/bin/python make_bpe_reference.py

Training is deterministic for a given `tokenizers` version; the committed
files were made with tokenizers 0.23.3 and transformers 5.25.0.
"""

import json
import os
import random
import shutil
import tempfile

import tokenizers
from tokenizers import AddedToken
from tokenizers import Tokenizer
from tokenizers import decoders
from tokenizers import models
from tokenizers import pre_tokenizers
from tokenizers import trainers

HERE = os.path.dirname(os.path.abspath(__file__))
SPECIALS = ["<s>", "<pad>", "</s>", "<unk>", "<mask>", "<|endoftext|>"]
VOCAB_SIZE = 4000
SEED = 24


def read_corpus():
    with open(os.path.join(HERE, "messy_corpus.jsonl"), encoding="utf-8") as f:
        return [json.loads(line) for line in f.read().split("\n") if line]


def with_special_tokens(texts, rng):
    """Corpus lines with special tokens written in, with and without spaces."""
    out = []
    for text in texts[::3]:
        pieces = [text[i : i + 7] for i in range(0, len(text), 7)] or [""]
        result = ""
        for piece in pieces:
            result += piece
            if rng.random() < 0.4:
                token = rng.choice(SPECIALS)
                result += rng.choice(["", " ", "  ", "\t", " \u3000"]) + token
                result += rng.choice(["", " ", "  "])
        out.append(result)
    out += [
        "<mask>",
        " <mask>",
        "   <mask> x",
        "a<mask>b",
        "<s><s></s>",
        "<|endoftext|>hello<|endoftext|> world",
        "<|endoftext|",
        "<mask<mask>>",
        "\u3000<mask>",
        "x\t\n <mask> y",
    ]
    return out


def train(corpus):
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    trainer = trainers.BpeTrainer(
        vocab_size=VOCAB_SIZE,
        min_frequency=2,
        special_tokens=SPECIALS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(corpus, trainer)
    tokenizer.model.save(HERE, "bpe")
    os.replace(
        os.path.join(HERE, "bpe-vocab.json"), os.path.join(HERE, "bpe_vocab.json")
    )
    os.replace(
        os.path.join(HERE, "bpe-merges.txt"), os.path.join(HERE, "bpe_merges.txt")
    )


def byte_level(add_prefix_space, special_tokens):
    tokenizer = Tokenizer(
        models.BPE.from_file(
            os.path.join(HERE, "bpe_vocab.json"), os.path.join(HERE, "bpe_merges.txt")
        )
    )
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(
        add_prefix_space=add_prefix_space, use_regex=True
    )
    tokenizer.decoder = decoders.ByteLevel()
    tokenizer.add_special_tokens(special_tokens)
    return tokenizer


def character_classes():
    """The class of every code point in HuggingFace's ByteLevel regex.

    "L" (`\\p{L}`), "N" (`\\p{N}`), "W" (`\\s`) or "O" (other), found by how
    the pre-tokenizer splits the character after a letter, a digit and "!",
    as runs `[first, last, class]` (surrogates skipped).
    """
    pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    runs = []
    for code in range(0x110000):
        if 0xD800 <= code < 0xE000:
            continue
        char = chr(code)
        name = "W"
        for prefix, candidate in [("a", "L"), ("1", "N"), ("!", "O")]:
            if len(pre_tokenizer.pre_tokenize_str(prefix + char)) == 1:
                name = candidate
                break
        if runs and runs[-1][2] == name and runs[-1][1] == code - 1:
            runs[-1][1] = code
        else:
            runs.append([code, code, name])
    return runs


def main():
    import transformers

    path = os.path.join(HERE, "hf_bytelevel_classes.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(
            {
                "reference": f"tokenizers {tokenizers.__version__} ByteLevel",
                "runs": character_classes(),
            },
            f,
        )

    corpus = read_corpus()
    train(corpus)
    texts = corpus + with_special_tokens(corpus, random.Random(SEED))
    cases = []
    for name, prefix, specials in [
        ("gpt2", False, ["<|endoftext|>"]),
        ("gpt2_prefix_space", True, SPECIALS),
    ]:
        tokenizer = byte_level(prefix, specials)
        encodings = tokenizer.encode_batch(texts, add_special_tokens=False)
        cases.append(
            {
                "name": name,
                "reference": f"tokenizers {tokenizers.__version__} ByteLevel BPE",
                "config": {"add_prefix_space": prefix, "special_tokens": specials},
                "ids": [e.ids for e in encodings],
            }
        )
    # As a user loads a RoBERTa checkpoint: a directory with the two files.
    checkpoint = tempfile.mkdtemp()
    shutil.copy(os.path.join(HERE, "bpe_vocab.json"), f"{checkpoint}/vocab.json")
    shutil.copy(os.path.join(HERE, "bpe_merges.txt"), f"{checkpoint}/merges.txt")
    for prefix in [False, True]:
        roberta = transformers.RobertaTokenizerFast.from_pretrained(
            checkpoint, add_prefix_space=prefix
        )
        assert roberta.convert_tokens_to_ids("<mask>") == 4, "files not loaded"
        ab = roberta("ab", add_special_tokens=False)["input_ids"]
        assert prefix or ab == [roberta.convert_tokens_to_ids("ab")], "not loaded"
        ids = roberta(texts, add_special_tokens=False)["input_ids"]
        cases.append(
            {
                "name": "roberta_prefix_space" if prefix else "roberta",
                "reference": (
                    f"transformers {transformers.__version__} RobertaTokenizerFast"
                ),
                "config": {
                    "add_prefix_space": prefix,
                    "special_tokens": ["<s>", "<pad>", "</s>", "<unk>", "<mask>"],
                },
                "ids": ids,
            }
        )
    # RoBERTa's hub tokenizers (tokenizer.json) give `<mask>` `lstrip`.
    roberta = transformers.RobertaTokenizerFast.from_pretrained(
        checkpoint,
        mask_token=AddedToken("<mask>", lstrip=True, rstrip=False, special=True),
    )
    cases.append(
        {
            "name": "roberta_mask_lstrip",
            "reference": f"transformers {transformers.__version__} RobertaTokenizerFast",
            "config": {
                "add_prefix_space": False,
                "special_tokens": ["<s>", "<pad>", "</s>", "<unk>", "<mask>"],
                "lstrip_special_tokens": ["<mask>"],
            },
            "ids": roberta(texts, add_special_tokens=False)["input_ids"],
        }
    )
    path = os.path.join(HERE, "hf_bpe_reference.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"texts": texts, "cases": cases}, f, ensure_ascii=False)
    print(f"wrote {len(texts)} texts, {len(cases)} cases to {path}")


if __name__ == "__main__":
    main()
