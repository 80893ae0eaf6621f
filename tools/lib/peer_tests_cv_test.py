# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""`tools/peer_tests_cv`: import rewriting and result parsing (no peer files)."""

import textwrap

from tools.lib import peer_tests_cv


def test_imports_point_at_our_public_api_and_shims():
    source = textwrap.dedent(
        """\
        import numpy as np
        from keras_cv.src import bounding_box
        from keras_cv.src import layers as cv_layers
        from keras_cv.src.backend import ops
        from keras_cv.src.tests.test_case import TestCase
        from keras_cv.src.layers.object_detection.box_matcher import BoxMatcher
        """
    )
    text, reason = peer_tests_cv.rewrite(source)
    assert reason is None
    assert "from keras_cv import bounding_box" in text
    assert "from keras_cv import layers as cv_layers" in text
    assert "from peer_shims import ops" in text
    assert "from peer_shims import TestCase" in text
    assert "from keras_cv.layers import BoxMatcher" in text
    assert "keras_cv.src" not in text


def test_private_or_unknown_imports_put_the_file_out_of_scope():
    text, reason = peer_tests_cv.rewrite(
        "from keras_cv.src.layers.object_detection.roi_sampler import _ROISampler\n"
    )
    assert text is None and "private" in reason
    text, reason = peer_tests_cv.rewrite(
        "from keras_cv.src.layers.object_detection.rpn_label_encoder import (\n"
        "    _RpnLabelEncoder,\n)\n"
    )
    assert text is None and "private" in reason
    text, reason = peer_tests_cv.rewrite(
        "from keras_cv.src.models import YOLOV8Detector\n"
    )
    assert text is None and "no public twin" in reason


def test_report_parsing(tmp_path):
    report = tmp_path / "report.xml"
    report.write_text(
        "<testsuites><testsuite>"
        '<testcase classname="a.T" name="test_ok"/>'
        '<testcase classname="a.T" name="test_bad"><failure message="boom"/></testcase>'
        '<testcase classname="a.T" name="test_k2"><skipped message="out of scope: Keras 2"/></testcase>'
        '<testcase classname="a.T" name="test_session"><skipped message="Not a test."/></testcase>'
        "</testsuite></testsuites>"
    )
    results = peer_tests_cv.parse(report)
    assert results == [
        ("a.T::test_ok", "passed", ""),
        ("a.T::test_bad", "failed", "boom"),
        ("a.T::test_k2", "out of scope", "out of scope: Keras 2"),
    ]
