# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from keras_tuner.src.engine import hyperparameters as hp_module
from keras_tuner.src.engine.hyperparameters import Boolean
from keras_tuner.src.engine.hyperparameters import Choice
from keras_tuner.src.engine.hyperparameters import Fixed
from keras_tuner.src.engine.hyperparameters import Float
from keras_tuner.src.engine.hyperparameters import HyperParameters
from keras_tuner.src.engine.hyperparameters import Int


def test_defaults_returned_on_declaration():
    hp = HyperParameters()
    assert hp.Int("units", 8, 64, step=8) == 8
    assert hp.Int("layers", 1, 3, default=2) == 2
    assert hp.Float("lr", 1e-4, 1e-2, sampling="log") == pytest.approx(1e-4)
    assert hp.Choice("act", ["relu", "tanh"]) == "relu"
    assert hp.Boolean("shuffle") is False
    assert hp.Fixed("epochs", 3) == 3
    assert [h.name for h in hp.space] == [
        "units",
        "layers",
        "lr",
        "act",
        "shuffle",
        "epochs",
    ]
    # Declaring again returns the current value, not a new default.
    hp.values["units"] = 32
    assert hp.Int("units", 8, 64, step=8) == 32
    assert hp.get("units") == 32 and hp["units"] == 32


def test_int_values_and_probability_mapping():
    h = Int("n", 2, 10, step=4)
    assert h.values == [2, 6, 10]
    # Each value owns a third of the unit interval.
    assert [h.prob_to_value(p) for p in (0.0, 0.32, 0.34, 0.66, 0.67, 1.0)] == [
        2,
        2,
        6,
        6,
        10,
        10,
    ]
    assert [h.value_to_prob(v) for v in h.values] == pytest.approx([1 / 6, 0.5, 5 / 6])
    log = Int("units", 8, 128, step=2, sampling="log")
    assert log.values == [8, 16, 32, 64, 128]


def test_float_log_and_reverse_log_mapping_by_hand():
    log = Float("lr", 1e-4, 1e-2, sampling="log")
    assert log.prob_to_value(0.5) == pytest.approx(1e-3)  # geometric midpoint
    rev = Float("m", 0.1, 1.0, sampling="reverse_log")
    # Dense near the maximum: half the probability mass above 1.1 - sqrt(0.1).
    assert rev.prob_to_value(0.5) == pytest.approx(1.1 - math.sqrt(0.1))
    assert rev.prob_to_value(0.0) == pytest.approx(0.1)
    assert rev.prob_to_value(1.0) == pytest.approx(1.0)
    stepped = Float("d", 0.0, 0.5, step=0.1)
    assert stepped.values == pytest.approx([0.0, 0.1, 0.2, 0.3, 0.4, 0.5])


def test_reverse_log_with_a_step_counts_steps_down_from_the_maximum():
    # Value i is max + min - min * step**i (the log grid 0.01, 0.1, ..., 100
    # mirrored), so the first slice of the unit interval holds max_value.
    rev = Float("m", 0.01, 100.0, step=10, sampling="reverse_log")
    assert rev.values == pytest.approx([100.0, 99.91, 99.01, 90.01, 0.01])
    assert rev.prob_to_value(0.0) == pytest.approx(100.0)
    assert rev.prob_to_value(0.3) == pytest.approx(99.91)
    assert rev.value_to_prob(99.91) == pytest.approx(0.3)
    assert rev.prob_to_value(0.99) == pytest.approx(0.01)
    # Int: 11 - 2**i while it stays >= min_value.
    rev_int = Int("n", 1, 10, step=2, sampling="reverse_log")
    assert rev_int.values == [10, 9, 7, 3]
    assert [rev_int.prob_to_value(p) for p in (0.1, 0.3, 0.6, 0.9)] == [10, 9, 7, 3]
    assert rev_int.value_to_prob(7) == pytest.approx(0.625)


