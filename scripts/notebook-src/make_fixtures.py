"""Writes the self-test fixtures of the output comparison, tests/notebook-fixtures/cmp-*.ipynb.

Two steps, since the fixtures start from real kernel outputs:

    python3 scripts/notebook-src/make_fixtures.py            # cmp-good.ipynb, without outputs
    scripts/check-notebooks --update tests/notebook-fixtures/cmp-good.ipynb
    python3 scripts/notebook-src/make_fixtures.py --derive   # the others, from its outputs

`cmp-good.ipynb` must pass: its committed outputs are what the kernel gives.
Each derived fixture changes one committed output the way a notebook goes out
of date; `cmp-timing-changed.ipynb` changes only a cell tagged `timing`, which
the check compares by kind and MIME type only, so it must pass too.
"""
import copy
import json
import pathlib
import sys

from nbwrite import cell

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "notebook-fixtures"
GOOD = FIXTURES / "cmp-good.ipynb"

# A 4 x 2 PNG, steel blue.
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAQAAAACCAIAAADwyuo0AAAAEElEQVR42mNwa9oCRwzIHACXCgvhhJsuugAAAABJRU5ErkJggg=="

CELLS = [
    ("md", "Committed outputs that are what the kernel gives: text, a value, HTML, SVG, PNG and a `timing` cell."),
    ("code", 'let xs: Vec<f64> = (1..=4).map(|i| i as f64 / 8.0).collect();\nprintln!("sum = {}", xs.iter().sum::<f64>());\nprintln!("len = {}", xs.len());'),
    ("code", "xs.iter().map(|x| x * x).sum::<f64>()"),
    ("code", 'println!("EVCXR_BEGIN_CONTENT text/html\\n<table><tr><th>x</th></tr><tr><td>0.125</td></tr></table>\\nEVCXR_END_CONTENT");'),
    ("code", 'let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">\n<rect width="40" height="20" fill="steelblue"/>\n</svg>"#;\nprintln!("EVCXR_BEGIN_CONTENT image/svg+xml\\n{svg}\\nEVCXR_END_CONTENT");'),
    ("code", f'println!("EVCXR_BEGIN_CONTENT image/png\\n{PNG}\\nEVCXR_END_CONTENT");'),
    ("code", 'let started = std::time::Instant::now();\nlet n: u64 = (0..100_000u64).sum();\nprintln!("sum {n} in {} ns", started.elapsed().as_nanos());', ["timing"]),
]

# name -> (what it changes, the cell (1-based, all cells) and reason the check must report)
DERIVED = {
    "cmp-bad-stale-text": ("a printed number", 2, "differs at line 1"),
    "cmp-bad-stale-value": ("a cell's value", 3, "text/plain"),
    "cmp-bad-stale-html": ("a table cell", 4, "text/html"),
    "cmp-bad-stale-figure": ("the SVG figure's colour", 5, "image/svg+xml"),
    "cmp-bad-stale-png": ("one byte of the PNG figure", 6, "image/png"),
    "cmp-bad-missing-output": ("the HTML cell's output removed", 4, "1 outputs, the committed notebook has 0"),
    "cmp-bad-extra-output": ("an output added to the value cell", 3, "1 outputs, the committed notebook has 2"),
    "cmp-bad-execution-count": ("the execution counts of a notebook run out of order", 2, "execution count"),
    "cmp-timing-changed": ("the measured time of the `timing` cell", None, None),
}


def write(nb, path):
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(path.relative_to(ROOT))


def make_good():
    cells = [cell(*c) for c in CELLS]
    for i, c in enumerate(cells):
        c["id"] = f"c{i:02d}"
    nb = {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Rust", "language": "rust", "name": "rust"},
            "language_info": {"name": "Rust"},
            "numlab_check": {"expect": "pass", "compare": True},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    write(nb, GOOD)


def replace_in(lines, old, new):
    text = "".join(lines)
    assert old in text, (old, text)
    return text.replace(old, new, 1).splitlines(keepends=True)


def derive():
    good = json.loads(GOOD.read_text(encoding="utf-8"))
    code = {i + 1: c for i, c in enumerate(good["cells"])}
    assert all(c["outputs"] for c in code.values() if c["cell_type"] == "code"), \
        "run scripts/check-notebooks --update on cmp-good.ipynb first"
    for name, (what, at, reason) in DERIVED.items():
        nb = copy.deepcopy(good)
        cells = nb["cells"]
        if name == "cmp-bad-stale-text":
            o = cells[1]["outputs"][0]
            o["text"] = replace_in(o["text"], "sum = 1.25", "sum = 1.2500000000000002")
        elif name == "cmp-bad-stale-value":
            o = cells[2]["outputs"][0]
            o["data"]["text/plain"] = replace_in(o["data"]["text/plain"], "0.46875", "0.46874")
        elif name == "cmp-bad-stale-html":
            o = cells[3]["outputs"][0]
            o["data"]["text/html"] = replace_in(o["data"]["text/html"], "0.125", "0.126")
        elif name == "cmp-bad-stale-figure":
            o = cells[4]["outputs"][0]
            o["data"]["image/svg+xml"] = replace_in(o["data"]["image/svg+xml"], "steelblue", "firebrick")
        elif name == "cmp-bad-stale-png":
            o = cells[5]["outputs"][0]
            png = o["data"]["image/png"]
            assert png == PNG, png
            o["data"]["image/png"] = PNG.replace("R42mNwa9oC", "R42mNwa9oD")
        elif name == "cmp-bad-missing-output":
            cells[3]["outputs"] = []
        elif name == "cmp-bad-extra-output":
            cells[2]["outputs"].insert(0, {"name": "stdout", "output_type": "stream", "text": ["debug\n"]})
        elif name == "cmp-bad-execution-count":
            cells[1]["execution_count"], cells[2]["execution_count"] = 2, 1
            cells[2]["outputs"][0]["execution_count"] = 1
        elif name == "cmp-timing-changed":
            o = cells[6]["outputs"][0]
            o["text"] = ["sum 4999950000 in 999999999 ns\n"]
        check = {"expect": "pass" if at is None else "fail", "compare": True, "changed": what}
        if at is not None:
            check.update(cell=at, reason=reason)
        nb["metadata"]["numlab_check"] = check
        nb["cells"][0]["source"] = [f"Out of date: {what}." if at else f"Changed: {what}; compared by kind only."]
        write(nb, FIXTURES / f"{name}.ipynb")


if __name__ == "__main__":
    derive() if sys.argv[1:] == ["--derive"] else make_good()
