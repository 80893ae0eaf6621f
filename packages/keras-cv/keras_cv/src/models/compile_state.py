# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Compile state that survives `model.save` / `keras.models.load_model`.

Keras restores the compile state of a loaded model by calling
`compile(**config)` only when the class does not override `compile`; for
our models, whose `compile` takes their own arguments (`box_loss`, ...),
it skips the call and the loaded model cannot train. `CompileStateMixin`
records the arguments of the subclass's `compile`, saves them in the
`.keras` file and calls `compile` with them again when the model is loaded.
"""

import functools
import inspect

import keras


class _Arguments:
    def __init__(self, values):
        self.values = values


class CompileStateMixin:
    """Mixed into a `keras.Model` subclass that defines its own `compile`."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        compile_fn = cls.__dict__.get("compile")
        if compile_fn is None or getattr(
            compile_fn, "records_compile_arguments", False
        ):
            return
        signature = inspect.signature(compile_fn)

        @functools.wraps(compile_fn)
        def compile(self, *args, **kwargs):
            bound = signature.bind(self, *args, **kwargs)
            # With the defaults: `compile()` with no arguments is replayed too
            # (an empty compile config would not be).
            bound.apply_defaults()
            arguments = dict(bound.arguments)
            arguments.pop("self")
            for name, parameter in signature.parameters.items():
                if parameter.kind is inspect.Parameter.VAR_KEYWORD:
                    arguments.update(arguments.pop(name, {}))
            result = compile_fn(self, *args, **kwargs)
            # The outermost override's arguments are the ones to replay.
            if getattr(self, "_compile_depth", 0) == 0:
                # Held in a plain object so that Keras does not track the
                # optimizer and losses a second time.
                self._compile_arguments = _Arguments(arguments)
            return result

        def depth_tracking(self, *args, **kwargs):
            self._compile_depth = getattr(self, "_compile_depth", -1) + 1
            try:
                return compile(self, *args, **kwargs)
            finally:
                self._compile_depth -= 1

        functools.update_wrapper(depth_tracking, compile_fn)
        depth_tracking.records_compile_arguments = True
        cls.compile = depth_tracking

    def get_compile_config(self):
        arguments = getattr(self, "_compile_arguments", None)
        if arguments is None:
            return None
        config = {}
        for name, value in arguments.values.items():
            if name == "optimizer" and getattr(self, "optimizer", None) is not None:
                value = self.optimizer  # the object in use (e.g. built from "adam")
            config[name] = keras.saving.serialize_keras_object(value)
        return config

    def compile_from_config(self, config):
        arguments = {
            name: keras.saving.deserialize_keras_object(value)
            for name, value in config.items()
        }
        self.compile(**arguments)
        if self.built and getattr(self, "optimizer", None) is not None:
            # So that the saved optimizer variables load into it.
            self.optimizer.build(self.trainable_variables)
