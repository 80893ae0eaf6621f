# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""BERT checkpoints in the HuggingFace layout <-> `BertEncoder`."""

import json
import os
import struct

import numpy as np

from keras_core import api_export
from keras_nlp.src.convert.pytorch_checkpoint import load_pytorch_checkpoint
from keras_nlp.src.convert.pytorch_checkpoint import read_pytorch_shapes
from keras_nlp.src.models.bert.bert_encoder import BertEncoder
from keras_nlp.src.utils import activations

SAFETENSORS_FILE = "model.safetensors"
VOCAB_FILE = "vocab.txt"
TOKENIZER_CONFIG_FILE = "tokenizer_config.json"
PYTORCH_FILE = "pytorch_model.bin"
CONFIG_FILE = "config.json"

# HuggingFace `hidden_act` -> our `inner_activation`.
_HF_ACTIVATIONS = {
    "gelu": "gelu",
    "gelu_python": "gelu",
    "gelu_new": "gelu_approximate",
    "gelu_pytorch_tanh": "gelu_approximate",
    "relu": "relu",
    "tanh": "tanh",
    "silu": "silu",
    "swish": "silu",
}
_OUR_ACTIVATIONS = {
    "gelu": "gelu",
    "gelu_approximate": "gelu_new",
    "relu": "relu",
    "tanh": "tanh",
    "silu": "silu",
}


def _read_config(directory):
    path = os.path.join(directory, CONFIG_FILE)
    if not os.path.isfile(path):
        raise ValueError(
            f"No {CONFIG_FILE} in {directory!r}. A HuggingFace checkpoint directory "
            f"holds {CONFIG_FILE} and {SAFETENSORS_FILE} or {PYTORCH_FILE}."
        )
    try:
        with open(path, encoding="utf-8") as f:
            config = json.load(f)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ValueError(
            f"{path} is truncated or corrupt: it is not valid JSON ({error}). "
            "Download or save the checkpoint again."
        ) from None
    if not isinstance(config, dict):
        raise ValueError(
            f"{path} is corrupt: it holds a JSON {type(config).__name__}, not an "
            "object of BERT settings."
        )
    model_type = config.get("model_type", "bert")
    if model_type != "bert":
        raise ValueError(
            f"{path} describes a {model_type!r} model; from_huggingface converts "
            "BERT checkpoints (model_type 'bert') only."
        )
    if config.get("position_embedding_type", "absolute") != "absolute":
        raise ValueError(
            f"{path}: position_embedding_type={config['position_embedding_type']!r} "
            "is not supported; BertEncoder uses absolute position embeddings."
        )
    act = config.get("hidden_act", "gelu")
    if act not in _HF_ACTIVATIONS:
        raise ValueError(
            f"{path}: hidden_act={act!r} is not supported. Supported: {sorted(_HF_ACTIVATIONS)}."
        )
    required = (
        "vocab_size",
        "hidden_size",
        "num_hidden_layers",
        "num_attention_heads",
        "intermediate_size",
    )
    missing = [k for k in required if k not in config]
    if missing:
        raise ValueError(
            f"{path} lacks the entries {missing}, which a BERT config needs."
        )
    for key in required + ("max_position_embeddings", "type_vocab_size"):
        value = config.get(key, 1)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(
                f"{path}: {key}={value!r} must be a positive int. The file is "
                "corrupt or not a BERT config."
            )
    for key, low, high in (
        ("hidden_dropout_prob", 0.0, 1.0),
        ("attention_probs_dropout_prob", 0.0, 1.0),
        ("layer_norm_eps", 0.0, 1.0),
    ):
        value = config.get(key, 0.1)
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not low <= value < high
            or (key == "layer_norm_eps" and value <= 0)
        ):
            raise ValueError(
                f"{path}: {key}={value!r} must be a number in [{low}, {high}). "
                "The file is corrupt or not a BERT config."
            )
    if config["hidden_size"] % config["num_attention_heads"]:
        raise ValueError(
            f"{path}: hidden_size={config['hidden_size']} is not divisible by "
            f"num_attention_heads={config['num_attention_heads']}."
        )
    return config


