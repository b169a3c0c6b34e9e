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

A notebook also fails when its kernel built a crate at another version than
the workspace's Cargo.lock holds: after each cell the scratch crate's Cargo.lock
($EVCXR_TMPDIR/Cargo.lock, rewritten by every cargo run of evcxr) is compared
with the workspace's. scripts/check-notebooks binds the kernel to the locked
versions (a vendored copy of them replaces crates.io); this comparison proves
that the binding held.
"""

from __future__ import annotations

import argparse
import atexit
import asyncio
import contextlib
import json
import os
import queue
import re
import sys
import tempfile
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


CARGO_STATUS = re.compile(r"(Locking|Adding|Updating|Downgrading|Removing|Blocking|Downloading|Downloaded|Compiling|Checking)\s")


def error_line(text: str) -> str:
    """First line of an error's text; when that is one of cargo's status lines
    (evcxr passes cargo's whole output on), cargo's first `error` line."""
    lines = [line.strip() for line in ANSI.sub("", text).splitlines() if line.strip()]
    if lines and CARGO_STATUS.match(lines[0]):
        for line in lines:
            if line.startswith("error"):
                return line[:300]
    return lines[0][:300] if lines else ""


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
            evalue = error_line(text_of(output.get("evalue")))
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


def read_lock(path: Path) -> list[dict]:
    """The [[package]] entries of a Cargo.lock: name, version, source, checksum."""
    packages: list[dict] = []
    current = None
    for line in path.read_text().splitlines():
        line = line.strip()
        if line == "[[package]]":
            current = {}
            packages.append(current)
        elif line.startswith("["):
            current = None
        elif current is not None:
            m = re.fullmatch(r'(name|version|source|checksum) = "(.*)"', line)
            if m:
                current[m[1]] = m[2]
    return packages


def lock_drift(built: list[dict], locked: list[dict]) -> list[str]:
    """Packages of `built` (a scratch crate's Cargo.lock) that `locked` (the
    workspace's) does not hold at the same version, source and checksum.

    Packages without a source that the workspace does not know either (the
    scratch crate itself, a reader's own local crate) are not crates of the lock
    and are left out.
    """
    want = {(p.get("name"), p.get("version"), p.get("source")): p.get("checksum") for p in locked}
    versions: dict[str, list[str]] = {}
    for p in locked:
        versions.setdefault(p.get("name"), []).append(p.get("version"))
    drift = []
    for p in built:
        name, version, source = p.get("name"), p.get("version"), p.get("source")
        if source is None and name not in versions:
            continue
        if (name, version, source) not in want:
            if name not in versions:
                drift.append(f"{name} {version} (not in Cargo.lock)")
            elif version in versions[name]:
                drift.append(f"{name} {version} from {source or 'a path'} (Cargo.lock: another source)")
            else:
                drift.append(f"{name} {version} (Cargo.lock: {', '.join(versions[name])})")
        elif p.get("checksum") and want[(name, version, source)] not in (None, p["checksum"]):
            drift.append(f"{name} {version} (checksum differs from Cargo.lock)")
    return drift


def drift_reason(drift: list[str]) -> str:
    shown = ", ".join(drift[:3])
    more = f" and {len(drift) - 3} more" if len(drift) > 3 else ""
    return f"not the versions of Cargo.lock: {shown}{more}"


# The newer versions of the self-test's registry: each locked version's patch
# number plus this.
NEWER_PATCH = 1000
EMPTY_LIB = "numlab-newer-than-lock.rs"


def newer_manifest(text: str) -> str | None:
    """A vendored crate's Cargo.toml at a newer version whose library is an empty
    file (building against it fails fast), or None for a pre-release."""
    lines = text.splitlines()
    section = None
    version_at = lib_at = lib_path_at = None
    for i, line in enumerate(lines):
        header = re.fullmatch(r"\s*\[+([^\]]+)\]+\s*", line)
        if header:
            section = header[1].strip()
            if section == "lib":
                lib_at = i
            continue
        if section == "package" and version_at is None and re.match(r"version\s*=", line):
            version_at = i
        if section == "lib" and re.match(r"path\s*=", line):
            lib_path_at = i
    if version_at is None:
        return None
    m = re.fullmatch(r'version\s*=\s*"(\d+)\.(\d+)\.(\d+)(\+[^"]*)?"\s*', lines[version_at])
    if not m:
        return None  # a pre-release: left out
    lines[version_at] = f'version = "{m[1]}.{m[2]}.{int(m[3]) + NEWER_PATCH}{m[4] or ""}"'
    if lib_path_at is not None:
        lines[lib_path_at] = f'path = "{EMPTY_LIB}"'
    elif lib_at is not None:
        lines.insert(lib_at + 1, f'path = "{EMPTY_LIB}"')
    else:
        lines += ["", "[lib]", f'path = "{EMPTY_LIB}"']
    return "\n".join(lines) + "\n"


def make_newer_registry(locked_crates: Path, cargo_home: Path) -> int:
    """Make `cargo_home` a CARGO_HOME whose crates.io offers every crate of
    `locked_crates` (the vendored Cargo.lock) at its locked version and at a
    newer one, like an index refreshed after Cargo.lock was written. The newer
    versions are the same files with a bumped version and an empty library.
    Returns how many newer versions it offers."""
    registry = cargo_home / "registry-newer-than-lock"
    registry.mkdir(parents=True)
    newer = 0
    for crate in sorted(locked_crates.iterdir()):
        manifest = crate / "Cargo.toml"
        if crate.name.startswith(".") or not manifest.is_file():
            continue
        (registry / crate.name).symlink_to(crate.resolve(), target_is_directory=True)
        text = newer_manifest(manifest.read_text())
        if text is None:
            continue
        copy = registry / f"{crate.name}-newer"
        copy.mkdir()
        for entry in crate.iterdir():
            if entry.name not in ("Cargo.toml", ".cargo-checksum.json"):
                (copy / entry.name).symlink_to(entry.resolve())
        (copy / "Cargo.toml").write_text(text)
        (copy / EMPTY_LIB).write_text("")
        (copy / ".cargo-checksum.json").write_text(json.dumps({"files": {}, "package": None}))
        newer += 1
    (cargo_home / "config.toml").write_text(
        "[source.crates-io]\n"
        'replace-with = "newer-than-lock"\n\n'
        "[source.newer-than-lock]\n"
        f"directory = {json.dumps(str(registry))}\n\n"
        "[net]\noffline = true\n"
    )
    return newer


# ---- committed outputs: normalise, compare, update ------------------------

TIMING_TAG = "timing"
# The MIME types whose content is text (compared line by line); anything else
# (image/png) is base64 of bytes, compared as bytes.
TEXT_MIME = re.compile(r"^(text/.*|image/svg\+xml|application/(json|javascript)|.*\+xml)$")


def path_replacements() -> list[tuple[str, str]]:
    """This machine's folders as they may appear in an output, longest first,
    with what a committed notebook shows instead."""
    pairs = []
    for var, shown in (("NUMLAB_NOTEBOOK_ROOT", "<numlab>"), ("EVCXR_TMPDIR", "<evcxr-scratch>"),
                       ("NUMLAB_NOTEBOOK_CACHE_DIR", "<notebook-cache>"), ("HOME", "~")):
        value = os.environ.get(var)
        if value and len(value) > 1:
            pairs.append((value.rstrip("/"), shown))
            real = os.path.realpath(value).rstrip("/")
            if real != value.rstrip("/"):
                pairs.append((real, shown))
    return sorted(pairs, key=lambda p: -len(p[0]))


def strip_paths(text: str, pairs) -> str:
    for path, shown in pairs:
        text = text.replace(path, shown)
    return text


def normalise_outputs(outputs, pairs) -> list[dict]:
    """A code cell's fresh outputs as the notebook keeps them.

    evcxr forwards what a cell prints from a thread of its own, in pieces, and
    the piece can reach Jupyter after the cell's value (`execute_result`); the
    pieces of one stream are merged, and the value (which the cell produces
    last) is put after everything else. Paths of this machine are replaced
    (see `path_replacements`). Text is kept as a list of lines, as Jupyter
    writes it, so a changed number reviews as a one-line diff.
    """
    out: list[dict] = []
    results: list[dict] = []
    for o in outputs:
        kind = o.get("output_type")
        if kind == "stream":
            text = strip_paths(text_of(o.get("text")), pairs)
            if out and out[-1]["output_type"] == "stream" and out[-1]["name"] == o.get("name"):
                out[-1]["text"] += text
            else:
                out.append({"name": o.get("name"), "output_type": "stream", "text": text})
        elif kind in ("display_data", "execute_result"):
            data = {}
            for mime in sorted(o.get("data", {})):
                value = o["data"][mime]
                if isinstance(value, (list, str)):
                    value = text_of(value)
                    value = strip_paths(value, pairs) if TEXT_MIME.match(mime) else value.replace("\n", "")
                data[mime] = value
            entry = {"data": data, "metadata": {}, "output_type": kind}
            (results if kind == "execute_result" else out).append(entry)
        else:  # error: kept as it came (a failing cell fails before any comparison)
            out.append(dict(o))
    out += results
    for o in out:  # text as lines
        if o["output_type"] == "stream":
            o["text"] = o["text"].splitlines(keepends=True)
        elif "data" in o:
            for mime, value in o["data"].items():
                if isinstance(value, str) and TEXT_MIME.match(mime):
                    o["data"][mime] = value.splitlines(keepends=True)
    return out


def output_label(o: dict) -> str:
    if o.get("output_type") == "stream":
        return f"stream {o.get('name')}"
    return f"{o.get('output_type')} [{', '.join(sorted(o.get('data', {})))}]"


def first_difference(old: str, new: str) -> str:
    """The first line where two texts differ, both versions, cut around the
    first differing character (an SVG line can be long)."""
    a, b = old.splitlines(), new.splitlines()
    for i in range(max(len(a), len(b))):
        x = a[i] if i < len(a) else None
        y = b[i] if i < len(b) else None
        if x != y:
            if x is None or y is None:
                shown = y if x is None else x
                which = "only in the fresh output" if x is None else "only in the committed output"
                return f"line {i + 1} {which}: {cut(shown, 0)!r}"
            at = next((k for k in range(min(len(x), len(y))) if x[k] != y[k]), min(len(x), len(y)))
            return f"line {i + 1}: committed {cut(x, at)!r}, fresh {cut(y, at)!r}"
    return "texts differ only in their line endings"


def cut(line: str, at: int, width: int = 60) -> str:
    start = max(0, at - width // 2)
    piece = line[start:start + width]
    return ("..." if start else "") + piece + ("..." if start + width < len(line) else "")


def compare_cell(committed: list, fresh: list, timing: bool) -> str | None:
    """Why a cell's fresh outputs (normalised) differ from its committed ones,
    or None when they agree. A `timing` cell: kinds and MIME types only."""
    if len(committed) != len(fresh):
        have = "; ".join(output_label(o) for o in committed) or "none"
        got = "; ".join(output_label(o) for o in fresh) or "none"
        return f"{len(fresh)} outputs, the committed notebook has {len(committed)} (committed: {have}; fresh: {got})"
    for n, (old, new) in enumerate(zip(committed, fresh), 1):
        if output_label(old) != output_label(new):
            return f"output {n} is {output_label(new)}, the committed one {output_label(old)}"
        if timing:
            continue
        if new["output_type"] == "stream":
            a, b = text_of(old.get("text")), text_of(new.get("text"))
            if a != b:
                return f"output {n} (stream {new['name']}) differs at {first_difference(a, b)}"
            continue
        for mime in sorted(new.get("data", {})):
            a, b = old["data"][mime], new["data"][mime]
            if TEXT_MIME.match(mime):
                a, b = text_of(a), text_of(b)
                if a != b:
                    return f"output {n} ({mime}) differs at {first_difference(a, b)}"
            else:
                a, b = text_of(a).replace("\n", ""), text_of(b).replace("\n", "")
                if a != b:
                    import base64
                    try:
                        sizes = f"{len(base64.b64decode(a))} bytes committed, {len(base64.b64decode(b))} fresh"
                    except Exception:
                        sizes = "not valid base64"
                    return f"output {n} ({mime}) differs: the image bytes are not the committed ones ({sizes})"
    return None


def path_replacements_for(env: dict) -> list[tuple[str, str]]:
    saved = dict(os.environ)
    try:
        os.environ.update({k: v for k, v in env.items() if k in ("EVCXR_TMPDIR", "HOME")})
        return path_replacements()
    finally:
        os.environ.clear()
        os.environ.update(saved)


def normalise_committed(outputs) -> list[dict]:
    """Committed outputs in the form `normalise_outputs` gives (already normal;
    this only drops nbformat's node types and the execution counts)."""
    return json.loads(json.dumps(outputs))


def is_timing(cell) -> bool:
    return TIMING_TAG in (cell.get("metadata", {}).get("tags") or [])


def write_notebook(path: Path, fresh_cells: dict[int, tuple[int, list]]) -> None:
    """Rewrite the committed notebook at `path` with fresh outputs and execution
    counts (cell index -> (count, outputs)), everything else byte for byte as
    it was; code cells not run lose their outputs."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for index, cell in enumerate(nb["cells"]):
        if cell.get("cell_type") != "code":
            continue
        count, outputs = fresh_cells.get(index, (None, []))
        cell["execution_count"] = count
        for o in outputs:
            if o.get("output_type") == "execute_result":
                o["execution_count"] = count
        cell["outputs"] = [
            {"data": o["data"], "execution_count": count, "metadata": o["metadata"], "output_type": o["output_type"]}
            if o.get("output_type") == "execute_result" else o
            for o in outputs
        ]
    tmp = path.with_suffix(".ipynb.tmp")
    tmp.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)


class Result:
    def __init__(self, path: Path):
        self.path = path
        self.passed = False
        self.reason = ""
        self.cell: int | None = None  # 1-based index among all cells of the failing cell
        self.seconds = 0.0
        self.first_figure: float | None = None  # seconds from the start to the first image output
        self.start = time.monotonic()
        self.details: list[str] = []  # printed under the FAIL line
        self.fresh: dict[int, tuple[int, list]] = {}  # cell index -> (execution count, outputs)
        self.differences: list[str] = []  # "cell N: why", against the committed outputs


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


async def execute(client: NotebookClient, nb, args, env: dict, kernel_log, result: Result):
    timeout = args.timeout
    locked = read_lock(Path(args.lock)) if args.lock else None
    built_lock = Path(env["EVCXR_TMPDIR"]) / "Cargo.lock"
    pairs = path_replacements_for(env)
    # nbclient clears a cell's outputs when it runs it: keep the committed ones.
    committed = {i: (c.get("execution_count"), normalise_committed(c.get("outputs", [])))
                 for i, c in enumerate(nb.cells) if c.cell_type == "code"}
    client.reset_execution_trackers()
    async with client.async_setup_kernel(stdout=kernel_log, stderr=kernel_log, env=env):
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
            await drain_late_output(client, cell, index, args.late_output_wait)
            why = cell_failure(cell)
            if locked is not None and built_lock.is_file():
                # Drift first: it is the cause when a cell failed over a crate
                # that cargo could not download.
                drift = lock_drift(read_lock(built_lock), locked)
                if drift:
                    why = drift_reason(drift)
                    more = [f"... and {len(drift) - 12} more"] if len(drift) > 12 else []
                    result.details = [f"the kernel's Cargo.lock: {built_lock}"] + drift[:12] + more
            if why:
                result.reason = f"cell {index + 1}: {why}"
                return
            count = client.code_cells_executed
            fresh = normalise_outputs(cell.get("outputs", []), pairs)
            result.fresh[index] = (count, fresh)
            if result.first_figure is None and any(
                    m.startswith("image/") for o in fresh for m in o.get("data", {})):
                result.first_figure = time.monotonic() - result.start
            if args.compare:
                old_count, old = committed[index]
                diff = compare_cell(old, fresh, is_timing(cell))
                if diff is None and old_count != count:
                    diff = f"execution count {old_count}, expected {count} (refresh with --update)"
                if diff:
                    result.differences.append(f"cell {index + 1}: {diff}")
        if result.differences:
            result.reason = result.differences[0]
            more = result.differences[1:]
            result.details += more[:5] + ([f"... and {len(more) - 5} more cells"] if len(more) > 5 else [])
            result.details.append("refresh with: scripts/check-notebooks --update " + os.path.relpath(result.path))
            return
        result.cell = None
        result.passed = True


@contextlib.contextmanager
def kernel_env(args, exp: dict | None):
    """The kernel's environment: ours, or for a self-test fixture that asks for
    it (numlab_check.registry = "newer-than-lock") one whose cargo sees a
    registry with newer versions than Cargo.lock, and (lock_binding = false) a
    scratch crate outside the cache folder, where the binding does not reach."""
    env = dict(os.environ)
    exp = exp or {}
    with contextlib.ExitStack() as stack:
        if exp.get("registry") == "newer-than-lock":
            if not args.locked_crates:
                raise SystemExit("a fixture with numlab_check.registry needs --locked-crates")
            home = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="numlab-newer-registry-")))
            if not make_newer_registry(Path(args.locked_crates), home):
                raise SystemExit(f"{args.locked_crates}: no crates to offer newer versions of")
            env["CARGO_HOME"] = str(home)
        elif "registry" in exp:
            raise SystemExit(f"unknown numlab_check.registry {exp['registry']!r}")
        if exp.get("lock_binding", True) is False:
            scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="numlab-unbound-kernel-")))
            cache = Path(args.locked_crates).resolve().parent
            if cache in scratch.resolve().parents:
                raise SystemExit(f"the temporary folder {scratch} is inside {cache}; set TMPDIR elsewhere")
            env["EVCXR_TMPDIR"] = str(scratch)
        yield env


def run_notebook(path: Path, args, exp: dict | None = None) -> Result:
    result = Result(path)
    nb_dir = path.resolve().parent
    start = result.start = time.monotonic()
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as err:  # unreadable notebook
        result.reason = f"cannot read notebook: {first_line(str(err))}"
        return result

    log_path = Path(args.log_dir) / (path.stem + ".kernel.log")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with kernel_env(args, exp) as env, open(log_path, "wb") as kernel_log:
        # The previous notebook's resolution is not this one's.
        (Path(env["EVCXR_TMPDIR"]) / "Cargo.lock").unlink(missing_ok=True)
        client = make_client(nb, nb_dir, args)
        crashed = False
        try:
            asyncio.run(execute(client, nb, args, env, kernel_log, result))
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
        result.details += [f"kernel log {log_path}:"] + ["  " + ANSI.sub("", t) for t in tail]

    if args.update and result.passed:
        write_notebook(path, result.fresh)
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
            note = f"  first figure after {r.first_figure:.1f} s" if r.first_figure is not None else ""
            note += "  outputs written" if args.update else ""
            print(f"ok    {path.name:<{width}}  {r.seconds:6.1f} s{note}", flush=True)
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
        # A fixture is compared with its committed outputs when it says so.
        fixture_args = argparse.Namespace(**{**vars(args), "compare": bool(exp.get("compare"))})
        r = run_notebook(path, fixture_args, exp)
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
    parser.add_argument("--lock", help="the workspace's Cargo.lock: the versions the kernel must build")
    parser.add_argument(
        "--locked-crates",
        help="the vendored crates of --lock (for the self-test's registry newer than the lock)",
    )
    parser.add_argument("--self-test", action="store_true")
    parser.add_argument(
        "--compare", action="store_true",
        help="fail a notebook whose fresh outputs differ from its committed ones",
    )
    parser.add_argument(
        "--update", action="store_true",
        help="write the fresh outputs into each notebook that ran without failing",
    )
    args = parser.parse_args()
    return self_test(args) if args.self_test else check(args)


if __name__ == "__main__":
    sys.exit(main())
