"""From pen strokes on a square canvas to an MNIST-like 28 x 28 digit, one visible step at a time.

MNIST's digits were prepared in a fixed way (LeCun, Cortes and Burges describe it): each
written digit was scaled so that its longer side fits a 20 x 20 box, keeping its shape, which
blurs its edges into grey levels; the box was put in a 28 x 28 field and shifted so that the
centre of mass of its ink sits at the centre of the field. A network trained on MNIST has only
ever seen digits prepared like that, so a digit drawn by a reader must go through the same steps:

    rasterize(strokes)        the strokes as a grey image of the canvas, ink 1, paper 0
    crop_to_ink(image)        the smallest rectangle that holds every inked pixel
    scale_longest_side(c)     area averaging to 20 pixels on the longer side
    paste_centered(s)         the scaled digit in the middle of a 28 x 28 field
    shift_center_of_mass(p)   moved by whole pixels so its centre of mass is at (14, 14)

mnist_steps(strokes) runs all five and returns every intermediate image. A stroke is a list of
[x, y] points in canvas pixels (x to the right, y down, as a browser reports them); a drawing is
a list of strokes. Numpy only: no image library, so every step can be read and tested here.
"""

import numpy as np

BOX = 20  # MNIST: the longer side of every digit is scaled to 20 pixels ...
FIELD = 28  # ... and the digit is placed in a 28 x 28 image
CENTER = 14.0  # where MNIST's centres of mass lie (row and column, counting from 0)


def check_strokes(strokes, size):
    """The strokes as a list of float arrays of shape (n_points, 2), or a ValueError saying why not.

    strokes: a list of strokes, each a list of [x, y] points inside a size x size canvas.
    """
    if not isinstance(strokes, (list, tuple)):
        raise ValueError(
            f"strokes must be a list of strokes, each a list of [x, y] points, "
            f"got {type(strokes).__name__}. An empty drawing is []."
        )
    checked = []
    for i, stroke in enumerate(strokes):
        points = np.asarray(stroke, dtype=float) if len(stroke) else np.zeros((0, 2))
        if points.ndim != 2 or points.shape[1] != 2:
            raise ValueError(
                f"stroke {i} must be a list of [x, y] points, shape (n_points, 2), got shape "
                f"{points.shape}. Wrap a single stroke in a list: [[[x0, y0], [x1, y1], ...]]."
            )
        if not np.all(np.isfinite(points)):
            raise ValueError(f"stroke {i} holds a point that is not a finite number: {stroke}")
        checked.append(np.clip(points, 0, size))  # a pen that leaves the canvas stays on its edge
    return checked


def _segment_distance(px, py, p, q):
    """Distance from every pixel centre (px, py) to the segment from point p to point q."""
    d = q - p
    length2 = float(d @ d)
    if length2 == 0:  # a dot: the distance to the point
        t = np.zeros_like(px)
    else:  # the nearest point of the segment is p + t d, with t in [0, 1]
        t = np.clip(((px - p[0]) * d[0] + (py - p[1]) * d[1]) / length2, 0, 1)
    return np.hypot(px - (p[0] + t * d[0]), py - (p[1] + t * d[1]))


def rasterize(strokes, size=280, pen_width=18.0):
    """Draw the strokes with a round pen of pen_width pixels on a black size x size canvas.

    A pixel's ink is 1 where its centre lies within pen_width / 2 of a stroke, and falls from 1 to
    0 over the pixel at the pen's edge (soft edges, as the browser draws them).
    strokes: list of (n_points, 2) [x, y] lists -> image (size, size) in [0, 1], row = y.
    """
    image = np.zeros((size, size))  # (size, size)
    r = pen_width / 2
    for stroke in check_strokes(strokes, size):
        if len(stroke) == 0:
            continue
        if len(stroke) == 1:  # a single tap: a dot, the segment from the point to itself
            segments = [(stroke[0], stroke[0])]
        else:
            segments = zip(stroke[:-1], stroke[1:], strict=True)
        for p, q in segments:
            # Only the pixels near the segment can get ink: its bounding box grown by the pen.
            x0, x1 = int(max(min(p[0], q[0]) - r - 1, 0)), int(min(max(p[0], q[0]) + r + 2, size))
            y0, y1 = int(max(min(p[1], q[1]) - r - 1, 0)), int(min(max(p[1], q[1]) + r + 2, size))
            py, px = np.mgrid[y0:y1, x0:x1] + 0.5  # pixel centres, (h, w) each
            ink = np.clip(r + 0.5 - _segment_distance(px, py, p, q), 0, 1)  # (h, w)
            np.maximum(image[y0:y1, x0:x1], ink, out=image[y0:y1, x0:x1])
    return image


def crop_to_ink(image):
    """The smallest rectangle of image holding every pixel with ink > 0 (a (0, 0) array if none)."""
    rows = np.flatnonzero(image.max(axis=1) > 0)
    cols = np.flatnonzero(image.max(axis=0) > 0)
    if len(rows) == 0:
        return np.zeros((0, 0))
    return image[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]  # (h, w)


