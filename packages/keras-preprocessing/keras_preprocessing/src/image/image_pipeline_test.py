# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import os

import keras
import numpy as np
import pandas as pd
import tensorflow as tf
from PIL import Image

from keras_core.testing import TestCase
from keras_preprocessing.src.image.image_pipeline import ImagePipeline
from keras_preprocessing.src.image.random_stretch import RandomHeight
from keras_preprocessing.src.image.random_stretch import RandomWidth
from keras_preprocessing.src.layers.normalization import Normalization


def _spatial_layers():
    return [
        keras.layers.RandomFlip("horizontal_and_vertical"),
        keras.layers.RandomRotation(0.3, interpolation="nearest", fill_mode="constant"),
        keras.layers.RandomZoom(0.3, interpolation="nearest", fill_mode="constant"),
        keras.layers.RandomTranslation(
            0.2, 0.2, interpolation="nearest", fill_mode="constant"
        ),
        RandomWidth(0.25, interpolation="nearest"),
        keras.layers.Resizing(12, 12, interpolation="nearest"),
    ]


def _coded_batch(seed=0):
    """Images whose every channel is 10 * the mask: a spatial map moves both alike."""
    masks = (
        np.random.default_rng(seed).integers(0, 5, size=(4, 16, 16, 1)).astype("int32")
    )
    images = np.repeat(masks * 10, 3, axis=-1).astype("float32")
    return images, masks


def _write_images(
    directory, classes=("cats", "dogs"), per_class=3, size=(20, 24), ext="png"
):
    rng = np.random.default_rng(0)
    for c, name in enumerate(classes):
        os.makedirs(os.path.join(directory, name), exist_ok=True)
        for i in range(per_class):
            pixels = np.full(size + (3,), 60 + 120 * c, "uint8") + rng.integers(
                0, 20, size + (3,)
            ).astype("uint8")
            Image.fromarray(pixels).save(os.path.join(directory, name, f"{i}.{ext}"))


