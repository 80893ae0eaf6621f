# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Weight plans shared by the family converters.

A plan is a list of `(names, hf_shape, variable, to_ours, to_hf)`: the
HuggingFace tensor names (the first is written, the others are accepted
when reading, e.g. the `gamma`/`beta` of old checkpoints), the shape in the
checkpoint, our variable, and the conversions both ways.
`huggingface.assign_planned` reads a plan; `to_huggingface` writes one.
An "expected" list holds only `(names, hf_shape)`, computed from a config
before any model is built.
"""

# The `transformers` names of the parts of one Transformer layer, relative
# to the layer's prefix. BERT, ELECTRA and RoBERTa share `BERT_LAYER`.
BERT_LAYER = {
    "query": "attention.self.query",
    "key": "attention.self.key",
    "value": "attention.self.value",
    "attention_output": "attention.output.dense",
    "attention_norm": "attention.output.LayerNorm",
    "inner": "intermediate.dense",
    "output": "output.dense",
    "output_norm": "output.LayerNorm",
}
ALBERT_LAYER = {
    "query": "attention.query",
    "key": "attention.key",
    "value": "attention.value",
    "attention_output": "attention.dense",
    "attention_norm": "attention.LayerNorm",
    "inner": "ffn",
    "output": "ffn_output",
    "output_norm": "full_layer_layer_norm",
}
DISTIL_BERT_LAYER = {
    "query": "attention.q_lin",
    "key": "attention.k_lin",
    "value": "attention.v_lin",
    "attention_output": "attention.out_lin",
    "attention_norm": "sa_layer_norm",
    "inner": "ffn.lin1",
    "output": "ffn.lin2",
    "output_norm": "output_layer_norm",
}


def same(x):
    return x


def transpose(x):
    return x.T


def linear(prefix, dense, in_dim, out_dim):
    """A `torch.nn.Linear` (out, in) <-> a Keras `Dense` kernel (in, out)."""
    return [
        ([f"{prefix}.weight"], (out_dim, in_dim), dense.kernel, transpose, transpose),
        ([f"{prefix}.bias"], (out_dim,), dense.bias, same, same),
    ]


def norm(prefix, layer, size):
    """A `LayerNorm` (`weight`/`bias`, or `gamma`/`beta` in old files)."""
    return [
        ([f"{prefix}.weight", f"{prefix}.gamma"], (size,), layer.gamma, same, same),
        ([f"{prefix}.bias", f"{prefix}.beta"], (size,), layer.beta, same, same),
    ]


def embedding(name, variable):
    """An embedding table, stored the same way on both sides."""
    return [([name], tuple(variable.shape), variable, same, same)]


def transformer_layer(prefix, layer, hidden, heads, inner, names=BERT_LAYER):
    """The plan of one `keras_nlp.layers.TransformerEncoder`.

    Args:
        prefix: the layer's prefix, e.g. `"encoder.layer.0"`.
        layer: the `TransformerEncoder`.
        hidden: int. Hidden size.
        heads: int. Number of attention heads.
        inner: int. Width of the feed-forward inner layer.
        names: the `transformers` names of the parts (`BERT_LAYER`,
            `DISTIL_BERT_LAYER`, `ALBERT_LAYER`).
    """
    head_dim = hidden // heads
    attention = layer.attention_layer

    def projection(part, dense):
        # (out, in) <-> EinsumDense kernel (in, heads, head_dim), bias
        # (heads, head_dim).
        p = f"{prefix}.{names[part]}"
        return [
            (
                [f"{p}.weight"],
                (hidden, hidden),
                dense.kernel,
                lambda w: w.T.reshape(hidden, heads, head_dim),
                lambda k: k.reshape(hidden, hidden).T,
            ),
            (
                [f"{p}.bias"],
                (hidden,),
                dense.bias,
                lambda b: b.reshape(heads, head_dim),
                lambda b: b.reshape(hidden),
            ),
        ]

    out = f"{prefix}.{names['attention_output']}"
    plan = projection("query", attention.query_dense)
    plan += projection("key", attention.key_dense)
    plan += projection("value", attention.value_dense)
    plan += [
        (
            [f"{out}.weight"],
            (hidden, hidden),
            attention.output_dense.kernel,
            lambda w: w.T.reshape(heads, head_dim, hidden),
            lambda k: k.reshape(hidden, hidden).T,
        ),
        ([f"{out}.bias"], (hidden,), attention.output_dense.bias, same, same),
    ]
    plan += norm(f"{prefix}.{names['attention_norm']}", layer.attention_norm, hidden)
    plan += linear(f"{prefix}.{names['inner']}", layer.inner_dense, hidden, inner)
    plan += linear(f"{prefix}.{names['output']}", layer.output_dense, inner, hidden)
    plan += norm(f"{prefix}.{names['output_norm']}", layer.output_norm, hidden)
    return plan


def transformer_layer_shapes(prefix, hidden, inner, names=BERT_LAYER):
    """The `(names, shape)` that `transformer_layer` reads, from sizes alone."""
    expected = []
    for part, shape in (
        ("query", (hidden, hidden)),
        ("key", (hidden, hidden)),
        ("value", (hidden, hidden)),
        ("attention_output", (hidden, hidden)),
        ("inner", (inner, hidden)),
        ("output", (hidden, inner)),
    ):
        expected.append(([f"{prefix}.{names[part]}.weight"], shape))
        expected.append(([f"{prefix}.{names[part]}.bias"], (shape[0],)))
    for part in ("attention_norm", "output_norm"):
        p = f"{prefix}.{names[part]}"
        expected.append(([f"{p}.weight", f"{p}.gamma"], (hidden,)))
        expected.append(([f"{p}.bias", f"{p}.beta"], (hidden,)))
    return expected


def _layer_prefix(prefix, i):
    return prefix.format(i=i) if "{i}" in prefix else f"{prefix}.{i}"


def encoder_layers(encoder, prefix, names=BERT_LAYER):
    """The plans of every Transformer layer of `encoder` (which has
    `transformer_layers` and a config with `hidden_size`,
    `num_attention_heads` and `inner_dim`), at `<prefix>.<i>`, or at
    `prefix.format(i=i)` when `prefix` holds `{i}` (ALBERT's
    `"encoder.albert_layer_groups.{i}.albert_layers.0"`)."""
    cfg = encoder.get_config()
    plan = []
    for i, layer in enumerate(encoder.transformer_layers):
        plan += transformer_layer(
            _layer_prefix(prefix, i),
            layer,
            cfg["hidden_size"],
            cfg["num_attention_heads"],
            cfg["inner_dim"],
            names,
        )
    return plan


def encoder_layer_shapes(kwargs, prefix, names=BERT_LAYER, count=None):
    """`encoder_layers`' names and shapes from the encoder's arguments
    (`count` distinct layers; default `kwargs["num_layers"]`)."""
    expected = []
    for i in range(kwargs["num_layers"] if count is None else count):
        expected += transformer_layer_shapes(
            _layer_prefix(prefix, i), kwargs["hidden_size"], kwargs["inner_dim"], names
        )
    return expected


def embeddings(encoder, width, prefix="embeddings"):
    """The plan of the embeddings an encoder built with
    `keras_nlp.layers.EncoderEmbeddings` (`word_embedding`,
    `position_embedding`, `type_embedding` when it has one,
    `embedding_norm`), under HuggingFace's BERT names."""
    position = encoder.position_embedding
    table = (
        position.position_embeddings
        if hasattr(position, "position_embeddings")
        else position.embeddings
    )
    plan = embedding(
        f"{prefix}.word_embeddings.weight", encoder.word_embedding.embeddings
    )
    plan += embedding(f"{prefix}.position_embeddings.weight", table)
    if getattr(encoder, "type_embedding", None) is not None:
        plan += embedding(
            f"{prefix}.token_type_embeddings.weight", encoder.type_embedding.embeddings
        )
    return plan + norm(f"{prefix}.LayerNorm", encoder.embedding_norm, width)


