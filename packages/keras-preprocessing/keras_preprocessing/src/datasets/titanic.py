# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""A small synthetic Titanic-style table shipped with the package."""

import os

from keras_core import api_export

_DATA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")

STRING_COLUMNS = ("sex", "class", "deck", "embark_town", "alone")
INTEGER_COLUMNS = ("n_siblings_spouses", "parch")
NUMERIC_COLUMNS = ("age", "fare")
LABEL_COLUMN = "survived"


@api_export("keras_preprocessing.datasets.titanic_csv_path", stability="experimental")
def titanic_csv_path(split="train"):
    """Path of the bundled synthetic Titanic-style CSV file.

    The file has the columns of the classic Titanic tutorial table
    (`survived`, `sex`, `age`, `n_siblings_spouses`, `parch`, `fare`,
    `class`, `deck`, `embark_town`, `alone`): string, integer and numeric
    features with a binary label. The 400 passengers are synthetic (drawn
    from a fixed-seed generative model where women, first class and the
    young survive more often), so it needs no download; 320 rows are in
    `"train"` and 80 in `"eval"`.

    Args:
        split: `"train"` or `"eval"`.

    Returns:
        The absolute path of the CSV file.

    Examples:

    ```python
    import pandas as pd
    from keras_preprocessing.datasets import titanic_csv_path

    df = pd.read_csv(titanic_csv_path("train"))
    ```
    """
    if split not in ("train", "eval"):
        raise ValueError(
            f"`split` must be 'train' or 'eval'. Received: split={split!r}."
        )
    return os.path.join(_DATA_DIR, f"titanic_{split}.csv")


@api_export("keras_preprocessing.datasets.load_titanic", stability="experimental")
def load_titanic(split="train"):
    """Loads the bundled synthetic Titanic-style table as a pandas DataFrame.

    Args:
        split: `"train"` (320 rows) or `"eval"` (80 rows).

    Returns:
        A `pandas.DataFrame`; see `titanic_csv_path` for the columns.

    Examples:

    ```python
    from keras_preprocessing.datasets import load_titanic

    df = load_titanic()
    labels = df.pop("survived")
    ```
    """
    import pandas as pd

    return pd.read_csv(titanic_csv_path(split))
