# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Writes `messy_corpus.jsonl`: messy text shared by the tokenizer tests.

One JSON string per line (so that newlines, NUL and other control
characters inside an entry survive). Three parts, described with their
sources and licences in `README.md` beside this script:

1. lines written for this project (several languages and scripts, emoji,
   code, URLs, odd spacing);
2. the first paragraphs of docstrings of Python's standard library
   (real English technical prose with code; PSF-2.0 licence), read from the
   interpreter running this script;
3. systematically generated edge cases (every control character, every
   Unicode whitespace character, combining marks, runs of whitespace before
   each kind of token, contractions, very long words, random text from many
   scripts), from a fixed seed.

    python make_messy_corpus.py   # any Python 3.11, no dependencies
"""

import inspect
import json
import os
import random
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 24

WRITTEN = [
    "The quick brown fox jumps over the lazy dog.",
    "  Leading spaces, and trailing ones too.   ",
    "\tTabbed\tcolumns\tof\tdata\t1\t2.5\t-3",
    "Hello, World! It's 3:45pm -- isn't it? I'm sure we'll see; they'd know, you've heard.",
    "SHOUTING IT'S LOUD, YOU'RE LOUD, WE'VE BEEN LOUD, I'LL STOP, HE'D AGREE",
    "Café déjà vu: naïve résumé, façade, coöperate, Ångström, Øresund, Ærøskøbing.",
    "Straße, İstanbul, ıi, ǅemal, ﬁnancial ﬂow (ligatures), ß vs SS.",
    "ΣΟΦΟΣ σοφός ΟΔΥΣΣΕΥΣ — Ελληνικά κείμενα με τόνους.",
    "Привет, мир! Ёлка и ЙОГУРТ. Съешь же ещё этих мягких французских булок.",
    "Українська: ґанок, їжак, єнот. Беларуская: ўсё.",
    "我爱自然语言处理。今天天气很好！你吃饭了吗？",
    "日本語のテキスト、カタカナとひらがな。東京都渋谷区１－２－３",
    "한국어 문장입니다. 안녕하세요! 감사합니다.",
    "mixed中文and English字符together混合",
    "العربية: مرحبا بالعالم! كيف حالك؟ ١٢٣٤٥",
    "עברית: שלום עולם, מה שלומך? שָׁלוֹם עִם נִקּוּד",
    "Mixed direction: English then עברית then العربية then back.",
    "\u202eright-to-left override\u202c and \u200fRLM\u200e LRM marks",
    "Devanagari हिन्दी भाषा, Bengali বাংলা, Tamil தமிழ், Thai ภาษาไทย ไม่มีช่องว่าง",
    "Georgian ქართული, Armenian Հայերեն, Amharic አማርኛ, Khmer ភាសាខ្មែរ",
    "Vietnamese: Tiếng Việt có dấu, người, được, những.",
    "Turkish: çğıöşü ÇĞİÖŞÜ; Polish: zażółć gęślą jaźń; Czech: příliš žluťoučký kůň",
    "emoji 😀 are fun 🎉🎉 and 👍🏽 thumbs, flags 🇫🇷🇯🇵 and ❤️ hearts",
    "family 👨‍👩‍👧‍👦 and rainbow flag 🏳️‍🌈 and keycap 1️⃣ #️⃣",
    "skin tones 👋🏻👋🏼👋🏽👋🏾👋🏿 and 🧑‍💻 coder",
    "replacement \ufffd char and \ufffd\ufffd twice",
    "control\x00chars\x01in\x07the\x1bmiddle\x7f",
    "tabs\tand\nnewlines\r\nand\x0bvertical\x0cfeed",
    "zero\u200bwidth\u200djoiner\ufeffbom\u00adsoft hyphen",
    "non\u00a0breaking\u2009thin\u3000ideographic\u2028line\u2029para\u0085nel",
    "private \ue000use\U000f0000 chars and noncharacter \ufdd0",
    "combining e\u0301 a\u0300 n\u0303 o\u0308\u0304 and precomposed é à ñ ȫ",
    "zalgo t\u0336\u0317\u0353e\u0338\u031b\u0324x\u0334\u0339t\u0335\u0327",
    "full-width ＡＢＣ１２３！ and half-width ｶﾀｶﾅ",
    "roman numerals Ⅻ ⅻ, superscripts x² y³, fractions ½ ¾, circled ①②",
    "math ∑ ∫ √ ≤ ≥ ≠ ± × ÷ ∞ and currency € £ ¥ ₹ ₿ $100.00",
    "unicode punct «quotes» “curly” ‘single’ — dash … ellipsis ¿qué? ¡sí!",
    "symbols + 5% = ^caret~ `tick` |pipe| <tag> {brace} @at #hash &amp;",
    "URLs like https://example.org/path/to/page?q=1&x=y#frag and http://例え.jp/パス",
    "e-mail me@example.org, user.name+tag@sub.example.co.uk",
    "ftp://files.example.net/pub/archive-2026_v3.tar.gz?download=true",
    "numbers 1,234,567.89 and 3.14159 and 1e-10 and 0x1F and -0.0 and 1_000_000",
    "phone +1 (555) 123-4567, ISBN 978-3-16-148410-0, date 2026-12-07T09:35:00Z",
    "def tokenize(self, inputs):\n    return self._model(inputs)  # TODO",
    "for (int i = 0; i < n; ++i) { sum += a[i] * b[i]; }",
    "SELECT name, COUNT(*) FROM users WHERE age >= 18 GROUP BY name;",
    '{"key": "value", "list": [1, 2, 3], "nested": {"a": null}}',
    '<div class="main"><p>Hello&nbsp;world</p></div>',
    "x = lambda a, b: a**2 + b**2 if a != b else 0",
    "git commit -m 'fix: handle   spaces' && echo $HOME | grep -v ~/tmp",
    "C:\\Users\\name\\Documents\\file (1).txt",
    "regex: ^\\s*(?P<name>[A-Za-z_]\\w*)\\s*=\\s*(.+?)\\s*$",
    "    indented code block with four spaces",
    "trailing newline\n",
    "\nleading newline",
    "multiple\n\n\nblank\n\n\nlines",
    "windows\r\nline\r\nendings\r\n",
    "word  word   word    word     word",
    "a b  c   d    e",
    "   ",
    " ",
    "",
    "\t",
    "\n\n",
    " \t \n \r ",
    "!!!???...,,,;;;",
    "'s 't 're 've 'm 'll 'd",
    " 's  't   're",
    "don't won't can't shan't y'all o'clock rock'n'roll",
    "She said 'hello' and \"goodbye\".",
    "it''s double apostrophe and it’s curly apostrophe",
    "a" * 300,
    "supercalifragilisticexpialidocious antidisestablishmentarianism",
    "Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft",
    "pneumonoultramicroscopicsilicovolcanoconiosis " * 3,
    "#hashtag @mention $TICKER r/subreddit u/user",
    "lol!!! 😂😂😂 omg... so gooood 🔥🔥🔥 #blessed",
    "Temperature: -40°C = -40°F; speed 299,792,458 m/s; 5 km² area",
    "H₂O, CO₂, E=mc², ∀x∈ℝ: x²≥0",
    "Ⓒ 2026 ™ ® § ¶ † ‡ • ‣ ′ ″",
    "Braille ⠓⠑⠇⠇⠕ and box drawing ┌─┐│└─┘ and blocks ▀▄█▌",
    "Music 𝄞 𝄢 and math bold 𝐀𝐁𝐂 𝟏𝟐𝟑 and fraktur 𝔄𝔅",
    "Old scripts: 𐌰𐌱𐌲 Gothic, 𓀀𓀁 hieroglyphs, 𒀀 cuneiform",
    "Mongolian ᠮᠣᠩᠭᠣᠯ, Tibetan བོད་ཡིག, Myanmar မြန်မာ",
    "Sinhala සිංහල, Lao ພາສາລາວ, Cherokee ᏣᎳᎩ",
    "Yoruba: Ẹ ku àárọ̀, Igbo: Ị̀ nọ̀ ọ́ mma?",
    "Hangul jamo: \u1100\u1161\u11a8 vs precomposed 각",
    "Devanagari numerals ०१२३४५६७८९ and Arabic-Indic ٠١٢٣",
    "Chinese numerals 一二三四五六七八九十百千万亿",
    "Mixed: abc123def456 and 123abc and abc_def-ghi.jkl",
    "CamelCaseWordsAndsnake_case_words and kebab-case-words",
    "ALLCAPS lowercase MiXeDcAsE",
    "tab\tseparated\t\tdouble\t\t\ttriple",
    "space before tab \t and tab before space\t end",
    "ends with spaces and tab   \t",
    "ends with ideographic space\u3000\u3000",
    "nbsp\u00a0\u00a0\u00a0run then word",
    "em\u2003space en\u2002space hair\u200aspace",
    "The year 2026; the price $19.99; the score 3-2.",
    "Q&A: Why? Because! (Really.) [Citation needed] {sic}",
    "«Ça va?» — «Oui, ça va.»",
    "Japanese quotes 「こんにちは」『世界』",
    "Chinese punctuation：，。！？；（）【】",
    "Korean mixed 한국어English123숫자",
    "Hindi with English: मैं Python सीख रहा हूँ।",
    "Arabic with numbers: العدد 42 والعدد ٤٢",
    "Hebrew with English: הספרייה keras-nlp עובדת",
    "Emoji only: 🙂",
    "🇺🇳🇪🇺🏴󠁧󠁢󠁳󠁣󠁴󠁿 flags and tag sequences",
    "Variation selectors: ☺︎ ☺️ ✔︎ ✔️",
    "Combining enclosing: a\u20dd b\u20de 1\u20e3",
    "Dotless and dotted: ı İ i I",
    "Cased ligature ǆ ǅ Ǆ",
    "Final sigma: ΟΔΟΣ οδος",
    "Greek with tonos and dialytika: ΐ ΰ ϊ ϋ",
    "Cyrillic with Latin lookalikes: Pаypаl (contains Cyrillic а)",
    "Homoglyphs: аpple.com vs apple.com",
    "Invisible\u2060word\u2060joiner and \u180emongolian vowel separator",
    "Line\u2028separator and paragraph\u2029separator",
    "\x1c\x1d\x1e\x1f information separators",
    "C1 controls \x80\x81\x9f end",
    "bell\x07 backspace\x08 escape\x1b[31mred\x1b[0m",
    "a\x00b\x00\x00c",
    "\x00",
    "\x00\x00 leading NULs",
    "\ufeffBOM at start",
    "Ends with BOM\ufeff",
    "surrounded   by    many     spaces      everywhere",
    "  \t mixed \u00a0 whitespace \u3000 runs \n ",
]


def _docstrings():
    """First paragraphs of standard-library docstrings, in a fixed order."""
    import collections
    import datetime
    import functools
    import itertools
    import json as json_module
    import os.path
    import pathlib
    import re
    import statistics
    import string
    import textwrap

    modules = [
        collections,
        datetime,
        functools,
        itertools,
        json_module,
        os.path,
        pathlib,
        re,
        statistics,
        string,
        textwrap,
    ]
    lines = []
    for module in modules:
        objects = [module] + [
            getattr(module, name)
            for name in sorted(dir(module))
            if not name.startswith("_")
        ]
        for obj in objects:
            doc = inspect.getdoc(obj)
            if not doc:
                continue
            for paragraph in doc.split("\n\n")[:2]:
                paragraph = paragraph.strip()
                if 20 <= len(paragraph) <= 400 and paragraph not in lines:
                    lines.append(paragraph)
    return lines


WHITESPACE = [
    "\t",
    "\n",
    "\x0b",
    "\x0c",
    "\r",
    " ",
    "\x85",
    "\xa0",
    "\u1680",
    *[chr(c) for c in range(0x2000, 0x200B)],
    "\u2028",
    "\u2029",
    "\u202f",
    "\u205f",
    "\u3000",
]
# Characters that look like whitespace but are not Unicode White_Space.
NOT_WHITESPACE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u180e", "\x1c"]
FOLLOWERS = ["word", "42", "!?", "'s", "'ll", "'x", "é", "中文", "😀", "\x00", ""]


def _generated(rng):
    lines = []
    # Every C0/C1 control character and DEL, inside and between words.
    for code in list(range(0x00, 0x20)) + list(range(0x7F, 0xA0)):
        c = chr(code)
        lines.append(f"before{c}after {c} alone{c}{c}")
    # Every whitespace kind in runs of 1-3 before each kind of token and at
    # the end of the text (the GPT-2 regex treats the last space of a run
    # specially).
    for w in WHITESPACE + NOT_WHITESPACE:
        for follower in FOLLOWERS:
            n = rng.randint(1, 3)
            lines.append(f"x{w * n}{follower}{w}{' ' * rng.randint(0, 2)}{follower}")
        lines.append(f"{w}{w}start and end{w}")
    # Mixed whitespace runs before the followers.
    for follower in FOLLOWERS:
        for _ in range(3):
            run = "".join(rng.choice(WHITESPACE) for _ in range(rng.randint(2, 5)))
            lines.append(f"a{run}{follower}{run} {follower}")
    # Contractions in every case and context.
    for suffix in ["s", "t", "re", "ve", "m", "ll", "d", "S", "T", "RE", "Ll", "x"]:
        lines.append(
            f"it'{suffix} x '{suffix} x  '{suffix}'{suffix} 9'{suffix} !'{suffix}"
        )
    # Combining marks on many bases.
    marks = [chr(c) for c in range(0x300, 0x370)]
    for base in "aeiouAEIOU1 !中ا":
        lines.append(
            "".join(
                base + "".join(rng.sample(marks, rng.randint(1, 4))) for _ in range(6)
            )
        )
    # Very long words and long runs.
    for length in [64, 100, 128, 200, 256, 333, 512, 1000]:
        word = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(length))
        lines.append(f"long {word} word")
    lines.append("é" * 400)
    lines.append("中" * 300)
    lines.append("😀" * 150)
    lines.append("1234567890" * 40)
    lines.append("-=" * 200)
    lines.append(" " * 500 + "x")
    lines.append("x" + " " * 500)
    # Random text from many scripts, with real (assigned) characters.
    blocks = {
        "latin": (0x41, 0x24F),
        "greek": (0x370, 0x3FF),
        "cyrillic": (0x400, 0x4FF),
        "armenian": (0x531, 0x58A),
        "hebrew": (0x5D0, 0x5EA),
        "arabic": (0x620, 0x64A),
        "devanagari": (0x900, 0x97F),
        "thai": (0xE01, 0xE5B),
        "hangul": (0xAC00, 0xD7A3),
        "cjk": (0x4E00, 0x9FFF),
        "kana": (0x3041, 0x30FF),
        "symbols": (0x2190, 0x23FF),
        "emoji": (0x1F300, 0x1F64F),
        "math_alnum": (0x1D400, 0x1D7FF),
    }
    names = sorted(blocks)
    for i in range(420):
        words = []
        for _ in range(rng.randint(1, 12)):
            lo, hi = blocks[rng.choice(names)]
            chars = []
            while len(chars) < rng.randint(1, 9):
                c = chr(rng.randint(lo, hi))
                if unicodedata.category(c) != "Cn":
                    chars.append(c)
            words.append("".join(chars))
        separators = [" ", " ", " ", "  ", "\t", "\n", "", ", ", ". ", "\u3000"]
        text = ""
        for word in words:
            text += word + rng.choice(separators)
        if i % 7 == 0:
            text = " " + text
        lines.append(text)
    # Random printable ASCII, including code-like punctuation.
    ascii_chars = [chr(c) for c in range(0x20, 0x7F)] + ["\t", "\n"]
    for _ in range(150):
        lines.append(
            "".join(rng.choice(ascii_chars) for _ in range(rng.randint(1, 80)))
        )
    return lines


def main():
    rng = random.Random(SEED)
    lines = WRITTEN + _docstrings() + _generated(rng)
    path = os.path.join(HERE, "messy_corpus.jsonl")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for line in lines:
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
    print(f"wrote {len(lines)} lines to {path}")


if __name__ == "__main__":
    main()
