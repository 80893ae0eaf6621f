# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The BERT tasks and Seq2SeqTransformer under `tf.distribute` strategies.

Each test runs one script in subprocesses (`tools.lib.distributed`): 2
logical CPU devices for `MirroredStrategy`, or 2 worker processes on
127.0.0.1 (`TF_CONFIG`, one device each) for `MultiWorkerMirroredStrategy`.

Global-batch correctness: from the same initial weights and the same
(already preprocessed) batches, SGD steps on 2 replicas with global batch 4
give the weights of one device with batch 4 to float32 round-off (max abs
difference `ATOL`). The models use layer normalisation only (no batch
statistics) and dropout is off in these checks (each replica draws its own
dropout masks).
"""

import pytest

from tools.lib import distributed

ATOL = 2e-5

SETUP = """
import keras_nlp
from keras_nlp.src.models.bert.bert_encoder import BertEncoder

ATOL = {atol}
VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "good", "bad",
         "film", "great", "awful", "plot", "was", "the", "!"]
TEXTS = ["a good film", "the plot was awful", "great film !", "a bad plot",
         "good good film", "awful awful", "the film was great", "bad film"]
LABELS = [1, 0, 1, 0, 1, 0, 1, 0]


def encoder():
    return BertEncoder(vocab_size=len(VOCAB), hidden_size=16, num_layers=1,
                       num_attention_heads=2, inner_dim=32, max_sequence_length=12,
                       type_vocab_size=2, output_dropout=0.0, attention_dropout=0.0)


def tokenizer():
    return keras_nlp.tokenizers.WordPieceTokenizer(VOCAB)


def classifier():
    preprocessor = keras_nlp.models.BertPreprocessor(tokenizer(), sequence_length=12)
    return keras_nlp.models.BertClassifier(encoder(), num_classes=2,
                                           preprocessor=preprocessor, dropout=0.0)


def materialised(dataset):
    # The same batches for both runs (random masking happens once).
    batches = list(dataset)
    stacked = tf.nest.map_structure(lambda *t: tf.concat(t, 0), *batches)
    return tf.data.Dataset.from_tensor_slices(stacked).batch(4)


def max_difference(a, b):
    return max(float(np.max(np.abs(np.asarray(x) - np.asarray(y))))
               for x, y in zip(a, b))


def same_as_one_device(strategy, build, batches, name, build_single=None):
    # `build_single`: the one-device model, if not `build`'s (same weights).
    single = (build_single or build)()
    initial = [np.array(w) for w in single.get_weights()]
    single.compile(optimizer=keras.optimizers.SGD(2.0), loss=single.loss)
    one = single.fit(batches, epochs=1, verbose=0).history
    with strategy.scope():
        replicated = build()
        replicated.set_weights(initial)
        replicated.compile(optimizer=keras.optimizers.SGD(2.0), loss=replicated.loss)
    two = replicated.fit(batches, epochs=1, verbose=0).history
    result = {{
        "difference": max_difference(single.get_weights(), replicated.get_weights()),
        "moved": max_difference(single.get_weights(), initial),
        "loss_one_device": one["loss"][0],
        "loss_two_replicas": two["loss"][0],
    }}
    report(**{{name: result}})
    return replicated
"""


def _script(code):
    return SETUP.format(atol=ATOL) + code


def _assert_same(result):
    assert result["moved"] > 1e-3, result
    assert result["difference"] < ATOL, result
    assert abs(result["loss_one_device"] - result["loss_two_replicas"]) < 1e-4, result


@pytest.mark.large  # ~13 s; the multi-worker BERT test stays in the default suite
def test_bert_classifier_mirrored_matches_one_device():
    result = distributed.run(
        _script(
            """
strategy = tf.distribute.MirroredStrategy()
assert strategy.num_replicas_in_sync == 2
model = classifier()
batches = materialised(model._preprocess(TEXTS, LABELS, batch_size=4)[0])
same_as_one_device(strategy, classifier, batches, "classifier")
"""
        ),
        devices=2,
    )
    _assert_same(result["classifier"])


@pytest.mark.large  # ~15 s
def test_bert_classifier_mirrored_matches_the_whole_computation_on_one_device():
    # The classifier calls its encoder with `output_range=1` (the last layer
    # at [CLS] only); the reference computes every position of every layer.
    result = distributed.run(
        _script(
            """
class Whole(keras_nlp.models.BertClassifier):
    first_position_head = False

def whole():
    return Whole(encoder(), num_classes=2, dropout=0.0)

