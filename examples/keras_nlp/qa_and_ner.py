# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Train a tiny extractive QA model and a tiny NER tagger from raw text.

The workflow:

1. Generate the project's offline corpora (`load_synthetic_qa`,
   `load_synthetic_ner`) and learn one WordPiece vocabulary on their text.
2. Fine-tune a small `BertSpanLabeler`: question + context windows with a
   stride (some contexts are longer than a window), answers cut back from
   the original context; score with SQuAD exact match and F1.
3. Fine-tune a small `BertTokenClassifier` on word-level IOB2 tags aligned
   to first word pieces; score entity-level precision/recall/F1.
4. Export both with their preprocessing (strings in, answers/tags out),
   reload the SavedModels and check they give what `predict_*` gave.
"""

import os
import tempfile

import keras
import tensorflow as tf

import keras_nlp


# --8<-- [start:encoder]
def _encoder(vocab_size, length, hidden):
    return keras_nlp.encoders.BertEncoder(
        vocab_size=vocab_size,
        hidden_size=hidden,
        num_layers=2,
        num_attention_heads=2,
        inner_dim=2 * hidden,
        max_sequence_length=length,
        type_vocab_size=2,
        output_dropout=0.0,
        attention_dropout=0.0,
    )


# --8<-- [end:encoder]
# --8<-- [start:compile]
def _compile(model, learning_rate, weighted=False):
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    kwargs = {"weighted_metrics": ["accuracy"]} if weighted else {}
    if isinstance(model, keras_nlp.models.BertSpanLabeler):
        loss = {"start": loss, "end": loss}
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=loss, **kwargs)


# --8<-- [end:compile]
def main(quick=False):
    keras.utils.set_random_seed(0)
    n_qa, n_ner, n_val = (300, 300, 60) if quick else (1000, 800, 200)
    qa_epochs, ner_epochs = (4, 3) if quick else (8, 4)
    hidden = 32 if quick else 64

    # --8<-- [start:data]
    (questions, contexts), answers = keras_nlp.datasets.load_synthetic_qa(
        "train", num_examples=n_qa, as_dataset=False
    )
    (val_q, val_c), val_answers = keras_nlp.datasets.load_synthetic_qa(
        "validation", num_examples=n_val, as_dataset=False
    )
    words, tags = keras_nlp.datasets.load_synthetic_ner(
        "train", num_examples=n_ner, as_dataset=False
    )
    val_words, val_tags = keras_nlp.datasets.load_synthetic_ner(
        "validation", num_examples=n_val, as_dataset=False
    )
    corpus = questions + contexts + [" ".join(w) for w in words]
    vocab = keras_nlp.tokenizers.compute_word_piece_vocabulary(
        corpus, vocabulary_size=400
    )
    tokenizer = keras_nlp.tokenizers.WordPieceTokenizer(vocab)
    print(f"WordPiece vocabulary: {len(vocab)} tokens")
    # --8<-- [end:data]

    # --8<-- [start:qa]
    # Extractive QA. Windows of 40 tokens: long contexts take several.
    length = 40
    qa_preprocessor = keras_nlp.models.BertSpanLabelerPreprocessor(
        tokenizer, sequence_length=length, doc_stride=16, max_question_length=12
    )
    windows = qa_preprocessor.windows((val_q, val_c))
    print(
        f"QA: {n_val} validation questions -> {len(windows['example_index'])} windows"
    )
    labeler = keras_nlp.models.BertSpanLabeler(
        _encoder(len(vocab), length, hidden), qa_preprocessor, max_answer_length=6
    )
    _compile(labeler, 2e-3)
    labeler.fit(
        (questions, contexts), answers, epochs=qa_epochs, batch_size=16, verbose=0
    )
    predicted = labeler.predict_answers(val_q, val_c)
    qa = keras_nlp.metrics.squad_scores(
        [p["text"] for p in predicted], [[t] for t in val_answers["answer_text"]]
    )
    print(f"QA validation: exact match {qa['exact_match']:.1f}, F1 {qa['f1']:.1f}")
    # --8<-- [end:qa]

    # --8<-- [start:ner]
    # Named entities.
    names = keras_nlp.datasets.ner_label_names("synthetic")
    tagger = keras_nlp.models.BertTokenClassifier(
        _encoder(len(vocab), 32, hidden),
        num_classes=len(names),
        preprocessor=keras_nlp.models.BertTokenClassifierPreprocessor(tokenizer, 32),
        label_names=names,
    )
    _compile(tagger, 3e-3, weighted=True)
    tagger.fit(words, tags, epochs=ner_epochs, batch_size=16, verbose=0)
    predicted_tags = tagger.predict_tags(val_words)
    gold = [[names[i] for i in row] for row in val_tags]
    ner = keras_nlp.metrics.entity_scores(gold, predicted_tags)
    print(
        f"NER validation: entity precision {ner['precision']:.3f}, recall "
        f"{ner['recall']:.3f}, F1 {ner['f1']:.3f}"
    )
    # --8<-- [end:ner]

    # --8<-- [start:export]
    # Export with preprocessing and reload.
    import tensorflow_text  # noqa: F401  (registers the tokenizer ops)

    with tempfile.TemporaryDirectory() as directory:
        labeler.export(os.path.join(directory, "qa"))
        tagger.export(os.path.join(directory, "ner"))
        qa_served = tf.saved_model.load(os.path.join(directory, "qa"))
        ner_served = tf.saved_model.load(os.path.join(directory, "ner"))
        out = qa_served.signatures["serving_default"](
            question=tf.constant(val_q[:8]), context=tf.constant(val_c[:8])
        )
        served_answers = [t.decode("utf-8") for t in out["text"].numpy()]
        qa_match = served_answers == [p["text"] for p in predicted[:8]]
        sentences = [" ".join(w) for w in val_words[:8]]
        out = ner_served.signatures["serving_default"](text=tf.constant(sentences))
        served_tags = [[t.decode() for t in row if t] for row in out["tags"].numpy()]
        ner_match = served_tags == tagger.predict_tags(sentences)
    print(f"Exported models agree with predict: QA {qa_match}, NER {ner_match}")
    # --8<-- [end:export]
    example = labeler.predict_answers([val_q[0]], [val_c[0]])[0]
    print(f"Q: {val_q[0]}\nC: {val_c[0]}\nA: {example['text']!r}")
    return {
        "qa_exact_match": float(qa["exact_match"]),
        "qa_f1": float(qa["f1"]),
        "ner_entity_f1": float(ner["f1"]),
        "ner_entity_precision": float(ner["precision"]),
        "ner_entity_recall": float(ner["recall"]),
        "export_matches_predict": float(qa_match and ner_match),
        "qa_windows_per_question": float(len(windows["example_index"]) / n_val),
    }


if __name__ == "__main__":
    print(main())
