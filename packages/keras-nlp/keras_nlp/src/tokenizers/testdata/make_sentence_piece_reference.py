# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Trains two small SentencePiece models and writes HuggingFace's ids.

Writes, beside this script:

- `xlm_roberta_sentencepiece.model`: a unigram SentencePiece model in the
  form of XLM-RoBERTa's `sentencepiece.bpe.model` (`<unk>`, `<s>`, `</s>`
  are ids 0, 1, 2; no `<pad>`; the `nmt_nfkc` normalisation);
- `albert_spiece.model`: a unigram model in the form of ALBERT's
  `spiece.model` (`<pad>`, `<unk>`, `[CLS]`, `[SEP]`, `[MASK]` are ids 0 to
  4; `nmt_nfkc`; trained on lowercased text without accents, as ALBERT's);
- `hf_sentence_piece_reference.json`: the texts (the messy corpus, then
  corpus lines with each family's special tokens written in, then short
  edge cases) and, per family, the ids (without the added `<s>`/`[CLS]`
  ... framing, `add_special_tokens=False`) that `transformers`'
  `XLMRobertaTokenizerFast` and `AlbertTokenizerFast` (the `tokenizers`
  backed classes) give them when loaded from a directory holding only the
  model file, and the ids of the first 40 texts as a pair with framing.

Both models are trained on `messy_corpus.jsonl` with a character coverage
of 0.98, so rare characters are unknown and exercise `<unk>`.

`tokenizers`, `transformers` and `sentencepiece` are not dependencies of
this project's tests. Run the script in a separate environment, e.g.:

    python3 -m venv /tmp/hf
    /tmp/hf/bin/pip install tokenizers transformers sentencepiece
    /tmp/hf/bin/python make_sentence_piece_reference.py

The committed files were made with transformers 5.25.0, tokenizers 0.23.3
and sentencepiece 0.2.x.
"""

import io
import json
import os
import random
import shutil
import tempfile
import unicodedata

import sentencepiece
import tokenizers
import transformers

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 24
VOCAB_SIZE = 4000
FAMILIES = {
    "xlm_roberta": {
        "file": "xlm_roberta_sentencepiece.model",
        "hf_name": "sentencepiece.bpe.model",
        "specials": ["<s>", "<pad>", "</s>", "<unk>", "<mask>"],
        "train": dict(unk_id=0, bos_id=1, eos_id=2, pad_id=-1),
        "lowercase": False,
    },
    "albert": {
        "file": "albert_spiece.model",
        "hf_name": "spiece.model",
        "specials": ["<pad>", "<unk>", "[CLS]", "[SEP]", "[MASK]"],
        "train": dict(
            pad_id=0,
            unk_id=1,
            bos_id=-1,
            eos_id=-1,
            control_symbols=["[CLS]", "[SEP]", "[MASK]"],
        ),
        "lowercase": True,
    },
}
EDGE_CASES = [
    "",
    " ",
    "\u2581",
    "\u2581\u2581",
    "a\u2581b",
    "\u2581x y",
    " \u2581 x",
    "\u00a8x \u00b4y",
    "\u1680a\u0085b\u2028c\u2029d\u180ee\u200bf",
    "ΣΟΦΟΣ ΟΔΥΣΣΕΥΣ σοφός",
    "İstanbul ǅemal ﬁne",
    "``quoted'' and `single' ''' ````",
    "1,000,000 and 9, 10,5 a1,b2,",
    "a  b   c\t\td\n\ne",
    "\x00\x01x\x7f\x9fy",
]


def read_corpus():
    with open(os.path.join(HERE, "messy_corpus.jsonl"), encoding="utf-8") as f:
        return [json.loads(line) for line in f.read().split("\n") if line]


def with_special_tokens(texts, specials, rng):
    """Corpus lines with special tokens written in, with and without spaces."""
    out = []
    for text in texts[::5]:
        pieces = [text[i : i + 7] for i in range(0, len(text), 7)] or [""]
        result = ""
        for piece in pieces:
            result += piece
            if rng.random() < 0.4:
                result += rng.choice(["", " ", "  ", "\t", " \u3000"])
                result += rng.choice(specials) + rng.choice(["", " ", "  "])
        out.append(result)
    a, b, c = specials[-1], specials[0], specials[2]
    out += [
        a,
        f" {a}",
        f"   {a} x",
        f"a{a}b",
        f"{b}{b}{c}",
        f"{a[:-1]}",
        f"x\t\n {a} y",
    ]
    return out


def train(corpus, family):
    def lines():
        for text in corpus:
            if family["lowercase"]:
                text = unicodedata.normalize("NFKD", text)
                text = "".join(c for c in text if not unicodedata.combining(c))
                text = text.lower()
            yield text.replace("\n", " ")

    model = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=lines(),
        model_writer=model,
        vocab_size=VOCAB_SIZE,
        model_type="unigram",
        character_coverage=0.98,
        normalization_rule_name="nmt_nfkc",
        hard_vocab_limit=False,
        seed_sentencepiece_size=100_000,
        num_threads=1,
        minloglevel=2,
        **family["train"],
    )
    return model.getvalue()


def main():
    corpus = read_corpus()
    rng = random.Random(SEED)
    texts = {}
    cases = {}
    for name, family in FAMILIES.items():
        proto = train(corpus, family)
        with open(os.path.join(HERE, family["file"]), "wb") as f:
            f.write(proto)
        family_texts = (
            corpus + with_special_tokens(corpus, family["specials"], rng) + EDGE_CASES
        )
        directory = tempfile.mkdtemp()
        try:
            with open(os.path.join(directory, family["hf_name"]), "wb") as f:
                f.write(proto)
            cls = {
                "xlm_roberta": transformers.XLMRobertaTokenizerFast,
                "albert": transformers.AlbertTokenizerFast,
            }[name]
            hf = cls.from_pretrained(directory)
        finally:
            shutil.rmtree(directory)
        ids = hf(family_texts, add_special_tokens=False)["input_ids"]
        pairs = hf(family_texts[:40], family_texts[40:80])["input_ids"]
        texts[name] = family_texts
        cases[name] = {
            "ids": ids,
            "pair_ids": pairs,
            "vocabulary_size": len(hf),
            "special_token_ids": {
                token: hf.convert_tokens_to_ids(token) for token in family["specials"]
            },
            "backend": json.loads(hf.backend_tokenizer.to_str())["normalizer"]
            and {
                k: v
                for k, v in json.loads(hf.backend_tokenizer.to_str()).items()
                if k in ("pre_tokenizer", "post_processor", "added_tokens")
            },
        }
    versions = {
        "transformers": transformers.__version__,
        "tokenizers": tokenizers.__version__,
        "sentencepiece": sentencepiece.__version__,
    }
    with open(os.path.join(HERE, "hf_sentence_piece_reference.json"), "w") as f:
        json.dump(
            {"versions": versions, "texts": texts, "cases": cases},
            f,
            ensure_ascii=False,
        )


if __name__ == "__main__":
    main()
