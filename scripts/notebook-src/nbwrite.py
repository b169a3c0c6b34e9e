"""Writes a notebook for the evcxr `rust` kernel from a list of cells.

Shared by the make_NN.py scripts: each keeps its cells as a reviewable list
of ("md" | "code", text) pairs and calls `write(CELLS, "NN-name.ipynb")`.
Cells are written without outputs; ids are c00, c01, ... so reruns give the
same bytes.
"""
import json
import pathlib


def cell(kind, text):
    lines = text.split("\n")
    source = [line + "\n" for line in lines[:-1]] + [lines[-1]]
    if kind == "md":
        return {"cell_type": "markdown", "metadata": {}, "source": source}
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source}


def write(cells, name):
    notebook = {
        "cells": [cell(k, t) for k, t in cells],
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
