"""Writes a notebook for the evcxr `rust` kernel from a list of cells.

Shared by the make_NN.py scripts: each keeps its cells as a reviewable list
of ("md" | "code", text) pairs and calls `write(CELLS, "NN-name.ipynb")`. A
code cell whose output cannot repeat (a measured time) is a triple
("code", text, ["timing"]) (or is named in `write`'s `timing`): the tag makes scripts/check-notebooks compare its
outputs by kind and MIME type only.

Cells are written without outputs; ids are c00, c01, ... so reruns give the
same bytes. The committed notebook is executed: after this script, run
`scripts/check-notebooks --update notebooks/NN-name.ipynb` to fill in the
outputs (the check fails a notebook whose outputs are missing).
"""
import json
import pathlib


def cell(kind, text, tags=None):
    lines = text.split("\n")
    source = [line + "\n" for line in lines[:-1]] + [lines[-1]]
    if kind == "md":
        return {"cell_type": "markdown", "metadata": {}, "source": source}
    metadata = {"tags": list(tags)} if tags else {}
    return {"cell_type": "code", "execution_count": None, "metadata": metadata, "outputs": [], "source": source}


def write(cells, name, timing=()):
    """`timing`: the first characters of each code cell whose outputs are a
    measured time (or anything else that cannot repeat); those cells get the
    tag `timing`. Each must start exactly one code cell."""
    cells = list(cells)
    for start in timing:
        hits = [i for i, c in enumerate(cells) if c[0] == "code" and c[1].startswith(start)]
        assert len(hits) == 1, f"timing cell {start!r} starts {len(hits)} code cells"
        cells[hits[0]] = (*cells[hits[0]][:2], ["timing"])
    notebook = {
        "cells": [cell(*c) for c in cells],
        "metadata": {
            "kernelspec": {"display_name": "Rust", "language": "rust", "name": "rust"},
            "language_info": {
                "codemirror_mode": "rust",
                "file_extension": ".rs",
                "mimetype": "text/rust",
                "name": "Rust",
                "pygment_lexer": "rust",
                "version": "",
            },
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    for i, c in enumerate(notebook["cells"]):
        c["id"] = f"c{i:02d}"
    root = pathlib.Path(__file__).resolve().parents[2]
    out = root / "notebooks" / name
    out.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(out.relative_to(root))
