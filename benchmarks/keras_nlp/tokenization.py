# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Tokenization throughput (WordPiece and byte-level BPE): eager and in tf.data.

Configuration (fixed, seed 0, CPU): 10,000 synthetic English-like sentences
(8-40 words from a 2,000-word generated lexicon, with punctuation, capitals
and some accented words).

- WordPiece: a vocabulary built in this script from the lexicon (whole words
  for half of it, then characters and `##` continuations, plus BERT's
  special tokens), lowercasing and accent stripping on.
- Byte-level BPE (GPT-2 / RoBERTa style): the committed test vocabulary and
  merges (`packages/keras-nlp/keras_nlp/src/tokenizers/testdata/bpe_vocab.json`
  and `bpe_merges.txt`, 3,738 merges trained with HuggingFace `tokenizers`),
  `add_prefix_space=False`, `<|endoftext|>` as special token; both sides read
  the same files.

For each tokenizer:

- eager: one call on the Python list of sentences (ragged output), median
  of 3 timed calls after 1 warm-up (so word caches are warm on both sides);
- tf.data: `Dataset.from_tensor_slices(texts).batch(32).map(tokenizer)`,
  one full pass, median of 3 passes after 1 warm-up;
- SavedModel (`savedmodel_*` figures): the tokenizer exported as our tasks
  export their preprocessing (`Task.export`: tracked by a `tf.Module`, a
  `tf.function` with a string signature as `serving_default`; ids out as
  flat values and row splits), loaded back with `tf.saved_model.load`, its
  signature called on the corpus in batches of 32, median of 3 passes after
  1 warm-up. keras-hub's tokenizer is exported the same way (its
  tokenizers are Keras layers that run in a `tf.function`, which is how
  keras-hub exports preprocessing).

A second corpus, long documents (`long_*` figures): 500 documents of about
512 tokens each (sentences of the short corpus, seed 1), timed the same
way (tf.data batches of 8).
`--scale 0.01` shrinks both corpora (a quick check that the script runs;
figures from it mean nothing).

    python benchmarks/keras_nlp/tokenization.py --impl ours  # keras_nlp tokenizers
    python benchmarks/keras_nlp/tokenization.py --impl peer  # keras_hub tokenizers
    python benchmarks/keras_nlp/tokenization.py --impl hf    # HuggingFace tokenizers (eager only)

`--tokenizer wordpiece|bpe|all` (default all) picks the tokenizers and
`--sentences N` the corpus size (a quick check that the script works; the
figures are only comparable at the default size). Figures are named
`eager_sentences_per_s`, `tfdata_sentences_per_s`,
`savedmodel_sentences_per_s` (WordPiece) and `bpe_eager_sentences_per_s`,
`bpe_tfdata_sentences_per_s`, `bpe_savedmodel_sentences_per_s`.

