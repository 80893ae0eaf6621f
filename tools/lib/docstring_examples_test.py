# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Every public symbol's docstring example runs (doctest-style or fenced)."""

import pytest

from tools.lib import api
from tools.lib import docstring_examples
from tools.lib import workspace


def _public_symbols():
    seen = {}
    for package in workspace.packages():
        for record in api.records_for(package):
            key = id(record.symbol)
            if key not in seen:  # aliases share one docstring
                seen[key] = (record.path, record.symbol)
    return sorted(seen.values(), key=lambda item: item[0])


SYMBOLS = _public_symbols()

# Examples that build and train a model for about 4 s or more each: they run with
# `--large` (their models' numerics and workflows are default-suite tests).
LARGE_EXAMPLES = frozenset(
    {
        "keras_cv.models.MaskRCNN",
        "keras_applications.ResNet152V2",
        # The SentencePiece tokenizers' first call traces the unigram search
        # (4 to 8 s); their tests cover these examples' calls.
        "keras_nlp.models.AlbertPreprocessor",
        "keras_nlp.models.XLMRobertaPreprocessor",
        "keras_nlp.tokenizers.AlbertTokenizer",
        "keras_nlp.tokenizers.XLMRobertaTokenizer",
        "keras_nlp.models.BertClassifier",
        "keras_nlp.models.BertMaskedLM",
        "keras_nlp.models.BertSpanLabeler",
        "keras_nlp.models.BertTokenClassifier",
        "keras_nlp.models.DistilBertClassifier",
        "keras_nlp.models.DistilBertMaskedLM",
        "keras_nlp.models.RobertaClassifier",
        "keras_nlp.models.RobertaMaskedLM",
        "keras_nlp.models.RobertaSpanLabeler",
        "keras_nlp.models.RobertaTokenClassifier",
    }
    # The families' tasks and task preprocessors share the generic Task and
    # preprocessor code whose BERT examples run by default; their examples
    # differ only in the class name (each family's tokenizer and its plain
    # preprocessor keep a default example).
    | {
        f"keras_nlp.models.{family}{task}"
        for family in ("Albert", "DistilBert", "Electra", "Roberta", "XLMRoberta")
        for task in (
            "Classifier",
            "MaskedLM",
            "MaskedLMPreprocessor",
            "SpanLabeler",
            "SpanLabelerPreprocessor",
            "TokenClassifier",
            "TokenClassifierPreprocessor",
        )
    }
)


@pytest.mark.parametrize(
    "path,symbol",
    [
        pytest.param(
            path,
            symbol,
            id=path,
            marks=[pytest.mark.large] if path in LARGE_EXAMPLES else [],
        )
        for path, symbol in SYMBOLS
    ],
)
def test_docstring_example_runs(path, symbol):
    docstring_examples.run_example(path, symbol)


def test_large_examples_name_public_symbols():
    # A family without one of the tasks is not listed: no ELECTRA masked LM
    # (its discriminator is the encoder).
    public = {path for path, _ in SYMBOLS}
    assert LARGE_EXAMPLES - public <= {
        "keras_nlp.models.ElectraMaskedLM",
        "keras_nlp.models.ElectraMaskedLMPreprocessor",
    }


def test_section_extraction_stops_at_the_next_section():
    doc = """Summary.

    Example:

    >>> 1 + 1
    2

    Returns:
        Something.
    """
    assert docstring_examples.example_section(doc) == ">>> 1 + 1\n2"


def test_a_failing_example_is_reported_with_its_path():
    def broken():
        """Does nothing.

        Example:

        >>> 1 + 1
        3
        """

    with pytest.raises(
        AssertionError, match="the docstring example of pkg.broken failed"
    ):
        docstring_examples.run_example("pkg.broken", broken)


def test_a_raising_fenced_example_is_reported():
    def raises():
        """Does nothing.

        Example:

        ```python
        raise ValueError("nope")
        ```
        """

    with pytest.raises(AssertionError, match="raised ValueError: nope"):
        docstring_examples.run_example("pkg.raises", raises)


def test_a_missing_example_is_reported():
    def undocumented():
        """Only a summary."""

    with pytest.raises(AssertionError, match="has no `Example:` section"):
        docstring_examples.run_example("pkg.undocumented", undocumented)
