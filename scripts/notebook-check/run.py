"""Execute Jupyter notebooks headless on the evcxr `rust` kernel and judge them.

Called by scripts/check-notebooks, which sets up the kernel, this virtual
environment and the kernel's environment variables first. Run it through that
script, not directly.

A notebook passes when every code cell runs and none of them produces an
`error` output (evcxr's compile errors, a kernel whose runtime died), writes
anything to stderr (a `stream` output named `stderr`: a panic, a `?` that
returned an error, an `eprintln!`) or has an `Err(..)` as its displayed value.
Execution stops at the first failing cell, since later cells depend on it.

`jupyter nbconvert --execute` exits 0 when an evcxr cell panics or returns an
error, so this runner reads the outputs of each cell itself.
"""

from __future__ import annotations

import argparse
import atexit
import asyncio
import os
import queue
import re
import shutil
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import ensure_async

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
KERNEL_NAME = "rust"


def first_line(text: str) -> str:
    """First non-blank line of `text`, without ANSI colour codes."""
    for line in ANSI.sub("", text).splitlines():
        line = line.strip()
        if line:
            return line[:300]
    return ""


def text_of(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value or "")


def cell_failure(cell) -> str | None:
    """Why this executed code cell failed, or None when it did not.

    evcxr reports a compile error as `error` outputs; a panic and a `?` that
    returned an error only as text on stderr; a last expression that is an
    `Err(..)` only as its displayed value.
    """
    outputs = cell.get("outputs", [])
    for output in outputs:
        if output.get("output_type") == "error":
            ename = first_line(text_of(output.get("ename")))
            evalue = first_line(text_of(output.get("evalue")))
            traceback = first_line("\n".join(output.get("traceback") or []))
            if evalue and ename and ename != "Error":
                return f"{ename}: {evalue}"
            return evalue or traceback or ename or "error output"
    stderr = "".join(
        text_of(o.get("text"))
        for o in outputs
        if o.get("output_type") == "stream" and o.get("name") == "stderr"
    )
    if stderr:
        lines = [line.strip() for line in ANSI.sub("", stderr).splitlines() if line.strip()]
        for i, line in enumerate(lines):
            if "panicked at" in line:
                message = lines[i + 1] if i + 1 < len(lines) else ""
                return f"panicked: {message}"[:300] if message else line[:300]
        return "stderr: " + (lines[0][:300] if lines else repr(stderr[:80]))
    for output in outputs:
        if output.get("output_type") == "execute_result":
            text = text_of(output.get("data", {}).get("text/plain"))
            if text.lstrip().startswith("Err("):
                return "the cell's value is an error: " + first_line(text)
    return None


class Result:
    def __init__(self, path: Path):
        self.path = path
        self.passed = False
        self.reason = ""
        self.cell: int | None = None  # 1-based index among all cells of the failing cell
        self.seconds = 0.0
        self.details: list[str] = []  # printed under the FAIL line


def make_client(nb, nb_dir: Path, args) -> NotebookClient:
    return NotebookClient(
        nb,
        timeout=args.timeout,
        startup_timeout=args.startup_timeout,
        kernel_name=KERNEL_NAME,
        allow_errors=True,  # we judge the outputs ourselves and stop at the first failure
        record_timing=True,
        resources={"metadata": {"path": str(nb_dir)}},  # the kernel's cwd
    )


OUTPUT_TYPES = ("stream", "display_data", "execute_result", "error", "update_display_data")


async def drain_late_output(client: NotebookClient, cell, index: int, quiet: float) -> None:
    """Collect the output that evcxr sends after it has reported the cell done.

    evcxr_jupyter forwards the cell's stdout and stderr lines from a thread of
    their own, so a line (a panic message, the error of a `?`) can reach
    iopub after the `idle` status that ends nbclient's wait for the cell; nbclient
    then drops it. Until the next cell is sent, anything that arrives belongs to
    this cell: read until the kernel has been quiet for `quiet` seconds.
    """
    while True:
        try:
            msg = await ensure_async(client.kc.get_iopub_msg(timeout=quiet))
        except queue.Empty:
            return
        if msg.get("msg_type") in OUTPUT_TYPES:
            client.process_message(msg, cell, index)


async def execute(client: NotebookClient, nb, timeout: int, late_wait: float, kernel_log, result: Result):
    client.reset_execution_trackers()
    async with client.async_setup_kernel(stdout=kernel_log, stderr=kernel_log):
        msg_id = await ensure_async(client.kc.kernel_info())
        info = await client.async_wait_for_reply(msg_id)
        if info is not None and "language_info" in info["content"]:
            nb.metadata["language_info"] = info["content"]["language_info"]
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            result.cell = index + 1
            try:
                await client.async_execute_cell(
                    cell, index, execution_count=client.code_cells_executed + 1
                )
            except CellTimeoutError:
                result.reason = f"cell {index + 1}: timed out after {timeout} s"
                return
            await drain_late_output(client, cell, index, late_wait)
            why = cell_failure(cell)
            if why:
                result.reason = f"cell {index + 1}: {why}"
                return
        result.cell = None
        result.passed = True