The peer is keras-hub 0.32.0's `WordPieceTokenizer` and `BytePairTokenizer`,
what a Keras user would otherwise use (`tools/bench keras_nlp/tokenization
--against keras-hub==0.32.0`); HuggingFace `tokenizers` (Rust,
`encode_batch`) is the speed ceiling and has no tf.data path. Each runs in
its own environment.
"""

import argparse
import json
import os
import statistics
import time

SEED = 0
NUM_SENTENCES = 10_000
BATCH = 32
TESTDATA = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "..",
    "..",
    "packages",
    "keras-nlp",
    "keras_nlp",
    "src",
    "tokenizers",
    "testdata",
)
BPE_SPECIAL = "<|endoftext|>"
NUM_DOCUMENTS = 500
DOCUMENT_TOKENS = 512
DOCUMENT_BATCH = 8


def make_corpus(num_sentences=NUM_SENTENCES):
    import random

    rng = random.Random(SEED)
    letters = "etaoinshrdlucmfwypvbgkjqxz"
    weights = [
        12,
        9,
        8,
        7,
        7,
        6,
        6,
        6,
        5,
        4,
        4,
        3,
        3,
        2,
        2,
        2,
        2,
        2,
        1.5,
        1,
        1,
        0.8,
        0.2,
        0.2,
        0.1,
        0.1,
    ]
    lexicon = set()
    while len(lexicon) < 2000:
        lexicon.add("".join(rng.choices(letters, weights, k=rng.randint(2, 10))))
    lexicon = sorted(lexicon)
    accented = ["café", "naïve", "résumé", "façade", "Ångström", "über"]
    texts = []
    for _ in range(num_sentences):
        words = []
        for _ in range(rng.randint(8, 40)):
            word = rng.choice(lexicon) if rng.random() > 0.03 else rng.choice(accented)
            if rng.random() < 0.1:
                word = word.capitalize()
            words.append(word)
            if rng.random() < 0.08:
                words.append(rng.choice([",", ";", "!", "?", "--", "(x)"]))
        texts.append(" ".join(words) + ".")
    vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    vocabulary += sorted(set("abcdefghijklmnopqrstuvwxyz.,;!?-()"))
    vocabulary += ["##" + c for c in "abcdefghijklmnopqrstuvwxyz"]
    vocabulary += lexicon[::2] + [
        "cafe",
        "naive",
        "resume",
        "facade",
        "angstrom",
        "uber",
    ]
    return texts, vocabulary


def make_documents(texts, vocabulary, num_documents):
    """Long documents: sentences of the short corpus joined to 512 tokens.

    A word in the vocabulary (lowercased) counts as one token, any other as
    one per character (its pieces are single characters).
    """
    import random

    rng = random.Random(SEED + 1)
    whole = set(vocabulary)
    documents = []
    for _ in range(num_documents):
        words, tokens = [], 0
        while tokens < DOCUMENT_TOKENS:
            for word in rng.choice(texts).split(" "):
                cost = 1 if word.lower() in whole else len(word)
                if tokens + cost > DOCUMENT_TOKENS:
                    break
                words.append(word)
                tokens += cost
            else:
                continue
            break
        documents.append(" ".join(words))
    return documents


def measure_documents(tokenizer, documents):
    """Eager and tf.data throughput on the long documents (docs/s)."""
    import tensorflow as tf

    figures = {}
    seconds = timed(lambda: tokenizer(documents))
    figures["long_eager_docs_per_s"] = len(documents) / seconds
    dataset = (
        tf.data.Dataset.from_tensor_slices(documents)
        .batch(DOCUMENT_BATCH)
        .map(tokenizer)
    )

    def one_pass():
        for _ in dataset:
            pass

    seconds = timed(one_pass)
    figures["long_tfdata_docs_per_s"] = len(documents) / seconds
    return figures


def build(impl, vocabulary):
    if impl == "ours":
        import keras_nlp

        return keras_nlp.tokenizers.WordPieceTokenizer(vocabulary, lowercase=True)
    if impl == "peer":
        import keras_hub

        return keras_hub.tokenizers.WordPieceTokenizer(
            vocabulary=vocabulary, lowercase=True, strip_accents=True
        )
    from tokenizers import BertWordPieceTokenizer

    return BertWordPieceTokenizer(
        {t: i for i, t in enumerate(vocabulary)}, lowercase=True
    )


def bpe_files():
    """The committed vocabulary (dict) and merges (list of 'a b')."""
    with open(os.path.join(TESTDATA, "bpe_vocab.json"), encoding="utf-8") as f:
        vocabulary = json.load(f)
    with open(os.path.join(TESTDATA, "bpe_merges.txt"), encoding="utf-8") as f:
        merges = [line for line in f.read().split("\n") if line]
    if merges and merges[0].startswith("#version"):
        merges = merges[1:]
    return vocabulary, merges


def build_bpe(impl):
    vocabulary, merges = bpe_files()
    if impl == "ours":
        import keras_nlp

        return keras_nlp.tokenizers.BytePairTokenizer(
            vocabulary, merges, special_tokens=[BPE_SPECIAL]
        )
    if impl == "peer":
        import keras_hub

        return keras_hub.tokenizers.BytePairTokenizer(
            vocabulary=vocabulary, merges=merges, unsplittable_tokens=[BPE_SPECIAL]
        )
    from tokenizers import Tokenizer
    from tokenizers import models
    from tokenizers import pre_tokenizers

    tokenizer = Tokenizer(models.BPE(vocabulary, [tuple(m.split(" ")) for m in merges]))
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.add_special_tokens([BPE_SPECIAL])
    return tokenizer


def timed(fn, repeats=3):
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(impl, tokenizer, texts, prefix):
    """Sentences per second, eagerly and (except HF) in tf.data."""
    figures = {}
    if impl == "hf":
        seconds = timed(lambda: tokenizer.encode_batch(texts, add_special_tokens=False))
        figures[prefix + "eager_sentences_per_s"] = len(texts) / seconds
        return figures
    import tensorflow as tf

    seconds = timed(lambda: tokenizer(texts))
    figures[prefix + "eager_sentences_per_s"] = len(texts) / seconds
    dataset = tf.data.Dataset.from_tensor_slices(texts).batch(BATCH).map(tokenizer)

    def one_pass():
        for _ in dataset:
            pass

    seconds = timed(one_pass)
    figures[prefix + "tfdata_sentences_per_s"] = len(texts) / seconds
    return figures


def measure_saved_model(tokenizer, texts, prefix):
    """Sentences per second through an exported SavedModel's signature.

    The tokenizer is exported as the tasks export their preprocessing
    (`Task.export`): tracked by a `tf.Module`, called by a `tf.function`
    that is the `serving_default` signature (strings in; ids out as flat
    values and row splits, since a signature returns dense tensors). The
    SavedModel is loaded back with `tf.saved_model.load` and its signature
    called on the corpus in batches of `BATCH`, as a server answering
    requests would (median of 3 passes after 1 warm-up).
    """
    import tempfile

    import tensorflow as tf

    module = tf.Module()
    module.tokenizer = tokenizer

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="text")])
    def serve(text):
        ids = tokenizer(text)
        return {"token_ids": ids.flat_values, "row_splits": ids.row_splits}

    module.serve = serve
    batches = [
        tf.constant(texts[start : start + BATCH])
        for start in range(0, len(texts), BATCH)
    ]
    with tempfile.TemporaryDirectory() as directory:
        tf.saved_model.save(module, directory, signatures={"serving_default": serve})
        restored = tf.saved_model.load(directory)
        signature = restored.signatures["serving_default"]

        def one_pass():
            for batch in batches:
                signature(text=batch)

        seconds = timed(one_pass)
    return {prefix + "savedmodel_sentences_per_s": len(texts) / seconds}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--impl", choices=["ours", "peer", "hf"], required=True)
    parser.add_argument(
        "--tokenizer", choices=["wordpiece", "bpe", "all"], default="all"
    )
    parser.add_argument("--sentences", type=int, default=NUM_SENTENCES)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    if args.sentences < 1:
        parser.error(f"--sentences must be positive. Received: {args.sentences}")
    texts, vocabulary = make_corpus(args.sentences)
    texts = texts[: max(BATCH, int(len(texts) * args.scale))]
    documents = make_documents(
        texts, vocabulary, max(DOCUMENT_BATCH, int(NUM_DOCUMENTS * args.scale))
    )
    figures = {}
    if args.tokenizer in ("wordpiece", "all"):
        tokenizer = build(args.impl, vocabulary)
        figures.update(measure(args.impl, tokenizer, texts, ""))
        if args.impl != "hf":
            figures.update(measure_documents(tokenizer, documents))
            figures.update(measure_saved_model(tokenizer, texts, ""))
    if args.tokenizer in ("bpe", "all"):
        tokenizer = build_bpe(args.impl)
        figures.update(measure(args.impl, tokenizer, texts, "bpe_"))
        if args.impl != "hf":
            figures.update(measure_saved_model(tokenizer, texts, "bpe_"))
    figures = {k: round(v, 1) for k, v in figures.items()}
    print(
        json.dumps(
            {
                "benchmark": "tokenization",
                "impl": args.impl,
                "config": {
                    "sentences": len(texts),
                    "tokenizers": args.tokenizer,
                    "documents": len(documents),
                    "document_tokens": DOCUMENT_TOKENS,
                    "document_batch": DOCUMENT_BATCH,
                    "vocabulary_size": len(vocabulary),
                    "bpe_vocabulary_size": len(bpe_files()[0]),
                    "tf_data_batch": BATCH,
                    "seed": SEED,
                },
                "figures": figures,
                "higher_is_better": {key: True for key in figures},
            }
        )
    )


if __name__ == "__main__":
    main()