@settings(max_examples=60, deadline=None)
@given(
    prob=st.floats(0.0, 1.0),
    sampling=st.sampled_from(["linear", "log", "reverse_log"]),
    low=st.floats(1e-3, 10.0),
    span=st.floats(1e-2, 100.0),
)
def test_float_mapping_round_trip_and_bounds(prob, sampling, low, span):
    h = Float("x", low, low + span, sampling=sampling)
    value = h.prob_to_value(prob)
    assert low - 1e-9 <= value <= low + span + 1e-9
    assert h.value_to_prob(value) == pytest.approx(prob, abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(
    low=st.integers(-20, 20),
    span=st.integers(0, 30),
    step=st.integers(1, 7),
    prob=st.floats(0.0, 1.0),
)
def test_int_sample_in_grid(low, span, step, prob):
    h = Int("n", low, low + span, step=step)
    value = h.prob_to_value(prob)
    assert value in h.values
    assert h.prob_to_value(h.value_to_prob(value)) == value


def test_bad_input_errors():
    hp = HyperParameters()
    with pytest.raises(
        ValueError, match="min_value.*<= `max_value`.*min_value=5, max_value=1"
    ):
        hp.Int("n", 5, 1)
    with pytest.raises(ValueError, match="min_value"):
        hp.Float("x", 1.0, 0.5)
    with pytest.raises(TypeError, match="same type.*values=\\[1, 'a'\\]"):
        hp.Choice("c", [1, "a"])
    with pytest.raises(ValueError, match="needs `min_value` > 0"):
        hp.Float("lr", 0.0, 1.0, sampling="log")
    with pytest.raises(ValueError, match="sampling"):
        hp.Float("lr", 0.1, 1.0, sampling="exp")
    with pytest.raises(ValueError, match="default"):
        hp.Choice("c", ["a", "b"], default="z")
    with pytest.raises(TypeError, match="must be an int"):
        hp.Int("n", 0.5, 3)
    with pytest.raises(KeyError, match="No hyperparameter named 'missing'"):
        hp.get("missing")
    with pytest.raises(ValueError, match="parent 'nope' must be declared"):
        with hp.conditional_scope("nope", ["x"]):
            pass
    # Ints and floats mix as floats.
    assert hp.Choice("mixed", [1, 2.5]) == 1.0


def test_conditional_scope_and_nested_conditions():
    hp = HyperParameters()
    kind = hp.Choice("kind", ["mlp", "linear"])
    with hp.conditional_scope("kind", "mlp"):
        units = hp.Int("units", 8, 32, step=8)
        deep = hp.Boolean("deep")
        with hp.conditional_scope("deep", [True]):
            depth = hp.Int("depth", 2, 4)
    assert (kind, units, deep, depth) == ("mlp", 8, False, None)
    assert hp.active_values() == {"kind": "mlp", "units": 8, "deep": False}
    hp.values["deep"] = True
    assert hp.get("depth") == 2
    hp.values["kind"] = "linear"
    # The parent of `deep` is inactive, so `depth` is inactive too: reading an
    # inactive hyperparameter raises (keras-tuner 1.4 semantics).
    assert not hp.is_active("units") and not hp.is_active("depth")
    for name in ("units", "depth"):
        with pytest.raises(ValueError, match=f"'{name}' is currently inactive"):
            hp.get(name)
    assert hp.active_values() == {"kind": "linear"}
    # parent_name/parent_values is the same as a scope.
    hp.values["kind"] = "mlp"
    assert (
        hp.Float("dropout", 0.0, 0.5, parent_name="kind", parent_values=["linear"])
        is None
    )


def test_serialisation_round_trip():
    hp = HyperParameters()
    hp.Int("units", 8, 64, step=8, default=16)
    hp.Float("lr", 1e-4, 1e-1, sampling="reverse_log")
    hp.Choice("opt", ["adam", "sgd"])
    with hp.conditional_scope("opt", ["sgd"]):
        hp.Float("momentum", 0.0, 0.9, step=0.1)
    hp.Boolean("b", default=True)
    hp.Fixed("f", "x")
    hp.values["opt"] = "sgd"
    restored = HyperParameters.from_config(hp.get_config())
    assert restored.get_config() == hp.get_config()
    assert restored.values == hp.values
    assert restored.get("momentum") == 0.0
    assert [type(h).__name__ for h in restored.space] == [
        "Int",
        "Float",
        "Choice",
        "Float",
        "Boolean",
        "Fixed",
    ]
    copy = hp.copy()
    copy.values["units"] = 64
    assert hp.values["units"] == 16


def test_per_hyperparameter_streams_are_independent():
    a, b = Float("a", 0.0, 1.0), Float("b", 0.0, 1.0)
    draws_a = [a.random_sample(seed=5, draw=i) for i in range(50)]
    draws_b = [b.random_sample(seed=5, draw=i) for i in range(50)]
    shifted = [a.random_sample(seed=6, draw=i) for i in range(50)]
    # Reproducible, uncorrelated between names, and seed s+1 does not replay
    # seed s shifted by one draw.
    assert draws_a == [a.random_sample(seed=5, draw=i) for i in range(50)]
    assert abs(np.corrcoef(draws_a, draws_b)[0, 1]) < 0.4
    assert not np.allclose(draws_a[1:], shifted[:-1])
    assert len(set(np.round(draws_a, 12))) == 50
    # Uniform on [0, 1]: a loose Kolmogorov-Smirnov check.
    draws = np.sort([a.random_sample(seed=1, draw=i) for i in range(400)])
    ks = np.max(np.abs(draws - (np.arange(1, 401) / 400)))
    assert ks < 0.1


def test_new_entry_hook_and_allow_new_entries():
    hp = HyperParameters()
    hp.set_new_entry_rules(new_value_fn=lambda h: h.prob_to_value(0.99))
    assert hp.Int("n", 0, 9) == 9
    assert hp.Choice("c", ["a", "b"]) == "b"
    hp.values["n"] = 3  # a value already set wins over the rule
    assert hp.Int("n", 0, 9) == 3
    strict = HyperParameters()
    strict.set_new_entry_rules(allow_new_entries=False)
    with pytest.raises(ValueError, match="allow_new_entries=False"):
        strict.Int("n", 0, 3)
    # `copy()` keeps the rules; None leaves a rule unchanged.
    copied = strict.copy()
    copied.set_new_entry_rules(overridable=["n"])
    with pytest.raises(ValueError, match="allow_new_entries=False"):
        copied.Int("n", 0, 3)


def test_set_new_entry_rules_overridable_and_bad_arguments():
    hp = HyperParameters()
    hp.Int("n", 0, 3)
    with pytest.raises(ValueError, match="'n'"):
        hp.Int("n", 0, 9)  # another definition of a declared name
    hp.set_new_entry_rules(overridable=["n"])
    assert hp.Int("n", 0, 9) == 0  # the space held here wins
    with pytest.raises(TypeError, match="allow_new_entries"):
        hp.set_new_entry_rules(allow_new_entries="no")
    with pytest.raises(TypeError, match="new_value_fn"):
        hp.set_new_entry_rules(new_value_fn=3)
    with pytest.raises(TypeError, match=r"\['n'\]"):
        hp.set_new_entry_rules(overridable="n")


def test_deserialize_unknown_class():
    with pytest.raises(ValueError, match="Unknown hyperparameter class 'Nope'"):
        hp_module.deserialize({"class_name": "Nope", "config": {}})
    assert isinstance(
        hp_module.deserialize(hp_module.serialize(Choice("c", [1, 2]))), Choice
    )
    assert Boolean("b").values == [True, False]  # keras-tuner 1.4's order
    assert Fixed("f", 1).values == [1]


# -- keras-tuner 1.4 semantics ---------------------------------------------
def test_name_scope_prefixes_names():
    hp = HyperParameters()
    hp.Int("units", 1, 4)
    with hp.name_scope("block1"):
        hp.Int("units", 1, 4, default=2)
        with hp.name_scope("conv"):
            hp.Choice("kernel", [3, 5])
    assert hp.values == {"units": 1, "block1/units": 2, "block1/conv/kernel": 3}


def test_one_name_under_two_conditional_branches():
    hp = HyperParameters()
    hp.Choice("model", ["small", "big"], default="big")
    with hp.conditional_scope("model", "small"):
        small = hp.Int("layers", 1, 2)
    with hp.conditional_scope("model", "big"):
        big = hp.Int("layers", 4, 8)
    assert (small, big) == (None, 4)
    assert hp.values == {"model": "big", "layers": 4}  # only active values
    assert [(h.min_value, h.max_value) for h in hp.space[1:]] == [(1, 2), (4, 8)]
    assert hp.get("layers") == 4
    with hp.conditional_scope("model", "small"):
        assert hp.get("layers") == 4  # the active twin answers, as in 1.4
        hp.Int("depth", 1, 3)
    with pytest.raises(ValueError, match="'depth' is currently inactive"):
        hp.get("depth")
    with pytest.raises(KeyError, match="does not exist"):
        hp.get("missing")
    restored = HyperParameters.from_config(hp.get_config())
    assert restored == hp and len(restored.space) == 4


def test_parent_name_cannot_be_its_own_condition():
    hp = HyperParameters()
    hp.Choice("a", [1, 2])
    with pytest.raises(ValueError, match="cannot have the same name"):
        with hp.conditional_scope("a", 1):
            hp.Int("a", 0, 3)
    with pytest.raises(ValueError, match="'nope' is not defined"):
        with hp.conditional_scope("nope", 1):
            pass


def test_merge_copies_only_active_values():
    source = HyperParameters()
    source.Choice("a", [1, 2], default=2)
    with source.conditional_scope("a", 1):
        source.Fixed("b", 4)
    target = HyperParameters()
    target.merge(source)
    assert target.values == {"a": 2}
    assert {h.name for h in target.space} == {"a", "b"}


def test_int_log_without_step_has_ten_values():
    values = Int("units", 2, 1024, sampling="log").values
    # The middles of 10 equal slices of the log range, rounded down.
    expected = sorted(
        {int(math.floor(2 * (1025 / 2) ** ((i + 0.5) / 10))) for i in range(10)}
    )
    assert values == expected and len(values) == 10


def test_errors_are_both_1_4_and_our_types():
    for error in (TypeError, ValueError):
        with pytest.raises(error, match="must be a Python boolean.*None"):
            Boolean("b", default=None)
        with pytest.raises(error, match="value must be an int.*list"):
            Fixed("f", [1])
    with pytest.raises(ValueError, match="default value should be one of"):
        Choice("c", [1, 2], default=3)
    with pytest.raises(ValueError, match="`values` must be provided"):
        Choice("c", [])
    with pytest.raises(ValueError, match="`ordered` must be `False`"):
        Choice("c", ["x", "y"], ordered=True)


def test_serialize_a_whole_set():
    hp = HyperParameters()
    hp.Int("a", 1, 3)
    config = hp_module.serialize(hp)
    assert config["class_name"] == "HyperParameters"
    assert hp_module.deserialize(config) == hp
