# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Mask R-CNN: Faster R-CNN plus a per-class instance mask head."""

import keras
import numpy as np
import tensorflow as tf

from keras_core import api_export
from keras_cv.src.bounding_box import converters
from keras_cv.src.layers.roi_pooler import ROIPooler
from keras_cv.src.models import detection_utils as utils
from keras_cv.src.models import distribution
from keras_cv.src.models import torchvision_compat as tv
from keras_cv.src.models import torchvision_presets
from keras_cv.src.models.faster_rcnn import FasterRCNN

# ROIAlign grid of the mask head; the transposed convolution doubles it.
POOL_SIZE = 14
MASK_SIZE = 2 * POOL_SIZE
_NUM_MASK_CONVS = 4


def _sample(maps, first_y, first_x, last_y, last_x, out_h, out_w, indices):
    """Bilinear samples of `maps` on a regular grid, edge-clamped.

    `maps` is `[K, h, w]`; sample coordinates are continuous (pixel `k`
    covers `[k, k + 1)`, its value sits at `k + 0.5`); the grid runs from
    `(first_y, first_x)` to `(last_y, last_x)` in `out_h x out_w` steps.
    A sample interpolates the pixel centres around it, reading the nearest
    edge pixel within half a pixel of the border. Points outside `[0, h] x
    [0, w]` are not masked here (callers multiply by their own indicator).
    """
    shape = tf.shape(maps)
    h = tf.cast(shape[1], "float32")
    w = tf.cast(shape[2], "float32")
    # One replicated pixel on each side: continuous c is padded index c + 0.5.
    padded = tf.pad(maps[..., None], [[0, 0], [1, 1], [1, 1], [0, 0]], "SYMMETRIC")
    boxes = tf.stack(
        [
            (first_y + 0.5) / (h + 1.0),
            (first_x + 0.5) / (w + 1.0),
            (last_y + 0.5) / (h + 1.0),
            (last_x + 0.5) / (w + 1.0),
        ],
        axis=-1,
    )
    crops = tf.image.crop_and_resize(
        padded, boxes, indices, tf.stack([out_h, out_w]), extrapolation_value=0.0
    )
    return crops[..., 0]


def _grid(start, stop, num):
    """Centres of `num` equal cells of `[start, stop]`: `[K, num]`."""
    steps = (tf.range(num, dtype="float32") + 0.5) / tf.cast(num, "float32")
    return start[:, None] + (stop - start)[:, None] * steps[None, :]


def mask_targets(instance_masks, boxes, indices, mask_size=MASK_SIZE):
    """Binary mask targets: each ground-truth mask cropped to a box.

    The target of box `k` samples `instance_masks[b, indices[b, k]]` at the
    centres of a `mask_size x mask_size` grid of cells covering the box
    (bilinear between pixel centres, edge pixels read within half a pixel
    of the border, zero outside the image) and keeps samples >= 0.5.

    Args:
        instance_masks: `[B, N, H, W]` binary masks, one per ground-truth row.
        boxes: `[B, K, 4]` xyxy boxes in pixels (the sampled proposals).
        indices: `[B, K]` int, the ground-truth row matched by each box.
        mask_size: side of the target grid.

    Returns:
        float32 `[B, K, mask_size, mask_size]` of 0 and 1.
    """
    masks = tf.cast(instance_masks, "float32")
    shape = tf.shape(masks)
    batch, num, height, width = shape[0], shape[1], shape[2], shape[3]
    flat_masks = tf.reshape(masks, [-1, height, width])
    k = tf.shape(boxes)[1]
    flat = tf.reshape(tf.cast(boxes, "float32"), [-1, 4])
    rows = tf.reshape(tf.range(batch)[:, None] * num + tf.cast(indices, "int32"), [-1])
    x1, y1, x2, y2 = tf.unstack(flat, 4, axis=-1)
    half_h = 0.5 * (y2 - y1) / mask_size
    half_w = 0.5 * (x2 - x1) / mask_size
    crops = _sample(
        flat_masks,
        y1 + half_h,
        x1 + half_w,
        y2 - half_h,
        x2 - half_w,
        mask_size,
        mask_size,
        rows,
    )
    ys = _grid(y1, y2, mask_size)
    xs = _grid(x1, x2, mask_size)
    h = tf.cast(height, "float32")
    w = tf.cast(width, "float32")
    inside_y = tf.cast((ys >= 0.0) & (ys <= h), "float32")
    inside_x = tf.cast((xs >= 0.0) & (xs <= w), "float32")
    crops = crops * inside_y[:, :, None] * inside_x[:, None, :]
    targets = tf.cast(crops >= 0.5, "float32")
    return tf.reshape(targets, [batch, k, mask_size, mask_size])


