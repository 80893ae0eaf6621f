# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Search-space declarations: single hyperparameters and the `HyperParameters` set.

Every hyperparameter maps its values to and from the unit interval
(`value_to_prob` / `prob_to_value`). Random search samples a uniform
number and maps it; Bayesian optimisation models the objective on that
unit cube. A hyperparameter may be *conditional*: it is active only when
a parent hyperparameter takes one of a given set of values.
"""

import contextlib
import copy
import math
import warnings
import zlib

import numpy as np

from keras_core import api_export
from keras_tuner.src.engine import errors

RFC = "20261122-keras-tuner-end-to-end-workflows"
_SAMPLINGS = ("linear", "log", "reverse_log")


def _stream_uniform(seed, name, draw):
    """A uniform number from the stream of one hyperparameter.

    Each (seed, hyperparameter name) pair owns an independent stream and
    `draw` indexes into it, so two seeds never replay each other and a
    resumed search reproduces the same draws.
    """
    entropy = [int(seed) % (2**63), zlib.crc32(name.encode("utf-8")), int(draw)]
    return float(np.random.default_rng(np.random.SeedSequence(entropy)).random())


class Condition:
    """Active when the parent hyperparameter `name` takes one of `values`."""

    def __init__(self, name, values):
        if not isinstance(values, (list, tuple)):
            values = [values]
        if not values:
            raise ValueError(
                f"A condition on '{name}' needs at least one parent value. "
                f"Received: parent_values={values!r}."
            )
        self.name = name
        self.values = list(values)

    def is_active(self, values):
        return self.name in values and values[self.name] in self.values

    def get_config(self):
        return {"name": self.name, "values": list(self.values)}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __eq__(self, other):
        return (
            isinstance(other, Condition)
            and other.name == self.name
            and other.values == self.values
        )

    def __repr__(self):
        return f"Condition({self.name!r} in {self.values!r})"


@api_export(
    ["keras_tuner.HyperParameter", "keras_tuner.engine.hyperparameters.HyperParameter"],
    stability="experimental",
)
class HyperParameter:
    """Base class of one searchable value (`Int`, `Float`, `Choice`, ...).

    You rarely build these directly: call `hp.Int(...)`, `hp.Float(...)`
    and friends on a `HyperParameters` object instead. Subclasses define
    how a value is drawn (`random_sample`) and how values map to the unit
    interval (`prob_to_value` / `value_to_prob`), which is what the search
    algorithms work with.

    Args:
        name: unique name of the hyperparameter.
        default: value used when no algorithm proposes one.
        conditions: list of `Condition`s; the hyperparameter is active only
            when all of them hold.

    Examples:

    >>> import keras_tuner as kt
    >>> hp = kt.HyperParameters()
    >>> units = hp.Int("units", 8, 64, step=8)
    >>> isinstance(hp.space[0], kt.HyperParameter)
    True
    """

    def __init__(self, name, default=None, conditions=None):
        if not isinstance(name, str) or not name:
            raise TypeError(
                "A hyperparameter name must be a non-empty string. "
                f"Received: name={name!r}."
            )
        self.name = name
        self._default = default
        self.conditions = list(conditions or [])

    @property
    def default(self):
        return self._default

    def random_sample(self, seed=None, draw=0):
        """Draws a value: from `seed`'s stream for this name, or at random."""
        if seed is None:
            prob = float(np.random.random())
        else:
            prob = _stream_uniform(seed, self.name, draw)
        return self.prob_to_value(prob)

    @property
    def values(self):
        """All values, for grid search (continuous ones are discretised)."""
        raise NotImplementedError

    def get_config(self):
        return {
            "name": self.name,
            "default": self.default,
            "conditions": [c.get_config() for c in self.conditions],
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["conditions"] = [
            Condition.from_config(c) for c in config.get("conditions", [])
        ]
        return cls(**config)

    def __repr__(self):
        items = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({items})"


def _is_number(x):
    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(
        x, bool
    )


def _check_range(cls_name, name, min_value, max_value, sampling):
    for arg, value in (("min_value", min_value), ("max_value", max_value)):
        if not _is_number(value):
            raise TypeError(
                f"{cls_name} '{name}': `{arg}` must be a number. Received: "
                f"{arg}={value!r}."
            )
    for arg, value in (("min_value", min_value), ("max_value", max_value)):
        if not math.isfinite(value):
            raise ValueError(
                f"{cls_name} '{name}': `{arg}` must be a finite number. Received: "
                f"{arg}={value!r}. Give both bounds of the range as finite numbers."
            )
    if min_value > max_value:
        raise ValueError(
            f"{cls_name} '{name}': `min_value` must be <= `max_value`. Received: "
            f"min_value={min_value!r}, max_value={max_value!r}. Swap them."
        )
    if sampling not in _SAMPLINGS:
        raise ValueError(
            f"{cls_name} '{name}': `sampling` must be one of {_SAMPLINGS}. "
            f"Received: sampling={sampling!r}."
        )
    if sampling != "linear" and min_value <= 0:
        raise ValueError(
            f"{cls_name} '{name}': sampling={sampling!r} needs `min_value` > 0. "
            f"Received: min_value={min_value!r}. Use sampling='linear' or a "
            "positive range."
        )


def _continuous_prob_to_value(prob, low, high, sampling):
    prob = min(max(float(prob), 0.0), 1.0)
    if sampling == "linear":
        return low + prob * (high - low)
    if sampling == "log":
        return low * (high / low) ** prob
    # reverse_log: dense near `high`.
    return high + low - low * (high / low) ** (1.0 - prob)


def _continuous_value_to_prob(value, low, high, sampling):
    if high == low:
        return 0.5
    if sampling == "linear":
        prob = (value - low) / (high - low)
    elif sampling == "log":
        prob = math.log(value / low) / math.log(high / low)
    else:
        inner = max(high + low - value, low)
        prob = 1.0 - math.log(inner / low) / math.log(high / low)
    return min(max(float(prob), 0.0), 1.0)


class _Numerical(HyperParameter):
    """Shared logic of `Int` and `Float`: a range, a step and a sampling."""

    _cast = float
    _cls_name = "Float"

    def __init__(
        self,
        name,
        min_value,
        max_value,
        step=None,
        sampling="linear",
        default=None,
        conditions=None,
    ):
        if sampling is None:  # keras-tuner 1.4 spelling of the default
            sampling = "linear"
        _check_range(self._cls_name, name, min_value, max_value, sampling)
        if step is not None and (
            not _is_number(step) or not math.isfinite(step) or step <= 0
        ):
            raise ValueError(
                f"{self._cls_name} '{name}': `step` must be a positive number or "
                f"None. Received: step={step!r}."
            )
        if step is not None and sampling != "linear" and step <= 1:
            raise ValueError(
                f"{self._cls_name} '{name}': with sampling={sampling!r} the step "
                f"is a multiplier and must be > 1. Received: step={step!r}."
            )
        self.min_value = self._cast(min_value)
        self.max_value = self._cast(max_value)
        self.step = step
        self.sampling = sampling
        if default is not None:
            if not _is_number(default) or not (
                self.min_value <= default <= self.max_value
            ):
                raise ValueError(
                    f"{self._cls_name} '{name}': `default` must lie in "
                    f"[{min_value}, {max_value}]. Received: default={default!r}."
                )
            if self._cast is int and int(default) != default:
                raise TypeError(
                    f"Int '{name}': `default` must be an integer. Received: "
                    f"default={default!r}."
                )
            default = self._cast(default)
        super().__init__(name=name, default=default, conditions=conditions)

    @property
    def default(self):
        return self.min_value if self._default is None else self._default

    def _grid(self):
        """The discrete values, or None for a continuous range."""
        if self.step is None:
            return None
        values = []
        if self.sampling == "linear":
            count = int(
                math.floor((self.max_value - self.min_value) / self.step + 1e-9)
            )
            values = [self.min_value + i * self.step for i in range(count + 1)]
        else:
            value = self.min_value
            while value <= self.max_value * (1 + 1e-9):
                values.append(value)
                value = value * self.step
            if self.sampling == "reverse_log":
                # The mirror image of the log grid: index i is
                # max + min - min * step**i, from `max_value` down (dense near
                # it), as in keras-tuner 1.4, so probabilities of the unit
                # interval map to these values in this order.
                values = [self.max_value + self.min_value - v for v in values]
        return [self._cast(round(v, 12)) for v in values]

    @property
    def values(self):
        grid = self._grid()
        if grid is not None:
            return grid
        # A continuous range is discretised for grid search into 10 points,
        # the middles of 10 equal slices of the unit interval (as in
        # keras-tuner 1.4; the grid also visits the default).
        return [
            self._cast(
                _continuous_prob_to_value(
                    i / 10 + 0.05, self.min_value, self.max_value, self.sampling
                )
            )
            for i in range(10)
        ]

    def _linear_grid_size(self):
        """Number of values of a linear grid (computed, never materialised)."""
        return int(math.floor((self.max_value - self.min_value) / self.step + 1e-9)) + 1

    def _linear_grid_value(self, index):
        return self._cast(round(self.min_value + index * self.step, 12))

    def prob_to_value(self, prob):
        prob = min(max(float(prob), 0.0), 1.0)
        if self.step is not None and self.sampling == "linear":
            # Each grid value owns an equal slice of the interval; the grid of
            # a wide range (e.g. Int over 10**9 values) is never built.
            size = self._linear_grid_size()
            return self._linear_grid_value(min(int(prob * size), size - 1))
        grid = self._grid()
        if grid is None:
            value = _continuous_prob_to_value(
                prob, self.min_value, self.max_value, self.sampling
            )
            return self._cast(min(max(value, self.min_value), self.max_value))
        # Each grid value owns an equal slice of the (transformed) interval.
        index = min(int(prob * len(grid)), len(grid) - 1)
        return grid[index]

    def value_to_prob(self, value):
        if self.step is not None and self.sampling == "linear":
            size = self._linear_grid_size()
            index = int(round((value - self.min_value) / self.step))
            return (min(max(index, 0), size - 1) + 0.5) / size
        grid = self._grid()
        if grid is None:
            return _continuous_value_to_prob(
                value, self.min_value, self.max_value, self.sampling
            )
        index = int(np.argmin([abs(v - value) for v in grid]))
        return (index + 0.5) / len(grid)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "min_value": self.min_value,
                "max_value": self.max_value,
                "step": self.step,
                "sampling": self.sampling,
                "default": self._default,
            }
        )
        return config


