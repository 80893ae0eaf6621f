# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""A Transformer encoder-decoder with cached generation."""

import json

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from keras_core import api_export
from keras_core import distribute
from keras_core.presets import PresetMixin
from keras_nlp.src.layers.position_embedding import PositionEmbedding
from keras_nlp.src.layers.transformer_decoder import TransformerDecoder
from keras_nlp.src.layers.transformer_encoder import TransformerEncoder
from keras_nlp.src.preprocessing.start_end_packer import StartEndPacker
from keras_nlp.src.samplers import sampler as sampler_lib
from keras_nlp.src.samplers.sampler import RFC
from keras_nlp.src.samplers.sampler import check_positive_int
from keras_nlp.src.tokenizers.tokenizer import check_ids_in_vocabulary
from keras_nlp.src.tokenizers.tokenizer import token_id_tensor


class _Functions:
    """Compiled generation functions; a plain object Keras does not track."""

    def __init__(self):
        self.by_key = {}


@api_export("keras_nlp.models.Seq2SeqTransformer", stability="stable", rfc=RFC)
class Seq2SeqTransformer(distribute.DistributedTrainingMixin, PresetMixin, keras.Model):
    """A Transformer encoder-decoder for sequence-to-sequence tasks.

    The original Transformer layout: a stack of `TransformerEncoder` blocks
    reads the source, a stack of causal `TransformerDecoder` blocks with
    cross-attention writes the target one token at a time. Source and
    target share one token embedding (one vocabulary); each side has
    learned positions. Use it for translation-like tasks: transliteration,
    spelling correction, sorting, reversal, small translation models.

    `generate` decodes with any `keras_nlp.samplers` sampler. The encoder
    runs once; the decoder runs one position per step with a key/value
    cache, and the whole decoding is one XLA-compiled function.

    With a `tokenizer` attached, `preprocess`, `generate` and `export`
    accept strings, and the exported SavedModel maps strings to generated
    strings.

    Reference:
        [Vaswani et al., 2017. Attention Is All You Need](https://arxiv.org/abs/1706.03762)

    Args:
        vocab_size: int. Size of the shared vocabulary.
        hidden_size: int. Width of the embeddings and of every block.
            Defaults to `128`.
        num_layers: int. Number of encoder blocks and of decoder blocks.
            Defaults to `2`.
        num_attention_heads: int. Attention heads per block; must divide
            `hidden_size`. Defaults to `4`.
        inner_dim: int. Width of the feed-forward layers. Defaults to `512`.
        max_source_length: int. Longest source sequence. Defaults to `64`.
        max_target_length: int. Longest decoder sequence, start token
            included. Defaults to `64`.
        dropout: float. Dropout rate in the blocks and on the embeddings.
            Defaults to `0.1`.
        start_token_id: int. First decoder input. Defaults to `1`.
        end_token_id: int. Ends a generated sequence. Defaults to `2`.
        pad_token_id: int. Padding; masked in attention and in the loss.
            Defaults to `0`.
        tokenizer: optional `keras_nlp.tokenizers.Tokenizer` for both
            sides, which lets the model take and return strings. Its
            vocabulary must hold the three special ids.
        **kwargs: standard model arguments (`name`, `dtype`).

    Call arguments:
        inputs: a dict with `"source_ids"` `(batch_size, source_length)`
            and `"decoder_ids"` `(batch_size, target_length)`: the target
            shifted right behind the start token (see `preprocess`).
        training: bool. Whether dropout is active.

    Returns:
        Next-token logits `(batch_size, target_length, vocab_size)`.

    Examples:

    >>> import numpy as np
    >>> import keras_nlp
    >>> model = keras_nlp.models.Seq2SeqTransformer(
    ...     vocab_size=12, hidden_size=16, num_layers=1, num_attention_heads=2,
    ...     inner_dim=32, max_source_length=6, max_target_length=6)
    >>> source = np.array([[5, 6, 7, 0, 0, 0]])
    >>> x, y = model.preprocess(source, [[7, 6, 5]])
    >>> model(x).shape
    TensorShape([1, 6, 12])
    >>> model.generate(source, sampler="greedy", jit_compile=False).shape
    (1, 5)
    """

    def __init__(
        self,
        vocab_size,
        hidden_size=128,
        num_layers=2,
        num_attention_heads=4,
        inner_dim=512,
        max_source_length=64,
        max_target_length=64,
        dropout=0.1,
        start_token_id=1,
        end_token_id=2,
        pad_token_id=0,
        tokenizer=None,
        **kwargs,
    ):
        for name, value in (
            ("vocab_size", vocab_size),
            ("hidden_size", hidden_size),
            ("num_layers", num_layers),
            ("num_attention_heads", num_attention_heads),
            ("inner_dim", inner_dim),
            ("max_source_length", max_source_length),
        ):
            check_positive_int(name, value, "Pass a positive int.")
        check_positive_int(
            "max_target_length",
            max_target_length,
            "It counts the start token, so it must be >= 2 to generate.",
        )
        if max_target_length < 2:
            raise ValueError(
                "`max_target_length` counts the start token and must be >= 2. "
                f"Received: max_target_length={max_target_length}"
            )
        if hidden_size % num_attention_heads:
            raise ValueError(
                f"`hidden_size` ({hidden_size}) must be divisible by "
                f"`num_attention_heads` ({num_attention_heads}). Change one of them."
            )
        special = {
            "start_token_id": start_token_id,
            "end_token_id": end_token_id,
            "pad_token_id": pad_token_id,
        }
        for name, value in special.items():
            if (
                isinstance(value, bool)
                or not isinstance(value, (int, np.integer))
                or not 0 <= value < vocab_size
            ):
                raise ValueError(
                    f"`{name}` must be a token id in [0, vocab_size={vocab_size}). "
                    f"Received: {name}={value!r}"
                )
        if len(set(special.values())) != 3:
            raise ValueError(
                "`start_token_id`, `end_token_id` and `pad_token_id` must be "
                f"three different ids. Received: {special}"
            )
        if tokenizer is not None and tokenizer.vocabulary_size() != vocab_size:
            raise ValueError(
                f"The tokenizer has {tokenizer.vocabulary_size()} tokens but "
                f"vocab_size={vocab_size}. Pass "
                "vocab_size=tokenizer.vocabulary_size()."
            )
        super().__init__(**kwargs)
        self.vocab_size = int(vocab_size)
        self.hidden_size = int(hidden_size)
        self.num_layers = int(num_layers)
        self.num_attention_heads = int(num_attention_heads)
        self.inner_dim = int(inner_dim)
        self.max_source_length = int(max_source_length)
        self.max_target_length = int(max_target_length)
        self.dropout = float(dropout)
        self.start_token_id = int(start_token_id)
        self.end_token_id = int(end_token_id)
        self.pad_token_id = int(pad_token_id)
        self.tokenizer = tokenizer
        self._functions = _Functions()

        dtype = self.dtype_policy
        self.token_embedding = keras.layers.Embedding(
            vocab_size, hidden_size, dtype=dtype, name="token_embedding"
        )
        self.source_position = PositionEmbedding(
            max_source_length, dtype=dtype, name="source_position"
        )
        self.target_position = PositionEmbedding(
            max_target_length, dtype=dtype, name="target_position"
        )
        self.source_norm = keras.layers.LayerNormalization(
            epsilon=1e-6, dtype=dtype, name="source_embedding_norm"
        )
        self.target_norm = keras.layers.LayerNormalization(
            epsilon=1e-6, dtype=dtype, name="target_embedding_norm"
        )
        self.embedding_dropout = keras.layers.Dropout(dropout, dtype=dtype)
        block = dict(
            num_attention_heads=num_attention_heads,
            inner_dim=inner_dim,
            output_dropout=dropout,
            attention_dropout=dropout,
            norm_epsilon=1e-6,
            dtype=dtype,
        )
        self.encoder_blocks = [
            TransformerEncoder(name=f"encoder_block_{i}", **block)
            for i in range(num_layers)
        ]
        self.decoder_blocks = [
            TransformerDecoder(name=f"decoder_block_{i}", **block)
            for i in range(num_layers)
        ]
        self.output_dense = keras.layers.Dense(vocab_size, dtype=dtype, name="logits")
        # Build every weight now, so presets and `.keras` files load at once.
        self(
            {
                "source_ids": np.zeros((1, 2), "int32"),
                "decoder_ids": np.zeros((1, 2), "int32"),
            }
        )

    # -- the network -----------------------------------------------------------

    def encode(self, source_ids, training=False):
        """Runs the encoder; returns `(memory, source_padding_mask)`.

        Args:
            source_ids: int tensor `(batch_size, source_length)`.
            training: bool. Whether dropout is active.
        """
        source_ids = ops.cast(source_ids, "int32")
        padding = ops.not_equal(source_ids, self.pad_token_id)
        x = self.token_embedding(source_ids)
        x = self.source_norm(x + self.source_position(x))
        x = self.embedding_dropout(x, training=training)
        for block in self.encoder_blocks:
            x = block([x, padding], training=training)
        return x, padding

    def call(self, inputs, training=False):
        if not isinstance(inputs, dict) or {"source_ids", "decoder_ids"} - set(inputs):
            raise ValueError(
                "Seq2SeqTransformer takes a dict with 'source_ids' and "
                "'decoder_ids' (see `preprocess`). Received: "
                f"{sorted(inputs) if isinstance(inputs, dict) else type(inputs).__name__}"
            )
        for name in ("source_ids", "decoder_ids"):
            dtype = keras.backend.standardize_dtype(inputs[name].dtype)
            if "int" not in dtype:
                raise TypeError(
                    f"`{name}` must hold integer token ids. Received dtype "
                    f"{dtype}. Float ids are never truncated: pass the "
                    "integer ids of `preprocess` or a tokenizer."
                )
        memory, memory_mask = self.encode(inputs["source_ids"], training=training)
        decoder_ids = ops.cast(inputs["decoder_ids"], "int32")
        padding = ops.not_equal(decoder_ids, self.pad_token_id)
        x = self.token_embedding(decoder_ids)
        x = self.target_norm(x + self.target_position(x))
        x = self.embedding_dropout(x, training=training)
        for block in self.decoder_blocks:
            x = block([x, memory, memory_mask, padding], training=training)
        return self.output_dense(x)

    def compile(self, optimizer="adam", loss=None, metrics=None, **kwargs):
        """Configures training; defaults suit `fit` on `preprocess` output.

        Args:
            optimizer: a Keras optimizer. Defaults to `"adam"`.
            loss: defaults to cross-entropy on logits that ignores padding
                labels.
            metrics: Keras metrics; none by default (a plain token accuracy
                would count the padding positions the loss ignores).
            **kwargs: other `keras.Model.compile` arguments.
        """
        if loss is None:
            loss = keras.losses.SparseCategoricalCrossentropy(
                from_logits=True, ignore_class=self.pad_token_id
            )
        super().compile(optimizer=optimizer, loss=loss, metrics=metrics, **kwargs)

    def compute_loss(
        self, x=None, y=None, y_pred=None, sample_weight=None, training=True
    ):
        # The default loss averages over the non-padding labels of the
        # global batch (Keras' own averages per replica under a strategy).
        total = distribute.global_batch_loss(self, y, y_pred, sample_weight)
        if total is None:
            return super().compute_loss(x, y, y_pred, sample_weight, training)
        return total

    # -- data ------------------------------------------------------------------

    def _to_ids(self, inputs, what):
        if isinstance(inputs, str):
            inputs = [inputs]
        if isinstance(inputs, (list, tuple)) and inputs and isinstance(inputs[0], str):
            inputs = tf.constant(list(inputs))
        if isinstance(inputs, np.ndarray) and inputs.dtype.kind in "USO":
            inputs = tf.constant(inputs.astype(str))
        if (
            isinstance(inputs, (tf.Tensor, tf.RaggedTensor))
            and inputs.dtype == tf.string
        ):
            if self.tokenizer is None:
                raise ValueError(
                    f"`{what}` holds strings, but the model has no tokenizer. "
                    "Pass token ids, or build the model with `tokenizer=`."
                )
            return self.tokenizer(inputs)
        return inputs

    def preprocess(self, source, target=None):
        """Turns sources (and targets) into model inputs (and labels).

        Works eagerly and inside `tf.data.Dataset.map`. Sources are padded
        or truncated to `max_source_length`. A target becomes
        `decoder_ids = [start] + target` and `labels = target + [end]`,
        both padded or truncated to `max_target_length`.

        Args:
            source: strings (with a tokenizer) or token ids, dense or
                ragged, `(batch_size, length)`.
            target: optional, the same kinds as `source`.

        Returns:
            `x`, a dict for `call`/`fit`, or `(x, labels)` with a target.
        """
        pack_source = StartEndPacker(
            self.max_source_length, pad_value=self.pad_token_id
        )
        x = {
            "source_ids": pack_source(self._to_ids(source, "source")),
        }
        if target is None:
            return x
        target = self._to_ids(target, "target")
        length = self.max_target_length
        x["decoder_ids"] = StartEndPacker(
            length, start_value=self.start_token_id, pad_value=self.pad_token_id
        )(target)
        labels = StartEndPacker(
            length, end_value=self.end_token_id, pad_value=self.pad_token_id
        )(target)
        return x, labels

    # -- generation ------------------------------------------------------------

    def _generate_function(self, sampler, max_length, jit_compile):
        config = json.dumps(sampler_lib.serialize(sampler), sort_keys=True)
        key = (type(sampler), config, max_length, jit_compile)
        function = self._functions.by_key.get(key)
        if function is not None:
            return function
        blocks = self.decoder_blocks
        position_table = self.target_position.position_embeddings

        def next_token(ids, cache, index):
            token = tf.gather(ids, index - 1, axis=1)
            x = self.token_embedding(token[:, None])
            position = ops.cast(ops.take(position_table, index - 1, axis=0), x.dtype)
            x = self.target_norm(x + position[None, None, :])
            layer_caches = []
            for block, block_cache in zip(blocks, cache["blocks"]):
                x, block_cache = block.call_with_cache(
                    x, block_cache, index - 1, memory_mask=cache["memory_mask"]
                )
                layer_caches.append(block_cache)
            logits = self.output_dense(x)[:, 0]
            return logits, {"memory_mask": cache["memory_mask"], "blocks": layer_caches}

        def generate(source_ids, seed):
            memory, memory_mask = self.encode(source_ids, training=False)
            batch_size = tf.shape(source_ids)[0]
            prompt = tf.concat(
                [
                    tf.fill([batch_size, 1], self.start_token_id),
                    tf.fill([batch_size, max_length - 1], self.pad_token_id),
                ],
                axis=1,
            )
            cache = {
                "memory_mask": memory_mask,
                "blocks": [block.build_cache(memory, max_length) for block in blocks],
            }
            return sampler_lib.run_sampler(
                sampler,
                next_token,
                prompt,
                cache,
                index=1,
                seed=seed,
                end_token_id=self.end_token_id,
                pad_token_id=self.pad_token_id,
            )

        function = tf.function(generate, jit_compile=jit_compile, autograph=False)
        self._functions.by_key[key] = function
        return function

    def _check_max_length(self, max_length):
        if max_length is None:
            return self.max_target_length
        if (
            isinstance(max_length, bool)
            or not isinstance(max_length, (int, np.integer))
            or not 2 <= max_length <= self.max_target_length
        ):
            raise ValueError(
                "`max_length` is the decoder length, start token included: an "
                f"int in [2, max_target_length={self.max_target_length}]. "
                f"Received: max_length={max_length!r}. Build the model with a "
                "larger `max_target_length` for longer outputs."
            )
        return int(max_length)

    def generate(self, inputs, sampler="beam", max_length=None, jit_compile=True):
        """Generates target sequences for a batch of sources.

        Args:
            inputs: source token ids `(batch_size, source_length)` (dense,
                ragged or lists), or strings when a tokenizer is attached.
            sampler: a `keras_nlp.samplers.Sampler` or its name
                (`"greedy"`, `"beam"`, `"top_k"`, `"top_p"`). Defaults to
                `"beam"` (4 beams).
            max_length: decoder length, start token included; at most
                `max_target_length` (the default).
            jit_compile: bool. Compile decoding with XLA. Defaults to `True`.

        Returns:
            For token-id inputs, a NumPy int32 array `(batch_size,
            max_length - 1)` of generated ids (end token included, padding
            after it). With `return_all_beams=True` samplers, a tuple of the
            ids `(batch_size, num_beams, max_length - 1)` and the scores.
            For string inputs, a list of generated strings (best beam).
        """
        sampler = sampler_lib.get(sampler)
        max_length = self._check_max_length(max_length)
        strings = self.tokenizer is not None and _looks_like_strings(inputs)
        source = self.preprocess(inputs)["source_ids"]
        function = self._generate_function(sampler, max_length, bool(jit_compile))
        result = function(source, sampler_lib.draw_seed(sampler))
        if isinstance(result, tuple):
            ids, scores = result
            ids, scores = ids[..., 1:].numpy(), scores.numpy()
            if strings:
                return self.detokenize(ids[:, 0])
            return ids, scores
        ids = result[:, 1:].numpy()
        if strings:
            return self.detokenize(ids)
        return ids

    def detokenize(self, ids):
        """Generated ids `(batch_size, length)` -> list of strings.

        Everything from the first end or padding token on is dropped.

        Args:
            ids: int array of generated ids (without the start token).
        """
        if self.tokenizer is None:
            raise ValueError(
                "`detokenize` needs a tokenizer. Build the model with `tokenizer=`."
            )
        ids = token_id_tensor(ids, "detokenize ids")
        if isinstance(ids, tf.RaggedTensor) and ids.ragged_rank == 1:
            lengths = ids.row_lengths().numpy()
            if lengths.size and (lengths == lengths[0]).all():
                ids = ids.to_tensor()
        if isinstance(ids, tf.RaggedTensor) or ids.shape.rank != 2:
            raise ValueError(
                "`detokenize` takes generated ids as a dense batch of shape "
                f"(batch_size, length). Received shape {ids.shape}."
            )
        # Checked before `_trim` casts them to int32, which could wrap around.
        ids = check_ids_in_vocabulary(
            ids, self.tokenizer.vocabulary_size(), "Seq2SeqTransformer.detokenize"
        )
        text = self.tokenizer.detokenize(self._trim(ids))
        return [t.decode("utf-8") for t in text.numpy().tolist()]

    def _trim(self, ids):
        ids = tf.cast(ids, "int32")
        stop = tf.logical_or(
            tf.equal(ids, self.end_token_id), tf.equal(ids, self.pad_token_id)
        )
        lengths = tf.where(
            tf.reduce_any(stop, axis=1),
            tf.argmax(tf.cast(stop, "int32"), axis=1, output_type=tf.int32),
            tf.shape(ids)[1],
        )
        return tf.RaggedTensor.from_tensor(ids, lengths=lengths)

    def export(self, filepath, sampler="beam", max_length=None):
        """Writes a SavedModel that maps source strings to generated strings.

        The serving signature `serving_default` takes `text` (a `tf.string`
        vector) and returns `{"generated": ...}` strings. It includes the
        tokenizer, the encoder and the compiled decoding loop. Load it with
        `tf.saved_model.load` after `import tensorflow_text`.

        Args:
            filepath: the directory to write.
            sampler: the sampler or its name. Defaults to `"beam"`.
            max_length: decoder length, start token included (default
                `max_target_length`).
        """
        if self.tokenizer is None:
            raise ValueError(
                "`export` writes a model that takes and returns strings, which "
                "needs a tokenizer. Build the model with `tokenizer=`."
            )
        sampler = sampler_lib.get(sampler)
        max_length = self._check_max_length(max_length)
        function = self._generate_function(sampler, max_length, True)
        model = self

        @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="text")])
        def serve(text):
            source = model.preprocess(text)["source_ids"]
            seed = tf.random.uniform([2], maxval=2**30, dtype=tf.int32)
            ids = function(source, seed)
            if isinstance(ids, tuple):
                ids = ids[0][:, 0]
            text = model.tokenizer.detokenize(model._trim(ids[:, 1:]))
            return {"generated": text}

        module = tf.Module()
        # The model's variables and tokenizer, not the model object: TF
        # would also write Keras' default signature of a subclassed model,
        # which after `fit` under a tf.distribute strategy declares float32
        # inputs and fails on integer token ids.
        module.model_variables = list(self.variables)
        module.tokenizer = self.tokenizer
        module.serve = serve
        tf.saved_model.save(module, filepath, signatures={"serving_default": serve})

    # -- serialization ---------------------------------------------------------

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "vocab_size": self.vocab_size,
                "hidden_size": self.hidden_size,
                "num_layers": self.num_layers,
                "num_attention_heads": self.num_attention_heads,
                "inner_dim": self.inner_dim,
                "max_source_length": self.max_source_length,
                "max_target_length": self.max_target_length,
                "dropout": self.dropout,
                "start_token_id": self.start_token_id,
                "end_token_id": self.end_token_id,
                "pad_token_id": self.pad_token_id,
                "tokenizer": (
                    keras.saving.serialize_keras_object(self.tokenizer)
                    if self.tokenizer is not None
                    else None
                ),
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if config.get("tokenizer") is not None:
            config["tokenizer"] = keras.saving.deserialize_keras_object(
                config["tokenizer"]
            )
        return cls(**config)


def _looks_like_strings(inputs):
    if isinstance(inputs, str):
        return True
    if isinstance(inputs, (list, tuple)):
        return bool(inputs) and isinstance(inputs[0], str)
    if isinstance(inputs, np.ndarray):
        return inputs.dtype.kind in "USO"
    if isinstance(inputs, (tf.Tensor, tf.RaggedTensor)):
        return inputs.dtype == tf.string
    return False