def _encoder_kwargs(config):
    return dict(
        vocab_size=int(config["vocab_size"]),
        hidden_size=int(config["hidden_size"]),
        num_layers=int(config["num_hidden_layers"]),
        num_attention_heads=int(config["num_attention_heads"]),
        max_sequence_length=int(config.get("max_position_embeddings", 512)),
        type_vocab_size=int(config.get("type_vocab_size", 2)),
        inner_dim=int(config["intermediate_size"]),
        inner_activation=_HF_ACTIVATIONS[config.get("hidden_act", "gelu")],
        output_dropout=float(config.get("hidden_dropout_prob", 0.1)),
        attention_dropout=float(config.get("attention_probs_dropout_prob", 0.1)),
        norm_epsilon=float(config.get("layer_norm_eps", 1e-12)),
    )


_SAFETENSORS_ITEMSIZE = {
    "F64": 8,
    "F32": 4,
    "F16": 2,
    "BF16": 2,
    "I64": 8,
    "I32": 4,
    "I16": 2,
    "I8": 1,
    "U8": 1,
    "BOOL": 1,
}


def read_safetensors_shapes(path):
    """Tensor shapes from a safetensors header, checked against the file.

    Reads only the header. Raises a `ValueError` naming the file when it is
    truncated or corrupt: a header longer than the file, invalid JSON, or a
    tensor whose byte range is not inside the file or does not match its
    shape and dtype.
    """
    size = os.path.getsize(path)

    def corrupt(reason):
        return ValueError(
            f"{path} is truncated or corrupt: {reason}. Download or save the "
            "checkpoint again."
        )

    with open(path, "rb") as f:
        head = f.read(8)
        if len(head) < 8:
            raise corrupt(f"it has {size} bytes, fewer than a header needs")
        (header_size,) = struct.unpack("<Q", head)
        if header_size > size - 8:
            raise corrupt(
                f"its header claims {header_size} bytes but the file has "
                f"{size - 8} after the size field"
            )
        try:
            header = json.loads(f.read(header_size))
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise corrupt(f"its header is not valid JSON ({error})") from None
    if not isinstance(header, dict):
        raise corrupt("its header is not a JSON object")
    data_size = size - 8 - header_size
    shapes = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        try:
            dtype, shape = info["dtype"], info["shape"]
            start, end = info["data_offsets"]
        except (TypeError, KeyError, ValueError):
            raise corrupt(f"the header entry of tensor {name!r} is malformed") from None
        if dtype not in _SAFETENSORS_ITEMSIZE:
            raise ValueError(f"{path}: tensor {name!r} has unsupported dtype {dtype}.")
        if not isinstance(shape, list) or not all(
            isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in shape
        ):
            raise corrupt(f"tensor {name!r} has an invalid shape {shape!r}")
        elements = 1
        for n in shape:
            elements *= n
        if (
            not all(isinstance(v, int) for v in (start, end))
            or not 0 <= start <= end <= data_size
            or end - start != elements * _SAFETENSORS_ITEMSIZE[dtype]
        ):
            raise corrupt(
                f"tensor {name!r} of shape {tuple(shape)} ({dtype}) claims bytes "
                f"{start}..{end}, but the data section has {data_size} bytes"
            )
        shapes[name] = tuple(shape)
    return shapes


def _load_safetensors(path):
    import safetensors.numpy

    read_safetensors_shapes(path)
    try:
        tensors = dict(safetensors.numpy.load_file(path))
    except Exception as error:  # safetensors raises its own SafetensorError
        if not isinstance(error, (TypeError, ValueError)):
            raise ValueError(
                f"{path} is truncated or corrupt: {error}. Download or save "
                "the checkpoint again."
            ) from None
        # NumPy has no bfloat16; widen such tensors to float32 by hand.
        if "bf16" not in str(error).lower() and "bfloat16" not in str(error).lower():
            raise ValueError(f"Cannot read {path}: {error}") from error
        return _load_safetensors_widening_bf16(path)
    # With ml_dtypes installed NumPy can hold bfloat16; widen it all the same.
    return {
        name: value.astype(np.float32) if value.dtype.name == "bfloat16" else value
        for name, value in tensors.items()
    }