strategy = tf.distribute.MirroredStrategy()
assert strategy.num_replicas_in_sync == 2
model = classifier()
batches = materialised(model._preprocess(TEXTS, LABELS, batch_size=4)[0])
same_as_one_device(strategy, classifier, batches, "classifier", build_single=whole)
"""
        ),
        devices=2,
    )
    _assert_same(result["classifier"])


MULTI_WORKER = """
strategy = tf.distribute.MultiWorkerMirroredStrategy()
assert strategy.num_replicas_in_sync == 2
with strategy.scope():
    model = classifier()
    initial = [np.array(w) for w in model.get_weights()]
    model.compile(optimizer=keras.optimizers.SGD(2.0), loss=model.loss)
# Raw strings in: the preprocessing runs in each worker's tf.data pipeline
# and Keras shards the global batches of 4 between the workers.
history = model.fit(TEXTS, LABELS, batch_size=4, epochs=1, verbose=0, shuffle=False)
weights = model.get_weights()
np.savez(os.path.join(WORK_DIR, f"weights_{TASK_INDEX}.npz"), *weights)
report(task=TASK_INDEX, loss=history.history["loss"][0])
if TASK_INDEX == 0:
    single = classifier()
    single.set_weights(initial)
    single.compile(optimizer=keras.optimizers.SGD(2.0), loss=single.loss)
    one = single.fit(TEXTS, LABELS, batch_size=4, epochs=1, verbose=0, shuffle=False)
    report(difference=max_difference(single.get_weights(), weights),
           moved=max_difference(single.get_weights(), initial),
           loss_one_device=one.history["loss"][0])
"""


@pytest.mark.large  # default-suite time budget
def test_bert_classifier_multi_worker_matches_one_device(tmp_path):
    import numpy as np

    results = distributed.run_workers(
        _script(MULTI_WORKER), num_workers=2, work_dir=tmp_path
    )
    assert [r["task"] for r in results] == [0, 1]
    chief = results[0]
    assert chief["moved"] > 1e-3, chief
    assert chief["difference"] < ATOL, chief
    assert abs(chief["loss"] - chief["loss_one_device"]) < 1e-4, chief
    # Both workers hold the same weights.
    first, second = (np.load(tmp_path / f"weights_{i}.npz") for i in (0, 1))
    for key in first.files:
        np.testing.assert_array_equal(first[key], second[key])


LIFECYCLE = """
def lifecycle(strategy, build, fit_args, sample, name, export=None):
    with strategy.scope():
        model = build()
    history = model.fit(*fit_args, epochs=1, verbose=0)
    evaluated = model.evaluate(*fit_args[:2], verbose=0, return_dict=True)
    predicted = model.predict(sample, verbose=0)
    path = os.path.join(WORK_DIR, name + ".keras")
    model.save(path)
    with strategy.scope():
        loaded = keras.models.load_model(path)
    reloaded = loaded.predict(sample, verbose=0)
    loaded.fit(*fit_args, epochs=1, verbose=0)
    result = {{
        "loss": history.history["loss"][0],
        "evaluated": {{k: float(v) for k, v in evaluated.items()}},
        "reloaded_matches": bool(np.allclose(predicted, reloaded, atol=1e-5)),
    }}
    if export is not None:
        result["served_matches"] = bool(export(model, predicted))
    report(**{{name: result}})
"""


@pytest.mark.large
def test_bert_tasks_lifecycle_and_masked_lm_mirrored():
    result = distributed.run(
        _script(LIFECYCLE.format())
        + """
import tensorflow_text  # noqa: F401  (ops of the served tokenizer)

strategy = tf.distribute.MirroredStrategy()

def export_classifier(model, predicted):
    path = os.path.join(WORK_DIR, "classifier_served")
    model.export(path)
    reloaded = tf.saved_model.load(path)  # kept alive while serving
    served = reloaded.signatures["serving_default"](
        text=tf.constant(TEXTS[:2]))
    return np.allclose(served["logits"], predicted, atol=1e-4)

lifecycle(strategy, classifier, (TEXTS, LABELS), TEXTS[:2], "classifier",
          export_classifier)

# experimental_distribute_dataset of preprocessed batches.
with strategy.scope():
    model = classifier()
batches = model._preprocess(TEXTS, LABELS, batch_size=4)[0]
history = model.fit(strategy.experimental_distribute_dataset(batches), epochs=1,
                    verbose=0)
report(distributed_dataset_loss=history.history["loss"][0])