class ImagePipelineTest(TestCase):
    def test_layer_harness(self):
        self.run_layer_test(
            ImagePipeline,
            {
                "layers": [keras.layers.Resizing(4, 6), keras.layers.Rescaling(0.5)],
                "seed": 1,
            },
            np.random.default_rng(0).uniform(0, 255, (2, 8, 8, 3)).astype("float32"),
            expected_output_shape=(2, 4, 6, 3),
            expected_output_dtype="float32",
        )

    def test_masks_follow_spatial_transforms_pixel_exactly(self):
        images, masks = _coded_batch()
        out_images, out_masks = ImagePipeline(_spatial_layers(), seed=3)(
            images, masks=masks
        )
        self.assertEqual(out_masks.dtype, tf.int32)
        self.assertEqual(tuple(out_masks.shape), (4, 12, 12, 1))
        self.assertAllEqual(out_images[..., :1], tf.cast(out_masks, "float32") * 10)
        self.assertTrue(np.isin(out_masks.numpy(), np.arange(5)).all())
        self.assertGreater(
            np.mean(
                tf.image.resize(masks, (12, 12), "nearest").numpy() != out_masks.numpy()
            ),
            0.2,
        )

    def test_intensity_transforms_leave_masks_alone(self):
        images, masks = _coded_batch()
        layers = _spatial_layers()
        layers.insert(2, keras.layers.RandomBrightness(0.2))
        layers.insert(4, keras.layers.RandomContrast(0.5))
        out_images, out_masks = ImagePipeline(layers, seed=5)(images, masks=masks)
        out_images, out_masks = out_images.numpy()[..., 0], out_masks.numpy()[..., 0]
        self.assertTrue(np.isin(out_masks, np.arange(5)).all())  # still class ids
        changed = False
        for image, mask in zip(out_images, out_masks):
            # Brightness and contrast are per-image affine maps: pixels of one
            # class keep one value, so the mask moved exactly with the image.
            # Class 0 is skipped: later zoom/translation fill both with 0.
            for k in np.unique(mask)[np.unique(mask) > 0]:
                values = image[mask == k]
                self.assertLess(float(values.max() - values.min()), 1e-3)
                changed |= abs(float(values[0]) - 10 * k) > 1e-3
        self.assertTrue(changed)  # the intensity layers did change the images

    def test_same_seed_same_transformations_and_masks_without_channel(self):
        images, masks = _coded_batch(1)
        a = ImagePipeline(_spatial_layers(), seed=11)(images, masks=masks[..., 0])
        b = ImagePipeline(_spatial_layers(), seed=11)(images, masks=masks[..., 0])
        self.assertEqual(tuple(a[1].shape), (4, 12, 12))
        self.assertAllEqual(a[1], b[1])
        self.assertAllEqual(a[0], b[0])
        c = ImagePipeline(_spatial_layers(), seed=12)(images, masks=masks[..., 0])
        self.assertFalse(np.array_equal(a[1].numpy(), c[1].numpy()))

    def test_inference_is_deterministic_and_adapt_normalization(self):
        pipeline = ImagePipeline(
            [
                keras.layers.RandomFlip(),
                keras.layers.Rescaling(1 / 255),
                Normalization(),
            ],
            seed=1,
        )
        images = (
            np.random.default_rng(0).uniform(0, 255, (8, 6, 6, 3)).astype("float32")
        )
        pipeline.adapt(images)
        norm = pipeline.stage_layers[-1]
        self.assertAllClose(
            norm.adapt_mean, (images / 255).mean(axis=(0, 1, 2)), atol=1e-4
        )
        out = pipeline(images, training=False)
        self.assertAllClose(
            out,
            ((images / 255) - norm.adapt_mean.numpy())
            / np.sqrt(norm.adapt_variance.numpy()),
            atol=1e-3,
        )

    def test_seeded_dataset_with_and_without_random_layers(self):
        images = np.random.default_rng(0).uniform(0, 255, (6, 8, 8, 3))
        batches = tf.data.Dataset.from_tensor_slices(images.astype("float32")).batch(2)
        # Only deterministic layers: a seed changes nothing, and the result
        # is exactly the layers applied to each batch.
        plain = ImagePipeline([keras.layers.Rescaling(0.5, offset=1.0)])
        self.assertFalse(plain._has_augmentation())
        out = np.concatenate(list(plain._augment_dataset(batches, "images", seed=3)))
        self.assertAllClose(out, images * 0.5 + 1.0)
        # A random layer, nested: the seed fixes its draws, epoch by epoch.
        nested = ImagePipeline(
            [ImagePipeline([keras.layers.RandomFlip("horizontal")]), plain]
        )
        self.assertTrue(nested._has_augmentation())
        first = np.concatenate(list(nested._augment_dataset(batches, "images", seed=3)))
        again = np.concatenate(list(nested._augment_dataset(batches, "images", seed=3)))
        self.assertAllClose(first, again)
        flipped = np.all(np.isclose(first, images[:, :, ::-1] * 0.5 + 1.0), (1, 2, 3))
        kept = np.all(np.isclose(first, images * 0.5 + 1.0), (1, 2, 3))
        self.assertTrue(np.all(flipped | kept))

    def test_keras_round_trip_and_tf_data(self):
        pipeline = ImagePipeline(
            [keras.layers.Resizing(4, 4), keras.layers.Rescaling(0.5)], seed=2
        )
        inputs = keras.Input((8, 8, 3))
        model = keras.Model(inputs, pipeline(inputs, training=False))
        path = os.path.join(self.get_temp_dir(), "pipeline.keras")
        model.save(path)
        restored = keras.saving.load_model(path, safe_mode=True)
        x = np.random.default_rng(0).uniform(size=(2, 8, 8, 3)).astype("float32")
        self.assertAllClose(restored(x), model(x))
        self.assertEqual(restored.layers[-1].seed, 2)
        ds = tf.data.Dataset.from_tensor_slices(x).batch(2).map(lambda b: pipeline(b))
        self.assertAllClose(next(iter(ds)), model(x))

    def test_from_directory(self):
        root = os.path.join(self.get_temp_dir(), "images")
        _write_images(root)
        pipeline = ImagePipeline(
            [keras.layers.RandomFlip("horizontal"), keras.layers.Rescaling(1 / 255)]
        )
        ds = pipeline.from_directory(root, image_size=(10, 12), batch_size=4, seed=1)
        batches = list(ds)
        self.assertEqual(sum(int(x.shape[0]) for x, _ in batches), 6)
        x, y = batches[0]
        self.assertEqual(tuple(x.shape[1:]), (10, 12, 3))
        self.assertEqual(tuple(y.shape[1:]), (2,))
        self.assertLessEqual(float(tf.reduce_max(x)), 1.0)
        # Dark images are class 0 ("cats"), bright ones class 1.
        for images, labels in batches:
            brightness = images.numpy().mean(axis=(1, 2, 3))
            self.assertAllEqual(brightness > 0.5, labels.numpy()[:, 1] == 1)
        train, val = pipeline.from_directory(
            root,
            image_size=(10, 12),
            target_mode="int",
            validation_split=0.5,
            subset="both",
            seed=3,
        )
        self.assertEqual(
            sum(int(x.shape[0]) for x, _ in train)
            + sum(int(x.shape[0]) for x, _ in val),
            6,
        )
        only_images = pipeline.from_directory(
            root, targets=None, image_size=(10, 12), color_mode="grayscale"
        )
        self.assertEqual(tuple(next(iter(only_images)).shape[1:]), (10, 12, 1))

    def test_from_directory_class_names_links_and_binary_targets(self):
        root = os.path.join(self.get_temp_dir(), "named")
        _write_images(root)  # "cats" dark, "dogs" bright
        extra = os.path.join(self.get_temp_dir(), "extra")
        _write_images(extra, classes=("more",), per_class=2)  # dark
        os.symlink(os.path.join(extra, "more"), os.path.join(root, "dogs", "more"))
        pipeline = ImagePipeline([keras.layers.Rescaling(1 / 255)])
        for follow_links, expected in ((False, [0, 0, 0, 1, 1, 1]), (True, None)):
            ds = pipeline.from_directory(
                root,
                class_names=["dogs", "cats"],
                target_mode="int",
                follow_links=follow_links,
                image_size=(10, 12),
                shuffle=False,
            )
            labels = np.concatenate([y.numpy() for _, y in ds])
            if expected is not None:
                self.assertAllEqual(labels, expected)
            else:  # the linked folder's two images join class 0 ("dogs")
                self.assertAllEqual(np.bincount(labels), [5, 3])
        binary = pipeline.from_directory(
            root, target_mode="binary", image_size=(10, 12), shuffle=False
        )
        for x, y in binary:
            self.assertEqual(tuple(y.shape[1:]), (1,))
            brightness = x.numpy().mean(axis=(1, 2, 3))
            self.assertAllEqual(y.numpy()[:, 0] == 1, brightness > 0.5)

    def test_every_listed_layer_keeps_masks_aligned(self):
        # flip, rotation, zoom, translation, brightness, contrast, saturation,
        # width, height, resizing, center crop, random crop, rescaling.
        masks = (
            np.random.default_rng(3).integers(0, 5, size=(4, 24, 24, 1)).astype("int32")
        )
        images = np.repeat(masks * 10, 3, axis=-1).astype("float32")
        nearest = dict(interpolation="nearest")
        fill = dict(nearest, fill_mode="constant")
        layers = [
            keras.layers.RandomFlip(),
            keras.layers.RandomRotation(0.2, **fill),
            keras.layers.RandomZoom(0.2, **fill),
            keras.layers.RandomTranslation(0.1, 0.1, **fill),
            keras.layers.RandomBrightness(0.2),
            keras.layers.RandomContrast(0.3),
            keras.layers.RandomSaturation(0.3),
            RandomWidth(0.2, **nearest),
            RandomHeight(0.2, **nearest),
            keras.layers.Resizing(20, 20, **nearest),
            keras.layers.CenterCrop(18, 18),
            keras.layers.RandomCrop(16, 16),
            keras.layers.Rescaling(0.5),
        ]
        out_images, out_masks = ImagePipeline(layers, seed=1)(images, masks=masks)
        self.assertEqual(tuple(out_masks.shape), (4, 16, 16, 1))
        self.assertEqual(tuple(out_images.shape), (4, 16, 16, 3))
        self.assertTrue(np.isin(out_masks.numpy(), np.arange(5)).all())
        for image, mask in zip(out_images.numpy()[..., 0], out_masks.numpy()[..., 0]):
            # Intensity layers map each class's single value to a single
            # value; spatial layers move image and mask alike.
            for k in np.unique(mask)[np.unique(mask) > 0]:
                self.assertLess(float(np.ptp(image[mask == k])), 1e-3)
        # The same masks through the same seeded spatial layers alone.
        spatial = [
            layer
            for layer in ImagePipeline.from_config(
                ImagePipeline(layers, seed=1).get_config()
            ).stage_layers
            if type(layer).__name__
            not in ("RandomBrightness", "RandomContrast", "RandomSaturation")
        ]
        alone = ImagePipeline(spatial, seed=1).transform_masks(masks)
        self.assertAllEqual(alone, out_masks)

    def test_from_dataframe(self):
        root = os.path.join(self.get_temp_dir(), "frame")
        _write_images(root, per_class=2, ext="jpg")
        df = pd.DataFrame(
            {
                "filename": ["cats/0.jpg", "cats/1.jpg", "dogs/0.jpg", "dogs/1.jpg"],
                "class": ["cat", "cat", "dog", "dog"],
                "w": [1.0, 2.0, 3.0, 4.0],
            }
        )
        pipeline = ImagePipeline([keras.layers.Rescaling(1 / 255)])
        ds = pipeline.from_dataframe(
            df,
            directory=root,
            target_mode="binary",
            weight_column="w",
            image_size=(8, 8),
            shuffle=False,
            batch_size=4,
        )
        x, y, w = next(iter(ds))
        self.assertEqual(tuple(x.shape), (4, 8, 8, 3))
        self.assertAllEqual(y, [[0], [0], [1], [1]])
        self.assertAllEqual(w, [1, 2, 3, 4])
        self.assertAllEqual(
            x.numpy().mean(axis=(1, 2, 3)) > 0.5, [False, False, True, True]
        )
        cat = pipeline.from_dataframe(
            df, directory=root, image_size=(8, 8), seed=0, batch_size=4
        )
        _, y = next(iter(cat))
        self.assertAllEqual(tf.reduce_sum(y, axis=0), [2, 2])
        train, val = pipeline.from_dataframe(
            df,
            directory=root,
            target_mode="int",
            image_size=(8, 8),
            seed=0,
            validation_split=0.25,
            subset="both",
        )
        self.assertEqual([len(list(train.unbatch())), len(list(val.unbatch()))], [3, 1])
        with self.assertRaisesRegex(
            ValueError, "'label'.*not a column.*\\['filename', 'class', 'w'\\]"
        ):
            pipeline.from_dataframe(df, directory=root, target_column="label")
        with self.assertRaisesRegex(ValueError, "do not exist"):
            pipeline.from_dataframe(df, directory=self.get_temp_dir())

    def test_preview_writes_a_png_grid(self):
        root = os.path.join(self.get_temp_dir(), "prev")
        _write_images(root, classes=("a",), per_class=2)
        pipeline = ImagePipeline(
            [keras.layers.RandomFlip(), keras.layers.RandomBrightness(0.3)], seed=0
        )
        paths = [os.path.join(root, "a", f"{i}.png") for i in range(2)]
        out = pipeline.preview(
            paths,
            save_to_directory=self.get_temp_dir(),
            save_prefix="grid",
            num_samples=3,
        )
        self.assertTrue(out.endswith("grid.png"))
        jpeg = pipeline.preview(
            paths[:1],
            save_to_directory=self.get_temp_dir(),
            save_prefix="small",
            save_format="jpeg",
            num_samples=1,
        )
        self.assertTrue(jpeg.endswith("small.jpeg"))
        self.assertEqual(Image.open(jpeg).format, "JPEG")
        grid = np.asarray(Image.open(out))
        self.assertEqual(grid.shape, (2 * (20 + 2) + 2, 4 * (24 + 2) + 2, 3))
        first = np.asarray(Image.open(paths[0]))
        self.assertAllEqual(grid[2:22, 2:26], first)  # the first column is the input
        picture = pipeline.preview(np.zeros((1, 5, 5, 3)), num_samples=1)
        self.assertEqual(picture.size, (2 * 7 + 2, 9))

    def test_random_width_and_height(self):
        x = np.random.default_rng(0).uniform(size=(2, 10, 10, 3)).astype("float32")
        for layer_cls, axis in ((RandomWidth, 2), (RandomHeight, 1)):
            sizes = {
                int(layer_cls(0.4, seed=s)(x, training=True).shape[axis])
                for s in range(8)
            }
            self.assertTrue(all(6 <= s <= 14 for s in sizes))
            self.assertGreater(len(sizes), 1)
            self.assertAllEqual(layer_cls(0.4)(x, training=False), x)
            clone = layer_cls.from_config(layer_cls((0.1, 0.3), seed=4).get_config())
            self.assertEqual(clone.factor, (0.1, 0.3))
        with self.assertRaisesRegex(ValueError, "factor"):
            RandomWidth(1.5)

    def test_bad_input(self):
        empty = os.path.join(self.get_temp_dir(), "empty")
        os.makedirs(os.path.join(empty, "class_a"))
        with open(os.path.join(empty, "class_a", "notes.txt"), "w") as f:
            f.write("no images here")
        pipeline = ImagePipeline([keras.layers.Rescaling(1.0)])
        with self.assertRaisesRegex(ValueError, "No images found in directory"):
            pipeline.from_directory(empty)
        with self.assertRaisesRegex(ValueError, "does not exist"):
            pipeline.from_directory(os.path.join(empty, "missing"))
        with self.assertRaisesRegex(ValueError, "color_mode"):
            pipeline.from_directory(empty, color_mode="cmyk")
        with self.assertRaisesRegex(ValueError, "masks"):
            pipeline(np.zeros((1, 4, 4, 3)), masks=np.zeros((1, 5, 4)))
        with self.assertRaisesRegex(TypeError, "pandas DataFrame"):
            pipeline.from_dataframe({"filename": []})