def _load_safetensors_widening_bf16(path):
    dtypes = {
        "F64": "<f8",
        "F32": "<f4",
        "F16": "<f2",
        "I64": "<i8",
        "I32": "<i4",
        "I16": "<i2",
        "I8": "i1",
        "U8": "u1",
        "BOOL": "?",
    }
    with open(path, "rb") as f:
        (header_size,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(header_size))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        raw = data[start:end]
        if info["dtype"] == "BF16":
            bits = np.frombuffer(raw, "<u2").astype(np.uint32) << 16
            array = bits.view(np.float32)
        elif info["dtype"] in dtypes:
            array = np.frombuffer(raw, dtypes[info["dtype"]])
        else:
            raise ValueError(
                f"{path}: tensor {name!r} has unsupported dtype {info['dtype']}."
            )
        tensors[name] = array.reshape(info["shape"])
    return tensors


def read_checkpoint_tensors(directory):
    """Reads the tensors of a checkpoint directory, without pickle execution.

    Args:
        directory: a folder with `model.safetensors` or `pytorch_model.bin`.

    Returns:
        A dict from tensor name to `np.ndarray`.
    """
    safetensors_path = os.path.join(directory, SAFETENSORS_FILE)
    pytorch_path = os.path.join(directory, PYTORCH_FILE)
    if os.path.isfile(safetensors_path):
        return _load_safetensors(safetensors_path)
    if os.path.isfile(pytorch_path):
        return load_pytorch_checkpoint(pytorch_path)
    raise ValueError(
        f"No weights in {directory!r}: expected {SAFETENSORS_FILE} or {PYTORCH_FILE}. "
        "Sharded checkpoints (model-00001-of-0000N.safetensors) are not supported; "
        "merge them first."
    )


def read_checkpoint_shapes(directory):
    """Tensor shapes of a checkpoint directory, without reading tensor data.

    From the safetensors header, or from the tensor index of a PyTorch file
    (its storages are checked too). Raises a `ValueError` naming the file
    when it is truncated or corrupt.
    """
    safetensors_path = os.path.join(directory, SAFETENSORS_FILE)
    pytorch_path = os.path.join(directory, PYTORCH_FILE)
    if os.path.isfile(safetensors_path):
        return read_safetensors_shapes(safetensors_path)
    if os.path.isfile(pytorch_path):
        return read_pytorch_shapes(pytorch_path)
    return read_checkpoint_tensors(directory)  # raises: no weights


def _expected_shapes(kwargs):
    """(HuggingFace names, shape) of every BERT tensor the config implies.

    The same names and shapes as `_weight_plan`, computed from the
    config alone so that they can be checked before building a model.
    """
    hidden, inner = kwargs["hidden_size"], kwargs["inner_dim"]
    plan = [
        (["embeddings.word_embeddings.weight"], (kwargs["vocab_size"], hidden)),
        (
            ["embeddings.position_embeddings.weight"],
            (kwargs["max_sequence_length"], hidden),
        ),
        (
            ["embeddings.token_type_embeddings.weight"],
            (kwargs["type_vocab_size"], hidden),
        ),
    ]

    def norm(prefix):
        return [
            ([f"{prefix}.weight", f"{prefix}.gamma"], (hidden,)),
            ([f"{prefix}.bias", f"{prefix}.beta"], (hidden,)),
        ]

    def linear(prefix, in_dim, out_dim):
        return [
            ([f"{prefix}.weight"], (out_dim, in_dim)),
            ([f"{prefix}.bias"], (out_dim,)),
        ]

    plan += norm("embeddings.LayerNorm")
    for i in range(kwargs["num_layers"]):
        p = f"encoder.layer.{i}"
        for part in ("query", "key", "value"):
            plan += linear(f"{p}.attention.self.{part}", hidden, hidden)
        plan += linear(f"{p}.attention.output.dense", hidden, hidden)
        plan += norm(f"{p}.attention.output.LayerNorm")
        plan += linear(f"{p}.intermediate.dense", hidden, inner)
        plan += linear(f"{p}.output.dense", inner, hidden)
        plan += norm(f"{p}.output.LayerNorm")
    plan += linear("pooler.dense", hidden, hidden)
    return plan