@api_export(
    ["keras_tuner.engine.hyperparameters.Int", "keras_tuner.hyperparameters.Int"],
    stability="stable",
    rfc=RFC,
)
class Int(_Numerical):
    """An integer in `[min_value, max_value]` (both included).

    Args:
        name: unique name.
        min_value: smallest value.
        max_value: largest value (included).
        step: distance between values (default 1). With log sampling the
            step is a multiplier: `Int("units", 8, 128, step=2,
            sampling="log")` gives 8, 16, ..., 128.
        sampling: `"linear"`, `"log"` or `"reverse_log"`.
        default: value used before the search proposes one (default
            `min_value`).

    Examples:

    >>> hp = HyperParameters()
    >>> hp.Int("units", 8, 64, step=8)
    8
    """

    _cast = int
    _cls_name = "Int"

    def __init__(
        self,
        name,
        min_value,
        max_value,
        step=None,
        sampling="linear",
        default=None,
        conditions=None,
    ):
        for arg, value in (("min_value", min_value), ("max_value", max_value)):
            if _is_number(value) and not math.isfinite(value):
                raise ValueError(
                    f"Int '{name}': `{arg}` must be a finite integer. Received: "
                    f"{arg}={value!r}."
                )
            if _is_number(value) and int(value) != value:
                raise errors.InvalidArgumentError(
                    f"Int '{name}': `{arg}` must be an int (an integer). Received: "
                    f"{arg}={value!r}. Use hp.Float for real numbers."
                )
        if sampling is None:
            sampling = "linear"
        if step is not None and _is_number(step):
            if not math.isfinite(step) or int(step) != step:
                raise TypeError(
                    f"Int '{name}': `step` must be an integer. Received: "
                    f"step={step!r}. Use hp.Float for a fractional step."
                )
            step = int(step)
        if step is None and sampling == "linear":
            step = 1
        super().__init__(
            name,
            min_value,
            max_value,
            step=step,
            sampling=sampling,
            default=default,
            conditions=conditions,
        )

    def _grid(self):
        if self.step is None:  # log sampling without a step: every integer
            return list(range(self.min_value, self.max_value + 1))
        grid = super()._grid()
        # Distinct values in grid order (descending for reverse_log).
        return list(dict.fromkeys(int(round(v)) for v in grid))

    @property
    def values(self):
        if self.step is None:
            # Log sampling without a step: 10 values spread over the range
            # (the middles of 10 equal slices of the unit interval), as for
            # a stepless Float, rather than every integer.
            return sorted({self.prob_to_value(i / 10 + 0.05) for i in range(10)})
        return super().values

    def prob_to_value(self, prob):
        if self.step is None and self.sampling != "linear":
            value = _continuous_prob_to_value(
                prob, self.min_value, self.max_value + 1, self.sampling
            )
            return int(min(math.floor(value), self.max_value))
        return super().prob_to_value(prob)

    def value_to_prob(self, value):
        if self.step is None and self.sampling != "linear":
            return _continuous_value_to_prob(
                value + 0.5, self.min_value, self.max_value + 1, self.sampling
            )
        return super().value_to_prob(value)


