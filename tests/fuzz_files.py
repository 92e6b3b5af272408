"""Hostile uploads, made in code from a seed: what a class of students (or one bored one) sends.

`hostile_files(kind, n, seed)` yields (name, bytes) pairs: a fixed list of the
files a tester found crashing or misleading GenLab, then `n` random mutations
of a good file of that kind (bytes flipped, cells replaced by hostile values,
line endings, separators, encodings, byte-order marks, truncations, repeats).
Kinds: points, sequence, rolls, text, discrete, mixed, labelled.
"""
import random

GOOD = {
    "points": "x,y\n" + "\n".join(f"{(i * 37) % 101 / 10:.2f},{(i * 53) % 97 / 10:.2f}" for i in range(60)),
    "sequence": "value\n" + "\n".join(f"{(i * 7) % 5}" for i in range(600)),
    "rolls": "roll,state\n" + "\n".join(f"{i % 6 + 1},{i // 9 % 2}" for i in range(600)),
    "text": "\n".join(["The dishonest casino swaps a fair die for a loaded one,", "and back again, now and then."] * 12),
    "discrete": "rain,umbrella,wet\n" + "\n".join(f"{i % 2},{(i // 2) % 2},{(i // 3) % 3}" for i in range(120)),
    "mixed": "age,plan,region\n" + "\n".join(f"{20 + i % 50},{'abc'[i % 3]},{'nsew'[i % 4]}" for i in range(80)),
    "labelled": "x,y,label\n" + "\n".join(f"{(i * 37) % 101 / 10:.2f},{(i * 53) % 97 / 10:.2f},{i % 2}"
                                           for i in range(80)),
}

# cells a spreadsheet, a keyboard or a prankster puts where a number or a category belongs
CELLS = ["", " ", "NaN", "nan", "inf", "-inf", "1e309", "-0", "1e-300", "1000001", "−1", "1,5", "=SUM(A1:A3)",
         "hello", "\"", "\"\"", "'", "\n", "\r", "a\nb", "\t", "<script>alert(1)</script>", "**bold**",
         "[x](javascript:alert(1))", "`code`", "😀", "\u202etxet", "天气", "\ufeff", "0x1F", "1_000", "True",
         "None", "null", "#", "9" * 2_000, "x" * 200_000, "\\", "%s%n", "{0}", "${x}"]


def fixed(kind: str) -> list[tuple[str, bytes]]:
    """The files of issue 15's report (and their cousins), for every kind."""
    good = GOOD[kind]
    head, *rows = good.split("\n")
    many = head + "\n" + "\n".join(rows[i % len(rows)] for i in range(400_000))
    return [
        ("empty", b""), ("blank", b" \n\n "), ("bom", b"\xef\xbb\xbf"), ("bom-blank", b"\xef\xbb\xbf\n\n"),
        ("bom-good", b"\xef\xbb\xbf" + good.encode()), ("nul", good.encode()[:40] + b"\x00" + good.encode()[40:]),
        ("cr-only", good.replace("\n", "\r").encode()), ("crlf", good.replace("\n", "\r\n").encode()),
        ("semicolon", good.replace(",", ";").encode()), ("tab", good.replace(",", "\t").encode()),
        ("header-only", (head + "\n").encode()), ("one-row", (head + "\n" + rows[0] + "\n").encode()),
        ("latin1", (good + "\né").encode("latin-1")), ("utf16", good.encode("utf-16")),
        ("big-field", (good + "\n" + "9" * 200_000).encode()), ("open-quote", ('"' + good).encode()),
        ("many-rows", many.encode()[: 4_900_000]), ("too-big", b"x,y\n" + b"1,2\n" * 1_400_000),
        ("many-columns", (",".join(f"c{i}" for i in range(3000)) + "\n" + "\n".join(
            ",".join(str((i + j) % 3) for j in range(3000)) for i in range(20))).encode()),
        ("dup-header", (head.replace(head.split(",")[-1], head.split(",")[0]) + "\n" + "\n".join(rows)).encode()),
        ("unnamed", ("," * head.count(",") + "\n" + "\n".join(rows)).encode()),
        ("only-commas", b",,,\n,,,\n,,,\n"), ("ragged", (good + "\n5").encode()),
        ("png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), ("zip", b"PK\x03\x04" + bytes(range(256))),
    ]


def _replace_cell(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    i = rng.randrange(1, len(lines)) if len(lines) > 1 else 0
    cells = lines[i].split(",")
    cells[rng.randrange(len(cells))] = rng.choice(CELLS)
    lines[i] = ",".join(cells)
    return "\n".join(lines)


def _mutate(good: str, rng: random.Random) -> bytes:
    """One to three random changes of a good file."""
    text = good
    for _ in range(rng.randint(1, 3)):
        how = rng.randrange(9)
        if how <= 2:
            text = _replace_cell(text, rng)
        elif how == 3:  # cut at a random point
            text = text[: rng.randrange(len(text) + 1)]
        elif how == 4:  # a line repeated or dropped
            lines = text.split("\n")
            i = rng.randrange(len(lines))
            lines[i:i + 1] = [lines[i]] * rng.choice([0, 2, 50])
            text = "\n".join(lines)
        elif how == 5:  # a column added to one row, or to the header
            lines = text.split("\n")
            i = rng.choice([0, rng.randrange(len(lines))])
            lines[i] += "," + rng.choice(CELLS[:20])
            text = "\n".join(lines)
        elif how == 6:
            text = text.replace("\n", rng.choice(["\r", "\r\n", "\n\n", "\n \n"]))
        elif how == 7:
            text = text.replace(",", rng.choice([";", "\t", "|", ", ", ",,"]))
        else:
            text = rng.choice(["\ufeff", "sep=,\n", "# comment\n", "\n\n", '"']) + text
    raw = text.encode()
    if rng.random() < 0.15:  # a byte flipped (often into invalid UTF-8)
        pos = rng.randrange(len(raw)) if raw else 0
        raw = raw[:pos] + bytes([rng.randrange(256)]) + raw[pos + 1:]
    return raw


def hostile_files(kind: str, n: int, seed: int = 0):
    """The fixed list, then `n` seeded mutations of GOOD[kind]."""
    yield from fixed(kind)
    rng = random.Random(f"{kind}-{seed}")
    for i in range(n):
        yield f"mutation-{i}", _mutate(GOOD[kind], rng)
