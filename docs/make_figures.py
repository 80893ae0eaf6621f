# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Writes the pictures of the guides into docs/images/ (committed PNGs).

    .venv/bin/python docs/make_figures.py                  # every figure
    .venv/bin/python docs/make_figures.py --only tuning    # one of them

Each figure runs the code of an example workflow (imported from
`examples/`) on small, seeded settings, so that the whole script takes a
few minutes on a CPU and gives the same pictures on every run (up to
TensorFlow's floating-point nondeterminism on CPU threads):

- `detections.png`: `examples/keras_cv/retinanet_shapes.py`, whose
  `keras_cv.visualization.plot_detections` call draws the picture. The
  committed picture is that of the example's full run
  (`--full-detections`, about 10 minutes of training); without the flag,
  the model trains for about a minute on 64x64 images, enough to check
  the drawing but not to detect much;
- `augmentation_preview.png`: the image half of
  `examples/keras_preprocessing/structured_and_images.py` (quick
  settings), whose `ImagePipeline.preview` writes the picture;
- `tuning_objective.png`: the two tuners of `examples/keras_tuner/search.py`
  with 8 trials each, plotted by `Tuner.export_results`.
"""

import argparse
import os
import pathlib
import shutil
import sys
import tempfile
import time
from unittest import mock

ROOT = pathlib.Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
MAX_BYTES = 200 * 1024
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def detections(workdir, full=False):
    from examples.keras_cv import retinanet_shapes

    if full:
        # The example's own full run (about 10 minutes of training on 2 idle
        # CPU cores): the picture of the guide.
        figures = retinanet_shapes.main(output_dir=str(workdir))
    else:
        # About a minute of training on 2 idle CPU cores (256 images of 64x64,
        # 4 epochs): a quick check of the drawing; few boxes reach the 0.5
        # score threshold after so little training.
        settings = dict(num_train=256, num_validation=16, epochs=4, filters=32)
        with mock.patch.dict(retinanet_shapes.QUICK, settings):
            figures = retinanet_shapes.main(quick=True, output_dir=str(workdir))
    print(f"detections: {figures}")
    return workdir / "detections.png"


def augmentation_preview(workdir):
    import keras
    from PIL import Image

    from examples.keras_preprocessing import structured_and_images

    keras.utils.set_random_seed(0)
    figures = structured_and_images.images(quick=True, output_dir=str(workdir))
    print(f"augmentation_preview: {figures}")
    # The images are 32x32: enlarge the grid 4 times (nearest neighbour) to
    # show the pixels as they are.
    path = workdir / "augmentation_preview.png"
    grid = Image.open(path)
    grid.resize((grid.width * 4, grid.height * 4), Image.NEAREST).save(
        path, optimize=True
    )
    return path


def tuning_objective(workdir):
    import keras
    from PIL import Image
    from PIL import ImageDraw

    import keras_tuner as kt
    from examples.keras_tuner import search

    keras.utils.set_random_seed(0)
    (x_train, x_val, _), (y_train, y_val, _) = search.load_data()
    panels = []
    for title, tuner_class, hypermodel in (
        ("RandomSearch, build function", kt.RandomSearch, search.build_model),
        (
            "BayesianOptimization, HyperModel",
            kt.BayesianOptimization,
            search.IrisHyperModel(),
        ),
    ):
        tuner = tuner_class(
            hypermodel,
            objective="val_mae",
            max_trials=8,
            seed=1,
            directory=str(workdir),
            project_name=tuner_class.__name__,
        )
        tuner.search(
            x_train, y_train, validation_data=(x_val, y_val), epochs=15, verbose=0
        )
        png = tuner.export_results(str(workdir / tuner_class.__name__))["png"]
        panel = Image.open(png).convert("RGB")
        titled = Image.new("RGB", (panel.width, panel.height + 24), "white")
        titled.paste(panel, (0, 24))
        ImageDraw.Draw(titled).text((50, 6), title, fill="black")
        panels.append(titled)
        best = tuner.oracle.get_best_trials(1)[0].score
        print(f"tuning_objective: {title}: best val_mae {best:.3f}")
    grid = Image.new(
        "RGB", (sum(p.width for p in panels), max(p.height for p in panels)), "white"
    )
    x = 0
    for panel in panels:
        grid.paste(panel, (x, 0))
        x += panel.width
    path = workdir / "tuning_objective.png"
    grid.save(path, optimize=True)
    return path


def shrink(path):
    """Re-encodes a PNG over the size limit with a 128-colour palette.

    Noisy synthetic images compress badly as true-colour PNGs; a palette
    keeps boxes and text sharp at a third of the size or less.
    """
    from PIL import Image

    if os.path.getsize(path) <= MAX_BYTES:
        return path
    image = Image.open(path).convert("RGB")
    palette = image.quantize(
        colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    )
    palette.save(path, optimize=True)
    return path


FIGURES = {
    "detections": detections,
    "augmentation_preview": augmentation_preview,
    "tuning_objective": tuning_objective,
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(FIGURES), action="append")
    parser.add_argument(
        "--full-detections",
        action="store_true",
        help="draw the detections of the RetinaNet example's full run (the "
        "committed picture; about 10 minutes of training) instead of a "
        "one-minute training",
    )
    args = parser.parse_args(argv)
    IMAGES.mkdir(parents=True, exist_ok=True)
    for name in args.only or FIGURES:
        start = time.perf_counter()
        workdir = pathlib.Path(tempfile.mkdtemp(prefix=f"docs_{name}_"))
        try:
            if name == "detections":
                written = detections(workdir, full=args.full_detections)
            else:
                written = FIGURES[name](workdir)
            target = IMAGES / f"{name}.png"
            shutil.copyfile(shrink(written), target)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        size = os.path.getsize(target)
        print(
            f"wrote {target.relative_to(ROOT)} ({size / 1024:.0f} KiB) "
            f"in {time.perf_counter() - start:.0f} s"
        )
        if size > MAX_BYTES:
            raise SystemExit(f"{target} is {size} bytes, over the {MAX_BYTES} limit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
