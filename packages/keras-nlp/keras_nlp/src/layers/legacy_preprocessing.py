# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""keras-nlp 0.15's `keras_nlp.layers` preprocessing names.

keras-nlp 0.15 kept its packers and the masked-LM mask generator in
`keras_nlp.layers`; ours live in `keras_nlp.preprocessing`. The classes here
keep 0.15 code running: constructing one issues a `DeprecationWarning` that
names the `keras_nlp.preprocessing` layer, and `MultiSegmentPacker` returns
0.15's `(token_ids, segment_ids)` tuple instead of our dict.
"""

import warnings

import keras

from keras_core import api_export
from keras_nlp.src.preprocessing import masked_lm_mask_generator
from keras_nlp.src.preprocessing import multi_segment_packer
from keras_nlp.src.preprocessing import start_end_packer
from keras_nlp.src.utils.compat import COMPAT_RFC

# Registered under their own package so that they never replace the
# `keras_nlp.preprocessing` classes of the same name when a `.keras` file
# loads (both would otherwise be "keras_nlp>MultiSegmentPacker").
_register = keras.saving.register_keras_serializable(package="keras_nlp.layers")


def _warn(name, extra=""):
    warnings.warn(
        f"`keras_nlp.layers.{name}` is the keras-nlp 0.15 location; use "
        f"`keras_nlp.preprocessing.{name}`{extra}. The old name still works "
        "for now.",
        DeprecationWarning,
        stacklevel=3,
    )


@api_export("keras_nlp.layers.MultiSegmentPacker", stability="stable", rfc=COMPAT_RFC)
@_register
class MultiSegmentPacker(multi_segment_packer.MultiSegmentPacker):
    """keras-nlp 0.15's packer: returns `(token_ids, segment_ids)`.

    Deprecated location of `keras_nlp.preprocessing.MultiSegmentPacker`,
    kept for code written for keras-nlp 0.15. It takes the same arguments
    (string or list special tokens, `sep_value`) but returns a tuple
    `(token_ids, segment_ids)`; the `keras_nlp.preprocessing` layer returns
    a dict that also holds `padding_mask`.

    Args:
        *args: the positional arguments of
            `keras_nlp.preprocessing.MultiSegmentPacker`.
        **kwargs: its keyword arguments:
            sequence_length: int. Length of the packed output.
            start_value: int, str or a list of either. Placed first.
            end_value: int, str or a list of either. Placed after the last
                segment.
            sep_value: int, str, a list of either, or None. Placed after every
                other segment; defaults to `end_value`.
            pad_value: int or str. Padding, default 0 (`""` for strings).
            truncate: `"round_robin"` or `"waterfall"`.

    Example:

    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", DeprecationWarning)
    ...     packer = keras_nlp.layers.MultiSegmentPacker(
    ...         sequence_length=6, start_value="[CLS]", end_value="[SEP]",
    ...         pad_value="[PAD]")
    >>> token_ids, segment_ids = packer((["a", "b"], ["c"]))
    >>> [t.decode() for t in token_ids.numpy()]
    ['[CLS]', 'a', 'b', '[SEP]', 'c', '[SEP]']
    >>> segment_ids.numpy().tolist()
    [0, 0, 0, 0, 1, 1]
    """

    def __init__(self, *args, **kwargs):
        _warn(
            "MultiSegmentPacker",
            ", which returns a dict with `token_ids`, `segment_ids` and "
            "`padding_mask` instead of a tuple",
        )
        super().__init__(*args, **kwargs)

    def call(self, inputs):
        out = super().call(inputs)
        return out["token_ids"], out["segment_ids"]

    def compute_output_spec(self, inputs):
        out = super().compute_output_spec(inputs)
        return out["token_ids"], out["segment_ids"]


@api_export("keras_nlp.layers.StartEndPacker", stability="stable", rfc=COMPAT_RFC)
@_register
class StartEndPacker(start_end_packer.StartEndPacker):
    """Deprecated location of `keras_nlp.preprocessing.StartEndPacker`.

    Kept for code written for keras-nlp 0.15; same arguments and outputs.

    Args:
        *args: the positional arguments of
            `keras_nlp.preprocessing.StartEndPacker`.
        **kwargs: its keyword arguments:
            sequence_length: int. Output length.
            start_value: int, str, a list of either, or None.
            end_value: int, str, a list of either, or None.
            pad_value: int or str. Padding, default 0.
            return_padding_mask: bool. Also return a boolean mask.

    Example:

    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", DeprecationWarning)
    ...     packer = keras_nlp.layers.StartEndPacker(
    ...         sequence_length=4, start_value=1, end_value=2)
    >>> packer([5, 6]).numpy().tolist()
    [1, 5, 6, 2]
    """

    def __init__(self, *args, **kwargs):
        _warn("StartEndPacker")
        super().__init__(*args, **kwargs)


@api_export(
    "keras_nlp.layers.MaskedLMMaskGenerator", stability="stable", rfc=COMPAT_RFC
)
@_register
class MaskedLMMaskGenerator(masked_lm_mask_generator.MaskedLMMaskGenerator):
    """Deprecated location of `keras_nlp.preprocessing.MaskedLMMaskGenerator`.

    Kept for code written for keras-nlp 0.15; same arguments and outputs.

    Args:
        *args: the positional arguments of
            `keras_nlp.preprocessing.MaskedLMMaskGenerator`.
        **kwargs: its keyword arguments:
            vocabulary_size: int.
            mask_selection_rate: float in (0, 1].
            mask_token_id: int.
            mask_selection_length: int (0 selects nothing).
            unselectable_token_ids: list of int.
            mask_token_rate: float.
            random_token_rate: float.
            seed: int or None.

    Example:

    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", DeprecationWarning)
    ...     masker = keras_nlp.layers.MaskedLMMaskGenerator(
    ...         vocabulary_size=10, mask_selection_rate=1.0, mask_token_id=1,
    ...         mask_selection_length=2, mask_token_rate=1.0,
    ...         random_token_rate=0.0)
    >>> masker([[5, 6]])["token_ids"].numpy().tolist()
    [[1, 1]]
    """

    def __init__(self, *args, **kwargs):
        _warn("MaskedLMMaskGenerator")
        super().__init__(*args, **kwargs)
