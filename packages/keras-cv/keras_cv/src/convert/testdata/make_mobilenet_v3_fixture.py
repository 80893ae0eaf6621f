# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Records torchvision's MobileNetV3 features for the backbone parity test.

The reference is torchvision itself (PyTorch on CPU), which is NOT a
dependency of keras-cv: run this script in a separate environment, e.g.

    python3 -m venv /tmp/tv
    /tmp/tv/bin/pip install torch torchvision numpy
    /tmp/tv/bin/python make_mobilenet_v3_fixture.py \\
        --output packages/keras-cv/keras_cv/src/convert/testdata

(the fixture in the repository was written with torch 2.14.1 and
torchvision 0.29.1). It builds `mobilenet_v3_large` without pretrained
weights, with batch norms of epsilon 1e-3 (its own) and, as in
torchvision's detection backbones, frozen batch norms of epsilon 1e-5;
fills every parameter and batch-norm statistic with `state_dict` below
(NumPy PCG64, so that the test regenerates the same state dict without
PyTorch), runs it in eval mode on images of
odd and even sizes (normalised with ImageNet's statistics, as torchvision's
transforms do) and writes `mobilenet_v3_large.npz` with:

- `names`, `shapes`: the state dict's layout (JSON), `seed`;
- per image `i`: `image_i` (float32 HWC pixels in [0, 255]);
- per epsilon `e` in (`bn`, `frozen`) and image `i`: the outputs of the
  stages the detection backbone uses, `<e>_c4_i` (`features[13]`, the
  first block of stride 32, 160 channels; torchvision's FPN input "0")
  and `<e>_c5_i` (`features[16]`, the last 1x1 convolution, 960 channels),
  the stride-8 and stride-16 features `<e>_p3_i`, `<e>_p4_i` (`features[6]`,
  `features[12]`), all NHWC.
"""

import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import random_weights  # noqa: E402

SEED = 11
# (height, width): odd and even sizes, so that padding differences show.
IMAGE_SIZES = [(97, 130), (64, 64)]
MEAN = np.array([0.485, 0.456, 0.406], np.float32)
STD = np.array([0.229, 0.224, 0.225], np.float32)
# Index in `features` -> name in the fixture.
TAPS = {6: "p3", 12: "p4", 13: "c4", 16: "c5"}


def state_dict(names, shapes, seed=SEED):
    """The random state dict of the fixture, `{name: np.ndarray}`.

    `random_weights.random_tensor` values with the batch-norm gains scaled
    by 0.8: as drawn, activations grow about tenfold per stage through
    MobileNetV3's 17 stages (to about 1e4, where float32 rounding alone
    exceeds 1e-4); at 0.5 the input's signal dies out (the last features
    are the batch-norm offsets, the same for any image); at 0.8 the
    features are of order one and differ between images as much as their
    size.
    """
    state = random_weights.random_state_dict(zip(names, shapes), seed)
    for name, value in state.items():
        if name.endswith(".weight") and random_weights._is_norm(name, value.shape):
            state[name] = value * np.float32(0.8)
    return state


def _images(seed):
    rng = np.random.Generator(np.random.PCG64(seed))
    return [rng.uniform(0, 255, (h, w, 3)).astype(np.float32) for h, w in IMAGE_SIZES]


def main():
    import torch
    import torchvision
    from torchvision.ops import misc

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=os.path.dirname(__file__))
    args = parser.parse_args()
    torch.set_grad_enabled(False)
    images = _images(SEED)
    out = {}
    for key, norm_layer in (("bn", None), ("frozen", misc.FrozenBatchNorm2d)):
        kwargs = {} if norm_layer is None else {"norm_layer": norm_layer}
        model = torchvision.models.mobilenet_v3_large(weights=None, **kwargs)
        model.eval()
        state = model.state_dict()
        names = [n for n in state if not n.endswith("num_batches_tracked")]
        values = state_dict(names, [tuple(state[n].shape) for n in names])
        model.load_state_dict({n: torch.from_numpy(v) for n, v in values.items()})
        if key == "bn":
            out["names"] = json.dumps(names)
            out["shapes"] = json.dumps([list(state[n].shape) for n in names])
        for i, image in enumerate(images):
            x = torch.from_numpy(((image / 255.0 - MEAN) / STD).astype(np.float32))
            x = x.permute(2, 0, 1)[None]
            for index, layer in enumerate(model.features):
                x = layer(x)
                if index in TAPS:
                    out[f"{key}_{TAPS[index]}_{i}"] = x[0].permute(1, 2, 0).numpy()
    for i, image in enumerate(images):
        out[f"image_{i}"] = image
    out["seed"] = np.array(SEED)
    out["num_images"] = np.array(len(images))
    path = os.path.join(args.output, "mobilenet_v3_large.npz")
    np.savez_compressed(path, **out)
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()