def _shape_problems(shapes, kwargs):
    """Every tensor missing or shaped otherwise than the config implies."""
    has_pooler = any(name.startswith("pooler.") for name in shapes)
    problems = []
    for names, expected in _expected_shapes(kwargs):
        if names[0].startswith("pooler.") and not has_pooler:
            continue
        name = next((n for n in names if n in shapes), names[0])
        if name not in shapes:
            problems.append(f"missing tensor {name!r} (expected shape {expected})")
        elif tuple(shapes[name]) != tuple(expected):
            problems.append(
                f"tensor {name!r} has shape {tuple(shapes[name])} but the "
                f"config implies {expected}"
            )
    return problems


def _strip_prefix(tensors):
    """Drops the `bert.` prefix of task and pre-training checkpoints."""
    if any(name.startswith("bert.") for name in tensors):
        return {
            name[len("bert.") :]: value
            for name, value in tensors.items()
            if name.startswith("bert.")
        }
    return dict(tensors)


def _get(tensors, names):
    """The first of `names` present (old checkpoints say gamma/beta)."""
    for name in names:
        if name in tensors:
            return name, tensors[name]
    return names[0], None


def _weight_plan(encoder):
    """(HuggingFace names, HF shape, our variable, HF -> ours, ours -> HF)."""
    cfg = encoder.get_config()
    hidden, heads = cfg["hidden_size"], cfg["num_attention_heads"]
    head_dim = hidden // heads

    def linear(prefix, dense, in_dim, out_dim):
        return [
            (
                [f"{prefix}.weight"],
                (out_dim, in_dim),
                dense.kernel,
                lambda w: w.T,
                lambda k: k.T,
            ),
            ([f"{prefix}.bias"], (out_dim,), dense.bias, lambda b: b, lambda b: b),
        ]

    def norm(prefix, layer):
        return [
            (
                [f"{prefix}.weight", f"{prefix}.gamma"],
                (hidden,),
                layer.gamma,
                lambda w: w,
                lambda w: w,
            ),
            (
                [f"{prefix}.bias", f"{prefix}.beta"],
                (hidden,),
                layer.beta,
                lambda b: b,
                lambda b: b,
            ),
        ]

    def projection(prefix, dense):
        # (out, in) <-> EinsumDense kernel (in, heads, head_dim), bias (heads, head_dim).
        return [
            (
                [f"{prefix}.weight"],
                (hidden, hidden),
                dense.kernel,
                lambda w: w.T.reshape(hidden, heads, head_dim),
                lambda k: k.reshape(hidden, hidden).T,
            ),
            (
                [f"{prefix}.bias"],
                (hidden,),
                dense.bias,
                lambda b: b.reshape(heads, head_dim),
                lambda b: b.reshape(hidden),
            ),
        ]

    plan = [
        (
            ["embeddings.word_embeddings.weight"],
            (cfg["vocab_size"], hidden),
            encoder.word_embedding.embeddings,
            lambda w: w,
            lambda w: w,
        ),
        (
            ["embeddings.position_embeddings.weight"],
            (cfg["max_sequence_length"], hidden),
            encoder.position_embedding.position_embeddings,
            lambda w: w,
            lambda w: w,
        ),
        (
            ["embeddings.token_type_embeddings.weight"],
            (cfg["type_vocab_size"], hidden),
            encoder.type_embedding.embeddings,
            lambda w: w,
            lambda w: w,
        ),
    ]
    plan += norm("embeddings.LayerNorm", encoder.embedding_norm)
    inner = cfg["inner_dim"]
    for i, layer in enumerate(encoder.transformer_layers):
        p = f"encoder.layer.{i}"
        attention = layer.attention_layer
        plan += projection(f"{p}.attention.self.query", attention.query_dense)
        plan += projection(f"{p}.attention.self.key", attention.key_dense)
        plan += projection(f"{p}.attention.self.value", attention.value_dense)
        plan += [
            (
                [f"{p}.attention.output.dense.weight"],
                (hidden, hidden),
                attention.output_dense.kernel,
                lambda w: w.T.reshape(heads, head_dim, hidden),
                lambda k: k.reshape(hidden, hidden).T,
            ),
            (
                [f"{p}.attention.output.dense.bias"],
                (hidden,),
                attention.output_dense.bias,
                lambda b: b,
                lambda b: b,
            ),
        ]
        plan += norm(f"{p}.attention.output.LayerNorm", layer.attention_norm)
        plan += linear(f"{p}.intermediate.dense", layer.inner_dense, hidden, inner)
        plan += linear(f"{p}.output.dense", layer.output_dense, inner, hidden)
        plan += norm(f"{p}.output.LayerNorm", layer.output_norm)
    plan += linear("pooler.dense", encoder.pooler_layer, hidden, hidden)
    return plan


