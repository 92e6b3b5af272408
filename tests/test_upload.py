"""Uploads: every kind of bad file gets a message that says what to fix."""
import numpy as np
import pytest

from core.data.upload import load_points_csv
from core.errors import DataError

GOOD = "x,y\n" + "\n".join(f"{i * 0.1},{np.sin(i)}" for i in range(50))


def test_good_csv_loads():
    data = load_points_csv(GOOD.encode())
    assert data.x.shape == (50, 2) and data.x.dtype == np.float32


@pytest.mark.parametrize("raw, words", [
    (b"", "empty"),
    (b"   \n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
    ("x,y\n1,2\n".encode("utf-16"), "binary"),
    (b"x,y\n\xff\xfe,1\n", "UTF-8"),
    (b"x\n" + b"\n".join(str(i).encode() for i in range(20)), "2 numeric columns"),
    (b"x,y,z\n" + b"\n".join(b"1,2,3" for _ in range(20)), "exactly 2"),
    (b"x,y\n1,2\n", "at least 10"),
    (b"x,y\n" + b"\n".join(f"{i},cat".encode() for i in range(20)), "Column 'y' is not numeric"),
    (b"x,y\n" + b"\n".join(f"{i},{i}".encode() for i in range(20)) + b"\n3,\n", "empty, NaN"),
    (b"x,y\n" + b"\n".join(f"{i},1e30".encode() for i in range(20)), "rescale"),
    (b"x,y\n" + b"\n".join(f"{i},5".encode() for i in range(20)), "same value"),
    (b"x,y\n" + b"\n".join(f"{i},{i},{i}".encode() for i in range(20)), "Row 2 has 3 fields"),
])
def test_bad_csv_is_explained(raw, words):
    with pytest.raises(DataError, match=words):
        load_points_csv(raw)


def test_oversized_upload_is_refused():
    with pytest.raises(DataError, match="limit"):
        load_points_csv(b"x,y\n" + b"1,2\n" * 2_000_000)
