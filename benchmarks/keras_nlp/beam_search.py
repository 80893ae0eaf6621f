# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Beam search decoding throughput: generated tokens per second.

Configuration (fixed, seed 0, TensorFlow backend, CPU, float32): beam search
with 4 beams, 32 new tokens after a one-token prompt, batch 8, on a
randomly initialized 2-layer Transformer decoder with hidden size 256,
4 heads, feed-forward 1024, vocabulary 5000, key/value caches, the whole
decoding loop measured without XLA (`tokens_per_s`, keras-hub's default on
TensorFlow) and compiled with XLA (`tokens_per_s_jit`) on both sides, in one
process (`--no-xla`: only the first). Decoding never stops early
(no end token can be chosen), so both sides run all 32 steps. Figures: the
median over `--calls` calls after 2 warm-up calls; tokens/s counts the
returned tokens (batch * 32) per second of wall time; `*_cpu_*` is the
process time of all threads, the robust figure on a busy machine.

    python benchmarks/keras_nlp/beam_search.py --impl ours  # keras_nlp.samplers.BeamSampler
    python benchmarks/keras_nlp/beam_search.py --impl peer  # keras_hub.samplers.BeamSampler

Ours: `keras_nlp.models.Seq2SeqTransformer.generate` with
`keras_nlp.samplers.BeamSampler(num_beams=4)`; its 2 decoder blocks also do
cross-attention to an 8-token source (encoded once per call), so ours does
more work per step than the peer. Peer: keras-hub 0.32.0's `BeamSampler`
driving `GPT2CausalLM.generate` (a decoder-only model with the same block
sizes), which a Keras user would otherwise use for beam search (`tools/bench
keras_nlp/beam_search --against keras-hub==0.32.0`).
"""

import argparse
import json
import statistics
import time

import numpy as np

SEED = 0
BATCH = 8
NEW_TOKENS = 32
NUM_BEAMS = 4
VOCAB = 5000
SOURCE_LENGTH = 8
SIZE = {"num_layers": 2, "hidden_size": 256, "num_heads": 4, "inner_dim": 1024}


def _ours(jit_compile=True):
    import keras_nlp

    model = keras_nlp.models.Seq2SeqTransformer(
        vocab_size=VOCAB,
        hidden_size=SIZE["hidden_size"],
        num_layers=SIZE["num_layers"],
        num_attention_heads=SIZE["num_heads"],
        inner_dim=SIZE["inner_dim"],
        max_source_length=SOURCE_LENGTH,
        max_target_length=NEW_TOKENS + 1,
        dropout=0.0,
    )
    # Never choose the end token: every call decodes all 32 positions.
    bias = model.output_dense.bias.numpy()
    bias[model.end_token_id] = -1e4
    model.output_dense.bias.assign(bias)
    rng = np.random.RandomState(SEED)
    source = rng.randint(3, VOCAB, size=(BATCH, SOURCE_LENGTH)).astype("int32")
    sampler = keras_nlp.samplers.BeamSampler(num_beams=NUM_BEAMS)

    def run():
        return model.generate(
            source,
            sampler=sampler,
            max_length=NEW_TOKENS + 1,
            jit_compile=jit_compile,
        )

    return run


def _peer(jit_compile=True):
    import keras_hub

    backbone = keras_hub.models.GPT2Backbone(
        vocabulary_size=VOCAB,
        num_layers=SIZE["num_layers"],
        num_heads=SIZE["num_heads"],
        hidden_dim=SIZE["hidden_size"],
        intermediate_dim=SIZE["inner_dim"],
        dropout=0.0,
        max_sequence_length=NEW_TOKENS + 1,
    )
    causal_lm = keras_hub.models.GPT2CausalLM(backbone=backbone, preprocessor=None)
    causal_lm.compile(
        sampler=keras_hub.samplers.BeamSampler(num_beams=NUM_BEAMS),
        jit_compile=jit_compile,
    )
    token_ids = np.zeros((BATCH, NEW_TOKENS + 1), "int32")
    token_ids[:, 0] = 1
    padding_mask = np.zeros((BATCH, NEW_TOKENS + 1), bool)
    padding_mask[:, 0] = True
    inputs = {"token_ids": token_ids, "padding_mask": padding_mask}

    def run():
        out = causal_lm.generate(inputs, stop_token_ids=None)
        return np.asarray(out["token_ids"])[:, 1:]

    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--impl", choices=("ours", "peer"), required=True)
    parser.add_argument("--calls", type=int, default=10)
    parser.add_argument(
        "--no-xla",
        action="store_true",
        help="only measure decoding without XLA (keras-hub's default on TensorFlow)",
    )
    args = parser.parse_args()

    import keras

    make = _ours if args.impl == "ours" else _peer
    figures = {}
    # Both modes in one process (`<figure>` without XLA, `<figure>_jit`
    # with it), so that `tools/bench` compares each side's best mode.
    for jit_compile in (False,) if args.no_xla else (False, True):
        suffix = "_jit" if jit_compile else ""
        keras.utils.set_random_seed(SEED)
        run = make(jit_compile=jit_compile)
        start = time.perf_counter()
        out = run()
        first_call = time.perf_counter() - start
        if out.shape != (BATCH, NEW_TOKENS):
            raise RuntimeError(f"unexpected output shape {out.shape}")
        run()
        walls, cpus = [], []
        for _ in range(args.calls):
            wall, cpu = time.perf_counter(), time.process_time()
            run()
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        tokens = BATCH * NEW_TOKENS
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        figures.update(
            {
                "tokens_per_s" + suffix: tokens / wall,
                "tokens_per_cpu_s" + suffix: tokens / cpu,
                "call_ms" + suffix: 1000 * wall,
                "first_call_s" + suffix: first_call,
            }
        )
    higher = {
        "tokens_per_s": True,
        "tokens_per_cpu_s": True,
        "call_ms": False,
        "first_call_s": False,
    }
    print(
        json.dumps(
            {
                "benchmark": "beam_search",
                "impl": args.impl,
                "config": {
                    "batch": BATCH,
                    "new_tokens": NEW_TOKENS,
                    "num_beams": NUM_BEAMS,
                    "vocab_size": VOCAB,
                    **SIZE,
                    "seed": SEED,
                    "calls": args.calls,
                },
                "figures": figures,
                "higher_is_better": {
                    key: higher[key.removesuffix("_jit")] for key in figures
                },
            }
        )
    )


if __name__ == "__main__":
    main()
