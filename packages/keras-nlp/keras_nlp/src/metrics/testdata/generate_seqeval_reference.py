# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Writes seqeval_reference.json: random tag sequences scored by seqeval.

Run in a separate environment that has seqeval (it is not a dependency of
this project):

    python3 -m venv /tmp/seqeval-venv && /tmp/seqeval-venv/bin/pip install seqeval
    /tmp/seqeval-venv/bin/python generate_seqeval_reference.py
"""

import json
import os
import random

from seqeval.metrics import f1_score
from seqeval.metrics import precision_score
from seqeval.metrics import recall_score
from seqeval.scheme import IOB2
from seqeval.scheme import IOBES

TAGS = {
    "IOB2": ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"],
    "IOBES": ["O", "B-PER", "I-PER", "E-PER", "S-PER", "B-LOC", "I-LOC", "E-LOC"]
    + ["S-LOC"],
}
SCHEMES = {"IOB2": IOB2, "IOBES": IOBES}


def main():
    rng = random.Random(0)
    cases = []
    for scheme, tags in TAGS.items():
        for _ in range(100):
            y_true = [
                [rng.choice(tags) for _ in range(rng.randint(1, 7))] for _ in range(3)
            ]
            y_pred = [[rng.choice(tags) for _ in row] for row in y_true]
            for mode in ("default", "strict"):
                kwargs = {"zero_division": 0}
                if mode == "strict":
                    kwargs.update(mode="strict", scheme=SCHEMES[scheme])
                cases.append(
                    {
                        "scheme": scheme,
                        "mode": mode,
                        "y_true": y_true,
                        "y_pred": y_pred,
                        "precision": precision_score(y_true, y_pred, **kwargs),
                        "recall": recall_score(y_true, y_pred, **kwargs),
                        "f1": f1_score(y_true, y_pred, **kwargs),
                    }
                )
    path = os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "seqeval_reference.json"
    )
    with open(path, "w") as f:
        json.dump({"generator": "seqeval 1.2.2", "cases": cases}, f)


if __name__ == "__main__":
    main()
