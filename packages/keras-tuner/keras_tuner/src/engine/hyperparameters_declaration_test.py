# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Declaring hyperparameters: bad declarations raise, good ones stay in their space.

Besides examples, a property test declares random hyperparameters (valid
and invalid names, types, ranges, steps, samplings, defaults, choices,
and names declared twice) and checks that each declaration either raises
`ValueError`/`TypeError` or returns a value inside the declared space, and
that the space maps every probability to such a value.
"""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

import keras_tuner as kt
from keras_tuner.src.engine.hyperparameters import HyperParameters


# -- Duplicate names -----------------------------------------------------------
@pytest.mark.parametrize(
    "first, second",
    [
        (("Int", 1, 10), ("Float", 0.0, 1.0)),
        (("Int", 1, 10), ("Int", 1, 100)),
        (("Float", 0.0, 1.0), ("Float", 0.0, 1.0, None, "linear", 0.5)),
        (("Choice", ["a", "b"]), ("Choice", ["a", "c"])),
        (("Int", 1, 10), ("Boolean",)),
        (("Int", 1, 10), ("Fixed", 3)),
    ],
)
def test_same_name_with_another_definition_names_both(first, second):
    # Before, the second declaration silently returned the first one's value.
    hp = HyperParameters()
    getattr(hp, first[0])("units", *first[1:])
    with pytest.raises(ValueError, match="'units' is declared twice") as info:
        getattr(hp, second[0])("units", *second[1:])
    message = str(info.value)
    assert f"first {first[0]}('units'" in message
    assert f"now {second[0]}('units'" in message


def test_fixed_declared_first_pins_a_later_range():
    # keras-tuner 1.4: `hp.Fixed` before building pins the model code's range.
    hp = HyperParameters()
    hp.Fixed("units", 32)
    assert hp.Int("units", 8, 64) == 32
    assert hp.Choice("units", [16, 32]) == 32
    with pytest.raises(ValueError, match="'units' is declared twice"):
        hp.Choice("units", ["a", "b"])  # another type: a name collision
    with pytest.raises(ValueError, match="'units' is declared twice"):
        hp.Boolean("units")


def test_pin_outside_the_later_range_is_used_with_a_warning():
    # keras-tuner 1.4 returns a pinned value whatever the model code's range
    # (its HyperResNet test pins `conv3_depth` to 10 where the model offers
    # [4, 8]); ours says so.
    hp = HyperParameters()
    hp.Fixed("units", 32)
    with pytest.warns(UserWarning, match=r"'units' is pinned by Fixed\('units'"):
        assert hp.Int("units", 64, 128) == 32
    with pytest.warns(UserWarning, match="outside the model code's Choice"):
        assert hp.Choice("units", [4, 8]) == 32
    assert hp.values == {"units": 32}


def test_one_value_choice_declared_first_pins_a_later_declaration():
    hp = HyperParameters()
    hp.Choice("version", ["v1"])
    hp.Choice("blocks", [2])
    assert hp.Choice("version", ["v1", "v2", "next"], default="v2") == "v1"
    assert hp.Int("blocks", 1, 3) == 2
    with pytest.raises(ValueError, match="'version' is declared twice"):
        hp.Int("version", 1, 3)


def test_same_name_with_the_same_definition_is_allowed():
    hp = HyperParameters()
    assert hp.Int("units", 1, 10) == 1
    assert hp.Int("units", 1, 10, step=1, default=1) == 1  # same, spelled out
    hp.values["units"] = 7
    assert hp.Int("units", 1, 10) == 7


def test_same_name_under_two_conditional_branches_is_allowed():
    # keras-tuner 1.4 allows one name under two branches of a condition.
    hp = HyperParameters()
    hp.Choice("model", ["mlp", "cnn"])
    with hp.conditional_scope("model", ["mlp"]):
        hp.Int("units", 8, 64)
    with hp.conditional_scope("model", ["cnn"]):
        hp.Int("units", 16, 128)


def test_same_branch_with_another_definition_raises_other_branch_kept():
    # One name per branch is stored; a conflicting redefinition inside the
    # same branch still raises and names both declarations.
    hp = HyperParameters()
    hp.Choice("model", ["mlp", "cnn"])
    with hp.conditional_scope("model", ["mlp"]):
        hp.Int("units", 8, 64)
    with hp.conditional_scope("model", ["cnn"]):
        hp.Int("units", 16, 128)
        assert hp.Int("units", 16, 128) is None  # same definition, inactive
    with hp.conditional_scope("model", ["mlp"]):
        with pytest.raises(ValueError, match="'units' is declared twice") as info:
            hp.Float("units", 0.0, 1.0)
    assert "first Int('units'" in str(info.value)
    assert [h.max_value for h in hp._hps["units"]] == [64, 128]


def test_tuner_search_space_overrides_model_code_ranges(tmp_path):
    # The space given to the tuner overrides the model code's declaration;
    # that is not a duplicate.
    space = HyperParameters()
    space.Int("units", 100, 200)

    class T(kt.Tuner):
        def run_trial(self, trial, *args, **kwargs):
            units = trial.hyperparameters.Int("units", 1, 10)
            assert 100 <= units <= 200
            return float(units)

    tuner = T(
        hyperparameters=space,
        max_trials=2,
        directory=str(tmp_path),
        project_name="o",
        seed=1,
    )
    tuner.search(verbose=0)
    assert all(t.status == "COMPLETED" for t in tuner.oracle.trials.values())


def test_duplicate_in_model_code_fails_the_trial_with_the_message(tmp_path):
    class T(kt.Tuner):
        def run_trial(self, trial, *args, **kwargs):
            hp = trial.hyperparameters
            hp.Int("lr", 1, 10)
            return hp.Float("lr", 1e-4, 1e-1, sampling="log")

    tuner = T(max_trials=3, directory=str(tmp_path), project_name="d")
    with pytest.raises(RuntimeError, match="'lr' is declared twice"):
        tuner.search(verbose=0)
    assert all(t.status == "FAILED" for t in tuner.oracle.trials.values())


# -- Invalid single declarations -----------------------------------------------
@pytest.mark.parametrize(
    "call, error, text",
    [
        (lambda hp: hp.Float("x", float("nan"), 1.0), ValueError, "finite"),
        (lambda hp: hp.Float("x", 0.0, float("inf")), ValueError, "finite"),
        (lambda hp: hp.Int("x", 0, float("inf")), ValueError, "finite"),
        (lambda hp: hp.Float("x", 0.0, 1.0, step=float("nan")), ValueError, "step"),
        (lambda hp: hp.Int("x", 0, 10, step=1.5), TypeError, "step"),
        (lambda hp: hp.Int("x", 0, 10, default=2.5), TypeError, "default"),
        (lambda hp: hp.Choice("x", [1.0, float("nan")]), ValueError, "finite"),
        (lambda hp: hp.Choice("x", [0, 1], default=False), ValueError, "default"),
    ],
)
def test_invalid_declarations_raise(call, error, text):
    with pytest.raises(error, match=text):
        call(HyperParameters())


def test_wide_integer_range_samples_without_building_its_grid():
    # The grid of 10**12 integers was built as a list for every sample.
    hp = kt.engine.hyperparameters.Int("x", 0, 10**12)
    assert hp.prob_to_value(0.5) == 5 * 10**11
    assert hp.prob_to_value(1.0) == 10**12
    assert hp.value_to_prob(10**12) == pytest.approx(1.0)


# -- Property test ---------------------------------------------------------------
def _numbers():
    return st.one_of(
        st.integers(-(10**6), 10**6),
        st.floats(allow_nan=True, allow_infinity=True, width=64),
        st.sampled_from([0, 1, -1, 1e-6, 1e12, float("nan"), float("inf")]),
        st.none(),
        st.just("3"),
        st.just(True),
    )


def _declarations():
    names = st.sampled_from(["a", "b", "units", ""]) | st.integers(0, 3)
    samplings = st.sampled_from(["linear", "log", "reverse_log", "LOG", None])
    numerical = st.tuples(
        st.sampled_from(["Int", "Float"]),
        names,
        st.fixed_dictionaries(
            {
                "min_value": _numbers(),
                "max_value": _numbers(),
                "step": _numbers(),
                "sampling": samplings,
                "default": _numbers(),
            }
        ),
    )
    choice_values = st.one_of(
        st.lists(st.integers(-5, 5), max_size=4),
        st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=4),
        st.lists(st.sampled_from(["relu", "tanh", "gelu"]), max_size=4),
        st.lists(st.booleans(), max_size=3),
        st.lists(st.one_of(st.integers(0, 2), st.text(max_size=2)), max_size=4),
        st.just([]),
        st.just("abc"),
    )
    choice = st.tuples(
        st.just("Choice"),
        names,
        st.fixed_dictionaries(
            {"values": choice_values, "default": st.none() | _numbers()}
        ),
    )
    boolean = st.tuples(
        st.just("Boolean"),
        names,
        st.fixed_dictionaries({"default": st.booleans() | _numbers()}),
    )
    fixed = st.tuples(
        st.just("Fixed"),
        names,
        st.fixed_dictionaries({"value": _numbers() | st.text(max_size=3)}),
    )
    return st.one_of(numerical, choice, boolean, fixed)


def _same_definition(a, b):
    """Same type, range, step, sampling, choices and effective default."""

    def key(hp_object):
        config = dict(hp_object.get_config(), default=hp_object.default)
        config.pop("conditions", None)
        return type(hp_object).__name__, repr(sorted(config.items()))

    return key(a) == key(b)


def _pinned_in(first, later):
    """A `Fixed` or one-value `Choice` declared first pins a value of the
    same type (inside `later`'s range or not: keras-tuner 1.4 used it)."""
    kind = type(later).__name__
    if kind == "Fixed":
        return False
    if type(first).__name__ == "Fixed":
        value = first.value
    elif type(first).__name__ == "Choice" and len(first.values) == 1:
        value = first.values[0]
    else:
        return False
    if kind == "Boolean":
        return type(value) is bool
    if kind == "Choice":
        return all(type(v) is type(value) for v in later.values)
    if type(value) not in (int, float):
        return False
    return kind == "Float" or value == int(value)


def _declare(hp, declaration):
    kind, name, kwargs = declaration
    return getattr(hp, kind)(name, **kwargs)


def _assert_in_space(hp_object, value):
    kind = type(hp_object).__name__
    if kind == "Int":
        assert isinstance(value, int) and not isinstance(value, bool)
        assert hp_object.min_value <= value <= hp_object.max_value
        # A declared default need not be on the step grid (as in 1.4, e.g.
        # Int(min_value=0, max_value=1, step=2, default=1)): it is returned
        # as declared; any other value is on the grid.
        if (
            hp_object.step is not None
            and hp_object.sampling == "linear"
            and value != hp_object.default
        ):
            assert (value - hp_object.min_value) % hp_object.step == 0
    elif kind == "Float":
        assert isinstance(value, float) and math.isfinite(value)
        assert hp_object.min_value <= value <= hp_object.max_value
    elif kind == "Choice":
        assert value in hp_object.values
    elif kind == "Boolean":
        assert isinstance(value, bool)
    else:
        assert repr(value) == repr(hp_object.value)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(_declarations(), min_size=1, max_size=3), st.floats(0.0, 1.0))
