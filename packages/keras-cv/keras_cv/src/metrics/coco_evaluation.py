# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""COCO box evaluation (the 12 standard statistics), vectorized with NumPy.

The protocol is the one of the reference COCO evaluation code (bbox mode,
no crowd annotations), reproduced exactly:

- IoU thresholds 0.50:0.05:0.95, 101 recall points, area ranges all /
  small (<= 32^2) / medium / large (>= 96^2) with inclusive bounds, and
  at most 1, 10 or 100 detections *per image and category*.
- Within one image and category, detections are taken by decreasing score
  (ties keep input order); each claims the unclaimed ground-truth box of
  highest IoU (ties go to the later box), preferring boxes inside the area
  range; ground truth outside the range is ignored, and so are unmatched
  detections outside it.
- Per category, detections of all images are ranked by score; precision is
  made monotone and sampled at the recall points; categories without
  ground truth are left out of the means.

The sequential part (greedy matching) runs as one NumPy step per detection
rank, over all image-category groups, IoU thresholds and area ranges at
once; detections whose best IoU is below 0.5 cannot match and skip it.
"""

import numpy as np

from keras_core import api_export
from keras_cv.src.bounding_box.converters import RFC
from keras_cv.src.bounding_box.converters import validate_format
from keras_cv.src.metrics import coco_masks

IOU_THRESHOLDS = np.linspace(
    0.5, 0.95, int(np.round((0.95 - 0.5) / 0.05)) + 1, endpoint=True
)
RECALL_THRESHOLDS = np.linspace(
    0.0, 1.00, int(np.round((1.00 - 0.0) / 0.01)) + 1, endpoint=True
)
MAX_DETECTIONS = (1, 10, 100)
AREA_RANGES = (
    ("all", 0.0**2, 1e5**2),
    ("small", 0.0**2, 32.0**2),
    ("medium", 32.0**2, 96.0**2),
    ("large", 96.0**2, 1e5**2),
)
METRIC_NAMES = (
    "AP",
    "AP50",
    "AP75",
    "APs",
    "APm",
    "APl",
    "ARmax1",
    "ARmax10",
    "ARmax100",
    "ARs",
    "ARm",
    "ARl",
)
# Bound on the (candidate detections x ground-truth slots) IoU block held
# in memory at once.
_CHUNK = 4_000_000


def _numpy(x):
    if hasattr(x, "numpy"):
        x = x.numpy()
    return x


def _per_image(value, name):
    """Returns (list of per-image arrays) from dense, ragged or list input."""
    import tensorflow as tf

    if isinstance(value, tf.RaggedTensor):
        lengths = value.row_lengths().numpy()
        flat = value.flat_values.numpy()
        return np.split(flat, np.cumsum(lengths)[:-1]) if len(lengths) else []
    if isinstance(value, (list, tuple)):
        return [np.asarray(_numpy(v)) for v in value]
    return [np.asarray(v) for v in np.asarray(_numpy(value))]


def _flatten(data, role, fmt, image_shape):
    """Flattens a batch dict into per-box arrays with an image index."""
    if not isinstance(data, dict):
        raise TypeError(
            f"`{role}` must be a dict such as {{'boxes': ..., 'labels': ...}}"
            + (", with 'scores' too" if role == "predictions" else "")
            + f". Received an object of type {type(data).__name__}."
        )
    data = dict(data)
    if "classes" in data and "labels" not in data:
        data["labels"] = data.pop("classes")
    if role == "predictions" and "scores" not in data and "confidence" in data:
        data["scores"] = data.pop("confidence")
    required = ["boxes", "labels"] + (["scores"] if role == "predictions" else [])
    missing = [k for k in required if k not in data]
    if missing:
        raise ValueError(
            f"`{role}` is missing the entries {missing}. Received keys: "
            f"{sorted(data)}. Expected {required}."
        )
    boxes = _per_image(data["boxes"], "boxes")
    if boxes and boxes[0].ndim == 1 and boxes[0].shape[0] == 4:
        raise ValueError(
            f"`{role}['boxes']` must be batched: (num_images, num_boxes, 4), "
            f"ragged or a list of (num_boxes, 4) arrays. Received a single "
            f"array of shape {np.asarray(_numpy(data['boxes'])).shape}; wrap "
            "one image in a batch of one."
        )
    fields = {k: _per_image(data[k], k) for k in required[1:]}
    num_images = len(boxes)
    for k, v in fields.items():
        if len(v) != num_images:
            raise ValueError(
                f"`{role}['{k}']` has {len(v)} images but `{role}['boxes']` "
                f"has {num_images}. Every entry must describe the same batch."
            )
    num_detections = None
    if role == "predictions" and "num_detections" in data:
        num_detections = np.asarray(_numpy(data["num_detections"])).reshape(-1)
    image_idx, flat_boxes, flat = [], [], {k: [] for k in fields}
    flat["_row"] = []
    for i in range(num_images):
        if boxes[i].size and boxes[i].shape[-1] != 4:
            raise ValueError(
                f"`{role}['boxes']` must have a last dimension of 4. "
                f"Received boxes of shape {boxes[i].shape} for image {i}."
            )
        b = (
            np.asarray(boxes[i], "float64").reshape(-1, 4)
            if boxes[i].size
            else np.zeros((0, 4))
        )
        per = {k: np.asarray(v[i]).reshape(-1) for k, v in fields.items()}
        for k, v in per.items():
            if len(v) != len(b):
                raise ValueError(
                    f"Image {i} of `{role}` has {len(b)} boxes but {len(v)} "
                    f"'{k}'. Give one {k[:-1] if k.endswith('s') else k} per box."
                )
        per["labels"] = _check_labels(per["labels"], role, i)
        per["_row"] = np.arange(len(b))
        keep = per["labels"] != -1
        if num_detections is not None:
            keep &= np.arange(len(b)) < num_detections[i]
        b = b[keep]
        image_idx.append(np.full(len(b), i, "int64"))
        flat_boxes.append(b)
        for k in per:
            flat[k].append(per[k][keep])
    boxes = np.concatenate(flat_boxes) if flat_boxes else np.zeros((0, 4))
    out = {k: (np.concatenate(v) if v else np.zeros((0,))) for k, v in flat.items()}
    if not np.all(np.isfinite(boxes)) or (
        "scores" in out and not np.all(np.isfinite(out["scores"].astype("float64")))
    ):
        raise ValueError(
            f"`{role}` contains NaN or infinite boxes or scores. Every "
            "coordinate and score must be finite; mark padding with label -1."
        )
    boxes = _to_xywh(boxes, fmt, image_shape)
    out["labels"] = out["labels"].astype("int64")
    if "scores" in out:
        out["scores"] = out["scores"].astype("float64")
    image_idx = np.concatenate(image_idx) if image_idx else np.zeros((0,), "int64")
    return num_images, image_idx, boxes, out


def _check_labels(labels, role, image):
    """int64 labels after checking each is a class id >= 0 or -1 (padding)."""
    labels = np.asarray(labels)
    if labels.dtype.kind not in "iuf":
        raise TypeError(
            f"`{role}['labels']` must hold integer class ids. Received dtype "
            f"{labels.dtype} for image {image}."
        )
    if labels.dtype.kind == "f":
        bad = ~np.isfinite(labels) | (labels != np.round(labels))
        bad = bad | (np.nan_to_num(labels) < -1)
    else:
        bad = labels < -1
    if bad.any():
        raise ValueError(
            f"`{role}['labels']` must be integer class ids >= 0, or -1 for a "
            "padding row (the only padding value). Image "
            f"{image} has {labels[bad][:5].tolist()}. Fix the labels; negative "
            "or fractional values are not classes."
        )
    return labels.astype("int64")


def check_image_shape(image_shape, argument="image_shape"):
    """`(height, width)` as floats after checking they are positive ints."""
    if image_shape is None:
        return None
    message = (
        f"`{argument}` must be `(height, width)` (or `(height, width, "
        "channels)`) of positive integers, such as (480, 640)."
    )
    if isinstance(image_shape, (str, bytes, dict, set)):
        raise TypeError(f"{message} Received: {argument}={image_shape!r}.")
    try:
        values = np.asarray(_numpy(image_shape))
    except (TypeError, ValueError):
        raise TypeError(f"{message} Received: {argument}={image_shape!r}.") from None
    if values.dtype.kind not in "iuf" or values.ndim != 1:
        raise TypeError(f"{message} Received: {argument}={image_shape!r}.")
    if len(values) not in (2, 3) or not (
        np.all(np.isfinite(values))
        and np.all(values >= 1)
        and np.all(values == np.round(values))
    ):
        raise ValueError(f"{message} Received: {argument}={image_shape!r}.")
    return float(values[0]), float(values[1])


def _to_xywh(boxes, fmt, image_shape):
    """Converts boxes (float64, any format) to pixel [x, y, w, h]."""
    if fmt.startswith("rel_"):
        if image_shape is None:
            raise ValueError(
                f"The relative format {fmt!r} needs `image_shape=(height, width)` "
                "so that boxes can be put in pixels (COCO area ranges are in "
                "pixels)."
            )
        height, width = float(image_shape[0]), float(image_shape[1])
        boxes = boxes * np.array([width, height, width, height])
        if fmt == "rel_yxyx":
            boxes = boxes * np.array(
                [height / width, width / height, height / width, width / height]
            )
        fmt = fmt[4:]
    a, b, c, d = boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3]
    if fmt == "xywh":
        return boxes
    if fmt == "xyxy":
        return np.stack([a, b, c - a, d - b], -1)
    if fmt == "yxyx":
        return np.stack([b, a, d - b, c - a], -1)
    if fmt == "center_xywh":
        return np.stack([a - c / 2.0, b - d / 2.0, c, d], -1)
    if fmt == "center_yxhw":
        return np.stack([b - d / 2.0, a - c / 2.0, d, c], -1)
    raise ValueError(f"Unknown box format {fmt!r}.")


def _bbox_iou(d, g):
    """IoU of xywh boxes, computed like the reference C code (float64)."""
    w = np.minimum(d[..., 0] + d[..., 2], g[..., 0] + g[..., 2]) - np.maximum(
        d[..., 0], g[..., 0]
    )
    h = np.minimum(d[..., 1] + d[..., 3], g[..., 1] + g[..., 3]) - np.maximum(
        d[..., 1], g[..., 1]
    )
    inter = w * h
    union = d[..., 2] * d[..., 3] + g[..., 2] * g[..., 3] - inter
    ok = (w > 0) & (h > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(ok, inter / np.where(ok, union, 1.0), 0.0)


def _match(dt, gt, num_groups, pair_iou=None):
    """Greedy matching of every (image, category) group.

    `pair_iou(dt_indices, gt_indices)`, when given, replaces box IoU: it
    returns the IoU of each detection with each ground-truth index of its
    row (`gt_indices` is `[n, S]`, -1 for empty slots).

    Returns `matched` and `matched_ignored`, bool arrays [A, T, num_dt]: the
    detection found a ground-truth box, and that box was ignored (outside
    the area range).
    """
    num_areas, num_t = len(AREA_RANGES), len(IOU_THRESHOLDS)
    num_dt = len(dt["group"])
    matched = np.zeros((num_areas, num_t, num_dt), bool)
    matched_ignored = np.zeros((num_areas, num_t, num_dt), bool)
    if num_dt == 0 or len(gt["group"]) == 0:
        return matched, matched_ignored
    # Ground truth of each group in slots [G, S] (input order kept).
    g_order = np.argsort(gt["group"], kind="stable")
    g_group = gt["group"][g_order]
    g_counts = np.bincount(g_group, minlength=num_groups)
    g_start = np.concatenate([[0], np.cumsum(g_counts)[:-1]])
    slots = int(g_counts.max())
    g_slot = np.arange(len(g_group)) - g_start[g_group]
    gt_box = np.zeros((num_groups, slots, 4))
    gt_box[g_group, g_slot] = gt["box"][g_order]
    gt_valid = np.zeros((num_groups, slots), bool)
    gt_valid[g_group, g_slot] = True
    gt_id = -np.ones((num_groups, slots), "int64")
    gt_id[g_group, g_slot] = g_order
    gt_ign = np.ones((num_areas, num_groups, slots), bool)
    areas = gt["area"][g_order]
    for a, (_, lo, hi) in enumerate(AREA_RANGES):
        gt_ign[a, g_group, g_slot] = (areas < lo) | (areas > hi)

    # Detections that can match anything: best IoU >= 0.5 in their group.
    has_gt = g_counts[dt["group"]] > 0
    cand = np.nonzero(has_gt)[0]  # sorted by (group, rank) already
    keep_parts, iou_parts = [], []
    step = max(1, _CHUNK // slots)
    for s in range(0, len(cand), step):
        idx = cand[s : s + step]
        grp = dt["group"][idx]
        if pair_iou is None:
            iou = _bbox_iou(dt["box"][idx][:, None, :], gt_box[grp])
        else:
            iou = pair_iou(idx, gt_id[grp])
        iou[~gt_valid[grp]] = 0.0
        ok = iou.max(axis=1) >= IOU_THRESHOLDS[0]
        keep_parts.append(idx[ok])
        iou_parts.append(iou[ok])
    cand = np.concatenate(keep_parts)
    if len(cand) == 0:
        return matched, matched_ignored
    cand_iou = np.concatenate(iou_parts)
    cand_group = dt["group"][cand]
    # Order groups by their number of candidates (descending) so that the
    # groups still active at step k are a prefix.
    c_counts = np.bincount(cand_group, minlength=num_groups)
    active_groups = np.nonzero(c_counts)[0]
    order = active_groups[np.argsort(-c_counts[active_groups], kind="stable")]
    new_id = np.full(num_groups, -1)
    new_id[order] = np.arange(len(order))
    cg = new_id[cand_group]
    # Candidates sorted by (new group id, rank); rank order is kept by stability.
    c_sort = np.argsort(cg, kind="stable")
    cand, cand_iou, cg = cand[c_sort], cand_iou[c_sort], cg[c_sort]
    counts = c_counts[order]
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    valid = gt_valid[order]
    ign = gt_ign[:, order]  # [A, G', S]
    taken = np.zeros((num_areas, num_t, len(order), slots), bool)
    thr = np.minimum(IOU_THRESHOLDS, 1 - 1e-10)[None, :, None, None]
    reverse = np.arange(slots)[::-1]
    # counts is non-increasing: the active groups at step k are the first n_k.
    active_per_step = np.searchsorted(-counts, -np.arange(int(counts[0])), side="left")
    for k in range(int(counts[0])):
        n = int(active_per_step[k])
        rows = starts[:n] + k
        iou = cand_iou[rows]  # [n, S]
        free = ~taken[:, :, :n] & valid[None, None, :n]
        ok = free & (iou[None, None] >= thr)
        ig = ign[:, None, :n]
        choice = np.full((num_areas, num_t, n), -1)
        for pick in (ok & ig, ok & ~ig):  # the second overrides the first
            score = np.where(pick, iou[None, None], -1.0)[..., reverse]
            last = slots - 1 - np.argmax(score, axis=-1)
            choice = np.where(pick.any(-1), last, choice)
        hit = choice >= 0
        safe = np.maximum(choice, 0)
        a_idx, t_idx, g_idx = np.nonzero(hit)
        taken[a_idx, t_idx, g_idx, safe[a_idx, t_idx, g_idx]] = True
        det = cand[rows]
        matched[:, :, det] = hit
        was_ign = np.take_along_axis(
            np.broadcast_to(ig, (num_areas, num_t, n, slots)), safe[..., None], -1
        )[..., 0]
        matched_ignored[:, :, det] = hit & was_ign
    return matched, matched_ignored


def _accumulate(dt, gt, matched, matched_ignored, categories):
    num_areas, num_t = len(AREA_RANGES), len(IOU_THRESHOLDS)
    num_k, num_m = len(categories), len(MAX_DETECTIONS)
    num_r = len(RECALL_THRESHOLDS)
    precision = -np.ones((num_t, num_r, num_k, num_areas, num_m))
    recall = -np.ones((num_t, num_k, num_areas, num_m))
    d_area = dt["area"]
    d_out = np.stack(
        [(d_area < lo) | (d_area > hi) for _, lo, hi in AREA_RANGES]
    )  # [A, D]
    ignored = matched_ignored | (~matched & d_out[:, None, :])
    tps_all = matched & ~ignored
    fps_all = ~matched & ~ignored
    g_area = gt["area"]
    npig = np.zeros((num_k, num_areas), "int64")
    for a, (_, lo, hi) in enumerate(AREA_RANGES):
        inside = ~((g_area < lo) | (g_area > hi))
        npig[:, a] = np.bincount(gt["cat"][inside], minlength=num_k)
    # Detections by category, then decreasing score, image, rank.
    order = np.lexsort((dt["rank"], dt["image"], -dt["score"], dt["cat"]))
    d_cat = dt["cat"][order]
    bounds = np.searchsorted(d_cat, np.arange(num_k + 1))
    eps = np.spacing(1)
    for k in range(num_k):
        sel_all = order[bounds[k] : bounds[k + 1]]
        for m, max_det in enumerate(MAX_DETECTIONS):
            sel = sel_all[dt["rank"][sel_all] < max_det]
            nd = len(sel)
            tps = tps_all[:, :, sel]
            fps = fps_all[:, :, sel]
            tp_sum = np.cumsum(tps, axis=-1).astype(float)
            fp_sum = np.cumsum(fps, axis=-1).astype(float)
            for a in range(num_areas):
                if npig[k, a] == 0:
                    continue
                if nd == 0:
                    recall[:, k, a, m] = 0.0
                    precision[:, :, k, a, m] = 0.0
                    continue
                tp, fp = tp_sum[a], fp_sum[a]  # [T, nd]
                rc = tp / npig[k, a]
                pr = tp / (fp + tp + eps)
                recall[:, k, a, m] = rc[:, -1]
                pr = np.maximum.accumulate(pr[:, ::-1], axis=-1)[:, ::-1]
                for t in range(num_t):
                    inds = np.searchsorted(rc[t], RECALL_THRESHOLDS, side="left")
                    q = np.zeros(num_r)
                    ok = inds < nd
                    q[ok] = pr[t, inds[ok]]
                    precision[t, :, k, a, m] = q
    return precision, recall


def _summarize(precision, recall):
    def mean(s):
        s = s[s > -1]
        return -1.0 if len(s) == 0 else float(np.mean(s))

    t50 = np.where(IOU_THRESHOLDS == 0.5)[0]
    t75 = np.where(IOU_THRESHOLDS == 0.75)[0]
    m100 = len(MAX_DETECTIONS) - 1
    stats = [
        mean(precision[:, :, :, 0, m100]),
        mean(precision[t50][:, :, :, 0, m100]),
        mean(precision[t75][:, :, :, 0, m100]),
        mean(precision[:, :, :, 1, m100]),
        mean(precision[:, :, :, 2, m100]),
        mean(precision[:, :, :, 3, m100]),
        mean(recall[:, :, 0, 0]),
        mean(recall[:, :, 0, 1]),
        mean(recall[:, :, 0, m100]),
        mean(recall[:, :, 1, m100]),
        mean(recall[:, :, 2, m100]),
        mean(recall[:, :, 3, m100]),
    ]
    return dict(zip(METRIC_NAMES, stats))


@api_export("keras_cv.metrics.evaluate_coco", stability="stable", rfc=RFC)
def evaluate_coco(
    ground_truth,
    predictions,
    bounding_box_format="xyxy",
    image_shape=None,
    iou_type="bbox",
):
    """Computes the 12 standard COCO box or mask statistics for a set of images.

    The results equal those of the reference COCO evaluation code
    (pycocotools, bbox mode, no crowd annotations) but are computed with
    vectorized NumPy. Every image of the batch counts, including images
    without predictions and images without ground truth; dense (-1 padded),
    ragged and list inputs give the same result.

    Args:
        ground_truth: a dict with `"boxes"` (`[B, N, 4]`, ragged, or a list
            of `[N_i, 4]` arrays) and `"labels"` (or `"classes"`); rows with
            label -1 are padding. Labels must be whole numbers >= -1
            (other negative or fractional labels raise, in both dicts).
        predictions: a dict with `"boxes"`, `"labels"` (or `"classes"`) and
            `"scores"` (or `"confidence"`), and optionally
            `"num_detections"` (`[B]`, as returned by
            `NMSDetectionDecoder`: later rows are ignored).
        bounding_box_format: the format of both box sets. Areas are in
            pixels, so relative formats need `image_shape`.
        image_shape: `(height, width)` for relative formats: positive ints
            (strings and other types raise).
        iou_type: `"bbox"` to match boxes, or `"segm"` to match instance
            masks (COCO mask AP, as pycocotools' `segm` evaluation): both
            dicts then need `"masks"` instead of `"boxes"`, one per row, as
            a dense `(batch, rows, height, width)` array or a list per image
            of binary `(height, width)` masks or COCO RLE dicts
            (`{"size": [h, w], "counts": ...}`, compressed or not). Areas
            and IoUs are then mask pixel counts.

    Returns:
        A dict of the 12 statistics, in the usual order: `"AP"`
        (IoU .50:.95), `"AP50"`, `"AP75"`, `"APs"`, `"APm"`, `"APl"`,
        `"ARmax1"`, `"ARmax10"`, `"ARmax100"`, `"ARs"`, `"ARm"`, `"ARl"`.
        A statistic with no ground truth to measure is -1.

    Examples:

    >>> gt = {"boxes": [[[0.0, 0.0, 10.0, 10.0]]], "labels": [[1]]}
    >>> pred = {"boxes": [[[0.0, 0.0, 10.0, 10.0]]], "labels": [[1]],
    ...         "scores": [[0.9]]}
    >>> round(keras_cv.metrics.evaluate_coco(gt, pred)["AP"], 6)
    1.0
    """
    fmt = validate_format(bounding_box_format)
    image_shape = check_image_shape(image_shape)
    if iou_type not in ("bbox", "segm"):
        raise ValueError(
            "`iou_type` must be 'bbox' (box AP) or 'segm' (mask AP). "
            f"Received: iou_type={iou_type!r}."
        )
    masks = None
    if iou_type == "segm":
        ground_truth, predictions, masks = _with_mask_boxes(ground_truth, predictions)
        fmt, image_shape = "xyxy", None
    n_gt, gt_img, gt_box, gt_f = _flatten(
        ground_truth, "ground_truth", fmt, image_shape
    )
    n_dt, dt_img, dt_box, dt_f = _flatten(predictions, "predictions", fmt, image_shape)
    if n_gt != n_dt:
        raise ValueError(
            "`ground_truth` and `predictions` must cover the same images. "
            f"Received {n_gt} images of ground truth and {n_dt} of predictions. "
            "Pass an empty row (or all -1 labels) for images with no boxes."
        )
    dt_img_all = dt_img
    categories, gt_cat = np.unique(gt_f["labels"], return_inverse=True)
    num_k = len(categories)
    # Detections of categories without ground truth do not count.
    pos = (
        np.searchsorted(categories, dt_f["labels"])
        if num_k
        else np.zeros(len(dt_img), "int64")
    )
    known = (
        (pos < num_k)
        & (categories[np.minimum(pos, max(num_k - 1, 0))] == dt_f["labels"])
        if num_k
        else np.zeros(len(dt_img), bool)
    )
    dt_src = np.arange(len(dt_img))[known]
    dt_img, dt_box, dt_score, dt_cat = (
        dt_img[known],
        dt_box[known],
        dt_f["scores"][known],
        pos[known],
    )
    # Rank within (image, category) by decreasing score, input order on ties.
    dt_group = dt_img * max(num_k, 1) + dt_cat
    order = np.lexsort((np.arange(len(dt_group)), -dt_score, dt_group))
    dt_src = dt_src[order]
    dt_img, dt_box, dt_score, dt_cat, dt_group = (
        dt_img[order],
        dt_box[order],
        dt_score[order],
        dt_cat[order],
        dt_group[order],
    )
    first = np.searchsorted(dt_group, dt_group, side="left")
    rank = np.arange(len(dt_group)) - first
    keep = rank < MAX_DETECTIONS[-1]
    dt = {
        "image": dt_img[keep],
        "box": dt_box[keep],
        "score": dt_score[keep],
        "cat": dt_cat[keep],
        "group": dt_group[keep],
        "rank": rank[keep],
        "src": dt_src[keep],
    }
    dt["area"] = dt["box"][:, 2] * dt["box"][:, 3]
    gt = {
        "box": gt_box,
        "cat": gt_cat.astype("int64"),
        "group": gt_img * max(num_k, 1) + gt_cat,
        "area": gt_box[:, 2] * gt_box[:, 3],
    }
    num_groups = n_gt * max(num_k, 1)
    pair_iou = None
    if masks is not None:
        gt_masks, dt_masks = masks
        pairs = coco_masks.PairIoU(
            [dt_masks[i][r] for i, r in zip(dt_img_all, dt_f["_row"])],
            dt_img_all,
            [gt_masks[i][r] for i, r in zip(gt_img, gt_f["_row"])],
            gt_img,
            n_gt,
        )
        dt["area"] = pairs.dt_area[dt["src"]]
        gt["area"] = pairs.gt_area

        def pair_iou(indices, gt_indices):
            return pairs(dt["src"][indices], gt_indices)

    matched, matched_ignored = _match(dt, gt, num_groups, pair_iou)
    precision, recall = _accumulate(dt, gt, matched, matched_ignored, categories)
    return _summarize(precision, recall)


def _with_mask_boxes(ground_truth, predictions):
    """For `iou_type="segm"`: decodes the masks and puts their bounds in
    `"boxes"` (xyxy), so that the box bookkeeping can be shared."""
    decoded, out = [], []
    for role, data in (("ground_truth", ground_truth), ("predictions", predictions)):
        if not isinstance(data, dict) or "masks" not in data:
            raise ValueError(
                f"With iou_type='segm', `{role}` must be a dict with 'masks' "
                "(one binary mask or COCO RLE dict per row) and 'labels'"
                + (" and 'scores'" if role == "predictions" else "")
                + ". Received "
                + (
                    f"keys {sorted(data)}."
                    if isinstance(data, dict)
                    else f"{type(data).__name__}."
                )
            )
        labels = data.get("labels", data.get("classes"))
        num_images = len(_per_image(labels, "labels")) if labels is not None else 0
        masks = coco_masks.masks_per_image(data["masks"], role, num_images)
        data = dict(data)
        data["boxes"] = [coco_masks.mask_boxes(m) for m in masks]
        decoded.append(masks)
        out.append(data)
    return out[0], out[1], tuple(decoded)