def paste_masks(masks, boxes, height, width):
    """Pastes box-relative masks back into full images.

    Image pixel `(i, j)` of detection `k` reads mask `k` at the point
    `((i + 0.5 - y1) / (y2 - y1) * S, (j + 0.5 - x1) / (x2 - x1) * S)` of
    its `S x S` grid (bilinear between cell centres, edge cells within half
    a cell of the border); pixels whose centre is outside the box are 0.

    Args:
        masks: `[B, K, S, S]` values (probabilities) in box coordinates.
        boxes: `[B, K, 4]` xyxy boxes in pixels.
        height: image height (int or scalar tensor).
        width: image width.

    Returns:
        float32 `[B, K, height, width]`.
    """
    masks = tf.cast(masks, "float32")
    shape = tf.shape(masks)
    batch, k, size = shape[0], shape[1], shape[2]
    s = tf.cast(size, "float32")
    flat_masks = tf.reshape(masks, [-1, size, size])
    flat = tf.reshape(tf.cast(boxes, "float32"), [-1, 4])
    x1, y1, x2, y2 = tf.unstack(flat, 4, axis=-1)
    box_h = tf.maximum(y2 - y1, 1e-6)
    box_w = tf.maximum(x2 - x1, 1e-6)
    h = tf.cast(height, "float32")
    w = tf.cast(width, "float32")
    pasted = _sample(
        flat_masks,
        (0.5 - y1) / box_h * s,
        (0.5 - x1) / box_w * s,
        (h - 0.5 - y1) / box_h * s,
        (w - 0.5 - x1) / box_w * s,
        height,
        width,
        tf.range(tf.shape(flat)[0]),
    )
    ys = tf.range(h, dtype="float32") + 0.5
    xs = tf.range(w, dtype="float32") + 0.5
    inside_y = tf.cast((ys[None] >= y1[:, None]) & (ys[None] <= y2[:, None]), "float32")
    inside_x = tf.cast((xs[None] >= x1[:, None]) & (xs[None] <= x2[:, None]), "float32")
    pasted = pasted * inside_y[:, :, None] * inside_x[:, None, :]
    return tf.reshape(pasted, [batch, k, height, width])


def mask_loss(mask_logits, targets, classes, weights):
    """Per-pixel sigmoid cross-entropy on each ROI's own class channel.

    Args:
        mask_logits: `[B, K, S, S, num_classes]` logits.
        targets: `[B, K, S, S]` binary targets.
        classes: `[B, K]` int, the class (0-based, no background) of each ROI.
        weights: `[B, K]`, 1 for the ROIs that count (positives).

    Returns:
        The mean over pixels, summed over ROIs and divided by
        `max(sum(weights), 1)`.
    """
    logits = tf.cast(mask_logits, "float32")
    own = tf.gather(
        tf.transpose(logits, [0, 1, 4, 2, 3]),
        tf.maximum(tf.cast(classes, "int32"), 0),
        axis=2,
        batch_dims=2,
    )
    per_pixel = tf.nn.sigmoid_cross_entropy_with_logits(
        labels=tf.cast(targets, "float32"), logits=own
    )
    per_roi = tf.reduce_mean(per_pixel, axis=[2, 3])
    weights = tf.cast(weights, "float32")
    # Positives of the global batch under a tf.distribute strategy.
    return tf.reduce_sum(per_roi * weights) / distribution.global_normaliser(weights)