@api_export(
    ["keras_tuner.engine.hyperparameters.Float", "keras_tuner.hyperparameters.Float"],
    stability="stable",
    rfc=RFC,
)
class Float(_Numerical):
    """A real number in `[min_value, max_value]`.

    Args:
        name: unique name.
        min_value: lower bound.
        max_value: upper bound.
        step: optional spacing; makes the range discrete.
        sampling: `"linear"` (uniform), `"log"` (uniform in log space, for
            learning rates and other scales) or `"reverse_log"` (dense
            near `max_value`, e.g. for momentum close to 1).
        default: value used before the search proposes one (default
            `min_value`).

    Examples:

    >>> hp = HyperParameters()
    >>> hp.Float("lr", 1e-4, 1e-2, sampling="log")
    0.0001
    """


def _choice_type(values, name):
    kinds = set()
    for v in values:
        if isinstance(v, bool):
            kinds.add(bool)
        elif isinstance(v, (int, np.integer)):
            kinds.add(int)
        elif isinstance(v, (float, np.floating)):
            if not math.isfinite(v):
                raise ValueError(
                    f"Choice '{name}': values must be finite numbers. Received: "
                    f"{v!r} in values={values!r}."
                )
            kinds.add(float)
        elif isinstance(v, str):
            kinds.add(str)
        else:
            raise TypeError(
                f"Choice '{name}': values can contain only `int`, `float`, `str` or "
                "`bool`. "
                f"Received: {v!r} of type {type(v).__name__}."
            )
    if kinds == {int, float}:
        return float
    if len(kinds) != 1:
        raise TypeError(
            f"Choice '{name}': values can contain only one type (all values must "
            "have the same type). Received: "
            f"values={values!r} (types {sorted(k.__name__ for k in kinds)}). Use "
            "one type, e.g. strings you convert in your model code."
        )
    return kinds.pop()


