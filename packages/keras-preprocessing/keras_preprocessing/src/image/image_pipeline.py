# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Image augmentation pipelines with directory, dataframe and preview helpers."""

import os
import zlib

import keras
import numpy as np
import tensorflow as tf

from keras_core import api_export
from keras_preprocessing.src.image.rfc import IMAGE_RFC
from keras_preprocessing.src.stages.preprocessing_stage import PreprocessingStage

IMAGE_EXTENSIONS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
_CHANNELS = {"grayscale": 1, "rgb": 3, "rgba": 4}
_TARGET_MODES = ("categorical", "binary", "int", "raw", None)


def _layer_keys(layers):
    """A stable 31-bit id per layer: its class name and its rank among the
    layers of that class in the pipeline.

    Two pipelines given the same seed draw the same transformation for
    layers with the same id, whatever other layers they hold (e.g. an image
    pipeline with extra intensity layers and a mask pipeline without them).
    """
    seen, keys = {}, []
    for layer in layers:
        name = type(layer).__name__
        rank = seen.get(name, 0)
        seen[name] = rank + 1
        keys.append(zlib.crc32(f"{name}/{rank}".encode()) & 0x7FFFFFFF)
    return keys


class _KeyedSeeds(keras.random.SeedGenerator):
    """A stateless seed source for one layer and one batch.

    Keras's augmentation layers draw their random numbers from a
    `SeedGenerator`; this one has no variable: its i-th seed is derived from
    a key tensor and i. Transformations then depend only on the key (the
    pipeline seed, the batch and the layer), not on the order in which
    parallel `tf.data` calls run, so separate pipelines stay in step.
    """

    def __init__(self, key):  # no state variable: do not call super().__init__
        self._key = key
        self._draws = 0
        self.name = "keyed_seeds"

    def next(self, ordered=True):
        seed = tf.random.experimental.stateless_fold_in(self._key, self._draws)
        self._draws += 1
        return tf.cast(seed, "int64")


def _fold(key, value):
    return tf.random.experimental.stateless_fold_in(key, value)


def _batch_keys(seed):
    """A dataset of per-batch keys: the same sequence for the same seed,
    a new one every epoch."""
    return tf.data.Dataset.random(seed=int(seed), rerandomize_each_iteration=True).map(
        lambda value: tf.stack([tf.constant(int(seed), "int64"), value])
    )


def _is_augmentation(layer):
    return all(
        hasattr(layer, m)
        for m in (
            "get_random_transformation",
            "transform_images",
            "transform_segmentation_masks",
        )
    )


def _read_image(path, channels, size, method="bilinear"):
    """Decodes one image file and resizes it to `size` (float32)."""
    image = tf.io.decode_image(
        tf.io.read_file(path), channels=channels, expand_animations=False
    )
    image = tf.image.resize(image, size, method=method)
    if method == "nearest":
        image = tf.cast(image, "float32")
    image.set_shape(tuple(size) + (channels,))
    return image


def _list_images(directory, follow_links):
    """Sorted paths of the image files under `directory`."""
    paths = []
    for root, _, files in os.walk(directory, followlinks=follow_links):
        paths.extend(
            os.path.join(root, f) for f in files if f.lower().endswith(IMAGE_EXTENSIONS)
        )
    return sorted(paths)


def _check_common(color_mode, batch_size, image_size, validation_split, subset):
    if color_mode not in _CHANNELS:
        raise ValueError(
            f"`color_mode` must be one of {tuple(_CHANNELS)}. Received: color_mode={color_mode!r}."
        )
    if not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(
            f"`batch_size` must be a positive int. Received: batch_size={batch_size!r}."
        )
    if not (
        isinstance(image_size, (list, tuple))
        and len(image_size) == 2
        and all(int(s) > 0 for s in image_size)
    ):
        raise ValueError(
            f"`image_size` must be (height, width). Received: image_size={image_size!r}."
        )
    if validation_split is not None:
        if not 0 < validation_split < 1:
            raise ValueError(
                f"`validation_split` must be in (0, 1). Received: {validation_split!r}."
            )
        if subset not in ("training", "validation", "both"):
            raise ValueError(
                "With `validation_split`, `subset` must be 'training', 'validation' or 'both'. "
                f"Received: subset={subset!r}."
            )