def _pairwise_iou(boxes, gt_boxes):
    """IoU `[B, K, N]` of xyxy boxes `[B, K, 4]` and `[B, N, 4]`."""
    a = boxes[:, :, None, :]
    b = gt_boxes[:, None, :, :]
    iw = tf.maximum(
        tf.minimum(a[..., 2], b[..., 2]) - tf.maximum(a[..., 0], b[..., 0]), 0.0
    )
    ih = tf.maximum(
        tf.minimum(a[..., 3], b[..., 3]) - tf.maximum(a[..., 1], b[..., 1]), 0.0
    )
    inter = iw * ih
    area_a = (a[..., 2] - a[..., 0]) * (a[..., 3] - a[..., 1])
    area_b = (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1])
    return inter / tf.maximum(area_a + area_b - inter, 1e-8)


def match_ground_truth(rois, gt_boxes, gt_labels, class_targets):
    """The ground-truth row of each ROI: best IoU among rows of its class.

    `class_targets` are the region head's targets (label + 1, 0 for
    background), so the mask target always comes from an object of the
    class the ROI was labelled with.
    """
    iou = _pairwise_iou(rois, gt_boxes)
    same = tf.equal(gt_labels[:, None, :] + 1, class_targets[:, :, None])
    return tf.argmax(tf.where(same, iou, -1.0), axis=-1, output_type="int32")


def _split_targets(targets, model_name):
    """`(bounding_boxes, instance_masks)` from a MaskRCNN targets dict."""
    if not isinstance(targets, dict):
        raise ValueError(
            f"{model_name}.fit expects targets as a dict {{'boxes': ..., "
            "'labels': ..., 'masks': ...}} (or batches {'images': ..., "
            "'bounding_boxes': ..., 'instance_masks': ...}). Received targets "
            f"of type {type(targets).__name__}."
        )
    if "masks" not in targets:
        raise ValueError(
            f"{model_name} trains a mask head and needs one instance mask per "
            "ground-truth box: pass targets {'boxes', 'labels', 'masks'} "
            "with 'masks' of shape (batch, num_boxes, height, width), or "
            "batches {'images', 'bounding_boxes', 'instance_masks'} such as "
            "`keras_cv.datasets.shapes.load(return_masks=True)` gives. "
            f"Received target keys {sorted(targets)}."
        )
    boxes = {k: v for k, v in targets.items() if k != "masks"}
    return boxes, targets["masks"]


def _gathers_between_workers(strategy):
    """Whether Keras gathers predict's outputs with collective ops."""
    return isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy) and (
        strategy.extended._in_multi_worker_mode()
    )