@api_export(
    ["keras_tuner.engine.hyperparameters.Choice", "keras_tuner.hyperparameters.Choice"],
    stability="stable",
    rfc=RFC,
)
class Choice(HyperParameter):
    """One value out of a list.

    Args:
        name: unique name.
        values: non-empty list of int, float, str or bool values, all of
            one type (ints and floats mix as floats).
        ordered: whether the values have a meaningful order (default: True
            for numbers, False otherwise). Bayesian optimisation encodes
            ordered choices on one axis and unordered ones one-hot.
        default: value used before the search proposes one (default: the
            first value).

    Examples:

    >>> hp = HyperParameters()
    >>> hp.Choice("activation", ["relu", "tanh"])
    'relu'
    """

    def __init__(self, name, values, ordered=None, default=None, conditions=None):
        if not isinstance(values, (list, tuple)) or not values:
            raise ValueError(
                f"Choice '{name}': `values` must be provided as a non-empty list. "
                f"Received: values={values!r}."
            )
        kind = _choice_type(values, name)
        if kind is float:
            values = [float(v) for v in values]
        elif kind is int:
            values = [int(v) for v in values]
        if len(set(values)) != len(values):
            raise ValueError(
                f"Choice '{name}': values must be unique. Received: values={values!r}."
            )
        if ordered is None:
            ordered = kind in (int, float)
        if ordered and kind not in (int, float):
            raise ValueError(
                f"Choice '{name}': `ordered` must be `False` for non-numeric values "
                f"(`ordered=True` needs numbers). Received: values={values!r}."
            )
        if default is not None and (
            default not in values or isinstance(default, bool) != (kind is bool)
        ):
            raise ValueError(
                f"Choice '{name}': the default value should be one of the values "
                f"{values!r}. Received: default={default!r}."
            )
        if default is not None:
            default = values[values.index(default)]
        self._values = list(values)
        self.ordered = bool(ordered)
        super().__init__(name=name, default=default, conditions=conditions)

    @property
    def default(self):
        return self._values[0] if self._default is None else self._default

    @property
    def values(self):
        return list(self._values)

    def prob_to_value(self, prob):
        prob = min(max(float(prob), 0.0), 1.0)
        return self._values[min(int(prob * len(self._values)), len(self._values) - 1)]

    def value_to_prob(self, value):
        return (self._values.index(value) + 0.5) / len(self._values)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "values": list(self._values),
                "ordered": self.ordered,
                "default": self._default,
            }
        )
        return config


@api_export(
    [
        "keras_tuner.engine.hyperparameters.Boolean",
        "keras_tuner.hyperparameters.Boolean",
    ],
    stability="stable",
    rfc=RFC,
)
class Boolean(HyperParameter):
    """`True` or `False`.

    Args:
        name: unique name.
        default: value used before the search proposes one (default False).

    Examples:

    >>> hp = HyperParameters()
    >>> hp.Boolean("shuffle")
    False
    """

    def __init__(self, name, default=False, conditions=None):
        if not isinstance(default, bool):
            raise errors.InvalidArgumentError(
                f"Boolean '{name}': `default` must be a Python boolean (True or "
                f"False). Received: default={default!r}."
            )
        super().__init__(name=name, default=default, conditions=conditions)

    @property
    def values(self):
        return [True, False]

    def prob_to_value(self, prob):
        return bool(prob >= 0.5)

    def value_to_prob(self, value):
        return 0.75 if value else 0.25


