# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""`Task`: the base of every keras-nlp task model (raw data in
fit/evaluate/predict, config, presets, export), and the checks tasks share."""

import contextlib
import re
import types

import keras
import numpy as np
import tensorflow as tf

from keras_core import api_export
from keras_core import distribute
from keras_core.presets import PresetMixin
from keras_nlp.src.models import adam_update
from keras_nlp.src.utils import checks
from keras_nlp.src.utils import functional_graph

DEFAULT_BATCH_SIZE = 32

# Messages of the graph assertions that check data inside `tf.data`
# pipelines. `fit`, `evaluate` and `predict` turn a failing one (a
# `tf.errors.InvalidArgumentError` deep in a "Graph execution error") back
# into a plain `ValueError` with the message and the offending values.
_DATA_CHECK_MESSAGES = set()
_ASSERTION = re.compile(r"assertion failed: \[(.*?)\] \[(.*?)\]", re.DOTALL)


def class_id_message(num_classes, what="Labels"):
    return (
        f"{what} must be integer class ids in [0, num_classes={num_classes}). "
        "Remap them, or build the model with a larger `num_classes`. "
        "Received out-of-range values:"
    )


def graph_check_class_ids(y, num_classes, what="Labels"):
    """`y` (dense or ragged), asserted to hold ids in `[0, num_classes)`.

    Inside `tf.data` the assertion names the offending values; `Task.fit`
    and friends re-raise it as a `ValueError`.
    """
    message = class_id_message(num_classes, what)
    _DATA_CHECK_MESSAGES.add(message)
    flat = y.flat_values if isinstance(y, tf.RaggedTensor) else y
    flat = tf.reshape(flat, [-1])
    bad = tf.logical_or(flat < 0, flat >= tf.cast(num_classes, flat.dtype))
    check = tf.debugging.Assert(
        tf.logical_not(tf.reduce_any(bad)),
        [message, tf.boolean_mask(flat, bad)],
        summarize=10,
    )
    with tf.control_dependencies([check]):
        if isinstance(y, tf.RaggedTensor):
            return y.with_flat_values(tf.identity(y.flat_values))
        return tf.identity(y)


@contextlib.contextmanager
def data_errors_as_value_errors():
    """Re-raises our failed data assertions as `ValueError`s."""
    try:
        yield
    except tf.errors.InvalidArgumentError as error:
        text = error.message
        for match in _ASSERTION.finditer(text):
            if match.group(1) in _DATA_CHECK_MESSAGES:
                values = " ".join(match.group(2).split())
                raise ValueError(
                    f"{match.group(1)} [{values}] (found in a batch of the "
                    "data while iterating it)."
                ) from None
        raise


def check_same_length(x, y, sample_weight):
    """In-memory data: as many labels (and weights) as examples."""

    def length(value):
        try:
            return len(value)
        except TypeError:
            return None

    segments = list(x) if isinstance(x, tuple) else [x]
    sizes = {"x": length(segments[0])}
    if sizes["x"] is None:
        return
    for i, segment in enumerate(segments[1:], 1):
        if length(segment) not in (None, sizes["x"]):
            raise ValueError(
                f"The segments of `x` differ in length: segment 0 has "
                f"{sizes['x']} texts, segment {i} has {len(segment)}. Pass "
                "aligned pairs."
            )
    for name, value in (("y", y), ("sample_weight", sample_weight)):
        if isinstance(value, dict) and value:
            # Labels of several outputs (e.g. answer_start and answer_text):
            # one entry per example in each.
            value = next(iter(value.values()))
        if value is not None and length(value) is not None:
            sizes[name] = length(value)
    if len(set(sizes.values())) > 1:
        listed = ", ".join(f"{k} has {v}" for k, v in sizes.items())
        raise ValueError(
            f"`x`, `y` and `sample_weight` must hold one entry per example: "
            f"{listed}. Pass exactly one label (and weight) per text."
        )
    if sizes["x"] == 0:
        raise ValueError(
            "`x` is empty: there is no text to fit, evaluate or predict on. "
            "Pass at least one text."
        )


def public_name(cls):
    """`keras_nlp.encoders.BertEncoder` for an exported class, else its name."""
    paths = getattr(cls, "_api_export_paths", None)
    if paths and getattr(cls, "__dict__", {}).get("_api_export_paths") is paths:
        return paths[0]
    return cls.__name__


def check_num_classes(num_classes, hint):
    if (
        isinstance(num_classes, bool)
        or not isinstance(num_classes, int)
        or num_classes < 2
    ):
        raise ValueError(
            f"`num_classes` must be an int >= 2 ({hint}). "
            f"Received: num_classes={num_classes!r}."
        )


def dense_head(x, units, dropout, name, dropout_name):
    """Dropout, then a float32 dense layer with BERT's initializer."""
    x = keras.layers.Dropout(dropout, name=dropout_name)(x)
    return keras.layers.Dense(
        units,
        kernel_initializer=keras.initializers.TruncatedNormal(stddev=0.02),
        name=name,
        dtype="float32",
    )(x)


