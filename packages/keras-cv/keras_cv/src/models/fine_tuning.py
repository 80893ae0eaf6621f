# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Fine-tuning a trained detector on other classes: a new classification head."""

import keras

from keras_core import api_export

_DETECTORS = ("RetinaNet", "FasterRCNN", "MaskRCNN")


@api_export("keras_cv.models.replace_classification_head", stability="experimental")
def replace_classification_head(model, num_classes, freeze_backbone=False):
    """A copy of a trained detector that predicts `num_classes` new classes.

    The first step of fine-tuning a detector trained on another dataset
    (e.g. a COCO preset) on your own classes: the returned model has the
    same architecture, input transform and post-processing, and every
    weight of `model` (backbone, feature pyramid, proposal network, box
    regression of RetinaNet, ROI head layers) except those whose shape
    depends on the number of classes: the last layer of the classification
    head (and, for Faster R-CNN and Mask R-CNN, the class-specific box and
    mask outputs), which start from their usual initialisation. `model`
    itself is left unchanged. Compile the result and `fit` it on your data.

    With `freeze_backbone=True` the backbone does not train (its weights
    and batch-norm statistics stay as they are, see
    `keras_applications.freeze_backbone`), which suits small datasets and
    speeds up training; `keras_applications.unfreeze_backbone(
    new_model.backbone)` and a recompile let it train later.

    Args:
        model: a `keras_cv.models.RetinaNet`, `FasterRCNN` or `MaskRCNN`,
            e.g. from `RetinaNet.from_preset("retinanet_resnet50_fpn_coco")`.
        num_classes: the number of classes of the new head (object classes
            only, no background class, as the models' `num_classes`).
        freeze_backbone: whether to freeze the backbone of the new model.

    Returns:
        A new model of the class of `model`, with `num_classes` classes,
        not compiled.

    Example:

    >>> import keras_applications
    >>> backbone = keras_applications.ResNet18(
    ...     include_top=False, input_shape=(None, None, 3))
    >>> coco = keras_cv.models.RetinaNet(backbone, num_classes=80, max_level=5,
    ...     fpn_filters=16, head_filters=16, head_depth=1)
    >>> model = keras_cv.models.replace_classification_head(
    ...     coco, num_classes=3, freeze_backbone=True)
    >>> model.num_classes, len(model.backbone.trainable_weights)
    (3, 0)
    >>> bool((model.get_layer("fpn").weights[0].numpy()
    ...       == coco.get_layer("fpn").weights[0].numpy()).all())
    True
    """
    if isinstance(num_classes, bool) or not isinstance(num_classes, int):
        raise TypeError(
            "`num_classes` must be a positive int (object classes, no "
            f"background). Received: num_classes={num_classes!r}."
        )
    if num_classes < 1:
        raise ValueError(
            "`num_classes` must be a positive int (object classes, no "
            f"background). Received: num_classes={num_classes}."
        )
    if not isinstance(freeze_backbone, bool):
        raise TypeError(
            "`freeze_backbone` must be a bool. "
            f"Received: freeze_backbone={freeze_backbone!r}."
        )
    class_name = type(model).__name__
    if not isinstance(model, keras.Model) or not hasattr(model, "num_classes"):
        raise TypeError(
            "`model` must be a keras-cv detector (one of "
            f"{', '.join(_DETECTORS)}). Received: {type(model).__name__}."
        )
    try:
        config = model.get_config()
    except NotImplementedError as error:
        raise ValueError(
            f"The {class_name} cannot be rebuilt with another `num_classes`: "
            f"its config is incomplete ({error}). Build the detector on a "
            "`keras_applications` backbone, which has a config."
        ) from error
    config["num_classes"] = num_classes
    new = type(model).from_config(config)
    old_weights, new_weights = model.weights, new.weights
    if len(old_weights) != len(new_weights):  # not expected: the same config
        raise ValueError(
            f"Rebuilding the {class_name} from its config gave "
            f"{len(new_weights)} weights instead of {len(old_weights)}; "
            "its weights cannot be carried over."
        )
    for old, fresh in zip(old_weights, new_weights):
        if tuple(old.shape) == tuple(fresh.shape):
            fresh.assign(old)
        elif tuple(old.shape[:-1]) != tuple(fresh.shape[:-1]):
            raise ValueError(
                f"The weight {old.path!r} of the {class_name} changes shape "
                f"from {tuple(old.shape)} to {tuple(fresh.shape)} with "
                "`num_classes`, in more than its last dimension: it cannot "
                "be a class output."
            )
    if freeze_backbone:
        import keras_applications

        keras_applications.freeze_backbone(new.backbone)
    return new
