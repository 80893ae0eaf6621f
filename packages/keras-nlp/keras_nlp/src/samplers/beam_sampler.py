# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Beam search with length penalty, early stopping and finished hypotheses."""

import tensorflow as tf

from keras_core import api_export
from keras_nlp.src.samplers.sampler import NEG
from keras_nlp.src.samplers.sampler import RFC
from keras_nlp.src.samplers.sampler import Sampler
from keras_nlp.src.samplers.sampler import call_next
from keras_nlp.src.samplers.sampler import check_positive_int
from keras_nlp.src.samplers.sampler import end_token_hit


@api_export("keras_nlp.samplers.BeamSampler", stability="stable", rfc=RFC)
class BeamSampler(Sampler):
    """Beam search: keeps the `num_beams` most likely partial sequences.

    At each step every live beam is extended by every token; the
    `num_beams` best extensions that do not end become the next beams, and
    extensions that end (generate an end token) among the `num_beams` best
    are moved to a pool of finished hypotheses, scored as

        score = sum of token log-probabilities / length ** length_penalty

    where `length` counts the generated tokens, end token included (prompt
    tokens are never scored). When decoding reaches `max_length`, live
    beams join the pool as if they had ended. The answer is the best
    hypothesis of the pool. A finished beam never occupies a live slot, so
    short answers do not crowd out longer, better ones.

    Stopping: with `early_stopping=True` a row stops as soon as it has
    `num_beams` finished hypotheses. With `early_stopping=False` it stops
    only when no live beam can still beat the worst finished hypothesis
    (log-probabilities only decrease, which gives an exact bound), so the
    result is the same as decoding to `max_length`, usually sooner.

    With `num_beams=1` and `length_penalty=0` (or `early_stopping=True`)
    beam search returns the greedy sequence.

    Reference:
        [Wu et al., 2016. Google's Neural Machine Translation System](https://arxiv.org/abs/1609.08144)
        (length normalization).

    Args:
        num_beams: int >= 1. Number of beams per row. Defaults to `4`.
        length_penalty: float. Exponent of the length normalization: `0`
            ranks by total log-probability (favours short answers), `1`
            by mean log-probability; larger values favour longer answers.
            Defaults to `1.0`.
        early_stopping: bool. Stop a row once it has `num_beams` finished
            hypotheses (faster, may miss a better longer one). Defaults to
            `False`.
        return_all_beams: bool. Return every hypothesis of the pool and
            their scores instead of the best sequence. Defaults to `False`.
        temperature: float > 0. Divides the logits before the softmax.
            Defaults to `1.0`.

    Call arguments:
        next: the next-token function; see `keras_nlp.samplers.Sampler`.
            Every tensor of `cache` is repeated `num_beams` times along the
            batch axis and reordered as beams are selected.
        prompt: int tensor `(batch_size, max_length)`.
        **kwargs: `cache`, `index`, `mask`, `end_token_id` (ends a beam),
            `pad_token_id` and `jit_compile`, as for
            `keras_nlp.samplers.Sampler`.

    Returns:
        The best sequences `(batch_size, max_length)`; with
        `return_all_beams=True`, a tuple of the sequences
        `(batch_size, num_beams, max_length)` and their scores
        `(batch_size, num_beams)`, best first.

    Examples:

    >>> import numpy as np
    >>> import tensorflow as tf
    >>> import keras_nlp
    >>> # Greedy picks token 1 first (p=0.5) but then faces a flat
    >>> # distribution; beam search finds 2 then 3 (0.4 * 0.9).
    >>> first = tf.math.log([[0.05, 0.5, 0.4, 0.05]])
    >>> after_1 = tf.math.log([[0.25, 0.25, 0.25, 0.25]])
    >>> after_2 = tf.math.log([[0.03, 0.03, 0.04, 0.9]])
    >>> def next_token(ids, cache, index):
    ...     batch = tf.shape(ids)[0]
    ...     if_start = tf.repeat(first, batch, axis=0)
    ...     previous = ids[:, index - 1]
    ...     later = tf.where((previous == 1)[:, None], after_1, after_2)
    ...     return tf.where(index == 1, if_start, later), cache
    >>> prompt = np.zeros((1, 3), "int32")
    >>> keras_nlp.samplers.GreedySampler()(next_token, prompt, index=1).numpy()
    array([[0, 1, 0]], dtype=int32)
    >>> beam = keras_nlp.samplers.BeamSampler(num_beams=2, length_penalty=0.0)
    >>> beam(next_token, prompt, index=1).numpy()
    array([[0, 2, 3]], dtype=int32)
    """

    def __init__(
        self,
        num_beams=4,
        length_penalty=1.0,
        early_stopping=False,
        return_all_beams=False,
        temperature=1.0,
    ):
        super().__init__(temperature=temperature)
        self.num_beams = check_positive_int(
            "num_beams",
            num_beams,
            "Beam search needs at least one beam; num_beams=1 is greedy "
            "decoding, 4 to 8 are common.",
        )
        if isinstance(length_penalty, bool) or not isinstance(
            length_penalty, (int, float)
        ):
            raise ValueError(
                "`length_penalty` must be a float (0 ranks by total "
                "log-probability, 1 by mean log-probability). "
                f"Received: length_penalty={length_penalty!r}"
            )
        self.length_penalty = float(length_penalty)
        if not isinstance(early_stopping, bool):
            raise ValueError(
                "`early_stopping` must be True or False. "
                f"Received: early_stopping={early_stopping!r}"
            )
        self.early_stopping = early_stopping
        self.return_all_beams = bool(return_all_beams)

    def _normalize(self, log_probs, lengths):
        if self.length_penalty == 0.0:
            return log_probs
        lengths = tf.cast(tf.maximum(lengths, 1), "float32")
        return log_probs / tf.pow(lengths, self.length_penalty)

    def _generate(
        self, next_fn, prompt, cache, index, mask, seed, end_ids, pad_token_id
    ):
        beams = self.num_beams
        batch_size = tf.shape(prompt)[0]
        length = tf.shape(prompt)[1]
        positions = tf.range(length)

        def flat(x):  # (B, K, ...) -> (B * K, ...)
            return tf.reshape(x, tf.concat([[-1], tf.shape(x)[2:]], axis=0))

        def unflat(x):  # (B * K, ...) -> (B, K, ...)
            return tf.reshape(x, tf.concat([[batch_size, beams], tf.shape(x)[1:]], 0))

        # Generated (scored) positions and the number generated so far.
        generated = tf.logical_and(tf.logical_not(mask), (positions >= index)[None, :])
        generated_count = tf.cumsum(tf.cast(generated, "int32"), axis=1)
        max_generated = generated_count[:, -1]

        alive_ids = tf.repeat(prompt, beams, axis=0)  # (B * K, L)
        cache = tf.nest.map_structure(lambda t: tf.repeat(t, beams, axis=0), cache)
        # Only the first beam is live at the start; copies would duplicate it.
        alive_lp = tf.tile(
            tf.constant([[0.0] + [NEG] * (beams - 1)], "float32"), [batch_size, 1]
        )
        finished_ids = tf.zeros([batch_size, beams, length], "int32") + pad_token_id
        finished_scores = tf.fill([batch_size, beams], float("-inf"))
        done = tf.zeros([batch_size], tf.bool)

        def cond(
            alive_ids, cache, index, alive_lp, finished_ids, finished_scores, done
        ):
            return tf.logical_and(index < length, tf.logical_not(tf.reduce_all(done)))

        def body(*state):
            new_state = step(*state)
            # Gathers and reshapes lose static shapes; the loop needs them.
            return tf.nest.map_structure(
                lambda new, old: tf.ensure_shape(new, old.shape), new_state, state
            )

        def step(
            alive_ids, cache, index, alive_lp, finished_ids, finished_scores, done
        ):
            logits, cache = call_next(next_fn, alive_ids, cache, index)
            vocab = logits.shape[-1] or tf.shape(logits)[-1]
            log_probs = tf.nn.log_softmax(logits / self.temperature, axis=-1)
            # Prompt tokens past `index` (longer prompts) are forced, unscored.
            forced = tf.gather(mask, index, axis=1)  # (B,)
            forced_token = tf.gather(prompt, index, axis=1)
            forced_lp = tf.where(
                tf.one_hot(forced_token, vocab, dtype=tf.float32) > 0, 0.0, NEG
            )
            log_probs = unflat(log_probs)
            log_probs = tf.where(
                forced[:, None, None], forced_lp[:, None, :], log_probs
            )
            scores = alive_lp[:, :, None] + log_probs  # (B, K, V)
            scores = tf.reshape(scores, [batch_size, -1])
            # Enough candidates that `beams` of them do not end.
            num_candidates = beams * (1 + (len(end_ids) if end_ids else 0))
            if isinstance(vocab, int):
                num_candidates = min(num_candidates, beams * vocab)
            else:
                num_candidates = tf.minimum(num_candidates, beams * vocab)
            cand_scores, cand_index = tf.math.top_k(scores, k=num_candidates)
            cand_beam = cand_index // vocab
            cand_token = tf.cast(cand_index % vocab, "int32")
            cand_ids = tf.gather(unflat(alive_ids), cand_beam, batch_dims=1)
            at_index = tf.equal(positions, index)[None, None, :]
            cand_ids = tf.where(at_index, cand_token[:, :, None], cand_ids)

            valid = cand_scores > NEG / 2
            ends = tf.logical_and(
                tf.logical_and(valid, end_token_hit(cand_token, end_ids)),
                tf.logical_not(forced)[:, None],
            )

            # Finished hypotheses: ending candidates ranked within the beam
            # width, for rows still searching.
            rank_ok = (tf.range(num_candidates) < beams)[None, :]
            new_finished = tf.logical_and(
                tf.logical_and(ends, rank_ok), tf.logical_not(done)[:, None]
            )
            gen_len = tf.gather(generated_count, index, axis=1)  # (B,)
            cand_final = self._normalize(cand_scores, gen_len[:, None])
            cand_final = tf.where(new_finished, cand_final, float("-inf"))
            after_index = (positions > index)[None, None, :]
            ended_ids = tf.where(after_index, pad_token_id, cand_ids)
            finished_ids, finished_scores = _keep_best(
                tf.concat([finished_ids, ended_ids], axis=1),
                tf.concat([finished_scores, cand_final], axis=1),
                beams,
            )

            # Live beams: the best candidates that do not end.
            live_scores = tf.where(ends, 2 * NEG, cand_scores)
            alive_lp, pick = tf.math.top_k(live_scores, k=beams)
            alive_ids = flat(tf.gather(cand_ids, pick, batch_dims=1))
            source_beam = tf.gather(cand_beam, pick, batch_dims=1)
            rows = tf.range(batch_size)[:, None] * beams
            source = tf.reshape(rows + source_beam, [-1])
            cache = tf.nest.map_structure(lambda t: tf.gather(t, source), cache)

            # Rows that cannot improve any more.
            full = tf.reduce_all(tf.math.is_finite(finished_scores), axis=1)
            best_live = tf.reduce_max(alive_lp, axis=1)
            if self.early_stopping:
                finished_row = full
            else:
                if self.length_penalty > 0:
                    bound = self._normalize(best_live, max_generated)
                else:
                    bound = self._normalize(best_live, gen_len)
                finished_row = tf.logical_and(full, finished_scores[:, -1] >= bound)
            no_live = best_live <= NEG / 2
            done = tf.logical_or(done, tf.logical_or(finished_row, no_live))
            return (
                alive_ids,
                cache,
                index + 1,
                alive_lp,
                finished_ids,
                finished_scores,
                done,
            )

        loop_vars = (
            alive_ids,
            cache,
            index,
            alive_lp,
            finished_ids,
            finished_scores,
            done,
        )
        (alive_ids, _, end_index, alive_lp, finished_ids, finished_scores, done) = (
            tf.while_loop(
                cond,
                body,
                loop_vars,
                maximum_iterations=tf.maximum(length - index, 0),
            )
        )
        # Rows that ran to the end: their live beams are hypotheses too.
        last = tf.clip_by_value(end_index - 1, 0, length - 1)
        live_len = tf.gather(generated_count, last, axis=1)
        live_final = self._normalize(alive_lp, live_len[:, None])
        usable = tf.logical_and(alive_lp > NEG / 2, tf.logical_not(done)[:, None])
        live_final = tf.where(usable, live_final, float("-inf"))
        finished_ids, finished_scores = _keep_best(
            tf.concat([finished_ids, unflat(alive_ids)], axis=1),
            tf.concat([finished_scores, live_final], axis=1),
            beams,
        )
        if self.return_all_beams:
            return finished_ids, finished_scores
        return finished_ids[:, 0]

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "num_beams": self.num_beams,
                "length_penalty": self.length_penalty,
                "early_stopping": self.early_stopping,
                "return_all_beams": self.return_all_beams,
            }
        )
        return config


def _keep_best(ids, scores, count):
    """The `count` best `(B, N, L)` sequences by `(B, N)` scores, best first."""
    scores, pick = tf.math.top_k(scores, k=count)
    return tf.gather(ids, pick, batch_dims=1), scores