@api_export("keras_nlp.models.Task", stability="experimental")
class Task(distribute.DistributedTrainingMixin, PresetMixin, keras.Model):
    """Base class of task models: a backbone, a head and a preprocessor.

    A task is a Functional model built on a backbone (an encoder such as
    `keras_nlp.encoders.BertEncoder`) with an optional preprocessor that
    turns raw data into the backbone's inputs. `Task` gives every task:

    - `fit`, `evaluate` and `predict` on what the preprocessor accepts (raw
      strings, string pairs, `tf.data.Dataset`s of them with labels), with
      the preprocessor mapped over the data in a `tf.data` pipeline;
    - `export`, a SavedModel that takes raw strings (the preprocessor is
      inside), with the signature of `serving_function`;
    - `get_config`/`from_config` (the encoder, the preprocessor and the
      task's own entries) and `from_preset`, which also builds the task on
      a named or HuggingFace checkpoint of the family.

    A model family plugs in by declaring class attributes; the generic
    tasks (`TextClassifier`, `MaskedLanguageModel`, `SpanLabeler`,
    `TokenClassifier`) are then complete, and a family's task classes are
    thin subclasses.

    Class attributes:
        backbone_cls: the family's backbone class. It has a class attribute
            `input_names`, returns a dict with `sequence_output` (and
            `pooled_output` if it has a pooler), and has
            `get_embedding_table()`.
        preprocessor_cls: the preprocessor class of this task.
        presets: mapping of preset names to `{"source", "description"}`.
        hub_presets: the family's `HubPresets` (name -> converted checkpoint).

    Example:

    ```python
    import keras
    import tensorflow as tf

    import keras_nlp


    class MeanPooledRegressor(keras_nlp.models.Task):
        backbone_cls = keras_nlp.encoders.BertEncoder
        preprocessor_cls = keras_nlp.models.BertPreprocessor

        def __init__(self, encoder, preprocessor=None, **kwargs):
            self.check_family(encoder, preprocessor)
            inputs = self.backbone_inputs()
            sequence = encoder(inputs)["sequence_output"]
            pooled = keras.layers.GlobalAveragePooling1D()(sequence)
            super().__init__(inputs=inputs, outputs=keras.layers.Dense(1)(pooled), **kwargs)
            self.encoder = encoder
            self.preprocessor = preprocessor
            self.compile(optimizer="adam", loss="mse")

        def serving_function(self):
            preprocessor = self.preprocessor

            @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="text")])
            def serve(text):
                return {"score": self(preprocessor(text), training=False)}

            return serve
    ```
    """

    backbone_cls = None
    preprocessor_cls = None
    presets = types.MappingProxyType({})
    hub_presets = None
    #: Extra Functional inputs of the task that the backbone does not take.
    extra_input_names = ()
    #: For `from_preset` on a checkpoint: the default `sequence_length`, the
    #: task's and the preprocessor's arguments that may be overridden, and
    #: those that must be given.
    preset_sequence_length = 512
    preset_task_arguments = ()
    preset_preprocessor_arguments = ()
    preset_required_arguments = ()

    @classmethod
    def check_family(cls, encoder, preprocessor):
        """Checks `encoder` and `preprocessor` against the family's classes.

        Args:
            encoder: the backbone, an instance of `backbone_cls`.
            preprocessor: an instance of `preprocessor_cls`, or None.
        """
        if cls.backbone_cls is None or cls.preprocessor_cls is None:
            raise TypeError(
                f"{cls.__name__} is a generic task: it has no `backbone_cls` "
                "and `preprocessor_cls`. Use a family's task (e.g. "
                "`keras_nlp.models.BertClassifier` or "
                "`keras_nlp.models.DistilBertClassifier`), or subclass it and "
                "set both class attributes."
            )
        if not isinstance(encoder, cls.backbone_cls):
            raise TypeError(
                f"`encoder` must be a {public_name(cls.backbone_cls)}. "
                f"Received: {type(encoder).__name__}."
            )
        if preprocessor is None:
            return
        if not isinstance(preprocessor, cls.preprocessor_cls):
            raise TypeError(
                f"`preprocessor` must be a {cls.preprocessor_cls.__name__} or "
                f"None. Received: {type(preprocessor).__name__}."
            )
        vocab = preprocessor.tokenizer.vocabulary_size()
        size = encoder.get_config()["vocab_size"]
        if vocab != size:
            raise ValueError(
                f"The tokenizer has {vocab} tokens but the encoder's vocab_size "
                f"is {size}. Build the encoder with vocab_size={vocab}."
            )

    @classmethod
    def backbone_inputs(cls):
        """Symbolic inputs: one int32 `(batch, length)` per backbone input
        (then the task's `extra_input_names`), as a dict."""
        names = dict.fromkeys(
            tuple(cls.backbone_cls.input_names) + tuple(cls.extra_input_names)
        )
        return {
            name: keras.Input(shape=(None,), dtype="int32", name=name) for name in names
        }

    @classmethod
    def _backbone_call(cls, encoder, inputs, **call_options):
        """Calls `encoder` on the entries of `inputs` that it takes (with
        `call_options`, e.g. `output_range`)."""
        return encoder(
            {name: inputs[name] for name in cls.backbone_cls.input_names},
            **call_options,
        )

    # An encoder variable that none of the task's outputs depends on, such
    # as BERT's pooler under a token-level or masked-LM head (or under any
    # subclass whose head reads `sequence_output` only), gets no gradient
    # from the task's loss: it is not among the variables this task trains
    # (Keras would warn "Gradients do not exist for variables ..." at every
    # `fit`), and keeps its value for a task that reads it (`BertClassifier`
    # trains the pooler). Which encoder outputs the task reads is found by
    # walking the task's Functional graph, so a subclass declares nothing.

    def __call__(self, inputs, *args, **kwargs):
        checks.check_integer_inputs(self, inputs)
        return super().__call__(inputs, *args, **kwargs)

    def _variables_outside_the_loss(self):
        cached = self.__dict__.get("_outside_loss_cache")
        if cached is not None:
            return cached
        encoder = self.__dict__.get("encoder")
        if encoder is None:
            return []  # not known yet (inside the Functional constructor)
        read = functional_graph.outputs_read(self, encoder)
        if not read:
            return []  # not a Functional graph, or the encoder is not in it
        # A throwaway Functional over the outputs read shares the encoder's
        # layers; its weights are the ones those outputs depend on. (An
        # explicit name leaves Keras' automatic model names untouched.)
        flat = keras.tree.flatten(encoder.output)
        reached = keras.Model(
            encoder.input,
            [flat[i] for i in read],
            name=f"{encoder.name}_outputs_read",
        )
        reached_ids = {id(v) for v in reached.weights}
        outside = [v for v in encoder.weights if id(v) not in reached_ids]
        object.__setattr__(self, "_outside_loss_cache", outside)
        return outside

    def _trained(self, variables):
        outside = {id(v) for v in self._variables_outside_the_loss()}
        return [v for v in variables if id(v) not in outside]

    def _not_trained(self, variables):
        listed = {id(v) for v in variables}
        extra = [
            v
            for v in self._variables_outside_the_loss()
            if v.trainable and self.trainable and id(v) not in listed
        ]
        return list(variables) + extra

    @property
    def trainable_weights(self):
        """The weights `fit` updates: Keras' list without the encoder weights
        this task's outputs do not depend on (e.g. BERT's pooler under a
        token-level head)."""
        return self._trained(super().trainable_weights)

    @property
    def trainable_variables(self):
        """As `trainable_weights` (the variables `fit` updates)."""
        return self._trained(super().trainable_variables)

    @property
    def non_trainable_weights(self):
        """Keras' list plus the encoder weights this task does not train."""
        return self._not_trained(super().non_trainable_weights)

    @property
    def non_trainable_variables(self):
        """Keras' list plus the encoder variables this task does not train."""
        return self._not_trained(super().non_trainable_variables)

    def _check_labels(self, y):
        return y

    def _preprocess(
        self, x, y=None, sample_weight=None, batch_size=None, shuffle=False
    ):
        preprocessor = getattr(self, "preprocessor", None)
        if preprocessor is None or x is None or isinstance(x, dict):
            return x, y, sample_weight, batch_size  # already model inputs
        if isinstance(x, tf.distribute.DistributedDataset):
            # `strategy.experimental_distribute_dataset(...)` of model inputs.
            return x, y, sample_weight, batch_size
        if isinstance(x, tf.data.Dataset):
            if y is not None or sample_weight is not None:
                raise ValueError(
                    "When `x` is a tf.data.Dataset it must yield the labels "
                    "too; do not pass `y` or `sample_weight`."
                )
            first = x.element_spec
            if isinstance(first, tuple):
                first = first[0]
            if isinstance(first, dict):
                return x, y, sample_weight, batch_size  # already model inputs
            spec = tf.nest.flatten(x.element_spec)[0]
            dataset = self._batch_raw_dataset(x, spec, batch_size)
        else:
            dataset = self._dataset_from_data(x, y, sample_weight, batch_size, shuffle)

        # Not converted by AutoGraph: the preprocessing layers are written
        # in graph-compatible TensorFlow (Python branches only on static
        # facts), and converting their code took about as long as tracing
        # the preprocessing on each `fit`/`evaluate`/`predict` (issue 30).
        @tf.autograph.experimental.do_not_convert
        def preprocess(*args):
            if len(args) == 1:
                return preprocessor(args[0])
            x_, y_, w_ = keras.utils.unpack_x_y_sample_weight(args)
            if y_ is not None:
                y_ = self._graph_check_labels(y_)
            return preprocessor(x_, y_, w_)

        # A seeded preprocessor draws from a stateful random generator:
        # parallel calls would take its draws in a varying order, so a fixed
        # seed would not give the same masks twice. Those map in order.
        seeded = getattr(preprocessor, "seed", None) is not None
        dataset = dataset.map(
            preprocess, num_parallel_calls=None if seeded else tf.data.AUTOTUNE
        )
        return dataset.prefetch(tf.data.AUTOTUNE), None, None, None

    def _batch_raw_dataset(self, dataset, spec, batch_size):
        """Batches a dataset of single raw examples; others pass unchanged.

        `spec` is the spec of the first component of an element.
        """
        if getattr(spec, "shape", None) is not None and spec.shape.rank == 0:
            dataset = dataset.batch(batch_size or DEFAULT_BATCH_SIZE)
        return dataset

    def _dataset_from_data(self, x, y, sample_weight, batch_size, shuffle):
        """A batched `tf.data.Dataset` of raw in-memory data and labels."""
        if isinstance(x, str):
            x = [x]
        check_same_length(x, y, sample_weight)
        if y is not None and not isinstance(y, dict):
            y = self._check_labels(np.asarray(y))
        data = keras.utils.pack_x_y_sample_weight(
            tuple(x) if isinstance(x, tuple) else list(x), y, sample_weight
        )
        if not isinstance(data, tuple):
            data = (data,)
        dataset = tf.data.Dataset.from_tensor_slices(data)
        if shuffle:
            size = len(tf.nest.flatten(data)[0])
            dataset = dataset.shuffle(size, reshuffle_each_iteration=True)
        return dataset.batch(batch_size or DEFAULT_BATCH_SIZE)

    def _graph_check_labels(self, y):
        return y

    def fit(
        self,
        x=None,
        y=None,
        batch_size=None,
        validation_data=None,
        sample_weight=None,
        **kwargs,
    ):
        shuffle = kwargs.get("shuffle", True)
        x, y, sample_weight, batch_size = self._preprocess(
            x, y, sample_weight, batch_size, shuffle=shuffle
        )
        if (
            validation_data is not None
            and getattr(self, "preprocessor", None) is not None
        ):
            if not isinstance(validation_data, tf.data.Dataset):
                validation_data = keras.utils.unpack_x_y_sample_weight(
                    tuple(validation_data)
                )
                validation_data = self._preprocess(*validation_data)[0]
            else:
                validation_data = self._preprocess(validation_data)[0]
        if getattr(self, "preprocessor", None) is not None:
            kwargs["shuffle"] = False  # done in the pipeline above
        self._build_optimizer()
        with data_errors_as_value_errors():
            return super().fit(
                x=x,
                y=y,
                batch_size=batch_size,
                validation_data=validation_data,
                sample_weight=sample_weight,
                **kwargs,
            )

    def _build_optimizer(self):
        """Creates the optimizer's variables before `fit` traces its step.

        Left to the first call, the optimizer creates them inside the
        `tf.function` of the training step, which TensorFlow then traces a
        second time (variables may only be created on the first trace): the
        whole forward, backward and update graph is built twice, about a
        third of the first step's CPU time for BERT (issue 30). Keras builds
        it the same way (`optimizer.build(trainable_variables)` in the
        distribution scope) when a distribution strategy is set.
        """
        optimizer = getattr(self, "optimizer", None)
        if optimizer is None:
            return
        # A Keras `Adam` or `AdamW` (an instance or `"adam"`) computes its
        # step's scalars once per step instead of once per variable: the
        # same updates bit for bit, 800 fewer of the 3,300 ops of a traced
        # BERT training step (issue 30).
        adam_update.scalars_once(optimizer)
        if optimizer.built or not self.built:
            return
        with self.distribute_strategy.scope():
            optimizer.build(self.trainable_variables)

    def evaluate(self, x=None, y=None, batch_size=None, sample_weight=None, **kwargs):
        x, y, sample_weight, batch_size = self._preprocess(
            x, y, sample_weight, batch_size
        )
        with data_errors_as_value_errors():
            return super().evaluate(
                x=x, y=y, batch_size=batch_size, sample_weight=sample_weight, **kwargs
            )

    def predict(self, x, batch_size=None, **kwargs):
        x, _, _, batch_size = self._preprocess(x, None, None, batch_size)
        with data_errors_as_value_errors():
            return super().predict(x, batch_size=batch_size, **kwargs)

    def serving_function(self, **options):
        """The `tf.function` that `export` writes as `serving_default`.

        Each task defines it (raw strings in, its outputs out); it may call
        `self` and `self.preprocessor`.
        """
        raise NotImplementedError(
            f"{type(self).__name__} does not define `serving_function`, so it "
            "cannot be exported."
        )

    def export(self, filepath, **options):
        """Writes a SavedModel whose `serving_default` takes raw strings.

        The preprocessor (tokenizer included) is inside the SavedModel, so
        serving needs no Python preprocessing. Load it with
        `tf.saved_model.load` after `import tensorflow_text` (its tokenizer
        ops live there).

        A task that defines no `serving_function` is exported by Keras'
        `keras.Model.export` (tensor inputs), with `**options` passed on.

        Args:
            filepath: the directory to write.
            **options: options of the task's `serving_function`.
        """
        if type(self).serving_function is Task.serving_function:
            # A task without a string signature (e.g. a masked language
            # model): Keras' own export of the model's tensor inputs.
            return super().export(filepath, **options)
        if getattr(self, "preprocessor", None) is None:
            raise ValueError(
                "`export` writes a model that takes raw strings, which needs a "
                f"`preprocessor`. Build the {self._noun} with "
                f"`preprocessor={self.preprocessor_cls.__name__}(...)`."
            )
        serve = self.serving_function(**options)
        module = tf.Module()
        # The model's variables and preprocessor, not the model object: TF
        # would also write Keras' default signature of a subclassed model,
        # which after `fit` under a tf.distribute strategy declares float32
        # inputs and fails on integer token ids.
        module.model_variables = list(self.variables)
        module.preprocessor = self.preprocessor
        module.serve = serve
        tf.saved_model.save(module, filepath, signatures={"serving_default": serve})

    _noun = "model"

    @classmethod
    def from_preset(cls, directory, load_weights=True, **config_overrides):
        """Loads a task preset, or builds the task on a pretrained checkpoint.

        A local preset directory (or `"hf://<org>/<name>"` repository
        holding a preset) of this task is restored as saved. A name from
        `presets`, an `"hf://<org>/<name>[@<revision>]"` checkpoint of the
        family or a local HuggingFace checkpoint folder gives a new task on
        its converted encoder, with a preprocessor on its vocabulary
        (converted once and cached in `$KERAS_HOME/presets/hf/`).

        Args:
            directory: a preset name, a local directory or an `"hf://"` source.
            load_weights: whether to load the saved weights.
            **config_overrides: config entries to replace; on a checkpoint:
                `sequence_length` (of the preprocessor, at most the
                checkpoint's maximum) and the task's own arguments.
        """
        if cls.hub_presets is None:
            return super().from_preset(
                directory, load_weights=load_weights, **config_overrides
            )
        resolved = cls.hub_presets.load(directory, load_weights=load_weights)
        if resolved[0] == "converted":
            _, encoder, tokenizer = resolved
            return cls._build_on_checkpoint(
                directory, encoder, tokenizer, config_overrides
            )
        return cls._from_saved_preset(resolved[1], load_weights, config_overrides)

    @classmethod
    def _from_saved_preset(cls, source, load_weights, config_overrides):
        """Loads a preset of ours (a local directory or a hub repository)."""
        return super().from_preset(
            source, load_weights=load_weights, **config_overrides
        )

    @classmethod
    def _build_on_checkpoint(cls, source, encoder, tokenizer, overrides):
        """A new task on a converted checkpoint's encoder and tokenizer.

        `overrides` may hold `sequence_length` (of the preprocessor; default
        `preset_sequence_length`, at most the checkpoint's
        `max_sequence_length`), the `preset_preprocessor_arguments` and the
        `preset_task_arguments`; `preset_required_arguments` must be given.
        """
        missing = [
            name
            for name in cls.preset_required_arguments
            if overrides.get(name) is None
        ]
        if missing:
            raise ValueError(
                f"{str(source)!r} is a pretrained checkpoint; pass "
                f"{', '.join(f'`{name}`' for name in missing)} to put a new "
                f"{cls.__name__} head on it."
            )
        allowed = {
            "sequence_length",
            *cls.preset_task_arguments,
            *cls.preset_preprocessor_arguments,
        }
        overrides = {
            k: v
            for k, v in overrides.items()
            if v is not None or k not in cls.preset_required_arguments
        }
        unknown = sorted(set(overrides) - allowed)
        if unknown:
            raise ValueError(
                f"Cannot override {', '.join(unknown)} when building a "
                f"{cls.__name__} on the checkpoint {str(source)!r}; the supported "
                f"entries are {', '.join(f'`{name}`' for name in sorted(allowed))}."
            )
        longest = encoder.get_config()["max_sequence_length"]
        length = overrides.get(
            "sequence_length", min(cls.preset_sequence_length, longest)
        )
        if length > longest:
            raise ValueError(
                f"sequence_length={length} is longer than the checkpoint "
                f"{str(source)!r} supports (max_sequence_length={longest}). Pass "
                f"sequence_length <= {longest}."
            )
        preprocessor = cls.preprocessor_cls(
            tokenizer,
            sequence_length=length,
            **{
                k: v
                for k, v in overrides.items()
                if k in cls.preset_preprocessor_arguments
            },
        )
        arguments = {
            k: v for k, v in overrides.items() if k in cls.preset_task_arguments
        }
        return cls(encoder, preprocessor=preprocessor, **arguments)

    def get_config(self):
        """The encoder, the preprocessor (serialized) and the task's entries."""
        preprocessor = getattr(self, "preprocessor", None)
        return {
            "name": self.name,
            "trainable": self.trainable,
            "encoder": keras.saving.serialize_keras_object(self.encoder),
            "preprocessor": keras.saving.serialize_keras_object(preprocessor)
            if preprocessor is not None
            else None,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["encoder"] = keras.saving.deserialize_keras_object(config["encoder"])
        if config.get("preprocessor") is not None:
            config["preprocessor"] = keras.saving.deserialize_keras_object(
                config["preprocessor"]
            )
        return cls(**config)
