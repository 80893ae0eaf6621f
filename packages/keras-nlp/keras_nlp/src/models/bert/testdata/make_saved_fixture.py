# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Writes BERT models saved by one version of keras-nlp, with their outputs.

`saved_models_test.py` loads these files with the current code and checks
that configs, `.keras` files and presets written before a refactoring still
load, with equal outputs. The committed `v2_0/` folder was written by the
code before BERT moved into `models/bert/` (commit 441849e), run as

    git archive 441849e packages/keras-nlp packages/keras-core | tar -x -C /tmp/old
    PYTHONPATH=/tmp/old/packages/keras-nlp:/tmp/old/packages/keras-core \\
        KERAS_BACKEND=tensorflow .venv/bin/python \\
        packages/keras-nlp/keras_nlp/src/models/bert/testdata/make_saved_fixture.py \\
        --output packages/keras-nlp/keras_nlp/src/models/bert/testdata/v2_0

It uses public names only, so it runs against any version.
"""

import argparse
import json
import os

import keras
import numpy as np

VOCAB = [
    "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "good", "bad", "film",
    "who", "ran", "?", "ada", "home", ".", "love", "##lace", "wrote", "code",
]  # fmt: skip
TEXTS = ["a good film", "a bad film .", "good"]
QUESTIONS = ["who ran ?", "who wrote code ?"]
CONTEXTS = ["ada ran home .", "ada love ##lace wrote code ."]
SENTENCES = ["ada lovelace wrote code", "a film"]


def build(keras_nlp):
    keras.utils.set_random_seed(7)
    tokenizer = keras_nlp.tokenizers.WordPieceTokenizer(VOCAB)

    def encoder():
        return keras_nlp.encoders.BertEncoder(
            vocab_size=len(VOCAB),
            hidden_size=8,
            num_layers=2,
            num_attention_heads=2,
            inner_dim=16,
            max_sequence_length=16,
        )

    models = keras_nlp.models
    return {
        "classifier": models.BertClassifier(
            encoder(), 3, models.BertPreprocessor(tokenizer, sequence_length=8)
        ),
        "masked_lm": models.BertMaskedLM(
            encoder(),
            models.BertMaskedLMPreprocessor(
                tokenizer, sequence_length=8, mask_selection_length=3, seed=1
            ),
        ),
        "span_labeler": models.BertSpanLabeler(
            encoder(),
            models.BertSpanLabelerPreprocessor(
                tokenizer, sequence_length=16, doc_stride=4, max_question_length=5
            ),
            max_answer_length=4,
        ),
        "token_classifier": models.BertTokenClassifier(
            encoder(),
            3,
            models.BertTokenClassifierPreprocessor(tokenizer, sequence_length=10),
            label_names=["O", "B-PER", "I-PER"],
        ),
    }


def outputs(keras_nlp, name, model):
    """The outputs compared after loading (from raw text where possible)."""
    if name == "classifier":
        return {"logits": model.predict(TEXTS, verbose=0)}
    if name == "masked_lm":
        packer = keras_nlp.models.BertPreprocessor(
            model.preprocessor.tokenizer, sequence_length=8
        )
        x = packer(TEXTS)
        x["masked_positions"] = keras.ops.convert_to_tensor(
            [[1, 2, 0]] * len(TEXTS), "int32"
        )
        return {"logits": keras.ops.convert_to_numpy(model(x, training=False))}
    if name == "span_labeler":
        answers = model.predict_answers(QUESTIONS, CONTEXTS)
        x = model.preprocessor((QUESTIONS, CONTEXTS))
        out = model(x, training=False)
        return {
            "start": keras.ops.convert_to_numpy(out["start"]),
            "end": keras.ops.convert_to_numpy(out["end"]),
            "answers": np.array(json.dumps(answers)),
        }
    if name == "token_classifier":
        x = model.preprocessor(SENTENCES)
        return {
            "logits": keras.ops.convert_to_numpy(model(x, training=False)),
            "tags": np.array(json.dumps(model.predict_tags(SENTENCES))),
        }
    raise ValueError(name)


def main():
    import keras_nlp
    from keras_core.presets import save_to_preset

    parser = argparse.ArgumentParser()
    parser.add_argument("--output", required=True)
    output = parser.parse_args().output
    os.makedirs(output, exist_ok=True)
    for name, model in build(keras_nlp).items():
        model.save(os.path.join(output, f"{name}.keras"))
        save_to_preset(model, os.path.join(output, f"{name}_preset"))
        np.savez(
            os.path.join(output, f"{name}_outputs.npz"),
            **outputs(keras_nlp, name, model),
        )
    save_to_preset(
        model.encoder, os.path.join(output, "encoder_preset")
    )  # the token classifier's encoder
    np.savez(
        os.path.join(output, "encoder_outputs.npz"),
        **{
            k: keras.ops.convert_to_numpy(v)
            for k, v in model.encoder(
                model.preprocessor(SENTENCES), training=False
            ).items()
            if k in ("sequence_output", "pooled_output")
        },
    )


if __name__ == "__main__":
    main()