def run_notebook(path: Path, args) -> Result:
    result = Result(path)
    nb_dir = path.resolve().parent
    start = time.monotonic()
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as err:  # unreadable notebook
        result.reason = f"cannot read notebook: {first_line(str(err))}"
        return result

    if args.seed_lock and os.environ.get("EVCXR_TMPDIR"):
        # evcxr's scratch crate is a package of its own; starting it from the
        # workspace's Cargo.lock makes `:dep` resolve to the versions the
        # workspace locks (and offline resolution never has to guess).
        tmpdir = Path(os.environ["EVCXR_TMPDIR"])
        tmpdir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(args.seed_lock, tmpdir / "Cargo.lock")

    log_path = Path(args.log_dir) / (path.stem + ".kernel.log")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as kernel_log:
        client = make_client(nb, nb_dir, args)
        crashed = False
        try:
            asyncio.run(execute(client, nb, args.timeout, args.late_output_wait, kernel_log, result))
        except DeadKernelError as err:
            where = f"cell {result.cell}: " if result.cell else ""
            result.reason = f"{where}kernel died: {first_line(str(err))}"
            crashed = True
        except Exception as err:  # kernel failed to start, protocol error, ...
            where = f"cell {result.cell}: " if result.cell else ""
            result.reason = f"{where}{type(err).__name__}: {first_line(str(err))}"
            crashed = True
        finally:
            # nbclient leaves an exit hook behind when the kernel fails to start.
            atexit.unregister(client._cleanup_kernel)
    result.seconds = time.monotonic() - start
    if not result.passed and not result.reason:
        result.reason = "no failing cell, yet the notebook did not complete"
    if crashed:
        log = log_path.read_text(errors="replace").split("Stack backtrace:")[0]
        tail = [t for t in log.splitlines() if t.strip()][-12:]
        result.details = [f"kernel log {log_path}:"] + ["  " + ANSI.sub("", t) for t in tail]

    if args.output_dir:
        out = Path(args.output_dir)
        out.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, out / path.name)
    return result


def expectation(path: Path) -> dict:
    """The self-test expectation stored in a fixture's metadata."""
    nb = nbformat.read(path, as_version=4)
    exp = nb.metadata.get("numlab_check")
    if not isinstance(exp, dict) or exp.get("expect") not in ("pass", "fail"):
        raise SystemExit(
            f"{path}: fixture lacks metadata numlab_check.expect = \"pass\" or \"fail\""
        )
    return exp


def check(args) -> int:
    paths = [Path(p) for p in args.notebooks]
    passed = failed = 0
    width = max((len(p.name) for p in paths), default=0)
    for path in paths:
        r = run_notebook(path, args)
        if r.passed:
            passed += 1
            print(f"ok    {path.name:<{width}}  {r.seconds:6.1f} s", flush=True)
        else:
            failed += 1
            print(f"FAIL  {path.name:<{width}}  {r.seconds:6.1f} s  reason: {r.reason}", flush=True)
            for line in r.details:
                print(f"      {line}", flush=True)
    print(f"{passed} passed, {failed} failed", flush=True)
    return 1 if failed else 0


def self_test(args) -> int:
    """Each fixture states whether it must pass or fail (and where, and why)."""
    paths = [Path(p) for p in args.notebooks]
    if not paths:
        print("no fixtures found", file=sys.stderr)
        print("0 passed, 1 failed")
        return 1
    passed = failed = 0
    width = max(len(p.name) for p in paths)
    for path in paths:
        exp = expectation(path)
        r = run_notebook(path, args)
        verdict = "passed" if r.passed else f"failed: {r.reason}"
        problems = []
        if exp["expect"] == "pass" and not r.passed:
            problems.append("expected to pass")
        if exp["expect"] == "fail":
            if r.passed:
                problems.append("expected to fail")
            else:
                cell = exp.get("cell")
                if cell is not None and not r.reason.startswith(f"cell {cell}:"):
                    problems.append(f"expected the failure at cell {cell}")
                want = exp.get("reason")
                if want and want.lower() not in r.reason.lower():
                    problems.append(f"expected the reason to mention {want!r}")
        if problems:
            failed += 1
            print(f"FAIL  {path.name:<{width}}  {r.seconds:6.1f} s  {'; '.join(problems)}, but it {verdict}", flush=True)
            for line in r.details:
                print(f"      {line}", flush=True)
        else:
            passed += 1
            print(f"ok    {path.name:<{width}}  {r.seconds:6.1f} s  {verdict}", flush=True)
    print(f"{passed} passed, {failed} failed", flush=True)
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*")
    parser.add_argument("--output-dir")
    parser.add_argument("--log-dir", required=True)
    parser.add_argument("--timeout", type=int, default=600)
    parser.add_argument("--startup-timeout", type=int, default=120)
    parser.add_argument(
        "--late-output-wait", type=float, default=0.3,
        help="seconds of quiet after each cell before it is judged (evcxr sends stderr late)",
    )
    parser.add_argument("--seed-lock", help="Cargo.lock copied into $EVCXR_TMPDIR before each notebook")
    parser.add_argument("--self-test", action="store_true")
    args = parser.parse_args()
    return self_test(args) if args.self_test else check(args)


if __name__ == "__main__":
    sys.exit(main())