@api_export("keras_nlp.convert.from_huggingface", stability="experimental")
def from_huggingface(directory, **encoder_overrides):
    """Loads a BERT checkpoint in the HuggingFace layout into a `BertEncoder`.

    Reads `config.json` and the weights, `model.safetensors` (preferred) or
    a zip-format `pytorch_model.bin`, from a local directory; nothing is
    downloaded, and PyTorch files are read by a restricted unpickler that
    rebuilds tensors only and never runs code from the file. Checkpoints of
    `BertModel` and of models with a BERT body (`BertForPreTraining`,
    `BertForSequenceClassification`, ...: names prefixed `bert.`) load; the
    task heads are ignored. The pooler is loaded when present. The config's
    `hidden_act` selects the activation: `"gelu"` is the exact GELU,
    `"gelu_new"` and `"gelu_pytorch_tanh"` the tanh approximation.

    Args:
        directory: path of the checkpoint directory.
        **encoder_overrides: `BertEncoder` arguments that do not change the
            weights' shapes, e.g. `output_dropout=0.0`, `output_range=1` or
            `dtype="mixed_bfloat16"`.

    Returns:
        A `keras_nlp.encoders.BertEncoder` with the checkpoint's weights.

    Raises:
        ValueError: the directory lacks a file, the config is not BERT, or a
            tensor is missing or has another shape than the config implies
            (the message names every such tensor with both shapes).

    Examples:

    >>> import tempfile, numpy as np, keras_nlp
    >>> source = keras_nlp.encoders.BertEncoder(
    ...     vocab_size=50, hidden_size=16, num_layers=1, num_attention_heads=2,
    ...     inner_dim=32, max_sequence_length=8)
    >>> directory = keras_nlp.convert.to_huggingface(source, tempfile.mkdtemp())
    >>> encoder = keras_nlp.convert.from_huggingface(directory)
    >>> ids = np.array([[2, 7, 9, 3, 0, 0]])
    >>> inputs = {"input_ids": ids, "input_mask": (ids > 0).astype("int32"),
    ...           "input_type_ids": np.zeros_like(ids)}
    >>> diff = encoder(inputs)["pooled_output"] - source(inputs)["pooled_output"]
    >>> float(np.max(np.abs(diff))) < 1e-6
    True
    """
    directory = os.fspath(directory)
    if not os.path.isdir(directory):
        raise ValueError(
            f"{directory!r} is not a directory. Pass the folder that holds {CONFIG_FILE}."
        )
    config = _read_config(directory)
    kwargs = _encoder_kwargs(config)
    shape_args = {
        "vocab_size",
        "hidden_size",
        "num_layers",
        "num_attention_heads",
        "max_sequence_length",
        "type_vocab_size",
        "inner_dim",
        "embedding_width",
    }
    clash = sorted(shape_args & set(encoder_overrides))
    if clash:
        raise ValueError(
            f"{clash} are set by the checkpoint's {CONFIG_FILE} and cannot be overridden: "
            "they determine the weight shapes."
        )
    kwargs.update(encoder_overrides)
    # Shapes first, from the file headers: a config that does not fit the
    # weights (or a corrupt file) fails here, before anything is allocated.
    problems = _shape_problems(_strip_prefix(read_checkpoint_shapes(directory)), kwargs)
    if problems:
        raise ValueError(
            f"The checkpoint in {directory!r} does not match its {CONFIG_FILE} "
            f"(BERT with hidden_size={kwargs['hidden_size']}, num_layers="
            f"{kwargs['num_layers']}, vocab_size={kwargs['vocab_size']}): "
            + "; ".join(problems[:10])
            + (f"; and {len(problems) - 10} more" if len(problems) > 10 else "")
            + ". Nothing was built."
        )
    tensors = _strip_prefix(read_checkpoint_tensors(directory))
    encoder = BertEncoder(**kwargs)

    problems, assignments = [], []
    has_pooler = any(name.startswith("pooler.") for name in tensors)
    for names, hf_shape, variable, to_ours, _ in _weight_plan(encoder):
        if names[0].startswith("pooler.") and not has_pooler:
            continue
        name, value = _get(tensors, names)
        if value is None:
            problems.append(f"missing tensor {name!r} (expected shape {hf_shape})")
        elif tuple(value.shape) != tuple(hf_shape):
            problems.append(
                f"tensor {name!r} has shape {tuple(value.shape)} but the config implies {hf_shape}"
            )
        else:
            assignments.append((variable, to_ours(np.asarray(value, dtype="float32"))))
    if problems:
        raise ValueError(
            f"The checkpoint in {directory!r} does not match its {CONFIG_FILE} "
            f"(BERT with hidden_size={kwargs['hidden_size']}, num_layers={kwargs['num_layers']}, "
            f"vocab_size={kwargs['vocab_size']}): " + "; ".join(problems) + "."
        )
    for variable, value in assignments:
        variable.assign(value)
    if not has_pooler:
        import warnings

        warnings.warn(
            f"The checkpoint in {directory!r} has no pooler weights; `pooled_output` "
            "comes from a randomly initialised pooler.",
            stacklevel=2,
        )
    return encoder