def area_weights(n_in, n_out):
    """The (n_out, n_in) matrix R that resizes a row of n_in pixels to n_out by area averaging.

    Output pixel i covers the input interval [i s, (i + 1) s) with s = n_in / n_out; R[i, j] is
    the part of input pixel j inside it, divided by s, so each row of R sums to 1 and grey
    levels stay in [0, 1].
    """
    s = n_in / n_out
    starts = np.arange(n_out)[:, None] * s  # (n_out, 1)
    j = np.arange(n_in)[None, :]  # (1, n_in)
    overlap = np.minimum(starts + s, j + 1) - np.maximum(starts, j)  # (n_out, n_in)
    return np.clip(overlap, 0, None) / s


def scale_longest_side(image, n=BOX):
    """Resize image (h, w) so that its longer side is n pixels, keeping its shape.

    The shorter side becomes round(n * short / long), at least 1. out = R_h @ image @ R_w^T
    with the area_weights matrices of both sides: (h, w) -> (n, ~n w / h) or (~n h / w, n).
    """
    h, w = image.shape
    if h == 0 or w == 0:
        return np.zeros((0, 0))
    scale = n / max(h, w)
    h_out, w_out = max(1, round(h * scale)), max(1, round(w * scale))
    return area_weights(h, h_out) @ image @ area_weights(w, w_out).T  # (h_out, w_out)


def paste_centered(image, size=FIELD):
    """A size x size black field with image (h, w), h and w at most size, in its middle."""
    h, w = image.shape
    if h > size or w > size:
        raise ValueError(f"paste_centered expects an image at most {size} x {size}, got {h} x {w}")
    field = np.zeros((size, size))
    top, left = (size - h) // 2, (size - w) // 2
    field[top : top + h, left : left + w] = image
    return field


def center_of_mass(image):
    """(row, column) of the ink's centre of mass: sum_i i p_i / sum_i p_i along each axis."""
    total = image.sum()
    if total == 0:
        raise ValueError("an image without ink has no centre of mass")
    rows, cols = np.arange(image.shape[0]), np.arange(image.shape[1])
    return float(image.sum(axis=1) @ rows / total), float(image.sum(axis=0) @ cols / total)


def shift_image(image, dy, dx):
    """image moved dy pixels down and dx right (whole pixels); what leaves the field is lost."""
    out = np.zeros_like(image)
    h, w = image.shape
    src_y, dst_y = slice(max(0, -dy), min(h, h - dy)), slice(max(0, dy), min(h, h + dy))
    src_x, dst_x = slice(max(0, -dx), min(w, w - dx)), slice(max(0, dx), min(w, w + dx))
    out[dst_y, dst_x] = image[src_y, src_x]
    return out


def shift_center_of_mass(image, center=CENTER):
    """image moved by whole pixels so that its centre of mass lies within half a pixel of
    (center, center): the shift is (round(center - row), round(center - column))."""
    if image.sum() == 0:
        return image.copy()  # nothing to centre
    row, col = center_of_mass(image)
    return shift_image(image, round(center - row), round(center - col))


def mnist_steps(strokes, size=280, pen_width=18.0):
    """Every step from strokes to an MNIST-like input, as a dict of images.

    canvas (size, size), cropped (h, w), scaled (about 20 x 20), pasted (28, 28),
    centered (28, 28), and x (784,) float32 in [0, 1], the network's input.
    empty is True when nothing was drawn; every image is then all zeros (cropped and scaled
    of shape (0, 0)) and x is a black image, which a network still answers.
    """
    canvas = rasterize(strokes, size, pen_width)
    cropped = crop_to_ink(canvas)
    scaled = scale_longest_side(cropped)
    pasted = paste_centered(scaled)
    centered = np.clip(shift_center_of_mass(pasted), 0, 1)
    return {
        "canvas": canvas,
        "cropped": cropped,
        "scaled": scaled,
        "pasted": pasted,
        "centered": centered,
        "x": centered.reshape(-1).astype(np.float32),  # (28, 28) -> (784,)
        "empty": cropped.size == 0,
    }


def arc(cx, cy, r, start_deg, end_deg, n=24):
    """n points on a circle of radius r around (cx, cy), from start_deg to end_deg (degrees,
    clockwise on screen since y points down): a curved stroke as [[x, y], ...]."""
    angles = np.radians(np.linspace(start_deg, end_deg, n))  # (n,)
    return np.stack([cx + r * np.cos(angles), cy + r * np.sin(angles)], axis=1).tolist()


def example_three(size=280):
    """A 3 drawn as two strokes, each an arc, on a size x size canvas (a stand-in for a hand)."""
    k = size / 280  # the points below are for a 280 x 280 canvas
    upper = arc(140 * k, 95 * k, 55 * k, -150, 90)  # over the top, round the right, to the middle
    lower = arc(140 * k, 205 * k, 55 * k, -90, 150)  # from the middle, round the right, to the left
    return [upper, lower]
