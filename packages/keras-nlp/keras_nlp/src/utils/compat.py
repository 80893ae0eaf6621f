# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Old (keras-nlp 0.15) argument spellings, accepted with a warning."""

import warnings

# The RFC that makes keras-nlp 0.15's names and spellings part of the
# stable API (governance/rfcs/20261207-keras-nlp-0-15-compatibility.md).
COMPAT_RFC = "20261207-keras-nlp-0-15-compatibility"


def pop_renamed(kwargs, old, new, current, default, owner):
    """The value of argument `new`, taking the old spelling `old` into account.

    When `kwargs` holds `old`, it is removed, a `DeprecationWarning` naming
    `new` is issued, and its value is returned (a conflicting `new` raises).
    """
    if old not in kwargs:
        return current
    value = kwargs.pop(old)
    warnings.warn(
        f"`{owner}({old}=...)` is the keras-nlp 0.15 spelling; use "
        f"`{new}=` instead. The old name still works for now.",
        DeprecationWarning,
        stacklevel=3,
    )
    if current != default and current != value:
        raise ValueError(
            f"`{owner}` received both `{old}={value!r}` (old name) and "
            f"`{new}={current!r}`. Pass only `{new}`."
        )
    return value