@api_export("keras_nlp.convert.to_huggingface", stability="experimental")
def to_huggingface(encoder, directory):
    """Writes a `BertEncoder` as a HuggingFace `BertModel` checkpoint.

    Creates `config.json` and `model.safetensors` in `directory`, readable
    by `from_huggingface` and by HuggingFace `transformers`
    (`BertModel.from_pretrained(directory)`).

    Args:
        encoder: a `keras_nlp.encoders.BertEncoder` without factorised
            embeddings (HuggingFace BERT has no embedding projection).
        directory: the output folder, created if needed.

    Returns:
        The directory.

    Examples:

    >>> import os, tempfile, keras_nlp
    >>> encoder = keras_nlp.encoders.BertEncoder(
    ...     vocab_size=50, hidden_size=16, num_layers=1, num_attention_heads=2,
    ...     inner_dim=32, max_sequence_length=8)
    >>> directory = keras_nlp.convert.to_huggingface(encoder, tempfile.mkdtemp())
    >>> sorted(os.listdir(directory))
    ['config.json', 'model.safetensors']
    """
    import safetensors.numpy

    if not isinstance(encoder, BertEncoder):
        raise TypeError(
            f"to_huggingface expects a BertEncoder. Received: {type(encoder).__name__}."
        )
    cfg = encoder.get_config()
    if cfg["embedding_width"] not in (None, cfg["hidden_size"]):
        raise ValueError(
            "HuggingFace BERT has no factorised embeddings; this encoder has "
            f"embedding_width={cfg['embedding_width']} != hidden_size={cfg['hidden_size']}."
        )
    activation = activations.serialize_activation(cfg["inner_activation"])
    if activation not in _OUR_ACTIVATIONS:
        raise ValueError(
            f"inner_activation={activation!r} has no HuggingFace equivalent. "
            f"Supported: {sorted(_OUR_ACTIVATIONS)}."
        )
    os.makedirs(directory, exist_ok=True)
    tensors = {}
    for names, _, variable, _, to_hf in _weight_plan(encoder):
        tensors[names[0]] = np.ascontiguousarray(
            to_hf(np.asarray(variable.numpy(), dtype="float32"))
        )
    safetensors.numpy.save_file(
        tensors, os.path.join(directory, SAFETENSORS_FILE), metadata={"format": "pt"}
    )
    hf_config = {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": cfg["vocab_size"],
        "hidden_size": cfg["hidden_size"],
        "num_hidden_layers": cfg["num_layers"],
        "num_attention_heads": cfg["num_attention_heads"],
        "intermediate_size": cfg["inner_dim"],
        "hidden_act": _OUR_ACTIVATIONS[activation],
        "hidden_dropout_prob": cfg["output_dropout"],
        "attention_probs_dropout_prob": cfg["attention_dropout"],
        "max_position_embeddings": cfg["max_sequence_length"],
        "type_vocab_size": cfg["type_vocab_size"],
        "layer_norm_eps": cfg["norm_epsilon"],
        "position_embedding_type": "absolute",
        "initializer_range": 0.02,
        "pad_token_id": 0,
    }
    with open(os.path.join(directory, CONFIG_FILE), "w") as f:
        json.dump(hf_config, f, indent=2, sort_keys=True)
    return directory