@api_export("keras_cv.models.MaskRCNN", stability="experimental")
class MaskRCNN(FasterRCNN):
    """Mask R-CNN: Faster R-CNN with an instance segmentation head.

    Everything of `FasterRCNN` (feature pyramid, proposals, region head,
    training, detection output) plus a mask head: for each box it pools a
    14x14 grid of features with ROIAlign (from P3, P4 or P5 by box size),
    applies four 3x3 convolutions and a 2x transposed convolution, and
    predicts 28x28 mask logits for every class. Only the channel of the
    box's class is used, so classes do not compete for pixels.

    Training adds a fourth-stage loss to the four Faster R-CNN losses: on
    the positive proposals sampled for the region head, the per-pixel
    sigmoid cross-entropy of the mask of the ground-truth class against a
    target cropped from the matched object's instance mask (the object of
    that class overlapping the proposal most), resampled to 28x28 and
    thresholded at 0.5.

    At inference the mask head runs on the final detections (after NMS).
    `predict` returns the `FasterRCNN` detection dict plus `"masks"`:
    `(batch, max_detections, height, width)` masks of the input image size,
    obtained by pasting each 28x28 probability map into its box (bilinear),
    then thresholding at `mask_threshold` (uint8 0/1); with
    `mask_threshold=None` they are float32 probabilities instead. Rows past
    `num_detections` are all zeros. Mind the memory: that is
    `max_detections * height * width` values per image.

    The `FasterRCNN` options that reproduce torchvision (`min_level=2`,
    `anchor_layout`, `normalization`, `image_resize`, `freeze_batch_norm`,
    `post_processing="torchvision"`, ...) apply here too.
    `keras_cv.convert.from_torchvision(path, "maskrcnn_resnet50_fpn")` and
    `MaskRCNN.from_preset("mask_rcnn_resnet50_fpn_coco")` set them all to
    reproduce torchvision's `maskrcnn_resnet50_fpn`. With `image_resize`,
    the mask head pools the resized images' features on the detections
    before they are mapped back, and masks are pasted into the given
    images with the mapped-back boxes. With `post_processing="torchvision"`
    the mask head's features are pooled by torchvision's
    `MultiScaleRoIAlign` (14x14, sampling ratio 2, `aligned=False`), and
    masks are pasted as torchvision's `paste_masks_in_image`: the 28x28
    probabilities get one zero cell of padding on each side, the box is
    scaled by 30/28 about its centre and truncated to integer pixels, and
    the padded grid is resized bilinearly to the box's
    `(x2 - x1 + 1) x (y2 - y1 + 1)` pixels (`align_corners=False`). The
    mask of each detection's predicted class is used in both modes.

    Reference: [Mask R-CNN](https://arxiv.org/abs/1703.06870).

    Args:
        backbone: a `keras_applications` backbone with pyramid outputs P3-P5,
            built with `input_shape=(None, None, 3)`.
        num_classes: number of object classes (no background class).
        bounding_box_format: the format of the boxes given to `fit` and
            returned by `predict`, e.g. `"xyxy"`.
        mask_filters: channels of the mask head's convolutions.
        mask_threshold: probability at which `predict` masks are set
            (`probability >= mask_threshold`; 0.5 is torchvision's
            documented threshold), or `None` to return probabilities.
        mask_normalization: `None` (default: biased convolutions with
            ReLU) or `"batch"`: the mask head's four convolutions have no
            bias and are each followed by a BatchNormalization (epsilon
            `norm_epsilon`, momentum 0.9) before the ReLU, as torchvision's
            Mask R-CNN v2 (`maskrcnn_resnet50_fpn_v2`, which
            `keras_cv.convert.from_torchvision` and
            `MaskRCNN.from_preset("mask_rcnn_resnet50_fpn_v2_coco")`
            reproduce).
        **kwargs: any other `FasterRCNN` argument (`fpn_filters`,
            `head_units`, `roi_batch_size`, `max_detections`, `seed`, and
            the torchvision options `min_level`, `extra_level`,
            `anchor_sizes`, `anchor_layout`, `box_coder_weights`,
            `normalization`, `image_resize`, `freeze_batch_norm`,
            `post_processing`, `rpn_pre_nms_top_k`, and torchvision's v2
            options `fpn_normalization`, `rpn_depth`, `head_conv_depth`,
            `head_dense_depth`, `head_normalization`, `norm_epsilon`; see
            above and `FasterRCNN`).

    Call arguments:
        images: float tensor `(batch, height, width, 3)`, pixels in [0, 255].
        training: whether the model runs in training mode.

    Returns (of `call`):
        The raw outputs of `FasterRCNN`, plus the detections before
        formatting (`"detection_boxes"` xyxy, `"detection_scores"`,
        `"detection_labels"`, `"num_detections"`) and `"mask_logits"`
        `(batch, max_detections, 28, 28)`, the mask logits of each
        detection's class in box coordinates. `predict` returns
        `{"boxes", "scores", "labels", "num_detections", "masks"}`.

    Examples:

    >>> import keras_applications, keras_cv
    >>> backbone = keras_applications.ResNet18(include_top=False, input_shape=(None, None, 3))
    >>> model = keras_cv.models.MaskRCNN(backbone, num_classes=3, fpn_filters=16,
    ...     head_units=32, mask_filters=16, test_num_proposals=20, max_detections=5)
    >>> images = np.zeros((1, 64, 64, 3), "float32")
    >>> masks = np.zeros((1, 1, 64, 64), "uint8")
    >>> masks[0, 0, 8:40, 8:40] = 1
    >>> targets = {"boxes": np.array([[[8.0, 8.0, 40.0, 40.0]]]),
    ...            "labels": np.array([[1]]), "masks": masks}
    >>> losses = model.compute_losses(images, targets, training=True)  # what fit minimizes
    >>> sorted(losses)
    ['loss', 'mask_loss', 'roi_box_loss', 'roi_class_loss', 'rpn_box_loss', 'rpn_class_loss']
    >>> detections = model.decode_predictions(model(images), images)  # what predict returns
    >>> tuple(detections["masks"].shape), detections["masks"].dtype.name
    ((1, 5, 64, 64), 'uint8')

    torchvision's architecture and inference (here scaled down; the
    converter uses P2-P6, anchors 32-512, `image_resize=(800, 1333)`):
    masks come back in the pixels of the given images.

    >>> backbone = keras_applications.ResNet18(include_top=False,
    ...     input_shape=(None, None, 3), variant="torchvision")
    >>> model = keras_cv.models.MaskRCNN(backbone, num_classes=3, fpn_filters=16,
    ...     head_units=32, mask_filters=16, min_level=2, extra_level="max_pool",
    ...     anchor_sizes=((16,), (32,), (64,), (128,), (256,)),
    ...     anchor_layout="torchvision", normalization="imagenet",
    ...     image_resize=(48, 80), freeze_batch_norm=True, batch_norm_momentum=None,
    ...     post_processing="torchvision", rpn_pre_nms_top_k=50,
    ...     test_num_proposals=20, max_detections=5, score_threshold=0.0)
    >>> images = np.random.default_rng(0).uniform(0, 255, (1, 90, 120, 3))
    >>> detections = model.predict_on_batch(images.astype("float32"))
    >>> tuple(detections["masks"].shape)
    (1, 5, 90, 120)

    Training and serving: `model.compile(optimizer="adam")`, `model.fit`
    on batches `{"images", "bounding_boxes", "instance_masks"}` (as
    `keras_cv.datasets.shapes.load(return_masks=True)` yields) or on
    `(images, {"boxes", "labels", "masks"})`, `model.predict(images)`,
    `model.export("served/")` (uint8 images in, detections and masks out).
    """

    presets = torchvision_presets.names("MaskRCNN")

    def __init__(
        self,
        backbone,
        num_classes,
        bounding_box_format="xyxy",
        mask_filters=256,
        mask_threshold=0.5,
        mask_normalization=None,
        **kwargs,
    ):
        super().__init__(
            backbone,
            num_classes,
            bounding_box_format=bounding_box_format,
            **kwargs,
        )
        if (
            isinstance(mask_filters, bool)
            or not isinstance(mask_filters, int)
            or mask_filters < 1
        ):
            raise ValueError(
                "`mask_filters` must be a positive int (channels of the mask "
                f"head). Received: mask_filters={mask_filters!r}."
            )
        if mask_threshold is not None and not (
            isinstance(mask_threshold, (int, float))
            and not isinstance(mask_threshold, bool)
            and 0.0 <= mask_threshold <= 1.0
        ):
            raise ValueError(
                "`mask_threshold` must be a probability in [0, 1] (or None to "
                f"return mask probabilities). Received: mask_threshold={mask_threshold!r}."
            )
        tv.check_choice(
            mask_normalization, (None, "batch"), "mask_normalization", "MaskRCNN"
        )
        self.mask_filters = int(mask_filters)
        self.mask_threshold = None if mask_threshold is None else float(mask_threshold)
        self.mask_normalization = mask_normalization
        pooled = keras.Input((POOL_SIZE, POOL_SIZE, self.fpn_filters), name="pooled")
        x = pooled
        bias = mask_normalization is None
        for i in range(_NUM_MASK_CONVS):
            x = keras.layers.Conv2D(
                self.mask_filters,
                3,
                padding="same",
                use_bias=bias,
                activation="relu" if bias else None,
                kernel_initializer="he_normal",
                name=f"mask_conv{i + 1}",
            )(x)
            if not bias:
                x = keras.layers.BatchNormalization(
                    momentum=0.9,
                    epsilon=self.norm_epsilon,
                    name=f"mask_conv{i + 1}_bn",
                )(x)
                x = keras.layers.ReLU(name=f"mask_conv{i + 1}_relu")(x)
        x = keras.layers.Conv2DTranspose(
            self.mask_filters,
            2,
            strides=2,
            activation="relu",
            kernel_initializer="he_normal",
            name="mask_upsample",
        )(x)
        logits = keras.layers.Conv2D(
            num_classes,
            1,
            name="mask_logits",
            kernel_initializer=keras.initializers.RandomNormal(stddev=0.001),
        )(x)
        self.mask_head = keras.Model(pooled, logits, name="mask_head")
        self.mask_pooler = ROIPooler(
            output_size=(POOL_SIZE, POOL_SIZE), canonical_size=112.0, canonical_level=4
        )
        self.loss_trackers["mask_loss"] = keras.metrics.Mean(name="mask_loss")

    # ---------------------------------------------------------------- forward
    def _mask_logits(self, stage_one, boxes, training):
        """All-class mask logits `[B, K, 28, 28, num_classes]` for xyxy boxes.

        Boxes are in the pixels the backbone sees (the resized images with
        `image_resize`).
        """
        if self.post_processing == "torchvision":
            # torchvision's MultiScaleRoIAlign(14, sampling_ratio=2).
            pooled = tv.multi_scale_roi_align(
                [stage_one[f"P{k}"] for k in self.roi_levels],
                boxes,
                self.roi_levels,
                output_size=POOL_SIZE,
            )
        else:
            pooled = self.mask_pooler(
                {f"P{k}": stage_one[f"P{k}"] for k in self.roi_levels}, boxes
            )
        batch, num = tf.shape(boxes)[0], tf.shape(boxes)[1]
        flat = tf.reshape(pooled, [-1, POOL_SIZE, POOL_SIZE, self.fpn_filters])
        logits = self.mask_head(flat, training=training)
        return tf.reshape(logits, [batch, num, MASK_SIZE, MASK_SIZE, self.num_classes])

    def call(self, images, training=None):
        stage_one = self.stage_one(images, training=training)
        _, rois = self._proposals(images, stage_one, training)
        logits, deltas = self._head(stage_one, rois, training)
        raw = {
            "rpn_box": stage_one["rpn_box"],
            "rpn_classification": stage_one["rpn_classification"],
            "rois": rois,
            "box": deltas,
            "classification": logits,
        }
        # The mask head pools from the images the backbone sees; the boxes
        # returned are mapped back to the given images' pixels.
        boxes, scores, classes, num = self._detect(raw, images, map_back=False)
        classes = tf.cast(classes, "int32")
        all_logits = self._mask_logits(stage_one, boxes, training)
        height, width = self._input_size(images)
        boxes = self._map_back(boxes, images, height, width)
        own = tf.gather(
            tf.transpose(tf.cast(all_logits, "float32"), [0, 1, 4, 2, 3]),
            classes,
            axis=2,
            batch_dims=2,
        )
        raw.update(
            {
                "detection_boxes": boxes,
                "detection_scores": scores,
                "detection_labels": classes,
                "num_detections": tf.cast(num, "int32"),
                "mask_logits": own,
            }
        )
        return raw

    # ----------------------------------------------------------------- losses
    def _unpack(self, data):
        if isinstance(data, dict) and "images" in data:
            targets = data.get("bounding_boxes")
            if targets is not None and "instance_masks" in data:
                targets = {**targets, "masks": data["instance_masks"]}
            return data["images"], targets, None
        return utils.unpack(data)

    def compute_losses(self, images, bounding_boxes, training=False):
        """Returns the five losses of a batch as a dict (and their sum).

        Args:
            images: float images `(batch, height, width, 3)`.
            bounding_boxes: `{"boxes", "labels", "masks"}`: boxes in
                `bounding_box_format` and labels (-1 for padding) as for
                `FasterRCNN`, and `"masks"` `(batch, num_boxes, height,
                width)` binary instance masks, one per box row.
            training: run in training mode.

        Returns:
            A dict with the four `FasterRCNN` losses, `"mask_loss"` and
            their sum `"loss"`.
        """
        boxes, masks = _split_targets(bounding_boxes, "MaskRCNN")
        images = tf.cast(images, "float32")
        losses, samples = self._losses_and_samples(images, boxes, training)
        gt_boxes, gt_labels = samples["gt_boxes"], samples["gt_labels"]
        masks = self._dense_masks(masks, images, tf.shape(gt_labels)[1])
        # Positives come first among the sampled proposals, at most
        # `max_positives` of them: the mask head only needs those.
        count = max(self.roi_labeler.proposal_sampler.max_positives, 1)
        rois = tf.stop_gradient(samples["sampled_rois"][:, :count])
        class_targets = samples["class_targets"][:, :count]
        positive = tf.cast(class_targets > 0, "float32") * samples["taken"][:, :count]
        matched = match_ground_truth(rois, gt_boxes, gt_labels, class_targets)
        # Masks are in the pixels of `images`; with `image_resize` the
        # proposals are in the resized images': crop with them mapped back.
        height, width = self._input_size(images)
        targets = mask_targets(
            masks, self._map_back(rois, images, height, width), matched
        )
        logits = self._mask_logits(samples["stage_one"], rois, training)
        losses["mask_loss"] = mask_loss(logits, targets, class_targets - 1, positive)
        return self._with_total(losses)

    def _dense_masks(self, masks, images, num_rows):
        """Instance masks `[B, num_rows, H, W]` (padded or cut to the box rows)."""
        if isinstance(masks, tf.RaggedTensor):
            masks = masks.to_tensor()
        masks = tf.convert_to_tensor(masks)
        if masks.shape.rank != 4:
            raise ValueError(
                "Instance masks must be (batch, num_boxes, height, width), one "
                "binary mask per ground-truth box row. Received shape "
                f"{tuple(masks.shape)}."
            )
        image_hw = images.shape[1:3]
        mask_hw = masks.shape[2:4]
        if all(d is not None for d in (*image_hw, *mask_hw)) and tuple(
            image_hw
        ) != tuple(mask_hw):
            raise ValueError(
                "Instance masks must have the spatial size of the images. "
                f"Received masks of shape {tuple(masks.shape)} for images of "
                f"shape {tuple(images.shape)}. Resize masks with the images "
                "(keras_cv.augmentation layers move both)."
            )
        masks = masks[:, :num_rows]
        missing = num_rows - tf.shape(masks)[1]
        return tf.pad(masks, [[0, 0], [0, missing], [0, 0], [0, 0]])

    def fit(self, x=None, y=None, *args, validation_data=None, **kwargs):
        self._validate_masks(x, y)
        return super().fit(x, y, *args, validation_data=validation_data, **kwargs)

    def _validate_masks(self, x, y):
        """Eager checks of the first batch's masks, before tracing."""
        if isinstance(x, tf.data.Dataset):
            try:
                element = next(iter(x.take(1)))
            except (StopIteration, tf.errors.OpError):
                return
            images, targets, _ = self._unpack(element)
        elif isinstance(x, dict) and "images" in x:
            images, targets, _ = self._unpack(x)
        else:
            images, targets = x, y
        if targets is None or not hasattr(images, "shape"):
            return
        boxes, masks = _split_targets(targets, "MaskRCNN")
        masks = np.asarray(masks)
        if masks.ndim != 4:
            raise ValueError(
                "MaskRCNN.fit expects instance masks of shape (batch, "
                "num_boxes, height, width), one binary mask per box row. "
                f"Received masks of shape {masks.shape}."
            )
        if tuple(masks.shape[2:]) != tuple(images.shape[1:3]):
            raise ValueError(
                "Instance masks must have the spatial size of the images. "
                f"Received masks of shape {masks.shape} for images of shape "
                f"{tuple(images.shape)}. Resize masks with the images "
                "(keras_cv.augmentation layers move both)."
            )
        labels = np.asarray(
            converters.to_dense(converters.standardize(boxes))["labels"]
        )
        if labels.ndim == 3:
            labels = labels[..., 0]
        rows = np.nonzero((labels >= 0).any(axis=0))[0]
        if len(rows) and rows.max() >= masks.shape[1]:
            raise ValueError(
                f"There are {masks.shape[1]} instance masks per image but box "
                f"row {int(rows.max())} holds an object: give one mask per "
                "box row (zeros for padding rows)."
            )
        if masks.size and not np.isin(masks, (0, 1)).all():
            raise ValueError(
                "Instance masks must be binary (0/1 or bool). Received values "
                f"{np.unique(masks)[:5].tolist()}..."
            )

    # ---------------------------------------------------------------- predict
    def predict_step(self, data):
        detections = super().predict_step(data)
        if detections["masks"].dtype == tf.uint8 and _gathers_between_workers(
            self.distribute_strategy
        ):
            # Keras gathers predict's outputs from the workers with
            # collective ops, which take no uint8: int32 for the gather,
            # uint8 again in `predict`.
            detections["masks"] = tf.cast(detections["masks"], "int32")
        return detections

    def predict(self, x, *args, **kwargs):
        detections = super().predict(x, *args, **kwargs)
        if self.mask_threshold is not None and isinstance(detections, dict):
            masks = detections.get("masks")
            if isinstance(masks, np.ndarray) and masks.dtype != np.uint8:
                detections["masks"] = masks.astype("uint8")
        return detections

    def decode_predictions(self, raw_outputs, images):
        """Final detections and full-image masks from the raw outputs.

        Args:
            raw_outputs: the dict returned by calling the model.
            images: the batch of images (only its shape is used).

        Returns:
            `{"boxes", "scores", "labels", "num_detections", "masks"}`:
            the `FasterRCNN` detections in `bounding_box_format` and masks
            `(batch, max_detections, height, width)` (uint8 0/1, or
            float32 probabilities if `mask_threshold` is None), zero past
            `num_detections`.
        """
        boxes = tf.cast(raw_outputs["detection_boxes"], "float32")
        num = tf.cast(raw_outputs["num_detections"], "int32")
        detections = utils.format_detections(
            boxes,
            raw_outputs["detection_scores"],
            raw_outputs["detection_labels"],
            num,
            images,
            self.bounding_box_format,
        )
        shape = tf.shape(images)
        paste = tv.paste_masks if self.post_processing == "torchvision" else paste_masks
        probs = paste(
            tf.sigmoid(tf.cast(raw_outputs["mask_logits"], "float32")),
            boxes,
            shape[1],
            shape[2],
        )
        valid = tf.range(tf.shape(boxes)[1])[None, :] < num[:, None]
        valid = tf.cast(valid, "float32")[:, :, None, None]
        if self.mask_threshold is None:
            masks = probs * valid
        else:
            masks = tf.cast(probs >= self.mask_threshold, "uint8")
            masks = masks * tf.cast(valid, "uint8")
        detections["masks"] = masks
        return detections

    def export(self, filepath, format="tf_saved_model", verbose=True, **kwargs):
        """Exports a SavedModel that serves detections and masks.

        The `serve` endpoint (also `serving_default`) takes `uint8` images
        `(batch, height, width, 3)` of any size and returns `{"boxes",
        "scores", "labels", "num_detections", "masks"}` with both stages,
        decoding, NMS, the mask head and the pasting inside; it equals
        `model.predict(images)`.

        Args:
            filepath: the directory to write.
            format: `"tf_saved_model"` (the only format supported).
            verbose: print a summary of the endpoint.
            **kwargs: passed to `keras.export.ExportArchive.write_out`.
        """
        utils.export_detector(self, filepath, format, verbose, **kwargs)

    # ----------------------------------------------------------------- config
    def get_config(self):
        config = super().get_config()
        config["mask_filters"] = self.mask_filters
        config["mask_threshold"] = self.mask_threshold
        config["mask_normalization"] = self.mask_normalization
        return config