def _write_segmentation(image_dir, mask_dir, count=6, size=16, nested=False):
    """PNG images whose every channel is 40 * their PNG mask (class ids 0-4)."""
    rng = np.random.default_rng(7)
    os.makedirs(mask_dir, exist_ok=True)
    for i in range(count):
        folder = os.path.join(image_dir, f"part{i % 2}" if nested else "")
        os.makedirs(folder, exist_ok=True)
        mask = rng.integers(0, 5, size=(size, size)).astype("uint8")
        Image.fromarray(np.repeat(mask[..., None] * 40, 3, -1)).save(
            os.path.join(folder, f"s{i:02d}.png")
        )
        Image.fromarray(mask).save(os.path.join(mask_dir, f"s{i:02d}.png"))


class SegmentationTest(TestCase):
    def test_two_pipelines_with_one_seed_match_the_joint_call(self):
        images, masks = _coded_batch(2)

        def image_layers():
            layers = _spatial_layers()
            layers.insert(1, keras.layers.RandomBrightness(0.3))
            return layers

        joint_images, joint_masks = ImagePipeline(image_layers(), seed=4)(
            images, masks=masks
        )
        separate_images = ImagePipeline(image_layers(), seed=4)(images)
        # The mask pipeline lacks the intensity layer: layers are matched by
        # class and rank, not position, so the spatial draws still agree.
        separate_masks = ImagePipeline(_spatial_layers(), seed=4).transform_masks(masks)
        self.assertAllEqual(separate_masks, joint_masks)
        self.assertAllEqual(separate_images, joint_images)
        self.assertEqual(separate_masks.dtype, tf.int32)
        self.assertTrue(np.isin(separate_masks.numpy(), np.arange(5)).all())
        other = ImagePipeline(_spatial_layers(), seed=5).transform_masks(masks)
        self.assertFalse(np.array_equal(other.numpy(), joint_masks.numpy()))

    def test_separately_loaded_streams_stay_aligned_pixel_exactly(self):
        root = self.get_temp_dir()
        image_dir, mask_dir = os.path.join(root, "img"), os.path.join(root, "msk")
        _write_segmentation(image_dir, mask_dir)
        # The design's shape: one spatial augmenter shared by both pipelines.
        augmenter = ImagePipeline(_spatial_layers()[:4])
        image_pipeline = ImagePipeline([augmenter, keras.layers.Rescaling(1 / 40)])
        mask_pipeline = ImagePipeline([augmenter])
        kwargs = dict(targets=None, image_size=(16, 16), batch_size=4, seed=9)
        image_ds = image_pipeline.from_directory(image_dir, **kwargs)
        mask_ds = mask_pipeline.from_directory(mask_dir, as_masks=True, **kwargs)
        epochs = []
        for _ in range(2):
            epoch = []
            for x, m in tf.data.Dataset.zip((image_ds, mask_ds)):
                self.assertEqual(m.dtype, tf.int32)
                self.assertEqual(tuple(m.shape[1:]), (16, 16, 1))
                self.assertAllEqual(x[..., :1], tf.cast(m, "float32"))
                epoch.append(m.numpy())
            epochs.append(np.concatenate(epoch))
        self.assertEqual(len(epochs[0]), 6)
        originals = {
            np.asarray(Image.open(os.path.join(mask_dir, f))).tobytes()
            for f in os.listdir(mask_dir)
        }
        moved = [
            m[..., 0].astype("uint8").tobytes() not in originals for m in epochs[0]
        ]
        self.assertGreater(sum(moved), 3)  # the masks were transformed
        self.assertFalse(np.array_equal(epochs[0], epochs[1]))  # new draws per epoch

    def test_from_directory_pairs_masks_by_stem(self):
        root = self.get_temp_dir()
        image_dir, mask_dir = os.path.join(root, "img"), os.path.join(root, "msk")
        _write_segmentation(image_dir, mask_dir, nested=True)
        pipeline = ImagePipeline(
            _spatial_layers() + [keras.layers.Rescaling(1 / 40)], seed=2
        )
        ds = pipeline.from_directory(
            image_dir, mask_directory=mask_dir, image_size=(16, 16), batch_size=4
        )
        total = 0
        for x, m in ds:
            self.assertEqual(tuple(m.shape[1:]), (12, 12, 1))
            self.assertAllEqual(x[..., :1], tf.cast(m, "float32"))
            total += int(m.shape[0])
        self.assertEqual(total, 6)
        # Nearest-neighbour resizing keeps class ids; validation is not augmented.
        plain = ImagePipeline([keras.layers.Rescaling(1.0)])
        train, val = plain.from_directory(
            image_dir,
            mask_directory=mask_dir,
            image_size=(7, 9),
            validation_split=0.5,
            subset="both",
            seed=1,
            shuffle=False,
        )
        masks = np.concatenate(
            [m.numpy() for _, m in train] + [m.numpy() for _, m in val]
        )
        self.assertEqual(masks.shape, (6, 7, 9, 1))
        stems = sorted(
            os.path.join(d, f) for d, _, fs in os.walk(image_dir) for f in fs
        )
        expected = [
            tf.image.resize(
                np.asarray(Image.open(os.path.join(mask_dir, os.path.basename(p))))[
                    ..., None
                ],
                (7, 9),
                "nearest",
            ).numpy()
            for p in stems
        ]
        self.assertAllEqual(masks, np.stack(expected))

    def test_segmentation_bad_input(self):
        root = self.get_temp_dir()
        image_dir, mask_dir = os.path.join(root, "img"), os.path.join(root, "msk")
        _write_segmentation(image_dir, mask_dir, count=3)
        os.remove(os.path.join(mask_dir, "s01.png"))
        pipeline = ImagePipeline([keras.layers.Rescaling(1.0)])
        with self.assertRaisesRegex(ValueError, "1 of the 3 images .*s01.png"):
            pipeline.from_directory(image_dir, mask_directory=mask_dir)
        os.makedirs(os.path.join(mask_dir, "sub"))
        Image.fromarray(np.zeros((4, 4), "uint8")).save(
            os.path.join(mask_dir, "sub", "s00.png")
        )
        with self.assertRaisesRegex(ValueError, "name stem 's00'"):
            pipeline.from_directory(image_dir, mask_directory=mask_dir)
        with self.assertRaisesRegex(ValueError, "pass `targets=None`"):
            pipeline.from_directory(mask_dir, as_masks=True)
        with self.assertRaisesRegex(ValueError, "`mask_directory` .* does not exist"):
            pipeline.from_directory(
                image_dir, mask_directory=os.path.join(root, "nope")
            )
        with self.assertRaisesRegex(ValueError, "must have shape"):
            pipeline.transform_masks(np.zeros((2, 3, 4, 5, 1)))
