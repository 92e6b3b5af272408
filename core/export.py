"""Samples as text a student can open in a spreadsheet."""
import io

import numpy as np


def samples_csv(samples: np.ndarray) -> str:
    """CSV with a header: x,y for 2-D points, p0..p63 for 8x8 images, c0.. otherwise."""
    samples = np.asarray(samples).reshape(len(samples), -1)
    d = samples.shape[1]
    header = ["x", "y"] if d == 2 else [f"p{i}" for i in range(d)] if d == 64 else [f"c{i}" for i in range(d)]
    buf = io.StringIO()
    buf.write(",".join(header) + "\n")
    np.savetxt(buf, samples, delimiter=",", fmt="%.6g")
    return buf.getvalue()