@api_export(
    ["keras_tuner.engine.hyperparameters.Fixed", "keras_tuner.hyperparameters.Fixed"],
    stability="stable",
    rfc=RFC,
)
class Fixed(HyperParameter):
    """A value that is recorded with each trial but never searched.

    Args:
        name: unique name.
        value: an int, float, str, bool or None.

    Examples:

    >>> hp = HyperParameters()
    >>> hp.Fixed("epochs", 3)
    3
    """

    def __init__(self, name, value, conditions=None):
        if not isinstance(value, (bool, int, float, str)):
            raise errors.InvalidArgumentError(
                f"Fixed '{name}': the value must be an int, float, str or bool (what "
                f"a search space can hold). Received: {value!r} of type "
                f"{type(value).__name__}. For an optional setting, fix a sentinel "
                'such as "none" or False and map it in the model code.'
            )
        self.value = value
        super().__init__(name=name, default=value, conditions=conditions)

    @property
    def values(self):
        return [self.value]

    def prob_to_value(self, prob):
        return self.value

    def value_to_prob(self, value):
        return 0.5

    def get_config(self):
        return {
            "name": self.name,
            "value": self.value,
            "conditions": [c.get_config() for c in self.conditions],
        }


_CLASSES = {cls.__name__: cls for cls in (Int, Float, Choice, Boolean, Fixed)}


def inactive_scopes(hps):
    """The condition stacks of `conditional_scope` blocks `hps` entered while
    they were inactive (branches a build did not take), in order."""
    return [list(stack) for stack in hps._inactive_scopes]


@api_export("keras_tuner.engine.hyperparameters.serialize", stability="experimental")
def serialize(obj):
    """A JSON-ready dict of a `HyperParameter` or a `HyperParameters`.

    Args:
        obj: a `HyperParameter` (`Int`, `Float`, ...) or a `HyperParameters`.

    Examples:

    >>> import keras_tuner as kt
    >>> hm = kt.engine.hyperparameters
    >>> hp = hm.deserialize(hm.serialize(hm.Int("units", 8, 64, step=8)))
    >>> hp.max_value
    64
    """
    return {"class_name": type(obj).__name__, "config": obj.get_config()}


@api_export("keras_tuner.engine.hyperparameters.deserialize", stability="experimental")
def deserialize(config):
    """The `HyperParameter` or `HyperParameters` that `serialize` described.

    Args:
        config: a dict from `serialize`.

    Example:

    >>> import keras_tuner as kt
    >>> hm = kt.engine.hyperparameters
    >>> hm.deserialize(hm.serialize(hm.Boolean("shuffle"))).name
    'shuffle'
    """
    if config.get("class_name") == "HyperParameters":
        return HyperParameters.from_config(config["config"])
    return _deserialize_hp(config)


def _deserialize_hp(config):
    name = config.get("class_name")
    if name not in _CLASSES:
        raise ValueError(
            f"Unknown hyperparameter class {name!r}; expected one of "
            f"{sorted(_CLASSES)}. Received: {config!r}."
        )
    return _CLASSES[name].from_config(config["config"])


def _definition(hp):
    """What makes two declarations of one name the same (type, range, default)."""
    config = hp.get_config()
    config.pop("conditions", None)
    if "default" in config:
        config["default"] = hp.default
    return type(hp).__name__, _config_key(config)


def _config_key(config):
    return sorted((k, repr(v)) for k, v in config.items())


def _pin(existing, hp):
    """`"inside"` or `"outside"` if `existing` pins `hp`, else None.

    A pin is keras-tuner 1.4's way to fix a value before the model code
    declares its range: `hp.Fixed(name, v)` or a one-value
    `hp.Choice(name, [v])`. It pins a later `Int`, `Float`, `Choice` or
    `Boolean` whose values have the pin's type; `"outside"` when `v` lies
    outside that declaration's range or values.
    """
    kind = type(hp).__name__
    if kind == "Fixed":
        return None
    if type(existing).__name__ == "Fixed":
        value = existing.value
    elif type(existing).__name__ == "Choice" and len(existing.values) == 1:
        value = existing.values[0]
    else:
        return None
    if kind == "Boolean":
        return "inside" if isinstance(value, bool) else None
    if kind == "Choice":
        if not all(type(value) is type(v) for v in hp.values):
            return None
        return "inside" if value in hp.values else "outside"
    if kind in ("Int", "Float"):
        if isinstance(value, bool) or not _is_number(value):
            return None
        if kind == "Int" and int(value) != value:
            return None
        return "inside" if hp.min_value <= value <= hp.max_value else "outside"
    return None


def _describe(hp):
    config = hp.get_config()
    config.pop("conditions", None)
    config.pop("name", None)
    args = ", ".join(f"{k}={v!r}" for k, v in config.items())
    return f"{type(hp).__name__}('{hp.name}', {args})"


def _to_python(value):
    if isinstance(value, np.generic):
        return value.item()
    return value