def masked_lm():
    preprocessor = keras_nlp.models.BertMaskedLMPreprocessor(
        tokenizer(), sequence_length=12, mask_selection_length=3,
        mask_selection_rate=0.3, seed=3)
    return keras_nlp.models.BertMaskedLM(encoder(), preprocessor)

model = masked_lm()
batches = materialised(model._preprocess(TEXTS, batch_size=4)[0])
same_as_one_device(strategy, masked_lm, batches, "masked_lm")

def export_masked_lm(model, predicted):
    path = os.path.join(WORK_DIR, "masked_lm_served")
    model.export(path, verbose=False)
    reloaded = tf.saved_model.load(path)
    served = reloaded.serve(x_sample)
    return np.allclose(served, predicted, atol=1e-4)

# Preprocessed inputs (fixed masked positions) to compare predictions.
x_sample = {k: v.numpy() for k, v in masked_lm().preprocessor(TEXTS[:2])[0].items()}
lifecycle(strategy, masked_lm, (TEXTS,), x_sample, "masked_lm_lifecycle",
          export_masked_lm)
"""
    )
    assert result["classifier"]["reloaded_matches"], result
    assert result["classifier"]["served_matches"], result
    assert result["distributed_dataset_loss"] > 0
    _assert_same(result["masked_lm"])
    lifecycle = result["masked_lm_lifecycle"]
    assert lifecycle["loss"] > 0, lifecycle
    assert lifecycle["reloaded_matches"] and lifecycle["served_matches"], lifecycle


@pytest.mark.large
def test_seq2seq_mirrored_counts_tokens_globally():
    # The first replica's targets are short (much padding), the second's
    # long: the loss must average over the real tokens of the global batch.
    result = distributed.run(
        _script(LIFECYCLE.format())
        + """
strategy = tf.distribute.MirroredStrategy()
SEQ_VOCAB = ["[PAD]", "[START]", "[END]", "[UNK]", "a", "b", "c", "d", "e", "f"]

def seq2seq():
    model = keras_nlp.models.Seq2SeqTransformer(
        vocab_size=len(SEQ_VOCAB), hidden_size=16, num_layers=1,
        num_attention_heads=2, inner_dim=32, max_source_length=7,
        max_target_length=6, dropout=0.0,
        tokenizer=keras_nlp.tokenizers.WordPieceTokenizer(SEQ_VOCAB))
    model.compile()
    return model

sources = ["a b c", "d e", "f a b c", "a", "c d e f", "b c", "a b", "e"]
targets = ["c", "e", "b c d e f", "a b c d e", "f", "d", "a b c d e", "f a b c d"]
model = seq2seq()
x, y = model.preprocess(sources, targets)
batches = tf.data.Dataset.from_tensor_slices((x, y)).batch(4)
same_as_one_device(strategy, seq2seq, batches, "seq2seq")
with strategy.scope():
    model = seq2seq()
model.fit(batches, epochs=1, verbose=0)
path = os.path.join(WORK_DIR, "seq2seq.keras")
model.save(path)
with strategy.scope():
    loaded = keras.models.load_model(path)
report(reloaded_matches=bool(np.allclose(model.predict(x, verbose=0),
                                         loaded.predict(x, verbose=0), atol=1e-5)))
generated = model.generate(sources[:2], max_length=4)
model.export(os.path.join(WORK_DIR, "seq2seq_served"), max_length=4)
import tensorflow_text  # noqa: F401
reloaded = tf.saved_model.load(os.path.join(WORK_DIR, "seq2seq_served"))
served = reloaded.serve(tf.constant(sources[:2]))["generated"]
report(generated=[str(g) for g in np.asarray(generated).tolist()],
       served=[s.decode() for s in served.numpy().tolist()])
"""
    )
    _assert_same(result["seq2seq"])
    assert result["reloaded_matches"], result
    assert result["generated"] == result["served"], result


BACKUP = """
import signal

strategy = tf.distribute.MirroredStrategy()
texts, labels = TEXTS * 2, LABELS * 2
with strategy.scope():
    model = classifier()
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss=model.loss)


class Preempt(keras.callbacks.Callback):
    # Kills the process (as a preemption does) in the middle of epoch 1.
    def on_train_batch_begin(self, batch, logs=None):
        if os.environ.get("KILL") and self.epoch == 1 and batch == 3:
            os.kill(os.getpid(), signal.SIGKILL)

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch
        report(epochs=_RESULT.get("epochs", []) + [epoch],
               iterations_at_epoch_begin=_RESULT.get(
                   "iterations_at_epoch_begin", []) + [
                   int(model.optimizer.iterations.numpy())])


