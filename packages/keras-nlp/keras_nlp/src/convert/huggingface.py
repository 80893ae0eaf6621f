# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Checkpoints in the HuggingFace layout <-> our encoders.

The format code lives here: `config.json`, safetensors and the restricted
PyTorch reader, and the public entry points. Each model family converts
its own weights in `keras_nlp/src/models/<family>/<family>_converter.py`,
which registers itself for its `model_type` with `register_converter`;
`from_huggingface` dispatches on the checkpoint's `model_type`.
"""

import importlib
import json
import os
import struct

import numpy as np

from keras_core import api_export
from keras_nlp.src.convert.pytorch_checkpoint import load_pytorch_checkpoint
from keras_nlp.src.convert.pytorch_checkpoint import read_pytorch_shapes

SAFETENSORS_FILE = "model.safetensors"
VOCAB_FILE = "vocab.txt"
TOKENIZER_CONFIG_FILE = "tokenizer_config.json"
PYTORCH_FILE = "pytorch_model.bin"
CONFIG_FILE = "config.json"

# HuggingFace `hidden_act` -> our `inner_activation`.
HF_ACTIVATIONS = {
    "gelu": "gelu",
    "gelu_python": "gelu",
    "gelu_new": "gelu_approximate",
    "gelu_pytorch_tanh": "gelu_approximate",
    "relu": "relu",
    "tanh": "tanh",
    "silu": "silu",
    "swish": "silu",
}
OUR_ACTIVATIONS = {
    "gelu": "gelu",
    "gelu_approximate": "gelu_new",
    "relu": "relu",
    "tanh": "tanh",
    "silu": "silu",
}


def read_config(directory):
    """The `config.json` of a checkpoint directory, as a dict (checked JSON)."""
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
            "object of model settings."
        )
    return config


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


# Converter modules of the families, imported on first use; each calls
# `register_converter` for its model types.
_FAMILY_CONVERTERS = (
    "keras_nlp.src.models.bert.bert_converter",
    "keras_nlp.src.models.distil_bert.distil_bert_converter",
    "keras_nlp.src.models.electra.electra_converter",
    "keras_nlp.src.models.albert.albert_converter",
    "keras_nlp.src.models.roberta.roberta_converter",
    "keras_nlp.src.models.xlm_roberta.xlm_roberta_converter",
)
_CONVERTERS = {}


def register_converter(model_type, converter):
    """Registers the converter of a HuggingFace `model_type`.

    `converter` (a `family_converter.FamilyConverter`) has `backbone_cls`,
    `from_huggingface(directory, config, overrides)` returning a backbone,
    `to_huggingface(encoder, directory)` (or None when there is no way
    back) and, for a family whose tokenizer is not WordPiece,
    `tokenizer_from_huggingface(directory, sequence_length)`.
    """
    _CONVERTERS[model_type] = converter


def _converters():
    for module in _FAMILY_CONVERTERS:
        importlib.import_module(module)
    return _CONVERTERS


def converter_for(directory, config):
    """The registered converter of a config's `model_type` (default 'bert')."""
    model_type = config.get("model_type", "bert")
    converters = _converters()
    if model_type not in converters:
        raise ValueError(
            f"{os.path.join(directory, CONFIG_FILE)} describes a {model_type!r} "
            "model; from_huggingface converts BERT checkpoints and those of "
            "the other families keras-nlp has, the model types "
            f"{sorted(converters)}."
        )
    return converters[model_type]


def get_tensor(tensors, names):
    """The first of `names` present (old checkpoints say gamma/beta)."""
    for name in names:
        if name in tensors:
            return name, tensors[name]
    return names[0], None


def strip_prefix(tensors, prefix):
    """Drops `prefix` (e.g. `"distilbert."`) from the names of task and
    pretraining checkpoints, keeping only the backbone's tensors."""
    if any(name.startswith(prefix) for name in tensors):
        return {
            name[len(prefix) :]: value
            for name, value in tensors.items()
            if name.startswith(prefix)
        }
    return dict(tensors)


def shape_problems(shapes, expected):
    """Every tensor of `expected` (`[(names, shape)]`) missing from `shapes`
    or shaped otherwise."""
    problems = []
    for names, shape in expected:
        name = next((n for n in names if n in shapes), names[0])
        if name not in shapes:
            problems.append(f"missing tensor {name!r} (expected shape {shape})")
        elif tuple(shapes[name]) != tuple(shape):
            problems.append(
                f"tensor {name!r} has shape {tuple(shapes[name])} but the "
                f"config implies {shape}"
            )
    return problems