@api_export(
    [
        "keras_tuner.HyperParameters",
        "keras_tuner.engine.hyperparameters.HyperParameters",
    ],
    stability="stable",
    rfc=RFC,
)
class HyperParameters:
    """The search space of a trial and the values chosen for it.

    A `HyperParameters` object is handed to your `build(hp)`, `fit(hp, ...)`
    or `run_trial(trial)` code (as `trial.hyperparameters`). Calling
    `hp.Int(...)`, `hp.Float(...)`, `hp.Choice(...)`, `hp.Boolean(...)` or
    `hp.Fixed(...)` both declares a hyperparameter (the first time its name
    is seen) and returns the value the search chose for this trial. A
    hyperparameter declared inside `conditional_scope` is active only when
    its parent has one of the given values; when inactive, the call
    returns None. `get(name)` reads a value declared elsewhere, e.g. in
    `HyperModel.build` from `HyperModel.fit`; reading an inactive one raises
    `ValueError`, as in keras-tuner 1.4 (check `is_active(name)` first).

    Examples:

    >>> hp = HyperParameters()
    >>> model_type = hp.Choice("model_type", ["mlp", "linear"])
    >>> with hp.conditional_scope("model_type", ["mlp"]):
    ...     units = hp.Int("units", 8, 32, step=8)
    >>> (model_type, units, hp.get("units"))
    ('mlp', 8, 8)
    >>> hp.values["model_type"] = "linear"
    >>> hp.is_active("units")
    False
    """

    def __init__(self):
        # name -> [HyperParameter, ...] in declaration order: one name may be
        # declared under several conditional branches.
        self._hps = {}
        self.values = {}  # name -> value
        self._conditions = []  # stack of Condition from conditional_scope
        self._name_scopes = []  # stack of prefixes from name_scope
        self._inactive_scopes = []  # condition stacks entered while inactive
        # Set by the oracle for a running trial (`set_new_entry_rules`): how
        # to pick the value of a hyperparameter first declared while the trial
        # runs, whether such new entries are allowed, and the names whose
        # declaration in model code may differ from the one here (the search
        # space given to the tuner, `hyperparameters=`, overrides it).
        self._new_value_fn = None
        self._allow_new_entries = True
        self._overridable = frozenset()

    def set_new_entry_rules(
        self, *, allow_new_entries=None, new_value_fn=None, overridable=None
    ):
        """Sets how hyperparameters declared from now on are handled.

        An oracle calls this on the `HyperParameters` of each trial it
        starts, so that the model code of the trial follows the rules of
        the search: `allow_new_entries=False` makes declaring a name that
        is not in the space an error, `new_value_fn(hp)` picks the value
        of a newly declared hyperparameter (instead of its default), and a
        name in `overridable` may be declared with another range than the
        one held here (the space given to the tuner wins). Arguments left
        to None keep their current setting. `copy()` keeps
        `allow_new_entries` and `overridable`, not `new_value_fn`.

        Args:
            allow_new_entries: bool, whether names not declared yet may be
                declared.
            new_value_fn: a callable `hp -> value` for hyperparameters
                declared while no value is set for them.
            overridable: an iterable of names whose redeclaration with
                another definition is not an error.

        Examples:

        >>> import keras_tuner as kt
        >>> hp = kt.HyperParameters()
        >>> hp.set_new_entry_rules(new_value_fn=lambda h: h.prob_to_value(0.99))
        >>> hp.Int("units", 0, 100)
        99
        """
        if allow_new_entries is not None:
            if not isinstance(allow_new_entries, bool):
                raise TypeError(
                    "`allow_new_entries` must be True, False or None (unchanged). "
                    f"Received: allow_new_entries={allow_new_entries!r}."
                )
            self._allow_new_entries = allow_new_entries
        if new_value_fn is not None:
            if not callable(new_value_fn):
                raise TypeError(
                    "`new_value_fn` must be a callable taking a `HyperParameter` "
                    "and returning its value, or None (unchanged). Received: "
                    f"new_value_fn={new_value_fn!r}."
                )
            self._new_value_fn = new_value_fn
        if overridable is not None:
            if isinstance(overridable, str):
                raise TypeError(
                    "`overridable` must be an iterable of hyperparameter names "
                    f"(e.g. a list), not a single string. Received: {overridable!r}; "
                    f"pass [{overridable!r}]."
                )
            self._overridable = frozenset(overridable)

    # -- Space ------------------------------------------------------------
    @property
    def space(self):
        """The list of declared `HyperParameter` objects."""
        return [hp for hps in self._hps.values() for hp in hps]

    def __contains__(self, name):
        return name in self._hps

    def __getitem__(self, name):
        return self.get(name)

    @contextlib.contextmanager
    def name_scope(self, name):
        """Hyperparameters declared inside get the prefix `name/`.

        Args:
            name: the prefix, e.g. "block1" gives "block1/units".
        """
        self._name_scopes.append(str(name))
        try:
            yield
        finally:
            self._name_scopes.pop()

    def _scoped_name(self, name):
        return "/".join(self._name_scopes + [name])

    @contextlib.contextmanager
    def conditional_scope(self, parent_name, parent_values):
        """Hyperparameters declared inside are active only for these parent values.

        Args:
            parent_name: name of an already declared hyperparameter.
            parent_values: a value or list of values of the parent.
        """
        if self._scoped_name(parent_name) in self._hps:
            parent_name = self._scoped_name(parent_name)
        if parent_name not in self._hps:
            raise ValueError(
                f"`conditional_scope`: the parent '{parent_name}' must be declared "
                f"before the scope; '{parent_name}' is not defined. Declared so far: "
                f"{sorted(self._hps)}."
            )
        self._conditions.append(Condition(parent_name, parent_values))
        if (
            not self._conditions_active()
            and self._conditions not in self._inactive_scopes
        ):
            self._inactive_scopes.append(list(self._conditions))
        try:
            yield
        finally:
            self._conditions.pop()

    def _hp_is_active(self, hp):
        for condition in hp.conditions:
            if not condition.is_active(self.values):
                return False
            if condition.name in self._hps and not self.is_active(condition.name):
                return False
        return True

    def is_active(self, hp):
        """Whether `hp` (a name or a `HyperParameter`) is active for the current values.

        A name is active when one of the hyperparameters declared with it
        is.
        """
        if isinstance(hp, str):
            return any(self._hp_is_active(h) for h in self._hps.get(hp, []))
        return self._hp_is_active(hp)

    def active_values(self):
        return {name: v for name, v in self.values.items() if self.is_active(name)}

    def _conditions_active(self):
        for condition in self._conditions:
            if not condition.is_active(self.values):
                return False
        return True

    def _find(self, name, conditions):
        for hp in self._hps.get(name, []):
            if hp.conditions == conditions:
                return hp
        return None

    def _register(self, hp):
        hp.name = self._scoped_name(hp.name)
        hp.conditions = list(self._conditions) + [
            c for c in hp.conditions if c not in self._conditions
        ]
        if any(c.name == hp.name for c in hp.conditions):
            raise ValueError(
                f"The hyperparameter '{hp.name}' cannot have the same name as a "
                "condition it is declared under. Rename one of them."
            )
        existing = self._find(hp.name, hp.conditions)
        if existing is not None:
            # Same name under the same conditions: must be the same definition.
            self._check_redeclaration(existing, hp)
        elif hp.name in self._hps and not hp.conditions:
            # Declared again without conditions: the first declaration wins.
            existing = self._hps[hp.name][0]
        if existing is None:
            if hp.name not in self._hps and not self._allow_new_entries:
                raise errors.SearchSpaceError(
                    f"The hyperparameter '{hp.name}' is not in the search space and "
                    "`allow_new_entries` is `False` (the tuner was created with "
                    "`allow_new_entries=False`). Declare it in the `hyperparameters` "
                    "passed to the tuner, or allow new entries."
                )
            self._hps.setdefault(hp.name, []).append(hp)
            existing = hp
        active = self._hp_is_active(existing) and self._conditions_active()
        if not active:
            return None
        if existing.name not in self.values:
            value = existing.default
            if self._new_value_fn is not None:
                value = self._new_value_fn(existing)
            self.values[existing.name] = _to_python(value)
        return self.values[existing.name]

    def _check_redeclaration(self, existing, hp):
        """A name declared again must have the same definition.

        Otherwise the second declaration would silently get the first one's
        value (e.g. an `Int` in [1, 10] where a `Float` in [0, 1] was asked
        for). Allowed: the same definition (build code runs once per trial),
        a name of the search space given to the tuner (which overrides the
        model code's range), and the same name under another conditional
        branch (as in keras-tuner 1.4).
        """
        if hp.name in self._overridable or existing.conditions != hp.conditions:
            return
        if _definition(existing) == _definition(hp):
            return
        pin = _pin(existing, hp)
        if pin == "outside":
            warnings.warn(
                f"The hyperparameter '{hp.name}' is pinned by {_describe(existing)} "
                f"to a value outside the model code's {_describe(hp)}; the pinned "
                "value is used (as in keras-tuner 1.4). Pin a value inside the "
                "range if that was not intended.",
                stacklevel=4,
            )
        if pin is not None:
            # keras-tuner 1.4's way to pin a value: `hp.Fixed(name, v)` (or a
            # one-value `hp.Choice`) before building the model; the model
            # code's declaration then returns `v`.
            return
        raise ValueError(
            f"The hyperparameter '{hp.name}' is declared twice with different "
            f"definitions: first {_describe(existing)}, now {_describe(hp)}. The "
            "second declaration would get the first one's value. Give each "
            "hyperparameter its own name, or declare it the same way each time "
            "(read an existing one with `hp.get(name)`)."
        )

    def _declare(self, hp, parent_name, parent_values):
        """Registers `hp` (inside the parent condition, if any); returns its value."""
        with self._maybe_scope(parent_name, parent_values):
            return self._register(hp)

    def Int(
        self,
        name,
        min_value,
        max_value,
        step=None,
        sampling="linear",
        default=None,
        parent_name=None,
        parent_values=None,
    ):
        """Declares an `Int` and returns its value for this trial."""
        hp = Int(name, min_value, max_value, step, sampling, default)
        return self._declare(hp, parent_name, parent_values)

    def Float(
        self,
        name,
        min_value,
        max_value,
        step=None,
        sampling="linear",
        default=None,
        parent_name=None,
        parent_values=None,
    ):
        """Declares a `Float` and returns its value for this trial."""
        hp = Float(name, min_value, max_value, step, sampling, default)
        return self._declare(hp, parent_name, parent_values)

    def Choice(
        self,
        name,
        values,
        ordered=None,
        default=None,
        parent_name=None,
        parent_values=None,
    ):
        """Declares a `Choice` and returns its value for this trial."""
        hp = Choice(name, values, ordered, default)
        return self._declare(hp, parent_name, parent_values)

    def Boolean(self, name, default=False, parent_name=None, parent_values=None):
        """Declares a `Boolean` and returns its value for this trial."""
        return self._declare(Boolean(name, default), parent_name, parent_values)

    def Fixed(self, name, value, parent_name=None, parent_values=None):
        """Declares a `Fixed` value and returns it."""
        result = self._declare(Fixed(name, value), parent_name, parent_values)
        if result is not None:
            full_name = self._scoped_name(name)
            for hp in self._hps.get(full_name, []):
                if isinstance(hp, Fixed) and self._hp_is_active(hp):
                    self.values[full_name] = hp.value
                    return hp.value
        return result

    @contextlib.contextmanager
    def _maybe_scope(self, parent_name, parent_values):
        if parent_name is None:
            yield
        else:
            with self.conditional_scope(parent_name, parent_values):
                yield

    # -- Values -----------------------------------------------------------
    def get(self, name):
        """The value of `name` for this trial.

        Raises `KeyError` if no hyperparameter has this name and
        `ValueError` if it is declared but not active for the current
        values (check with `is_active(name)` first).
        """
        if name not in self._hps:
            if name in self.values:
                return self.values[name]
            raise KeyError(
                f"No hyperparameter named '{name}': it does not exist. Declared: "
                f"{sorted(self._hps)}. Declare it (e.g. in `build`) before reading "
                "it with `hp.get`."
            )
        if not self.is_active(name):
            raise ValueError(
                f"The hyperparameter '{name}' is currently inactive: its "
                "conditions do not hold for the current values. Check "
                "`hp.is_active(name)` before reading it."
            )
        if name in self.values:
            return self.values[name]
        return next(h for h in self._hps[name] if self._hp_is_active(h)).default

    # -- Copy, merge, serialisation ---------------------------------------
    def copy(self):
        new = HyperParameters()
        new._hps = {name: copy.deepcopy(hps) for name, hps in self._hps.items()}
        new.values = dict(self.values)
        new._allow_new_entries = self._allow_new_entries
        new._overridable = self._overridable
        return new

    def merge(self, hps, overwrite=True):
        """Adds the hyperparameters of `hps` (and its active values) to this set.

        Args:
            hps: a `HyperParameters` or a list of `HyperParameter`s.
            overwrite: whether a hyperparameter (and value) of `hps`
                replaces one of the same name and conditions here.
        """
        if isinstance(hps, HyperParameters):
            space = hps.space
            values = {k: v for k, v in hps.values.items() if hps.is_active(k)}
        else:
            space, values = list(hps), {}
        for hp in space:
            existing = self._find(hp.name, hp.conditions)
            if existing is None:
                self._hps.setdefault(hp.name, []).append(copy.deepcopy(hp))
            elif overwrite:
                index = self._hps[hp.name].index(existing)
                self._hps[hp.name][index] = copy.deepcopy(hp)
            if hp.name in values and (overwrite or hp.name not in self.values):
                self.values[hp.name] = values[hp.name]
            elif hp.name not in self.values and not isinstance(hps, HyperParameters):
                self.values[hp.name] = hp.default

    def get_config(self):
        return {
            "space": [serialize(hp) for hp in self.space],
            "values": {k: _to_python(v) for k, v in self.values.items()},
        }

    @classmethod
    def from_config(cls, config):
        hps = cls()
        for item in config.get("space", []):
            hp = _deserialize_hp(item)
            hps._hps.setdefault(hp.name, []).append(hp)
        hps.values = dict(config.get("values", {}))
        return hps

    def __eq__(self, other):
        return (
            isinstance(other, HyperParameters)
            and self.get_config() == other.get_config()
        )

    __hash__ = None

    def __repr__(self):
        return f"HyperParameters(values={self.values!r})"
