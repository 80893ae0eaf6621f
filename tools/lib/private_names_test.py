# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""No private name crosses a file boundary in a package's sources.

Modules of a package talk through public names (which need not be exported
as public API); a `_name` stays in its file. Each package's exceptions are
the private members of Keras, TensorFlow or another library that we have
no public way around, each with the reason.
"""

import pytest

from tools.lib import private_names
from tools.lib import workspace

_FLATTEN = (
    "Keras has no public recursive iteration over nested layers; "
    "`_flatten_layers` is what Keras' own saving and summary use"
)
ALLOWED = {
    "keras_tuner": {},
    "keras_nlp": {
        ("layers/transformer_decoder.py", "_compute_attention"): (
            "MultiHeadAttention's attention step, which Keras documents as "
            "the method to override; the cached decoder reuses it with "
            "precomputed keys and values"
        ),
        ("layers/encoder_fast_path.py", "_dropout_layer"): (
            "MultiHeadAttention's dropout of the attention probabilities; "
            "its seed generator draws the masks, which the fast path must "
            "reproduce, and Keras exposes neither"
        ),
        ("tokenizers/sentence_piece_tokenizer.py", "_model_resource"): (
            "tensorflow-text's SentencepieceTokenizer keeps its model in "
            "this attribute; replacing it makes the model a SavedModel asset"
        ),
        ("utils/checks.py", "_inputs_struct"): (
            "a Functional model's inputs with their names (dict or list), "
            "as Keras itself matches data to inputs"
        ),
        ("utils/functional_graph.py", "_keras_history"): (
            "the only link from a symbolic tensor to the layer that made it"
        ),
        ("utils/functional_graph.py", "_inbound_nodes"): (
            "the only link from a layer to the tensors it was called on"
        ),
    },
    "keras_cv": {
        ("convert/torchvision.py", "_flatten_layers"): _FLATTEN,
        ("models/detection_utils.py", "_flatten_layers"): _FLATTEN,
        ("models/distribution.py", "_flatten_layers"): _FLATTEN,
        ("models/mask_rcnn.py", "_in_multi_worker_mode"): (
            "whether Keras gathers predict's outputs with collective ops "
            "depends on it, and tf.distribute has no public accessor"
        ),
    },
    "keras_applications": {
        ("fine_tuning.py", "_flatten_layers"): _FLATTEN,
        ("models/weights.py", "_flatten_layers"): _FLATTEN,
        ("models/weights.py", "_include_top"): (
            "Keras applications record `include_top` only in this attribute; "
            "weights files of keras.applications models are matched by it"
        ),
    },
    "keras_preprocessing": {
        ("layers/index_lookup.py", "_has_input_vocabulary"): (
            "keras.layers.StringLookup/IntegerLookup expose no public "
            "'has a vocabulary' test before adapt"
        ),
        ("layers/index_lookup.py", "_token_start_index"): (
            "the index of the first non-special token of a Keras lookup "
            "layer, which its public API does not give"
        ),
        ("layers/preprocessing_layer.py", "_adapt_skips_nan"): (
            "a marker our stage code reads from layers that may not be ours "
            "(Keras layers do not define it)"
        ),
        ("stages/model_splitting.py", "_nodes_by_depth"): (
            "the only view of a Functional model's graph in depth order; "
            "Keras' own cloning uses it"
        ),
        ("stages/preprocessing_stage.py", "_nodes_by_depth"): (
            "the only view of a Functional model's graph in depth order; "
            "Keras' own cloning uses it"
        ),
    },
    "keras_core": {
        ("api_export.py", "_api_export_paths"): (
            "the export paths this module records on each exported object"
        ),
        ("downloads.py", "_CACHED_NO_EXIST"): (
            "huggingface_hub's marker for a cached 'file does not exist' "
            "answer, returned by its public try_to_load_from_cache"
        ),
        ("presets.py", "_save_state"): (
            "Keras writes a model's variables to an h5 file only through "
            "saving_lib's state functions"
        ),
        ("presets.py", "_load_state"): (
            "Keras reads a model's variables from an h5 file only through "
            "saving_lib's state functions"
        ),
    },
}
SOURCES = {
    "keras_nlp": "keras-nlp/keras_nlp/src",
    "keras_tuner": "keras-tuner/keras_tuner/src",
    "keras_cv": "keras-cv/keras_cv/src",
    "keras_applications": "keras-applications/keras_applications/src",
    "keras_preprocessing": "keras-preprocessing/keras_preprocessing/src",
    "keras_core": "keras-core/keras_core/src",
}


def test_checker_flags_private_names_of_other_files():
    source = (
        "from keras_tuner.src.engine.oracle import _LOCKS\n"
        "def f(hps, trial):\n"
        "    hps._new_value_fn = None\n"
        "    getattr(trial, '_best_epoch', None)\n"
    )
    found = private_names.violations(source)
    assert [(line, name) for _, line, name, _ in found] == [
        (1, "_LOCKS"),
        (3, "_new_value_fn"),
        (4, "_best_epoch"),
    ]
    # Another package's private import is flagged with that package named.
    other = "from keras_cv.src.x import _PALETTE\n"
    assert private_names.violations(other, package="keras_tuner") == []
    assert len(private_names.violations(other, package="keras_cv")) == 1


def test_checker_allows_own_members_and_this_files_names():
    source = (
        "class A:\n"
        "    def __init__(self):\n"
        "        self._x = 1\n"
        "    def copy(self):\n"
        "        new = A()\n"
        "        new._x = self._x\n"
        "        return super()._y, new\n"
        "    def name(self, f):\n"
        "        return f.__name__\n"
    )
    assert private_names.violations(source) == []


def test_checker_reports_stale_exceptions(tmp_path):
    (tmp_path / "a.py").write_text("def f(m):\n    return m._flatten_layers()\n")
    found, stale = private_names.package_violations(
        tmp_path,
        "pkg",
        allowed={("a.py", "_flatten_layers"): "", ("b.py", "_gone"): ""},
    )
    assert found == [] and stale == [("b.py", "_gone")]


@pytest.mark.parametrize("package", sorted(SOURCES))
def test_no_private_name_crosses_a_file_boundary(package):
    src_dir = workspace.PACKAGES_DIR / SOURCES[package]
    found, stale = private_names.package_violations(src_dir, package, ALLOWED[package])
    assert found == [], "\n".join(f"{f}:{line}: {text}" for f, line, _, text in found)
    assert stale == [], f"allow-list entries that match nothing: {stale}"