def assign_planned(tensors, plan, what):
    """Assigns every `(names, hf_shape, variable, to_ours, to_hf)` of `plan`
    from `tensors`; raises a `ValueError` naming every problem first."""
    problems, assignments = [], []
    for names, hf_shape, variable, to_ours, _ in plan:
        name, value = get_tensor(tensors, names)
        if value is None:
            problems.append(f"missing tensor {name!r} (expected shape {hf_shape})")
        elif tuple(value.shape) != tuple(hf_shape):
            problems.append(
                f"tensor {name!r} has shape {tuple(value.shape)} but the config "
                f"implies {hf_shape}"
            )
        else:
            assignments.append((variable, to_ours(np.asarray(value, dtype="float32"))))
    if problems:
        raise ValueError(f"{what}: " + "; ".join(problems) + ".")
    for variable, value in assignments:
        variable.assign(value)


def check_overrides(encoder_overrides, shape_args):
    clash = sorted(set(shape_args) & set(encoder_overrides))
    if clash:
        raise ValueError(
            f"{clash} are set by the checkpoint's {CONFIG_FILE} and cannot be "
            "overridden: they determine the weight shapes."
        )


@api_export("keras_nlp.convert.from_huggingface", stability="experimental")
def from_huggingface(directory, **encoder_overrides):
    """Loads a HuggingFace checkpoint into the encoder of its family.

    The checkpoint's `model_type` selects the family: `"bert"` gives a
    `keras_nlp.encoders.BertEncoder`, `"distilbert"` a
    `keras_nlp.encoders.DistilBertEncoder`, `"electra"` (a discriminator)
    a `keras_nlp.encoders.ElectraEncoder`, `"roberta"` a
    `keras_nlp.encoders.RobertaEncoder`, `"xlm-roberta"` a
    `keras_nlp.encoders.XLMRobertaEncoder`. For BERT:

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
        The family's encoder with the checkpoint's weights.

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
    config = read_config(directory)
    converter = converter_for(directory, config)
    return converter.from_huggingface(directory, config, encoder_overrides)


@api_export("keras_nlp.convert.to_huggingface", stability="experimental")
def to_huggingface(encoder, directory):
    """Writes an encoder as a HuggingFace checkpoint of its family.

    A `BertEncoder` becomes a `BertModel` checkpoint, a `DistilBertEncoder`
    a `DistilBertModel` one, an `ElectraEncoder` an `ElectraModel` one, a
    `RobertaEncoder` a `RobertaModel` one, an `XLMRobertaEncoder` an
    `XLMRobertaModel` one.

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
    converters = list(_converters().values())
    # The most specific class first (an encoder may subclass another's).
    for converter in sorted(converters, key=lambda c: -len(c.backbone_cls.__mro__)):
        if isinstance(encoder, converter.backbone_cls) and converter.to_huggingface:
            return converter.to_huggingface(encoder, directory)
    names = sorted({c.backbone_cls.__name__ for c in _converters().values()})
    raise TypeError(
        f"to_huggingface expects one of {names}. Received: {type(encoder).__name__}."
    )


@api_export("keras_nlp.convert.tokenizer_from_huggingface", stability="experimental")
def tokenizer_from_huggingface(directory, sequence_length=None):
    """Builds the tokenizer of a checkpoint directory.

    For BERT-style checkpoints (BERT, DistilBERT, ELECTRA, and any
    directory without a `config.json`) a WordPiece tokenizer: reads
    `vocab.txt` and, when present, `tokenizer_config.json`
    (`do_lower_case`, `strip_accents`, `tokenize_chinese_chars`,
    `unk_token`); without that file the settings of uncased BERT apply.
    A family with another tokenizer builds its own from the checkpoint's
    `model_type`: RoBERTa (`"roberta"`) a
    `keras_nlp.tokenizers.RobertaTokenizer` from `vocab.json` and
    `merges.txt`, ALBERT (`"albert"`) a `keras_nlp.tokenizers.AlbertTokenizer`
    from `spiece.model`, XLM-RoBERTa (`"xlm-roberta"`) a
    `keras_nlp.tokenizers.XLMRobertaTokenizer` from
    `sentencepiece.bpe.model`.

    Args:
        directory: the checkpoint directory (as for `from_huggingface`).
        sequence_length: int or None. Pad or truncate outputs to this length.

    Returns:
        A `keras_nlp.tokenizers.WordPieceTokenizer`, or the family's
        tokenizer.

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
    if os.path.isfile(os.path.join(directory, CONFIG_FILE)):
        config = read_config(directory)
        converter = _converters().get(config.get("model_type", "bert"))
        own = getattr(converter, "tokenizer_from_huggingface", None)
        if own is not None:
            return own(directory, sequence_length=sequence_length)
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
