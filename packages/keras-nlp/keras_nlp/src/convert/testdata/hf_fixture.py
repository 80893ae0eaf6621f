# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""What the fixture scripts (`*/testdata/make_fixture.py`) share.

The scripts write tiny random HuggingFace checkpoints and the outputs of
`transformers` on them. They run in an environment with torch and
`transformers` (not keras-nlp's), so this module imports neither keras-nlp
nor TensorFlow: a script puts this folder on `sys.path` and imports it as
`hf_fixture`. torch and `transformers` are imported inside the functions.
"""

import argparse
import os

import numpy as np

# Padded batches: 4 rows of 16 positions with 16, 11, 5 and 1 real tokens.
BATCH, LENGTH = 4, 16
LENGTHS = (16, 11, 5, 1)
WORDPIECE_SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def randomize(model, generator):
    """Draws every parameter of `model` (layer norms and biases included)
    from `generator`, so that a converter that drops or transposes any
    tensor fails the comparison."""
    import torch

    with torch.no_grad():
        for name, param in model.named_parameters():
            noise = torch.randn(param.shape, generator=generator, dtype=torch.float32)
            if "layer_norm.weight" in name or "LayerNorm.weight" in name:
                param.copy_(1.0 + 0.2 * noise)
            elif "embeddings" in name:
                param.copy_(0.5 * noise)
            else:
                param.copy_(0.15 * noise)


def padded_batch(
    seed, vocab_size, low, high=None, first_id=None, pad_id=None, second_segment=1
):
    """`(ids, mask, types)` of a padded batch (int64).

    Args:
        seed: seed of the NumPy generator.
        vocab_size: ids are below it.
        low, high: real tokens are drawn from `[low, high)` (`high`
            defaults to `vocab_size`).
        first_id: id put at every row's first position (`[CLS]`, `<s>`).
        pad_id: id of the padding positions; None draws them at random from
            the whole vocabulary (padding must not matter).
        second_segment: the segment id of the second segment of row 1.
    """
    rng = np.random.RandomState(seed)
    ids = rng.randint(low, vocab_size if high is None else high, size=(BATCH, LENGTH))
    if first_id is not None:
        ids[:, 0] = first_id
    mask = (np.arange(LENGTH)[None] < np.array(LENGTHS)[:, None]).astype("int64")
    if pad_id is None:
        padding = rng.randint(0, vocab_size, size=ids.shape)
    else:
        padding = pad_id
    ids = np.where(mask == 1, ids, padding)
    types = np.zeros((BATCH, LENGTH), "int64")
    types[0, 9:] = 1
    types[1, 6:11] = second_segment
    return ids.astype("int64"), mask, types


def write_wordpiece_vocab(directory, vocab_size, tokenizer_config=False):
    """`vocab.txt`: BERT's specials then `tok0`, `tok1`, ...; with
    `tokenizer_config`, an uncased `tokenizer_config.json` too."""
    words = [f"tok{i}" for i in range(vocab_size - len(WORDPIECE_SPECIALS))]
    with open(os.path.join(directory, "vocab.txt"), "w") as f:
        f.write("\n".join(WORDPIECE_SPECIALS + words) + "\n")
    if tokenizer_config:
        with open(os.path.join(directory, "tokenizer_config.json"), "w") as f:
            f.write('{"do_lower_case": true, "tokenize_chinese_chars": true}\n')


def with_labels(config, num_labels):
    """A copy of a `transformers` config with `num_labels` labels."""
    settings = {
        k: v for k, v in config.to_dict().items() if k not in ("id2label", "label2id")
    }
    return type(config)(**{**settings, "num_labels": num_labels})


def standard_heads(transformers, family, num_tags):
    """`(prefix, class, num_labels)` of a family's sequence-classification
    (3 classes), question-answering and token-classification (`num_tags`)
    models; `family` is the `transformers` class prefix (`"DistilBert"`)."""
    return (
        ("classifier", getattr(transformers, f"{family}ForSequenceClassification"), 3),
        ("qa", getattr(transformers, f"{family}ForQuestionAnswering"), 2),
        ("token", getattr(transformers, f"{family}ForTokenClassification"), num_tags),
    )


def task_heads(heads, body_name, body, config, generator, inputs, strict=True):
    """The tensors and outputs of task heads on one body.

    For each `(prefix, cls, num_labels)` of `heads`, builds `cls` on
    `config` with `num_labels` labels (`config` is a `transformers` config,
    or a function of the number of labels giving one), draws its weights,
    loads the body's
    `state_dict` `body` into its `body_name` module, and runs it on
    `inputs` (call inside `torch.no_grad()`).

    Returns:
        `(tensors, outputs)`: the head tensors under `<prefix>/<name>`,
        and `<prefix>_logits` (`qa_start_logits` and `qa_end_logits` for
        the question-answering head).
    """
    config_for = config if callable(config) else lambda n: with_labels(config, n)
    tensors, outputs = {}, {}
    for prefix, cls, labels in heads:
        model = cls(config_for(labels))
        randomize(model, generator)
        getattr(model, body_name).load_state_dict(body, strict=strict)
        model.eval()
        for name, value in model.state_dict().items():
            if not name.startswith(body_name + "."):
                tensors[f"{prefix}/{name}"] = value.numpy()
        result = model(**inputs)
        if prefix == "qa":
            outputs["qa_start_logits"] = result.start_logits.numpy()
            outputs["qa_end_logits"] = result.end_logits.numpy()
        else:
            outputs[f"{prefix}_logits"] = result.logits.numpy()
    return tensors, outputs


def hidden_state_outputs(hidden_states):
    """`sequence_output` and `encoder_outputs` (one per layer; the first
    hidden state is the embedding output) from `output_hidden_states`."""
    return {
        "sequence_output": hidden_states[-1].numpy(),
        "encoder_outputs": np.stack([h.numpy() for h in hidden_states[1:]]),
    }


def save(directory, reference, heads=None, **inputs):
    """Writes `heads.npz` (when there are heads) and `reference.npz`: the
    `inputs` as int32, then the `reference` outputs."""
    if heads:
        np.savez_compressed(os.path.join(directory, "heads.npz"), **heads)
    np.savez_compressed(
        os.path.join(directory, "reference.npz"),
        **{name: value.astype("int32") for name, value in inputs.items()},
        **reference,
    )


def main(make, doc, script):
    """The command line of a fixture script (`doc` its docstring, `script`
    its path): `--output` (default: the script's folder) and `--seed`;
    calls `make(output, seed)`."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--output", default=os.path.dirname(os.path.abspath(script)))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    make(args.output, args.seed)
    print(f"wrote fixtures to {args.output}")
