"""How long a reader waits from opening a notebook to its first figure.

    scripts/check-notebooks --exec .venv/notebooks/bin/python \\
        scripts/notebook-check/first-figure.py notebooks/05-hodgkin-huxley-poisson.ipynb

Run through `--exec`, it starts the kernel a Jupyter started there would (the
`rust` kernel spec of the notebook cache, scripts/notebook-check/kernel), runs
the notebook's cells in order until one shows an image, and prints the seconds
from the kernel's start to that image (what the README quotes). Outputs are
not written anywhere.
"""
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

for name in sys.argv[1:]:
    path = Path(name).resolve()
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=1200, startup_timeout=120, kernel_name="rust",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.monotonic()
    shown = None
    with client.setup_kernel():
        started = time.monotonic() - start
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            client.execute_cell(cell, index)
            if any(m.startswith("image/") for o in cell.outputs for m in o.get("data", {})):
                shown = (index + 1, time.monotonic() - start)
                break
    if shown:
        print(f"{path.name}: kernel up after {started:.1f} s, first figure (cell {shown[0]}) after {shown[1]:.1f} s", flush=True)
    else:
        print(f"{path.name}: no figure", flush=True)
