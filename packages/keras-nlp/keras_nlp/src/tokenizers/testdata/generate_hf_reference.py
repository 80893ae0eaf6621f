# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Writes `hf_wordpiece_reference.json`: token ids from HuggingFace `tokenizers`.

The reference for `WordPieceTokenizer` is HuggingFace's Rust implementation
of BERT's tokenizer (`BertWordPieceTokenizer`). It is not a dependency of
this project, so run this script in a separate environment:

    python3 -m venv /tmp/hf-tok && /tmp/hf-tok/bin/pip install tokenizers
    /tmp/hf-tok/bin/python generate_hf_reference.py

The corpus and vocabulary are built here, deterministically; the text is
written for this project (no third-party data).
"""

import json
import os
import random

from tokenizers import BertWordPieceTokenizer

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]

CORPUS = [
    "The quick brown fox jumps over the lazy dog.",
    "Hello, World! It's 3:45pm -- isn't it?",
    "Café déjà vu: naïve résumé, façade, coöperate, Ångström, Øresund.",
    "ÉCOLE Élève ÀÉÎÕÜ straße Straße İstanbul ıi",
    "ΣΟΦΟΣ σοφός ΟΔΥΣΣΕΥΣ Ελληνικά",
    "Привет, мир! Ёлка и ЙОГУРТ.",
    "我爱自然语言处理。今天天气很好！",
    "日本語のテキスト、カタカナとひらがな。",
    "한국어 문장입니다. 안녕하세요!",
    "mixed中文and English字符together",
    "emoji 😀 are fun 🎉🎉 and 👍🏽 thumbs, flags 🇫🇷 and ❤️",
    "replacement \ufffd char and \ufffd\ufffd twice",
    "control\x00chars\x01in\x07the\x1bmiddle\x7f",
    "tabs\tand\nnewlines\r\nand\x0bvertical\x0cfeed",
    "zero\u200bwidth\u200djoiner\ufeffbom\u00adsoft hyphen",
    "non\u00a0breaking\u2009thin\u3000ideographic\u2028line space",
    "private \ue000use\U000f0000 chars",
    "special [MASK] tokens [CLS] inside [SEP] text [PAD] and [UNK].",
    "glued[MASK]tokens[SEP][SEP]and [mask] lowercase [ MASK ] spaced",
    "symbols $100 + 5% = ^caret~ `tick` |pipe| <tag> {brace} @at #hash &amp;",
    "unicode punct «quotes» “curly” ‘single’ — dash … ellipsis ¿qué? ¡sí!",
    "math ∑ ∫ √ ≤ ≥ ≠ ± × ÷ ∞ and currency € £ ¥ ₹",
    "combining e\u0301 a\u0300 n\u0303 and precomposed é à ñ",
    "Devanagari हिन्दी भाषा and Thai ภาษาไทย and Arabic العربية",
    "Hebrew עברית with niqqud שָׁלוֹם",
    "full-width ＡＢＣ１２３ and half-width ｶﾀｶﾅ",
    "ligatures ﬁ ﬂ and roman numerals Ⅻ ⅻ",
    "a" * 120 + " long word and " + "é" * 60 + " accented long",
    "supercalifragilisticexpialidocious antidisestablishmentarianism",
    "URLs like https://example.org/path?q=1&x=y and e-mail me@example.org",
    "numbers 1,234,567.89 and 3.14159 and 1e-10 and 0x1F",
    "",
    "   ",
    "\x00\x01\x02",
    "\ufffd",
    "UNAFFABLE unaffable Unaffable unaff able",
    "running runner runs ran jumping jumped",
    "don't won't can't shouldn't y'all",
    "CJK ext 𠀀𠀁 and compatibility 豈 更",
    "Turkish dotless ı and dotted İ in ISTANBUL",
    # Unassigned code points (general category Cn) and noncharacters, alone,
    # inside words and next to punctuation; then code points assigned only
    # in recent Unicode versions (13-15), which older tables call Cn.
    "unassigned \u0378 alone and in\u0378side and \u0378. and \u0378the",
    "planes \U0002ffff x\U000e0fffy \U0010ffff end \ufdd0 \uffff",
    "recent 🥲 emoji 🫠 and \u0870 arabic \U00031350 cjk-h \U0001f7f0 eq",
    "MIXED Ca\u0378fé ÉCOLE\U0002ffff \u0378[MASK]\u0378 [SEP]\U0010ffff",
]

WORDS = (
    "the quick brown fox jumps over lazy dog hello world it s isn t cafe deja "
    "vu naive resume facade cooperate angstrom oresund ecole eleve strasse "
    "istanbul special tokens inside text and glued lowercase spaced symbols "
    "unicode punct quotes curly single dash ellipsis que si math currency "
    "combining precomposed devanagari thai arabic hebrew with niqqud full "
    "width half ligatures roman numerals long word accented urls like https "
    "example org path e mail me numbers emoji are fun thumbs flags "
    "replacement char twice control chars in middle tabs newlines vertical "
    "feed zero joiner bom soft hyphen non breaking thin ideographic line "
    "space private use run runner ##ing ##ed ##s ##er un ##aff ##able aff "
    "able don won can should n y all turkish dotless dotted cjk ext "
    "compatibility mixed english together ##s ##ly ##tion"
).split()


def build_vocabulary():
    rng = random.Random(7)
    vocab = list(SPECIALS)
    for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~":
        vocab.append(c)
    for c in "abcdefghijklmnopqrstuvwxyz0123456789":
        vocab.append(c)
        vocab.append("##" + c)
    for c in "éàñçöåøßıσςοφδυεληικάόпривет":
        vocab.append(c)
        vocab.append("##" + c)
    for c in "我爱自然语言处理今天气很好日本語のテキスト中文字符😀🎉👍€∑«»“”—…¿¡":
        vocab.append(c)
    for word in WORDS:
        vocab.append(word)
        if not word.startswith("##") and len(word) > 3:
            cut = rng.randint(2, len(word) - 1)
            vocab.append(word[:cut])
            vocab.append("##" + word[cut:])
    vocab += ["É", "Élève", "Straße", "İ", "The", "Hello", "##llo", "He", "Ca", "##fé"]
    seen, unique = set(), []
    for token in vocab:
        if token not in seen:
            seen.add(token)
            unique.append(token)
    return unique


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    vocab = build_vocabulary()
    mapping = {token: i for i, token in enumerate(vocab)}
    configs = [
        {"lowercase": True, "strip_accents": None},
        {"lowercase": False, "strip_accents": False},
        {"lowercase": False, "strip_accents": True},
        {"lowercase": True, "strip_accents": False},
    ]
    cases = []
    for config in configs:
        tokenizer = BertWordPieceTokenizer(
            mapping,
            lowercase=config["lowercase"],
            strip_accents=config["strip_accents"],
            clean_text=True,
            handle_chinese_chars=True,
        )
        ids = [tokenizer.encode(text, add_special_tokens=False).ids for text in CORPUS]
        cases.append({"config": config, "ids": ids})
    result = {"vocabulary": vocab, "texts": CORPUS, "cases": cases}
    with open(os.path.join(here, "hf_wordpiece_reference.json"), "w") as f:
        json.dump(result, f, ensure_ascii=True, indent=0)


if __name__ == "__main__":
    main()
