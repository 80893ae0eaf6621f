# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Image augmentation pipelines with directory, dataframe and preview helpers."""

import os

import keras
import numpy as np
import tensorflow as tf

from keras_core import api_export
from keras_preprocessing.src.image.rfc import IMAGE_RFC
from keras_preprocessing.src.stages.preprocessing_stage import PreprocessingStage

IMAGE_EXTENSIONS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
_CHANNELS = {"grayscale": 1, "rgb": 3, "rgba": 4}
_TARGET_MODES = ("categorical", "binary", "int", "raw", None)


def _layer_seed(seed, position):
    """The seed of the augmentation layer at `position` for a pipeline seed."""
    return None if seed is None else (int(seed) * 1009 + 7919 * position) % (2**31 - 1)


def _is_augmentation(layer):
    return all(
        hasattr(layer, m)
        for m in (
            "get_random_transformation",
            "transform_images",
            "transform_segmentation_masks",
        )
    )


def _count_images(directory, follow_links):
    count = 0
    for _, _, files in os.walk(directory, followlinks=follow_links):
        count += sum(f.lower().endswith(IMAGE_EXTENSIONS) for f in files)
    return count


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
    sequence of transformations is reproducible.

    Args:
        layers: list of layers.
        seed: optional int; seeds every random layer of the pipeline
            (overriding their own seeds); the layer at position `i` gets a
            seed derived from `(seed, i)`.
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
    ```
    """

    def __init__(self, layers, seed=None, **kwargs):
        super().__init__(layers=layers, **kwargs)
        self.seed = seed
        # One generator per augmentation layer, created now (state cannot be
        # added once built) and re-seeded in place by `from_directory(seed=)`.
        self._seed_generators = [
            keras.random.SeedGenerator(_layer_seed(seed, i))
            if _is_augmentation(layer)
            else None
            for i, layer in enumerate(self.stage_layers)
        ]
        self._use_layer_seeds = seed is None

    def _reseed(self, seed):
        for i, generator in enumerate(self._seed_generators):
            if generator is not None:
                generator.state.assign(
                    tf.cast([_layer_seed(seed, i), 0], generator.state.dtype)
                )
        self._use_layer_seeds = False

    def _run(self, images, masks, training):
        for layer, generator in zip(self.stage_layers, self._seed_generators):
            if isinstance(layer, ImagePipeline):
                images, masks = layer._run(images, masks, training)
            elif _is_augmentation(layer):
                data = (
                    images
                    if masks is None
                    else {"images": images, "segmentation_masks": masks}
                )
                seed = None if self._use_layer_seeds else generator
                transformation = layer.get_random_transformation(
                    data, training=training, seed=seed
                )
                images = layer.transform_images(
                    images, transformation, training=training
                )
                if masks is not None:
                    dtype = masks.dtype
                    moved = layer.transform_segmentation_masks(
                        tf.cast(masks, "float32"), transformation, training=training
                    )
                    masks = tf.cast(moved, dtype)
            else:
                images = layer(images)
        return images, masks

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

    def _augment_dataset(self, dataset, has_targets, training=True):
        if has_targets:
            dataset = dataset.map(
                lambda x, *rest: (self(x, training=training),) + rest,
                num_parallel_calls=tf.data.AUTOTUNE,
            )
        else:
            dataset = dataset.map(
                lambda x: self(x, training=training),
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
    ):
        """Builds a `tf.data.Dataset` of augmented images from a directory.

        Images are read and resized by `keras.utils.image_dataset_from_directory`
        (same arguments; `targets` and `target_mode` are its `labels` and
        `label_mode`), then every batch goes through the pipeline: with
        `training=True` (random augmentation) for training data, with
        `training=False` for the validation subset (only the deterministic
        layers, e.g. resizing and rescaling, apply).

        Args:
            directory: with `targets="inferred"`, one subdirectory of images
                per class; otherwise any tree of images.
            targets: `"inferred"` (from subdirectory names), `None`, or a
                list of int labels in the sorted order of the image paths.
            target_mode: `"categorical"` (one-hot), `"binary"` (two classes,
                float 0/1), `"int"`, or `None`.
            class_names: explicit class order (subdirectory names).
            color_mode: `"grayscale"`, `"rgb"` or `"rgba"`.
            batch_size: images per batch.
            image_size: `(height, width)` every image is resized to.
            shuffle: shuffle the files (else alphanumeric order).
            seed: seeds the shuffling, the split and the pipeline's random
                transformations.
            follow_links: follow symbolic links to subdirectories.
            validation_split: fraction of the files held out.
            subset: `"training"`, `"validation"` or `"both"` (a pair of
                datasets) when `validation_split` is set.

        Returns:
            A `tf.data.Dataset` of `(images, targets)` (or images only).
        """
        _check_common(color_mode, batch_size, image_size, validation_split, subset)
        if not os.path.isdir(directory):
            raise ValueError(
                f"`directory` {directory!r} does not exist or is not a directory."
            )
        if _count_images(directory, follow_links) == 0:
            raise ValueError(
                f"No images found in directory {directory!r} (looked for files ending in {', '.join(IMAGE_EXTENSIONS)}"
                " in it and its subdirectories). Check the path, or write the images there first."
            )
        if target_mode not in ("categorical", "binary", "int", None):
            raise ValueError(
                f"`target_mode` must be 'categorical', 'binary', 'int' or None. Received: {target_mode!r}."
            )
        if seed is not None:
            self._reseed(seed)
        datasets = keras.utils.image_dataset_from_directory(
            directory,
            labels=targets,
            label_mode=target_mode if targets is not None else None,
            class_names=class_names,
            color_mode=color_mode,
            batch_size=batch_size,
            image_size=tuple(image_size),
            shuffle=shuffle,
            seed=seed,
            validation_split=validation_split,
            subset=subset,
            follow_links=follow_links,
            verbose=False,
        )
        if isinstance(datasets, (list, tuple)):
            return tuple(
                self._augment_dataset(d, targets is not None) for d in datasets
            )
        return self._augment_dataset(datasets, targets is not None)

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
        if seed is not None:
            self._reseed(seed)
        channels = _CHANNELS[color_mode]
        size = tuple(int(s) for s in image_size)

        def load(path, *rest):
            image = tf.io.decode_image(
                tf.io.read_file(path), channels=channels, expand_animations=False
            )
            image = tf.image.resize(image, size)
            image.set_shape(size + (channels,))
            return (image,) + rest if rest else image

        def build(cols):
            ds = tf.data.Dataset.from_tensor_slices(
                tuple(cols) if len(cols) > 1 else cols[0]
            )
            ds = ds.map(load, num_parallel_calls=tf.data.AUTOTUNE).batch(batch_size)
            return self._augment_dataset(ds, len(cols) > 1)

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
