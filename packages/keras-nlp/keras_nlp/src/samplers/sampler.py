# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The decoding contract shared by every sampler, and the name registry.

A sampler fills the free positions of a fixed-size token buffer one
position at a time, asking a model for next-token logits through a plain
function. It knows nothing about the model: anything the model needs
between steps (attention caches, encoder outputs) travels in `cache`, a
nested structure of tensors whose first axis is the batch.
"""

import keras
import numpy as np
import tensorflow as tf

from keras_core import api_export

RFC = "20261122-keras-nlp-generation"

# A score for impossible candidates. Finite, so that sums stay finite.
NEG = -1e9


def check_positive_int(name, value, hint):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(
            f"`{name}` must be an int >= 1. Received: {name}={value!r}. {hint}"
        )
    return int(value)


def call_next(next_fn, ids, cache, index):
    """Calls a next-token function; accepts 2- and 3-tuple results."""
    result = next_fn(ids, cache, index)
    if not isinstance(result, (tuple, list)) or len(result) not in (2, 3):
        raise ValueError(
            "The next-token function must return `(logits, cache)` or "
            "`(logits, hidden_states, cache)`, with logits of shape "
            f"(batch_size, vocabulary_size). Received: {type(result).__name__}"
            + (f" of length {len(result)}" if isinstance(result, (tuple, list)) else "")
        )
    logits, new_cache = result[0], result[-1]
    logits = tf.convert_to_tensor(logits)
    if logits.shape.rank != 2:
        raise ValueError(
            "The next-token function must return logits of shape (batch_size, "
            f"vocabulary_size). Received: logits.shape={tuple(logits.shape)}. "
            "Return only the logits of the position being predicted."
        )
    return tf.cast(logits, "float32"), new_cache


def end_token_hit(tokens, end_token_ids):
    """Bool tensor: where `tokens` equals any of `end_token_ids`."""
    if end_token_ids is None:
        return tf.zeros_like(tokens, dtype=tf.bool)
    hits = [tf.equal(tokens, end_id) for end_id in end_token_ids]
    return tf.reduce_any(tf.stack(hits, axis=0), axis=0)


def write_column(ids, index, tokens):
    """`ids[:, index] = tokens` without a scatter (cheap for short buffers)."""
    length = tf.shape(ids)[1]
    at_index = tf.equal(tf.range(length), index)[None, :]
    return tf.where(at_index, tokens[:, None], ids)


def _normalize_end_ids(end_token_id):
    if end_token_id is None:
        return None
    ids = [end_token_id] if np.ndim(end_token_id) == 0 else list(end_token_id)
    if not ids:
        return None
    for value in ids:
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise ValueError(
                "`end_token_id` must be an int token id, a list of them, or "
                f"None. Received: end_token_id={end_token_id!r}"
            )
    return tuple(int(v) for v in ids)


@api_export("keras_nlp.samplers.Sampler", stability="stable", rfc=RFC)
class Sampler:
    """Base class of the decoding algorithms (greedy, beam, top-k, top-p).

    A sampler turns a next-token function into generated sequences. It
    works with any model that can compute, from a token buffer, the logits
    of the token at one position; the model keeps whatever it wants to
    reuse between steps in `cache`.

    The next-token contract: `next(ids, cache, index)` receives the int32
    buffer `ids` of shape `(batch_size, max_length)` (positions `< index`
    hold the tokens so far), the current `cache` and the scalar int32
    `index` of the position to predict. It returns `(logits, cache)` (or
    `(logits, hidden_states, cache)`), where `logits` has shape
    `(batch_size, vocabulary_size)`. Every tensor in `cache` must have the
    batch as its first axis: beam search repeats and reorders them. A call
    at `index` reads the token at `index - 1` (just written by the sampler)
    and must be idempotent for it: a key/value cache simply rewrites that
    slot, so a prompt prefilled up to `index` is fine.

    Subclasses of single-sequence samplers override `get_next_token`.

    Args:
        temperature: float > 0. Logits are divided by it before the
            softmax; lower is more deterministic. Defaults to `1.0`.

    Call arguments:
        next: the next-token function described above.
        prompt: int tensor `(batch_size, max_length)`: the prompt tokens
            followed by padding; generation overwrites the non-prompt
            positions from `index` on.
        cache: optional nested structure of batch-first tensors, passed to
            `next` (for instance the attention caches of a prefilled
            prompt).
        index: int. The first position to generate. `None` (default) takes
            the shortest prompt length from `mask`.
        mask: optional bool tensor `(batch_size, max_length)`, `True` at
            prompt tokens. Prompt tokens at or after `index` (prompts longer
            than the shortest) are kept, not generated. `None` means every
            position from `index` on is generated.
        end_token_id: optional int or list of ints. A row (or beam) stops
            when it generates one of them; later positions get
            `pad_token_id`.
        pad_token_id: int. Written after an end token. Defaults to `0`.
        jit_compile: bool. When called eagerly, the decoding loop is wrapped
            in a `tf.function`; with `True` it is compiled with XLA (the
            next-token function must then be XLA-compatible). Inside an
            already traced function the caller decides. Defaults to `False`.

    Returns:
        The int32 buffer `(batch_size, max_length)` with the generated
        tokens (beam search can also return all beams; see `BeamSampler`).

    Examples:

    >>> import numpy as np
    >>> import tensorflow as tf
    >>> import keras_nlp
    >>> table = tf.constant(np.eye(5, k=1) * 10, "float32")  # i -> i + 1
    >>> def next_token(ids, cache, index):
    ...     return tf.gather(table, ids[:, index - 1]), cache
    >>> prompt = np.array([[1, 0, 0, 0]])
    >>> keras_nlp.samplers.GreedySampler()(next_token, prompt, index=1).numpy()
    array([[1, 2, 3, 4]], dtype=int32)
    """

    def __init__(self, temperature=1.0):
        if isinstance(temperature, bool) or not isinstance(
            temperature, (int, float, np.floating, np.integer)
        ):
            raise ValueError(
                "`temperature` must be a positive float. "
                f"Received: temperature={temperature!r}"
            )
        if not float(temperature) > 0.0:
            raise ValueError(
                "`temperature` must be > 0 (1.0 leaves the model's "
                f"distribution unchanged). Received: temperature={temperature!r}"
            )
        self.temperature = float(temperature)
        self._compiled = None

    # -- public entry point ------------------------------------------------

    def __call__(
        self,
        next,
        prompt,
        cache=None,
        index=None,
        mask=None,
        end_token_id=None,
        pad_token_id=0,
        jit_compile=False,
    ):
        if not callable(next):
            raise TypeError(
                "`next` must be a callable `next(ids, cache, index) -> "
                f"(logits, cache)`. Received: {type(next).__name__}"
            )
        end_ids = _normalize_end_ids(end_token_id)
        prompt = tf.cast(tf.convert_to_tensor(prompt), "int32")
        if prompt.shape.rank != 2:
            raise ValueError(
                "`prompt` must be a (batch_size, max_length) int tensor. "
                f"Received: prompt.shape={tuple(prompt.shape)}. Add a batch "
                "axis for a single sequence."
            )
        if mask is None and index is None:
            raise ValueError(
                "Pass `index` (the first position to generate) or `mask` "
                "(True at prompt tokens), so the sampler knows where the "
                "prompt ends."
            )
        if mask is None:
            mask = tf.zeros_like(prompt, dtype=tf.bool)
        else:
            mask = tf.cast(tf.convert_to_tensor(mask), tf.bool)
        if index is None:
            index = tf.reduce_min(tf.reduce_sum(tf.cast(mask, "int32"), axis=1))
        index = tf.cast(tf.convert_to_tensor(index), "int32")
        cache = () if cache is None else cache
        seed = self._draw_seed()
        args = (prompt, cache, index, mask, seed)
        static = dict(end_ids=end_ids, pad_token_id=int(pad_token_id))
        if not tf.executing_eagerly():
            return self._generate(next, *args, **static)
        # The last compiled loop is reused while the same `next` function
        # and settings come back (tf.function retraces on new shapes).
        key = (next, end_ids, int(pad_token_id), bool(jit_compile))
        if self._compiled is None or self._compiled[0] != key:

            def run(prompt, cache, index, mask, seed):
                return self._generate(next, prompt, cache, index, mask, seed, **static)

            self._compiled = (
                key,
                tf.function(run, jit_compile=bool(jit_compile), autograph=False),
            )
        return self._compiled[1](*args)

    # -- hooks -------------------------------------------------------------

    def get_next_token(self, logits, seed):
        """Chooses one token per row from `(batch_size, vocab)` logits.

        Args:
            logits: float32 logits already divided by the temperature.
            seed: int32 tensor of shape `(2,)` for stateless random ops,
                different at every step.

        Returns:
            int32 tensor `(batch_size,)`.
        """
        raise NotImplementedError(
            f"{type(self).__name__} must implement `get_next_token(logits, seed)`."
        )

    def _draw_seed(self):
        """A base seed for this call (random ops are stateless per step)."""
        return tf.constant([0, 0], "int32")

    # -- the single-sequence loop -------------------------------------------

    def _generate(self, next_fn, ids, cache, index, mask, seed, end_ids, pad_token_id):
        batch_size = tf.shape(ids)[0]
        max_length = tf.shape(ids)[1]
        done = tf.zeros([batch_size], tf.bool)

        def cond(ids, cache, index, done):
            return tf.logical_and(
                index < max_length, tf.logical_not(tf.reduce_all(done))
            )

        def body(ids, cache, index, done):
            logits, cache = call_next(next_fn, ids, cache, index)
            step_seed = tf.stack([seed[0], seed[1] + index])
            token = tf.cast(
                self.get_next_token(logits / self.temperature, step_seed), "int32"
            )
            forced = tf.gather(mask, index, axis=1)
            token = tf.where(forced, tf.gather(ids, index, axis=1), token)
            token = tf.where(done, pad_token_id, token)
            ids = write_column(ids, index, token)
            ended = tf.logical_and(
                tf.logical_not(forced), end_token_hit(token, end_ids)
            )
            return ids, cache, index + 1, tf.logical_or(done, ended)

        ids, _, _, _ = tf.while_loop(
            cond,
            body,
            (ids, cache, index, done),
            maximum_iterations=tf.maximum(max_length - index, 0),
        )
        return ids

    # -- serialization -----------------------------------------------------

    def get_config(self):
        return {"temperature": self.temperature}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def run_sampler(
    sampler, next_fn, prompt, cache, index, seed, end_token_id=None, pad_token_id=0
):
    """Runs a sampler's loop inside traced code with an explicit base seed.

    Models that compile their whole generation into one function call this
    instead of `sampler(...)`, passing the seed as a function argument so
    that random samplers draw fresh tokens at every call.
    """
    prompt = tf.cast(prompt, "int32")
    mask = tf.zeros_like(prompt, dtype=tf.bool)
    index = tf.cast(index, "int32")
    return sampler._generate(
        next_fn,
        prompt,
        cache,
        index,
        mask,
        seed,
        end_ids=_normalize_end_ids(end_token_id),
        pad_token_id=int(pad_token_id),
    )


class SeededSampler(Sampler):
    """A sampler drawing random tokens: a `seed` gives reproducible calls."""

    def __init__(self, seed=None, temperature=1.0):
        super().__init__(temperature=temperature)
        if seed is not None and (
            isinstance(seed, bool) or not isinstance(seed, (int, np.integer))
        ):
            raise ValueError(f"`seed` must be an int or None. Received: seed={seed!r}")
        self.seed = None if seed is None else int(seed)
        self._rng = np.random.default_rng(self.seed)

    def _draw_seed(self):
        # One fresh base seed per call; the same `seed` gives the same
        # sequence of calls. Passed as a tensor, so nothing is retraced.
        return tf.constant(self._rng.integers(0, 2**30, size=2), "int32")

    def get_config(self):
        config = super().get_config()
        config["seed"] = self.seed
        return config


_ALIASES = {
    "greedy": "GreedySampler",
    "beam": "BeamSampler",
    "top_k": "TopKSampler",
    "top_p": "TopPSampler",
}


def _sampler_classes():
    from keras_nlp.src.samplers.beam_sampler import BeamSampler
    from keras_nlp.src.samplers.greedy_sampler import GreedySampler
    from keras_nlp.src.samplers.top_k_sampler import TopKSampler
    from keras_nlp.src.samplers.top_p_sampler import TopPSampler

    return {
        cls.__name__: cls
        for cls in (GreedySampler, BeamSampler, TopKSampler, TopPSampler)
    }


@api_export("keras_nlp.samplers.serialize", stability="stable", rfc=RFC)
def serialize(sampler):
    """Returns the Keras config dict of a sampler (JSON-compatible).

    Args:
        sampler: a `keras_nlp.samplers.Sampler`.

    Returns:
        A dict that `keras_nlp.samplers.get` turns back into the sampler.

    Examples:

    >>> import keras_nlp
    >>> config = keras_nlp.samplers.serialize(keras_nlp.samplers.TopKSampler(k=5))
    >>> keras_nlp.samplers.get(config).k
    5
    """
    if not isinstance(sampler, Sampler):
        raise TypeError(
            "`serialize` expects a keras_nlp.samplers.Sampler. "
            f"Received: {type(sampler).__name__}"
        )
    return keras.saving.serialize_keras_object(sampler)


@api_export("keras_nlp.samplers.get", stability="stable", rfc=RFC)
def get(identifier):
    """Returns a sampler from a name, a config dict or a sampler.

    Args:
        identifier: `"greedy"`, `"beam"`, `"top_k"` or `"top_p"` (default
            settings; class names work too), a dict made by
            `keras_nlp.samplers.serialize` (or `{"class_name": ...,
            "config": {...}}`), or a `Sampler`, returned as is.

    Returns:
        A `keras_nlp.samplers.Sampler`.

    Examples:

    >>> import keras_nlp
    >>> type(keras_nlp.samplers.get("beam")).__name__
    'BeamSampler'
    >>> keras_nlp.samplers.get({"class_name": "TopPSampler", "config": {"p": 0.5}}).p
    0.5
    """
    if isinstance(identifier, Sampler):
        return identifier
    classes = _sampler_classes()
    if isinstance(identifier, str):
        name = _ALIASES.get(identifier.lower(), identifier)
        if name not in classes:
            raise ValueError(
                f"Unknown sampler {identifier!r}. Expected one of "
                f"{', '.join(repr(a) for a in _ALIASES)} (or a class name: "
                f"{', '.join(sorted(classes))}), a config dict or a Sampler."
            )
        return classes[name]()
    if isinstance(identifier, dict):
        class_name = identifier.get("class_name")
        name = _ALIASES.get(str(class_name).lower(), class_name)
        if name in classes and "module" not in identifier:
            return classes[name].from_config(dict(identifier.get("config") or {}))
        sampler = keras.saving.deserialize_keras_object(identifier, safe_mode=True)
        if not isinstance(sampler, Sampler):
            raise ValueError(
                "The config does not describe a keras_nlp sampler. "
                f"Received: {identifier!r}"
            )
        return sampler
    raise TypeError(
        "A sampler is identified by a name ('greedy', 'beam', 'top_k', "
        "'top_p'), a config dict or a keras_nlp.samplers.Sampler. "
        f"Received: {identifier!r} of type {type(identifier).__name__}"
    )


def draw_seed(sampler):
    """The base seed of one generation call with `sampler` (for callers
    that run the sampling loop themselves, e.g. `Seq2SeqTransformer`)."""
    return sampler._draw_seed()
