"""nnlib.drawing: strokes on a canvas to an MNIST-like 28 x 28 input, on synthetic strokes."""

import numpy as np
import pytest

from nnlib import drawing

VERTICAL = [[[140.0, 40.0], [140.0, 240.0]]]  # one stroke straight down the middle


def ink_box(image):
    """(height, width) of the smallest rectangle holding all of image's ink."""
    rows, cols = np.flatnonzero(image.max(axis=1) > 0), np.flatnonzero(image.max(axis=0) > 0)
    return rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1


def test_a_vertical_line_becomes_a_centred_vertical_bar():
    steps = drawing.mnist_steps(VERTICAL)
    image = steps["centered"]
    height, width = ink_box(image)
    assert height == 20 and width <= 3  # the longer side is 20, the pen stays thin
    assert np.allclose(drawing.center_of_mass(image), 14, atol=0.5)
    bright = image > 0.5
    assert bright[:, 13:16].sum() == bright.sum()  # all the bright ink in the middle columns


@pytest.mark.parametrize(
    "strokes",
    [
        VERTICAL,
        [[[20.0, 30.0], [260.0, 30.0]]],  # a horizontal line at the top: wide, not tall
        [[[10.0, 10.0], [60.0, 40.0]]],  # a short stroke in a corner
        drawing.example_three(),
        [[[140.0, 140.0]]],  # a single tap: a dot
    ],
    ids=["vertical", "horizontal", "corner", "three", "dot"],
)
def test_every_drawing_ends_as_mnist_prepares_its_digits(strokes):
    steps = drawing.mnist_steps(strokes)
    assert not steps["empty"]
    assert max(steps["scaled"].shape) == 20
    assert steps["centered"].shape == (28, 28) and steps["x"].shape == (784,)
    assert steps["x"].dtype == np.float32
    assert 0 <= steps["x"].min() and steps["x"].max() <= 1 and steps["x"].max() > 0.5
    assert np.allclose(drawing.center_of_mass(steps["centered"]), 14, atol=0.5)
    assert np.isclose(steps["centered"].sum(), steps["pasted"].sum())  # shifting loses no ink


def test_scaling_keeps_the_shape_and_the_grey_levels():
    tall = np.ones((100, 40))
    scaled = drawing.scale_longest_side(tall)
    assert scaled.shape == (20, 8) and np.allclose(scaled, 1)  # area averages of ones are ones
    wide = np.zeros((10, 50))
    wide[:, :25] = 1
    scaled = drawing.scale_longest_side(wide)
    assert scaled.shape == (4, 20)
    assert np.isclose(scaled.mean(), wide.mean())  # area averaging keeps the total ink's share


def test_area_weights_rows_sum_to_one():
    for n_in, n_out in [(218, 20), (7, 20), (20, 20), (121, 10)]:
        R = drawing.area_weights(n_in, n_out)
        assert R.shape == (n_out, n_in) and np.allclose(R.sum(axis=1), 1) and R.min() >= 0


def test_crop_paste_and_shift():
    image = np.zeros((50, 60))
    image[10:15, 20:40] = 0.5
    assert drawing.crop_to_ink(image).shape == (5, 20)
    pasted = drawing.paste_centered(np.ones((20, 10)))
    assert ink_box(pasted) == (20, 10) and pasted[4:24, 9:19].all()
    moved = drawing.shift_image(pasted, 3, -2)
    assert moved[7:27, 7:17].all() and moved.sum() == pasted.sum()
    with pytest.raises(ValueError, match="at most 28 x 28"):
        drawing.paste_centered(np.ones((30, 5)))


def test_rasterize_draws_a_round_pen_inside_the_canvas():
    image = drawing.rasterize(VERTICAL, size=280, pen_width=18)
    assert image.shape == (280, 280) and image.min() == 0 and image.max() == 1
    assert image[140, 140] == 1 and image[140, 140 + 12] == 0  # inside and outside the pen
    assert image[40 - 8, 140] == 1 and image[20, 140] == 0  # round caps, 9 pixels past the ends
    outside = drawing.rasterize([[[-50.0, 100.0], [400.0, 100.0]]], size=100)
    assert outside.shape == (100, 100) and outside[95:, :].max() > 0  # clipped to the edge


def test_an_empty_canvas_gives_a_black_input_not_an_error():
    for empty in ([], [[]]):
        steps = drawing.mnist_steps(empty)
        assert steps["empty"] and steps["cropped"].shape == (0, 0)
        assert steps["x"].shape == (784,) and not steps["x"].any()


@pytest.mark.parametrize(
    "bad, message",
    [
        ("a string", "strokes must be a list of strokes"),
        ([[1.0, 2.0]], r"stroke 0 must be a list of \[x, y\] points"),
        ([[[1.0, 2.0, 3.0]]], r"shape \(n_points, 2\), got shape \(1, 3\)"),
        ([[[1.0, float("nan")]]], "not a finite number"),
    ],
)
def test_bad_strokes_say_what_is_wrong_and_what_to_do(bad, message):
    with pytest.raises(ValueError, match=message):
        drawing.mnist_steps(bad)


def test_center_of_mass_of_a_blank_image_is_a_clear_error():
    with pytest.raises(ValueError, match="without ink"):
        drawing.center_of_mass(np.zeros((28, 28)))