backup = keras.callbacks.BackupAndRestore(os.path.join(WORK_DIR, "backup"),
                                          save_freq=2)
model.fit(texts, labels, batch_size=4, epochs=3, verbose=0,
          callbacks=[backup, Preempt()])
report(final_iterations=int(model.optimizer.iterations.numpy()))
"""


@pytest.mark.large
def test_bert_classifier_killed_mid_epoch_resumes_with_backup_and_restore(tmp_path):
    script = _script(BACKUP)
    killed = distributed.Process(
        script, devices=2, env={"KILL": "1"}, work_dir=tmp_path
    )
    first = killed.wait(timeout=900, check=False)
    assert killed.returncode == -9, (killed.returncode, killed.stderr[-3000:])
    resumed = distributed.Process(script, devices=2, work_dir=tmp_path).wait(900)
    # 4 batches per epoch, a backup every 2 batches: killed before batch 3
    # of epoch 1, the last backup was after batch 1 of epoch 1 (6 steps).
    assert first["epochs"] == [0, 1], first
    # Keras restores the weights and optimizer state of that backup and
    # runs epoch 1 again from its start, then epoch 2.
    assert resumed["epochs"] == [1, 2], resumed
    assert resumed["iterations_at_epoch_begin"][0] == 6, resumed
    assert resumed["final_iterations"] == 6 + 8, resumed


MASKED_LM_MULTI_WORKER = """
strategy = tf.distribute.MultiWorkerMirroredStrategy()
assert strategy.num_replicas_in_sync == 2


def masked_lm():
    preprocessor = keras_nlp.models.BertMaskedLMPreprocessor(
        tokenizer(), sequence_length=12, mask_selection_length=3,
        mask_selection_rate=0.3, seed=3)
    return keras_nlp.models.BertMaskedLM(encoder(), preprocessor)


# The chief preprocesses (random masking) and shares the batches: the two
# workers and the one-device run see the same global batches of 4
# whatever the masking's reproducibility (which `bert_tasks_test` checks).
shared = os.path.join(WORK_DIR, "batches.npz")
if TASK_INDEX == 0:
    x, y, w = next(iter(masked_lm()._preprocess(TEXTS, batch_size=8)[0]))
    arrays = {"y": y.numpy(), "w": w.numpy()}
    arrays.update({"x_" + k: v.numpy() for k, v in x.items()})
    np.savez(shared + ".partial.npz", **arrays)
    os.rename(shared + ".partial.npz", shared)
else:
    import time
    while not os.path.exists(shared):
        time.sleep(0.2)
arrays = dict(np.load(shared))
x = {k[2:]: v for k, v in arrays.items() if k.startswith("x_")}
batches = tf.data.Dataset.from_tensor_slices((x, arrays["y"], arrays["w"])).batch(4)
checksum = float(sum(float(np.sum(v)) for v in arrays.values()))
with strategy.scope():
    model = masked_lm()
    initial = [np.array(w) for w in model.get_weights()]
    model.compile(optimizer=keras.optimizers.SGD(2.0), loss=model.loss)
history = model.fit(batches, epochs=1, verbose=0)
weights = model.get_weights()
np.savez(os.path.join(WORK_DIR, f"weights_{TASK_INDEX}.npz"), *weights)
evaluated = model.evaluate(batches, verbose=0)
x_sample = next(iter(batches))[0]
predicted = model.predict(x_sample, verbose=0)
model.save(os.path.join(WORK_DIR, f"masked_lm_{TASK_INDEX}.keras"))
report(task=TASK_INDEX, loss=history.history["loss"][0], checksum=checksum,
       evaluated=evaluated, predicted_shape=list(np.shape(predicted)))
if TASK_INDEX == 0:
    single = masked_lm()
    single.set_weights(initial)
    single.compile(optimizer=keras.optimizers.SGD(2.0), loss=single.loss)
    one = single.fit(batches, epochs=1, verbose=0).history
    report(difference=max_difference(single.get_weights(), weights),
           moved=max_difference(single.get_weights(), initial),
           loss_one_device=one["loss"][0],
           predict_matches=bool(np.allclose(
               single.predict(x_sample, verbose=0), predicted, atol=1e-4)))