def test_random_declarations_raise_or_stay_in_their_space(declarations, prob):
    hp = HyperParameters()
    for declaration in declarations:
        name = declaration[1]
        try:
            # The definition a fresh declaration would make (independent of hp).
            alone = HyperParameters()
            _declare(alone, declaration)
            fresh = alone._hps[name][0] if name in alone else None
        except (ValueError, TypeError):
            fresh = None
        known = name in hp
        first = hp._hps[name][0] if known else None
        same = (
            known
            and fresh is not None
            and (_same_definition(first, fresh) or _pinned_in(first, fresh))
        )
        try:
            value = _declare(hp, declaration)
        except (ValueError, TypeError) as error:
            # Raising is right for an invalid declaration, or one that
            # redefines a known name with another definition.
            assert fresh is None or (known and not same), error
            if fresh is not None:
                assert f"'{name}' is declared twice" in str(error)
            continue
        assert fresh is not None, f"{declaration} should have been rejected"
        assert not known or same, f"{declaration} redefines '{name}'"
        declared = hp._hps[name][0]
        _assert_in_space(declared, value)
        # Every probability maps into the space, and back into [0, 1].
        sampled = declared.prob_to_value(prob)
        _assert_in_space(declared, sampled)
        back = declared.value_to_prob(sampled)
        assert 0.0 <= back <= 1.0 and not np.isnan(back)
        _assert_in_space(declared, declared.random_sample(seed=3, draw=1))
