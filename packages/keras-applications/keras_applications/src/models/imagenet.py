# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""`weights="imagenet"`: the ImageNet files keras.applications publishes.

The same URLs and hashes as keras.applications (md5, the only hash it
publishes; none at all for MobileNetV2), downloaded through
`keras_core.presets.resolve_file` into `$KERAS_HOME/models/` under the same
file names, so a file keras.applications downloaded is reused and the other
way round. `KERAS_APPLICATIONS_WEIGHTS_MIRROR` replaces
`https://storage.googleapis.com` by a mirror serving the same paths (an
internal mirror on an air-gapped network, or a test server).
"""

import os

from keras_core.presets import resolve_file

GOOGLE_STORAGE = "https://storage.googleapis.com"
MIRROR_VARIABLE = "KERAS_APPLICATIONS_WEIGHTS_MIRROR"

_RESNET_BASE = "/tensorflow/keras-applications/resnet/"
_MOBILENET_V2_BASE = "/tensorflow/keras-applications/mobilenet_v2/"
_MOBILENET_V3_BASE = "/tensorflow/keras-applications/mobilenet_v3/"
_EFFICIENTNET_BASE = "/keras-applications/"

# keras.applications' WEIGHTS_HASHES: name -> (md5 with top, md5 without top).
RESNET_HASHES = {
    "resnet50": (
        "2cb95161c43110f7111970584f804107",
        "4d473c1dd8becc155b73f8504c6f6626",
    ),
    "resnet101": (
        "f1aeb4b969a6efcfb50fad2f0c20cfc5",
        "88cf7a10940856eca736dc7b7e228a21",
    ),
    "resnet152": (
        "100835be76be38e30d865e96f2aaae62",
        "ee4c566cf9a93f14d82f913c2dc6dd0c",
    ),
    "resnet50v2": (
        "3ef43a0b657b3be2300d5770ece849e0",
        "fac2f116257151a9d068a22e544a4917",
    ),
    "resnet101v2": (
        "6343647c601c52e1368623803854d971",
        "c0ed64b8031c3730f411d2eb4eea35b5",
    ),
    "resnet152v2": (
        "a49b44d1979771252814e80f8ec446f9",
        "ed17cf2e0169df9d443503ef94b23b33",
    ),
}
MOBILENET_V3_HASHES = {
    "large_224_0.75_float": (
        "765b44a33ad4005b3ac83185abf1d0eb",
        "40af19a13ebea4e2ee0c676887f69a2e",
    ),
    "large_224_1.0_float": (
        "59e551e166be033d707958cf9e29a6a7",
        "07fb09a5933dd0c8eaafa16978110389",
    ),
    "large_minimalistic_224_1.0_float": (
        "675e7b876c45c57e9e63e6d90a36599c",
        "ec5221f64a2f6d1ef965a614bdae7973",
    ),
    "small_224_0.75_float": (
        "cb65d4e5be93758266aa0a7f2c6708b7",
        "ebdb5cc8e0b497cd13a7c275d475c819",
    ),
    "small_224_1.0_float": (
        "8768d4c2e7dee89b9d02b2d03d65d862",
        "d3e8ec802a04aa4fc771ee12a9a9b836",
    ),
    "small_minimalistic_224_1.0_float": (
        "99cd97fb2fcdad2bf028eb838de69e37",
        "cde8136e733e811080d9fcd8a252f7e4",
    ),
}
EFFICIENTNET_HASHES = {
    "b0": ("902e53a9f72be733fc0bcb005b3ebbac", "50bc09e76180e00e4465e1a485ddc09d"),
    "b1": ("1d254153d4ab51201f1646940f018540", "74c4e6b3e1f6a1eea24c589628592432"),
    "b2": ("b15cce36ff4dcbd00b6dd88e7857a6ad", "111f8e2ac8aa800a7a99e3239f7bfb39"),
    "b3": ("ffd1fdc53d0ce67064dc6a9c7960ede0", "af6d107764bb5b1abb91932881670226"),
}
MOBILENET_V2_ALPHAS = (0.35, 0.5, 0.75, 1.0, 1.3, 1.4)
MOBILENET_V2_ROWS = (96, 128, 160, 192, 224)


def _no_weights(model, reason):
    return ValueError(
        f"{type(model).__name__}(weights='imagenet'): {reason} Pass "
        "weights=None, or the local path of a weights file."
    )


def weights_file(model):
    """Returns `(path under storage.googleapis.com, md5 or None)` for `model`."""
    name = type(model).__name__
    config = model.get_config()
    top = bool(config["include_top"])
    if top and config.get("classes", 1000) != 1000:
        raise _no_weights(
            model,
            "the ImageNet classifier has 1000 classes, but classes="
            f"{config['classes']}. Use include_top=False and put your own head "
            "on top, or classes=1000.",
        )
    if hasattr(model, "depth") and hasattr(model, "version"):  # ResNet
        key = f"resnet{model.depth}" + ("v2" if model.version == 2 else "")
        if key not in RESNET_HASHES:
            raise _no_weights(
                model,
                "keras.applications publishes no ImageNet weights for this "
                "depth (it has ResNet50/101/152 and their V2).",
            )
        suffix = "" if top else "_notop"
        file_name = f"{key}_weights_tf_dim_ordering_tf_kernels{suffix}.h5"
        return _RESNET_BASE + file_name, RESNET_HASHES[key][0 if top else 1]
    if name == "MobileNetV2":
        alpha = float(config["alpha"])
        if alpha not in MOBILENET_V2_ALPHAS:
            raise _no_weights(
                model,
                f"ImageNet weights exist for alpha in {MOBILENET_V2_ALPHAS}, "
                f"not alpha={alpha}.",
            )
        shape = config.get("input_shape") or (None, None, 3)
        rows = (
            shape[0] if shape[0] == shape[1] and shape[0] in MOBILENET_V2_ROWS else 224
        )
        suffix = f"_{alpha}_{rows}" + ("" if top else "_no_top")
        return (
            f"{_MOBILENET_V2_BASE}mobilenet_v2_weights_tf_dim_ordering_tf_kernels{suffix}.h5",
            None,
        )
    if name in ("MobileNetV3Large", "MobileNetV3Small"):
        key = "{}{}_224_{}_float".format(
            "large" if name.endswith("Large") else "small",
            "_minimalistic" if config.get("minimalistic") else "",
            float(config["alpha"]),
        )
        if key not in MOBILENET_V3_HASHES:
            raise _no_weights(
                model,
                "keras.applications publishes ImageNet weights for alpha 0.75 "
                "and 1.0 (minimalistic: 1.0 only). Received: "
                f"alpha={config['alpha']}, minimalistic={config.get('minimalistic')}.",
            )
        file_name = f"weights_mobilenet_v3_{key}" + (".h5" if top else "_no_top_v2.h5")
        return _MOBILENET_V3_BASE + file_name, MOBILENET_V3_HASHES[key][0 if top else 1]
    if hasattr(model, "variant"):  # EfficientNet
        key = model.variant.lower()
        file_name = f"efficientnet{key}" + (".h5" if top else "_notop.h5")
        return _EFFICIENTNET_BASE + file_name, EFFICIENTNET_HASHES[key][0 if top else 1]
    raise _no_weights(model, "this architecture has no published ImageNet weights.")


def weights_url(path):
    mirror = os.environ.get(MIRROR_VARIABLE)
    return (mirror.rstrip("/") if mirror else GOOGLE_STORAGE) + path


def resolve(model):
    """Downloads (once) and returns the local path of `model`'s ImageNet file."""
    path, file_hash = weights_file(model)
    return resolve_file(weights_url(path), file_hash=file_hash, cache_subdir="models")
