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
    (b"x,y\n" + b"\n".join(f"{i},cat".encode() for i in range(20)), "Row 2, column 'y' holds 'cat', which is not a number"),
    (b"x,y\n" + b"\n".join(f"{i},{i}".encode() for i in range(20)) + b"\n3,\n", "empty, NaN"),
    (b"x,y\n" + b"\n".join(f"{i},1e30".encode() for i in range(20)), "rescale"),
    (b"x,y\n" + b"\n".join(f"{i},5".encode() for i in range(20)), "holds 5 in every row"),
    (b"x,y\n" + b"\n".join(f"{i},{i},{i}".encode() for i in range(20)), "Row 2 has 3 fields"),
])
def test_bad_csv_is_explained(raw, words):
    with pytest.raises(DataError, match=words):
        load_points_csv(raw)


def test_oversized_upload_is_refused():
    with pytest.raises(DataError, match="limit"):
        load_points_csv(b"x,y\n" + b"1,2\n" * 2_000_000)


# -- what a tester found (issue 15): each file is refused in words that name the row, value or limit --------
NUMBERS = "\n".join(f"{i * 0.37:.3f}" for i in range(300))


@pytest.mark.parametrize("raw, words", [
    (b"\xef\xbb\xbf", "empty: upload a CSV with a header and at least 10 rows"),  # a byte-order mark alone
    (b"x,y\n1," + b"9" * 200_000 + b"\n", "Row 2 holds a value longer than 1,000 characters"),
    (b"x,y\n1," + b"9" * 5_000 + b"\n", "Row 2, column 'y' holds 5,000 characters"),
    ("x,y\n" + "\n".join(f"{i},{i}" for i in range(30)) + "\n1000001,3\n", r"Row 32, column 'x' holds 1,000,001; keep values within ±1,000,000"),
    ("x,y\n" + "\n".join(f"{i}e-300,{i + 1}e-300" for i in range(1, 50)), "varies by only"),
    (b"x,y\n", "no data rows: it needs a header and at least 10 rows"),
    (b"x,y\n" + b"\n".join(b"1,2" for _ in range(57)) + b"\n5\n", "Row 59 has a single field but the header has 2"),
    (b'"x,y\n1,2\n', r"A quote \(\"\) opened in row 1 is never closed"),
    (b",\n" + b"\n".join(f"{i},{i % 3}".encode() for i in range(30)), "Column 1 has no name"),
    (b"x,x\n" + b"\n".join(f"{i},{i % 3}".encode() for i in range(30)), "Two columns are both called 'x'"),
])
def test_what_a_tester_found_is_said_in_words(raw, words):
    with pytest.raises(DataError, match=words):
        load_points_csv(raw.encode() if isinstance(raw, str) else raw)


@pytest.mark.parametrize("bad, words", [
    ("\u22121", "typographic minus"), ("=SUM(A1:A3)", "formula '=SUM"), ("hello", "'hello', which is not a number"),
    ('"1\n2"', r"'1\\n2', which is not a number"),
])
def test_one_bad_cell_in_a_numeric_column_is_named_by_row_and_value(bad, words):
    from core.data.sequences import load_sequence_csv

    raw = f"value\n{NUMBERS}\n{bad}\n".encode()
    with pytest.raises(DataError, match=f"Row 302, column 'value' holds .*{words}"):
        load_sequence_csv(raw)


@pytest.mark.parametrize("sep", [";", "\t"])
def test_semicolon_and_tab_separated_files_are_read_and_said(sep):
    data = load_points_csv(GOOD.replace(",", sep).encode())
    assert data.x.shape == (50, 2)
    assert "not commas" in " ".join(map(str, data.notes))


def test_old_mac_line_endings_read_as_lines():
    assert load_points_csv(GOOD.replace("\n", "\r").encode()).x.shape == (50, 2)


def test_a_huge_table_is_cut_to_a_seeded_subset_and_said():
    from core.data.upload import MAX_ROWS

    raw = ("x,y\n" + "\n".join(f"{i % 97},{i % 89}" for i in range(200_000))).encode()
    first, again = load_points_csv(raw), load_points_csv(raw)
    assert len(first.x) == MAX_ROWS and np.array_equal(first.x, again.x)
    assert "The file has 200,000 rows; a random 5,000 of them (seed 0) are used" in str(first.notes[0])


def test_a_long_sequence_keeps_its_first_observations():
    from core.data.sequences import load_sequence_csv
    from core.data.upload import MAX_OBSERVATIONS

    rolls = np.random.default_rng(0).integers(1, 7, size=100_000)
    seq = load_sequence_csv(("roll\n" + "\n".join(map(str, rolls))).encode())
    assert len(seq) == MAX_OBSERVATIONS and np.array_equal(seq.codes, rolls[:MAX_OBSERVATIONS] - 1)
    assert "the first 20,000 are used" in str(seq.notes[0])


def test_empty_files_name_the_minimum_of_the_loader_that_refuses_them():
    from core.compare.tasks import load_task
    from core.data.rnn_tasks import uploaded_text
    from core.data.sequences import load_text_sequence
    from core.data.tabular import load_discrete_csv

    for load, least in ((load_text_sequence, "10 characters"), (uploaded_text, "100 characters"),
                        (lambda r: load_task("sequences", "upload", r), "480 characters"),
                        (load_discrete_csv, "20 rows"), (lambda r: load_task("tabular", "upload", r), "50 rows")):
        for raw in (b"", b"\xef\xbb\xbf", b" \n "):
            with pytest.raises(DataError, match=f"at least {least}"):
                load(raw)


def test_a_text_the_arena_accepts_can_be_scored():
    """The arena's minimum text leaves enough held-out windows for C2St's five folds."""
    from core.compare.tasks import HELDOUT_WINDOWS, TEXT_WINDOWS, WINDOW, load_task

    text = ("the_quick_brown_fox_jumps_over_the_lazy_dog." * 20)[: TEXT_WINDOWS * WINDOW]
    task = load_task("sequences", "upload", text.encode())
    assert len(task.heldout_samples()) >= HELDOUT_WINDOWS > 5
    with pytest.raises(DataError, match="the arena needs at least 480"):
        load_task("sequences", "upload", text[:250].encode())


def test_compare_tabular_advice_names_no_setting_the_page_lacks():
    from core.compare.tasks import load_task

    raw = ("a,b\n" + "\n".join(f"{i},{i % 3}" for i in range(100))).encode()
    with pytest.raises(DataError) as err:
        load_task("tabular", "upload", raw)
    assert "bins" not in str(err.value).lower().replace("bin it", "") and "the lab" not in str(err.value)