@api_export(
    "keras_preprocessing.image.ImagePipeline", stability="stable", rfc=IMAGE_RFC
)
class ImagePipeline(PreprocessingStage):
    """A sequence of image preprocessing and augmentation layers.

    Chain Keras's image layers (`keras.layers.RandomFlip`, `RandomRotation`,
    `RandomZoom`, `RandomTranslation`, `RandomBrightness`, `RandomContrast`,
    `RandomSaturation`, `Resizing`, `CenterCrop`, `RandomCrop`,
    `Rescaling`), this package's `RandomWidth`/`RandomHeight`,
    `Normalization`, or other pipelines. The pipeline is a preprocessing
    stage: `adapt` fits the layers that need it (e.g. `Normalization`) in
    order, and it can be called like a layer or used to build `tf.data`
    pipelines from a directory (`from_directory`) or a pandas dataframe
    (`from_dataframe`). `preview` writes a grid of augmented samples.

    Segmentation: `pipeline(images, masks=masks)` draws ONE random
    transformation per layer and applies it to both; spatial layers
    transform masks with nearest-neighbour interpolation (mask values stay
    class ids) and intensity layers (brightness, contrast, saturation,
    rescaling, normalization) leave masks untouched. With `seed`, the
    sequence of transformations is reproducible, and two pipelines with the
    same seed draw the same transformation for their layers of the same
    class and rank: masks kept in a separate pipeline or dataset follow the
    images through `transform_masks` or `from_directory(..., as_masks=True)`,
    or load images and masks together with `from_directory(...,
    mask_directory=...)`.

    Args:
        layers: list of layers.
        seed: optional int; seeds every random layer of the pipeline
            (overriding their own seeds); each layer's draws derive from the
            seed, the call (or batch) and the layer's class and rank.
        **kwargs: base layer arguments.

    Call arguments:
        images: `(batch, height, width, channels)` or one image.
        masks: optional `(batch, height, width[, 1])` segmentation masks.
        training: apply the random augmentations (default `True`).

    Input shape:
        `(batch, height, width, channels)`.

    Output shape:
        The images after every layer; `(images, masks)` when masks are given.

    Examples:

    ```python
    from keras_preprocessing.image import ImagePipeline

    pipeline = ImagePipeline(
        [keras.layers.RandomFlip("horizontal"), keras.layers.RandomBrightness(0.2)], seed=1
    )
    images, masks = pipeline(np.zeros((2, 8, 8, 3)), masks=np.zeros((2, 8, 8, 1), "int32"))
    # Masks alone, moved like the images of a pipeline with the same seed:
    same_seed = ImagePipeline([keras.layers.RandomFlip("horizontal")], seed=1)
    masks_alone = same_seed.transform_masks(np.zeros((2, 8, 8, 1), "int32"))
    ```
    """

    def __init__(self, layers, seed=None, **kwargs):
        super().__init__(layers=layers, **kwargs)
        self.seed = seed
        # Draws one key per call when the pipeline has a seed (created now:
        # state cannot be added once built).
        self._call_seeds = (
            keras.random.SeedGenerator(int(seed)) if seed is not None else None
        )

    def _run(self, images, masks, training, key=None, masks_only=False):
        """Applies the layers; `key` (int64 `[2]`) makes every draw stateless."""
        if key is None and self._call_seeds is not None:
            key = self._call_seeds.next()
        layers = self.stage_layers
        for layer, layer_key in zip(layers, _layer_keys(layers)):
            sub_key = None if key is None else _fold(key, layer_key)
            if isinstance(layer, ImagePipeline):
                images, masks = layer._run(images, masks, training, sub_key, masks_only)
            elif _is_augmentation(layer):
                float_masks = None if masks is None else tf.cast(masks, "float32")
                source = float_masks if masks_only else images
                data = (
                    source
                    if masks is None
                    else {"images": source, "segmentation_masks": float_masks}
                )
                transformation = layer.get_random_transformation(
                    data,
                    training=training,
                    seed=None if sub_key is None else _KeyedSeeds(sub_key),
                )
                if not masks_only:
                    images = layer.transform_images(
                        images, transformation, training=training
                    )
                if masks is not None:
                    moved = layer.transform_segmentation_masks(
                        float_masks, transformation, training=training
                    )
                    masks = tf.cast(moved, masks.dtype)
            elif not masks_only:
                images = layer(images)
        return images, masks

    def transform_masks(self, masks, training=True):
        """Applies the pipeline's spatial transformations to masks alone.

        The counterpart of calling an image pipeline, for the masks of a
        segmentation dataset held in a separate pipeline or dataset: layers
        with a mask transformation (flips, rotations, zooms, translations,
        crops, resizing, `RandomWidth`/`RandomHeight`) move the masks with
        nearest-neighbour interpolation, intensity layers leave them as
        they are, and other layers (e.g. `Rescaling`, `Normalization`) are
        skipped. A pipeline with the same `seed` (or a pipeline holding the
        same spatial layers in the same order) called on the images draws
        the same transformations, so images and masks stay aligned.

        Args:
            masks: `(batch, height, width[, 1])` class ids, or one mask
                `(height, width, 1)`.
            training: apply the random transformations (default `True`).

        Returns:
            The transformed masks, with the input's shape and dtype.
        """
        masks = tf.convert_to_tensor(masks)
        single = masks.shape.rank == 3 and masks.shape[-1] == 1
        if single:
            masks = masks[None]
        squeeze = masks.shape.rank == 3
        if squeeze:
            masks = masks[..., None]
        if masks.shape.rank != 4:
            raise ValueError(
                "`masks` must have shape (batch, height, width), (batch, height, width, 1) or "
                f"(height, width, 1). Received shape {tuple(masks.shape)}."
            )
        _, masks = self._run(None, masks, training, masks_only=True)
        if squeeze:
            masks = masks[..., 0]
        return masks[0] if single else masks

    def call(self, images, masks=None, training=True):
        images = tf.convert_to_tensor(images)
        single = images.shape.rank == 3
        if single:
            images = images[None]
        if images.shape.rank != 4:
            raise ValueError(
                f"ImagePipeline expects images of shape (batch, height, width, channels) or one image "
                f"(height, width, channels). Received shape {tuple(images.shape)}."
            )
        images = tf.cast(images, self.compute_dtype)
        squeeze_mask = False
        if masks is not None:
            masks = tf.convert_to_tensor(masks)
            if single:
                masks = masks[None]
            if masks.shape.rank == 3:
                masks, squeeze_mask = masks[..., None], True
            if masks.shape.rank != 4 or masks.shape[1:3] != images.shape[1:3]:
                raise ValueError(
                    "`masks` must have the images' height and width, shape (batch, height, width[, 1]). "
                    f"Received masks of shape {tuple(masks.shape)} for images of shape {tuple(images.shape)}."
                )
        images, masks = self._run(images, masks, training)
        if single:
            images = images[0]
            masks = None if masks is None else masks[0]
        if masks is None:
            return images
        return images, (masks[..., 0] if squeeze_mask else masks)

    def compute_output_spec(self, images, masks=None, training=None):
        return self._stage.compute_output_spec(images)

    def _has_augmentation(self):
        """Whether any layer (nested pipelines included) draws transformations."""
        return any(
            layer._has_augmentation()
            if isinstance(layer, ImagePipeline)
            else _is_augmentation(layer)
            for layer in self.stage_layers
        )

    def _augment_dataset(self, dataset, layout, training=True, seed=None):
        """Maps the pipeline over a batched dataset.

        `layout` says what each element holds: `"images"`, `"targets"`
        (images then targets/weights), `"pairs"` (images and masks, one
        transformation for both) or `"masks"` (masks alone). With a seed
        (this call's, else the pipeline's), every batch gets a key from a
        seeded random dataset, so the transformations do not depend on the
        order of the parallel map calls and another pipeline mapped with the
        same seed over a dataset of the same size draws the same ones.
        """
        seed = self.seed if seed is None else seed

        def images_only(images, key):
            images = tf.cast(images, self.compute_dtype)
            return self._run(images, None, training, key)[0]

        def apply(element, key=None):
            if layout == "images":
                return images_only(element, key)
            if layout == "targets":
                return (images_only(element[0], key),) + tuple(element[1:])
            if layout == "pairs":
                images = tf.cast(element[0], self.compute_dtype)
                return self._run(images, element[1], training, key)
            return self._run(None, element, training, key, masks_only=True)[1]

        def unpack(element):
            return element if layout in ("images", "masks") else tuple(element)

        if seed is None or not self._has_augmentation():
            # Without a seed, or when no layer draws a transformation (the
            # per-batch keys would go unused): a plain map, with a constant
            # key in the second case.
            key = None if seed is None else tf.zeros([2], "int64")
            dataset = dataset.map(
                lambda *e: apply(unpack(e[0] if len(e) == 1 else e), key),
                num_parallel_calls=tf.data.AUTOTUNE,
            )
        else:
            dataset = tf.data.Dataset.zip((dataset, _batch_keys(seed))).map(
                lambda element, key: apply(unpack(element), key),
                num_parallel_calls=tf.data.AUTOTUNE,
            )
        return dataset.prefetch(tf.data.AUTOTUNE)

    def from_directory(
        self,
        directory,
        targets="inferred",
        target_mode="categorical",
        class_names=None,
        color_mode="rgb",
        batch_size=32,
        image_size=(256, 256),
        shuffle=True,
        seed=None,
        follow_links=False,
        validation_split=None,
        subset=None,
        mask_directory=None,
        as_masks=False,
    ):
        """Builds a `tf.data.Dataset` of augmented images from a directory.

        Images are read and resized by `keras.utils.image_dataset_from_directory`
        (same arguments; `targets` and `target_mode` are its `labels` and
        `label_mode`), then every batch goes through the pipeline: with
        `training=True` (random augmentation) for training data, with
        `training=False` for the validation subset (only the deterministic
        layers, e.g. resizing and rescaling, apply).

        Segmentation, two ways. With `mask_directory`, each image is paired
        with the mask file of the same name stem (`cat_01.jpg` with
        `cat_01.png`, anywhere under `mask_directory`); masks are read with
        one channel, resized with nearest-neighbour interpolation, kept as
        int32 class ids, and transformed with the images (one
        transformation for both, spatial layers only for the masks): the
        dataset yields `(images, masks)`. Or build two datasets with the
        same `seed` and zip them: `from_directory(images_dir, targets=None,
        seed=s)` and `from_directory(masks_dir, targets=None, seed=s,
        as_masks=True)` (on the same pipeline, or on one that holds the same
        spatial layers): files are matched by their sorted order and every
        batch of masks gets the spatial transformations of its batch of
        images.

        Args:
            directory: with `targets="inferred"`, one subdirectory of images
                per class; otherwise any tree of images.
            targets: `"inferred"` (from subdirectory names), `None`, or a
                list of int labels in the sorted order of the image paths.
                Ignored with `mask_directory` (the masks are the targets).
            target_mode: `"categorical"` (one-hot), `"binary"` (two classes,
                float 0/1), `"int"`, or `None`.
            class_names: explicit class order (subdirectory names).
            color_mode: `"grayscale"`, `"rgb"` or `"rgba"` (of the images;
                masks are read with one channel).
            batch_size: images per batch.
            image_size: `(height, width)` every image is resized to.
            shuffle: shuffle the files (else alphanumeric order).
            seed: seeds the shuffling, the split and the pipeline's random
                transformations (default: the pipeline's `seed`).
            follow_links: follow symbolic links to subdirectories.
            validation_split: fraction of the files held out.
            subset: `"training"`, `"validation"` or `"both"` (a pair of
                datasets) when `validation_split` is set.
            mask_directory: optional directory of segmentation masks, one
                per image, matched by file name stem.
            as_masks: the files of `directory` are segmentation masks (read
                with one channel, nearest-neighbour resizing, int32, only
                the spatial transformations); needs `targets=None`.

        Returns:
            A `tf.data.Dataset` of `(images, targets)`, images only,
            `(images, masks)` with `mask_directory`, or masks with
            `as_masks` (a pair of datasets with `subset="both"`).
        """
        _check_common(color_mode, batch_size, image_size, validation_split, subset)
        for argument, path in (
            ("directory", directory),
            ("mask_directory", mask_directory),
        ):
            if path is not None and not os.path.isdir(path):
                raise ValueError(
                    f"`{argument}` {path!r} does not exist or is not a directory."
                )
        if not _list_images(directory, follow_links):
            raise ValueError(
                f"No images found in directory {directory!r} (looked for files ending in {', '.join(IMAGE_EXTENSIONS)}"
                " in it and its subdirectories). Check the path, or write the images there first."
            )
        if target_mode not in ("categorical", "binary", "int", None):
            raise ValueError(
                f"`target_mode` must be 'categorical', 'binary', 'int' or None. Received: {target_mode!r}."
            )
        if as_masks and (targets is not None or mask_directory is not None):
            raise ValueError(
                "`as_masks=True` reads a directory of masks alone: pass `targets=None` and no "
                f"`mask_directory`. Received: targets={targets!r}, mask_directory={mask_directory!r}."
            )
        if seed is None and (shuffle or validation_split is not None):
            # One seed for the file order and the transformations.
            seed = self.seed
        if mask_directory is not None:
            if targets is not None and not isinstance(targets, str):
                raise ValueError(
                    "With `mask_directory` the masks are the targets; `targets` cannot be a list. "
                    "Pass targets='inferred' (ignored) or None."
                )
            return self._paired_datasets(
                directory,
                mask_directory,
                color_mode,
                batch_size,
                tuple(int(v) for v in image_size),
                shuffle,
                seed,
                follow_links,
                validation_split,
                subset,
            )
        datasets = keras.utils.image_dataset_from_directory(
            directory,
            labels=targets,
            label_mode=target_mode if targets is not None else None,
            class_names=class_names,
            color_mode="grayscale" if as_masks else color_mode,
            batch_size=batch_size,
            image_size=tuple(image_size),
            shuffle=shuffle,
            seed=seed,
            validation_split=validation_split,
            subset=subset,
            interpolation="nearest" if as_masks else "bilinear",
            follow_links=follow_links,
            verbose=False,
        )
        if as_masks:
            layout = "masks"
            cast = lambda d: d.map(lambda m: tf.cast(m, "int32"))  # noqa: E731
        else:
            layout = "targets" if targets is not None else "images"
            cast = lambda d: d  # noqa: E731
        if isinstance(datasets, (list, tuple)):
            train, val = datasets
            return (
                self._augment_dataset(cast(train), layout, True, seed),
                self._augment_dataset(cast(val), layout, False, seed),
            )
        training = subset != "validation"
        return self._augment_dataset(cast(datasets), layout, training, seed)

    def _paired_datasets(
        self,
        directory,
        mask_directory,
        color_mode,
        batch_size,
        image_size,
        shuffle,
        seed,
        follow_links,
        validation_split,
        subset,
    ):
        """`(images, masks)` datasets for `from_directory(mask_directory=...)`."""
        images = _list_images(directory, follow_links)
        masks = {}
        for path in _list_images(mask_directory, follow_links):
            stem = os.path.splitext(os.path.basename(path))[0]
            if stem in masks:
                raise ValueError(
                    f"Two masks in {mask_directory!r} have the name stem {stem!r}: {masks[stem]!r} and "
                    f"{path!r}. Masks are matched to images by stem; rename one."
                )
            masks[stem] = path
        stems = [os.path.splitext(os.path.basename(p))[0] for p in images]
        missing = [p for p, stem in zip(images, stems) if stem not in masks]
        if missing:
            raise ValueError(
                f"{len(missing)} of the {len(images)} images in {directory!r} have no mask with the same "
                f"name stem in {mask_directory!r}, e.g. {missing[0]!r}. Every image needs a mask file "
                "named like it (any image extension)."
            )
        pairs = np.array([(p, masks[stem]) for p, stem in zip(images, stems)])
        if shuffle:
            rng = np.random.default_rng(
                seed if seed is not None else np.random.randint(1 << 31)
            )
            pairs = pairs[rng.permutation(len(pairs))]
        channels = _CHANNELS[color_mode]

        def load(image_path, mask_path):
            mask = _read_image(mask_path, 1, image_size, method="nearest")
            return _read_image(image_path, channels, image_size), tf.cast(mask, "int32")

        def build(rows, training):
            ds = tf.data.Dataset.from_tensor_slices((rows[:, 0], rows[:, 1]))
            if shuffle and training:
                ds = ds.shuffle(max(len(rows), 1), seed=seed)
            ds = ds.map(load, num_parallel_calls=tf.data.AUTOTUNE).batch(batch_size)
            return self._augment_dataset(ds, "pairs", training, seed)

        if validation_split is None:
            return build(pairs, True)
        n_val = int(validation_split * len(pairs))
        train = build(pairs[: len(pairs) - n_val], True)
        val = build(pairs[len(pairs) - n_val :], False)
        return {"training": train, "validation": val, "both": (train, val)}[subset]

    def from_dataframe(
        self,
        dataframe,
        directory=None,
        data_column="filename",
        target_column="class",
        target_mode="categorical",
        weight_column=None,
        color_mode="rgb",
        batch_size=32,
        image_size=(256, 256),
        shuffle=True,
        seed=None,
        validation_split=None,
        subset=None,
    ):
        """Builds a `tf.data.Dataset` of augmented images listed in a dataframe.

        Rows are shuffled (with `seed`) before the split; as in
        `from_directory`, the validation subset is not randomly augmented.

        Args:
            dataframe: a `pandas.DataFrame`, one row per image.
            directory: optional directory the paths are relative to.
            data_column: column of image paths.
            target_column: column of targets.
            target_mode: `"categorical"` (one-hot over the sorted distinct
                values), `"binary"` (two distinct values, float 0/1 in sorted
                order), `"int"` (index in the sorted distinct values), `"raw"`
                (the column's numbers as float32), or `None` (no targets).
            weight_column: optional column of sample weights.
            color_mode: `"grayscale"`, `"rgb"` or `"rgba"`.
            batch_size: images per batch.
            image_size: `(height, width)` every image is resized to.
            shuffle: shuffle the rows (else the dataframe order).
            seed: seeds the shuffling, the split and the transformations.
            validation_split: fraction of the rows held out.
            subset: `"training"`, `"validation"` or `"both"`.

        Returns:
            A `tf.data.Dataset` of `images`, `(images, targets)` or
            `(images, targets, weights)`.
        """
        import pandas as pd

        if not isinstance(dataframe, pd.DataFrame):
            raise TypeError(
                f"`dataframe` must be a pandas DataFrame. Received: {type(dataframe).__name__}."
            )
        _check_common(color_mode, batch_size, image_size, validation_split, subset)
        if target_mode not in _TARGET_MODES:
            raise ValueError(
                f"`target_mode` must be one of {_TARGET_MODES}. Received: {target_mode!r}."
            )
        needed = [("data_column", data_column)]
        if target_mode is not None:
            needed.append(("target_column", target_column))
        if weight_column is not None:
            needed.append(("weight_column", weight_column))
        for argument, column in needed:
            if column not in dataframe.columns:
                raise ValueError(
                    f"`{argument}`={column!r} is not a column of the dataframe. Its columns are: "
                    f"{list(dataframe.columns)}. Pass `{argument}=` one of them."
                )
        if len(dataframe) == 0:
            raise ValueError("The dataframe has no rows; there are no images to load.")
        paths = [
            os.path.join(directory, str(p)) if directory else str(p)
            for p in dataframe[data_column]
        ]
        missing = [p for p in paths if not os.path.exists(p)]
        if missing:
            raise ValueError(
                f"{len(missing)} image file(s) listed in column {data_column!r} do not exist, e.g. {missing[0]!r}. "
                "Check `directory` and the paths."
            )
        columns = [np.asarray(paths)]
        if target_mode is not None:
            values = dataframe[target_column]
            if target_mode == "raw":
                columns.append(values.to_numpy("float32"))
            else:
                classes = sorted(values.astype(str).unique())
                index = {c: i for i, c in enumerate(classes)}
                ids = np.array([index[v] for v in values.astype(str)], "int32")
                if target_mode == "binary":
                    if len(classes) != 2:
                        raise ValueError(
                            f"target_mode='binary' needs exactly 2 distinct values in {target_column!r}; found "
                            f"{len(classes)}: {classes[:10]}. Use target_mode='categorical'."
                        )
                    columns.append(ids.astype("float32")[:, None])
                elif target_mode == "categorical":
                    columns.append(np.eye(len(classes), dtype="float32")[ids])
                else:
                    columns.append(ids)
        if weight_column is not None:
            columns.append(dataframe[weight_column].to_numpy("float32"))
        order = np.arange(len(paths))
        if shuffle or validation_split is not None:
            rng = np.random.default_rng(
                seed if seed is not None else np.random.randint(1 << 31)
            )
            if shuffle:
                rng.shuffle(order)
        columns = [c[order] for c in columns]
        channels = _CHANNELS[color_mode]
        size = tuple(int(s) for s in image_size)

        def load(path, *rest):
            image = _read_image(path, channels, size)
            return (image,) + rest if rest else image

        def build(cols, training=True):
            ds = tf.data.Dataset.from_tensor_slices(
                tuple(cols) if len(cols) > 1 else cols[0]
            )
            ds = ds.map(load, num_parallel_calls=tf.data.AUTOTUNE).batch(batch_size)
            layout = "targets" if len(cols) > 1 else "images"
            return self._augment_dataset(ds, layout, training, seed)

        if validation_split is None:
            return build(columns)
        n_val = int(round(validation_split * len(paths)))
        train = build([c[: len(paths) - n_val] for c in columns])
        val = build([c[len(paths) - n_val :] for c in columns], training=False)
        return {"training": train, "validation": val, "both": (train, val)}[subset]

    def preview(
        self,
        data,
        save_to_directory=None,
        save_prefix=None,
        save_format="png",
        num_samples=4,
    ):
        """Writes a grid of augmented samples to see what the pipeline does.

        Each row shows one input image followed by `num_samples` outputs of
        the pipeline (random layers active). Values are rescaled to 0-255 per
        image for display.

        Args:
            data: image paths, PIL images, arrays or tensors (a list, or a
                batch array `(n, height, width, channels)`); at most 8 rows.
            save_to_directory: directory to write the grid to; without it,
                the grid is returned as a PIL image (displayed by notebooks).
            save_prefix: file name prefix (default `"preview"`).
            save_format: `"png"` (default), `"jpeg"` or any Pillow format.
            num_samples: augmented samples per image.

        Returns:
            The path of the written file, or a PIL image.
        """
        from PIL import Image

        if isinstance(data, (np.ndarray, tf.Tensor)) and len(data.shape) == 4:
            items = [data[i] for i in range(data.shape[0])]
        elif isinstance(data, (list, tuple)):
            items = list(data)
        else:
            items = [data]
        if not items:
            raise ValueError("`preview` received no images.")
        arrays = []
        for item in items[:8]:
            if isinstance(item, str):
                if not os.path.exists(item):
                    raise ValueError(
                        f"`preview` could not find the image file {item!r}."
                    )
                item = Image.open(item).convert("RGB")
            array = np.asarray(item, dtype="float32")
            if array.ndim == 2:
                array = array[..., None]
            if array.ndim != 3:
                raise ValueError(
                    f"`preview` expects images of shape (height, width, channels). Received {array.shape}."
                )
            arrays.append(array)
        height, width = arrays[0].shape[:2]
        batch = np.stack(
            [
                tf.image.resize(a, (height, width)).numpy()
                if a.shape[:2] != (height, width)
                else a
                for a in arrays
            ]
        )
        columns = [batch] + [
            np.asarray(self(batch, training=True)) for _ in range(num_samples)
        ]

        def to_uint8(image):
            image = np.asarray(tf.image.resize(image, (height, width)))
            if image.shape[-1] == 1:
                image = np.repeat(image, 3, axis=-1)
            image = image[..., :3]
            lo, hi = float(image.min()), float(image.max())
            if lo < 0 or hi > 255:
                image = (image - lo) / max(hi - lo, 1e-6) * 255
            elif hi <= 1.0:
                image = image * 255
            return np.clip(image, 0, 255).astype("uint8")

        pad = 2
        grid = np.full(
            (len(batch) * (height + pad) + pad, len(columns) * (width + pad) + pad, 3),
            255,
            "uint8",
        )
        for r in range(len(batch)):
            for c, column in enumerate(columns):
                y, x = pad + r * (height + pad), pad + c * (width + pad)
                grid[y : y + height, x : x + width] = to_uint8(column[r])
        picture = Image.fromarray(grid)
        if save_to_directory is None:
            return picture
        os.makedirs(save_to_directory, exist_ok=True)
        path = os.path.join(
            save_to_directory, f"{save_prefix or 'preview'}.{save_format}"
        )
        picture.save(path)
        return path

    def get_config(self):
        config = super().get_config()
        config["seed"] = self.seed
        return config
