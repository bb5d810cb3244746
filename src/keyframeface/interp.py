"""Monotone cubic interpolation (PCHIP): the one curve timeline, life and keyframe extraction share.

Notation (one channel): knots (t_k, y_k), k = 0..K-1, strictly increasing t_k. Between knots the
curve is the cubic Hermite with tangents m_k from Fritsch & Carlson (1980) / Fritsch & Butland (1984):
m_k = 0 where the neighbouring secants differ in sign or one is 0, else their weighted harmonic mean,
so each piece is monotone (no overshoot) and exactly constant between equal keys.

F. Fritsch, R. Carlson, "Monotone piecewise cubic interpolation", SIAM J. Numer. Anal. 17 (1980).
F. Fritsch, J. Butland, "A method for constructing local monotone piecewise cubic
interpolants", SIAM J. Sci. Stat. Comput. 5 (1984).
"""

from __future__ import annotations

import numpy as np

__all__ = ["pchip"]


def pchip(knot_t: np.ndarray, knot_y: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Monotone cubic Hermite through (knot_t (K,), knot_y (K, C)) sampled at t (F,) -> (F, C).

    End tangents are 0 (the curve starts and ends at rest); t outside the knots holds the end values.
    """
    knot_t = np.asarray(knot_t, dtype=float)
    knot_y = np.asarray(knot_y, dtype=float)
    if len(knot_t) == 1:
        return np.broadcast_to(knot_y[0], (len(t), knot_y.shape[1])).copy()
    h = np.diff(knot_t)  # (K-1,)
    d = np.diff(knot_y, axis=0) / h[:, None]  # (K-1, C) secant slopes
    m = np.zeros_like(knot_y)  # (K, C) tangents
    if len(knot_t) > 2:
        h0, h1 = h[:-1, None], h[1:, None]
        d0, d1 = d[:-1], d[1:]
        w1, w2 = 2 * h1 + h0, h1 + 2 * h0
        same_sign = d0 * d1 > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            m[1:-1] = np.where(same_sign, (w1 + w2) / (w1 / d0 + w2 / d1), 0.0)
    # Per piece, the cubic in s: y = c0 + s (c1 + s (c2 + s c3)); all of c1..c3 are exactly 0
    # between equal keys with zero tangents, so holds stay bit-exactly constant.
    dy = np.diff(knot_y, axis=0)  # (K-1, C)
    a, b = h[:, None] * m[:-1], h[:, None] * m[1:]
    c1, c2, c3 = a, 3 * dy - 2 * a - b, a + b - 2 * dy
    i = np.clip(np.searchsorted(knot_t, t, side="right") - 1, 0, len(knot_t) - 2)  # (F,) piece index
    s = np.clip((t - knot_t[i]) / h[i], 0.0, 1.0)[:, None]  # (F, 1)
    out = c3[i]
    out *= s
    out += c2[i]
    out *= s
    out += c1[i]
    out *= s
    out += knot_y[i]
    return out