"""


@pytest.mark.large
def test_bert_masked_lm_multi_worker_matches_one_device(tmp_path):
    import numpy as np

    results = distributed.run_workers(
        _script(MASKED_LM_MULTI_WORKER), num_workers=2, work_dir=tmp_path
    )
    assert [r["task"] for r in results] == [0, 1]
    chief = results[0]
    assert results[0]["checksum"] == results[1]["checksum"], results
    assert chief["moved"] > 1e-3, chief
    assert chief["difference"] < ATOL, chief
    assert abs(chief["loss"] - chief["loss_one_device"]) < 1e-4, chief
    assert chief["evaluated"] == pytest.approx(results[1]["evaluated"])
    assert chief["predicted_shape"] == [4, 3, 15], chief  # 3 masks, 15 words
    assert chief["predict_matches"], chief
    first, second = (np.load(tmp_path / f"weights_{i}.npz") for i in (0, 1))
    for key in first.files:
        np.testing.assert_array_equal(first[key], second[key])


SEQ2SEQ_MULTI_WORKER = """
strategy = tf.distribute.MultiWorkerMirroredStrategy()
assert strategy.num_replicas_in_sync == 2
SEQ_VOCAB = ["[PAD]", "[START]", "[END]", "[UNK]", "a", "b", "c", "d", "e", "f"]


def seq2seq():
    return keras_nlp.models.Seq2SeqTransformer(
        vocab_size=len(SEQ_VOCAB), hidden_size=16, num_layers=1,
        num_attention_heads=2, inner_dim=32, max_source_length=7,
        max_target_length=6, dropout=0.0,
        tokenizer=keras_nlp.tokenizers.WordPieceTokenizer(SEQ_VOCAB))


# Short targets (much padding) and long ones in each global batch: the
# loss averages over the real tokens of the global batch.
sources = ["a b c", "d e", "f a b c", "a", "c d e f", "b c", "a b", "e"]
targets = ["c", "e", "b c d e f", "a b c d e", "f", "d", "a b c d e", "f a b c d"]
x, y = seq2seq().preprocess(sources, targets)
batches = tf.data.Dataset.from_tensor_slices((x, y)).batch(4)
with strategy.scope():
    model = seq2seq()
    initial = [np.array(w) for w in model.get_weights()]
    model.compile(optimizer=keras.optimizers.SGD(2.0), loss=model.loss)
history = model.fit(batches, epochs=1, verbose=0)
weights = model.get_weights()
np.savez(os.path.join(WORK_DIR, f"weights_{TASK_INDEX}.npz"), *weights)
evaluated = model.evaluate(batches, verbose=0)
predicted = model.predict(x, verbose=0)
path = os.path.join(WORK_DIR, f"seq2seq_{TASK_INDEX}.keras")
model.save(path)
report(task=TASK_INDEX, loss=history.history["loss"][0], evaluated=evaluated,
       predicted_shape=list(np.shape(predicted)))
if TASK_INDEX == 0:
    single = seq2seq()
    single.set_weights(initial)
    single.compile(optimizer=keras.optimizers.SGD(2.0), loss=single.loss)
    one = single.fit(batches, epochs=1, verbose=0).history
    report(difference=max_difference(single.get_weights(), weights),
           moved=max_difference(single.get_weights(), initial),
           loss_one_device=one["loss"][0])
    single.set_weights(weights)
    report(predict_matches=bool(np.allclose(single.predict(x, verbose=0), predicted,
                                            atol=1e-4)))
    loaded = keras.models.load_model(path)
    generated = loaded.generate(sources[:2], max_length=4)
    loaded.export(os.path.join(WORK_DIR, "seq2seq_served"), max_length=4)
    import tensorflow_text  # noqa: F401
    served = tf.saved_model.load(os.path.join(WORK_DIR, "seq2seq_served"))
    served = served.serve(tf.constant(sources[:2]))["generated"]
    report(generated=[str(g) for g in np.asarray(generated).tolist()],
           served=[s.decode() for s in served.numpy().tolist()])
"""


@pytest.mark.large
def test_seq2seq_multi_worker_matches_one_device(tmp_path):
    import numpy as np

    results = distributed.run_workers(
        _script(SEQ2SEQ_MULTI_WORKER), num_workers=2, work_dir=tmp_path
    )
    assert [r["task"] for r in results] == [0, 1]
    chief = results[0]
    assert chief["moved"] > 1e-3, chief
    assert chief["difference"] < ATOL, chief
    assert abs(chief["loss"] - chief["loss_one_device"]) < 1e-4, chief
    assert chief["evaluated"] == pytest.approx(results[1]["evaluated"])
    assert chief["predicted_shape"][0] == 8, chief
    assert chief["predict_matches"], chief
    assert chief["generated"] == chief["served"], chief
    first, second = (np.load(tmp_path / f"weights_{i}.npz") for i in (0, 1))
    for key in first.files:
        np.testing.assert_array_equal(first[key], second[key])