@api_export("keras_nlp.convert.tokenizer_from_huggingface", stability="experimental")
def tokenizer_from_huggingface(directory, sequence_length=None):
    """Builds the WordPiece tokenizer of a BERT checkpoint directory.

    Reads `vocab.txt` and, when present, `tokenizer_config.json`
    (`do_lower_case`, `strip_accents`, `tokenize_chinese_chars`,
    `unk_token`); without that file the settings of uncased BERT apply.

    Args:
        directory: the checkpoint directory (as for `from_huggingface`).
        sequence_length: int or None. Pad or truncate outputs to this length.

    Returns:
        A `keras_nlp.tokenizers.WordPieceTokenizer`.

    Examples:

    >>> import os, tempfile, keras_nlp
    >>> directory = tempfile.mkdtemp()
    >>> vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "##s"]
    >>> with open(os.path.join(directory, "vocab.txt"), "w") as f:
    ...     _ = f.write("\\n".join(vocab))
    >>> tokenizer = keras_nlp.convert.tokenizer_from_huggingface(directory)
    >>> tokenizer(["The cats"]).to_list()
    [[5, 6, 7]]
    """
    from keras_nlp.src.tokenizers.word_piece_tokenizer import WordPieceTokenizer

    directory = os.fspath(directory)
    vocab_path = os.path.join(directory, VOCAB_FILE)
    if not os.path.isfile(vocab_path):
        raise ValueError(
            f"No {VOCAB_FILE} in {directory!r}. BERT checkpoints keep their WordPiece "
            "vocabulary there, one token per line."
        )
    settings = {}
    config_path = os.path.join(directory, TOKENIZER_CONFIG_FILE)
    if os.path.isfile(config_path):
        try:
            with open(config_path, encoding="utf-8") as f:
                settings = json.load(f)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise ValueError(
                f"{config_path} is truncated or corrupt: it is not valid JSON "
                f"({error}). Download or save the checkpoint again."
            ) from None
        if not isinstance(settings, dict):
            raise ValueError(f"{config_path} is corrupt: it is not a JSON object.")
    lowercase = bool(settings.get("do_lower_case", True))
    return WordPieceTokenizer(
        vocabulary=vocab_path,
        sequence_length=sequence_length,
        lowercase=lowercase,
        strip_accents=settings.get("strip_accents"),
        split_on_cjk=bool(settings.get("tokenize_chinese_chars", True)),
        unknown_token=settings.get("unk_token", "[UNK]"),
    )