def embedding_shapes(
    vocab_size, positions, type_vocab_size, width, prefix="embeddings"
):
    """`embeddings`' names and shapes from sizes alone (`type_vocab_size`
    None: no segment table)."""
    expected = [
        ([f"{prefix}.word_embeddings.weight"], (vocab_size, width)),
        ([f"{prefix}.position_embeddings.weight"], (positions, width)),
    ]
    if type_vocab_size is not None:
        expected.append(
            ([f"{prefix}.token_type_embeddings.weight"], (type_vocab_size, width))
        )
    expected.append(
        ([f"{prefix}.LayerNorm.weight", f"{prefix}.LayerNorm.gamma"], (width,))
    )
    expected.append(
        ([f"{prefix}.LayerNorm.bias", f"{prefix}.LayerNorm.beta"], (width,))
    )
    return expected


def linear_shapes(prefix, in_dim, out_dim):
    """`linear`'s names and shapes."""
    return [([f"{prefix}.weight"], (out_dim, in_dim)), ([f"{prefix}.bias"], (out_dim,))]


def dense_head(prefix, layer):
    """A task head's dense layer, read from `transformers` only."""
    out_dim, in_dim = layer.kernel.shape[1], layer.kernel.shape[0]
    return [
        ([f"{prefix}.weight"], (out_dim, in_dim), layer.kernel, transpose, None),
        ([f"{prefix}.bias"], (out_dim,), layer.bias, same, None),
    ]
