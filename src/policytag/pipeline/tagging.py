"""Tagging reports and paragraph records with the pipeline, streaming one report at a time."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..errors import InputError, PolicytagError, ReadError
from ..read import Report, read
from .records import ParagraphInput, record

REPORT_SUFFIXES = (".txt", ".text", ".docx", ".md")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
ProblemHandler = Callable[[PolicytagError], None]


def _raise(problem: PolicytagError) -> None:
    raise problem


def expand(inputs: Iterable[str | Path], on_problem: ProblemHandler = _raise) -> Iterator[Path]:
    """Report and JSONL files named by the inputs; a directory gives its report files, sorted by name."""
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES)
            if not files:
                on_problem(ReadError("directory holds no report files (.txt, .docx)", source=str(path)))
            yield from files
        elif not path.exists():
            on_problem(ReadError("no such file or directory", source=str(path)))
        else:
            yield path


def report_inputs(report: Report) -> list[ParagraphInput]:
    return [
        ParagraphInput(doc=report.doc_id, index=p.index, text=p.text, section=p.section,
                       source_span=p.source_span, kind=p.kind)
        for p in report.paragraphs
    ]


def jsonl_inputs(path: Path, on_problem: ProblemHandler = _raise) -> Iterator[ParagraphInput]:
    """Each JSONL record with a "text" is one paragraph, tagged as given. Bad lines are reported and skipped."""
    source = str(path)
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise ReadError(f"cannot read file ({e.strerror or e})", source=source) from None
    if not raw.strip():
        raise ReadError("empty file: no records", source=source)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ReadError(f"JSONL must be UTF-8 (bad byte at offset {e.start})", source=source) from None
    index = 0
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            on_problem(InputError(f"malformed JSON: {e.msg} (column {e.colno})", source=source, line=lineno))
            continue
        if not isinstance(obj, dict):
            on_problem(InputError("a record must be a JSON object", source=source, line=lineno))
            continue
        para = obj.get("text")
        if not isinstance(para, str) or not para.strip():
            on_problem(InputError('record has no "text" string', source=source, line=lineno))
            continue
        rid = obj.get("id")
        section = obj.get("section") if isinstance(obj.get("section"), list) else []
        yield ParagraphInput(
            doc=str(obj.get("doc") or path.stem),
            index=index,
            text=para,
            section=[str(s) for s in section],
            source_span=(0, len(para)),
            kind=str(obj.get("kind") or "body"),
            id=str(rid) if rid is not None else None,
        )
        index += 1


def inputs_of(path: Path, on_problem: ProblemHandler = _raise) -> list[ParagraphInput]:
    if is_jsonl(path):
        return list(jsonl_inputs(path, on_problem))
    return report_inputs(read(path))


def is_jsonl(path: Path) -> bool:
    """JSONL records are paragraphs tagged as given, each alone (no report context); a report file is read whole."""
    return path.suffix.lower() in JSONL_SUFFIXES


def make_docs(nlp, inputs: list[ParagraphInput]):
    from .. import extensions  # noqa: F401

    for inp in inputs:
        doc = nlp.make_doc(inp.text)
        doc._.section = list(inp.section)
        doc._.paragraph_kind = inp.kind
        yield doc


CLASSIFIER = "policytag_paragraph_classifier"


def report_runs(inputs: list[ParagraphInput]) -> list[tuple[int, int]]:
    """(start, end) of each run of inputs that is one report read in order: one document, consecutive indexes."""
    runs: list[tuple[int, int]] = []
    for i, inp in enumerate(inputs):
        prev = inputs[i - 1] if i else None
        if prev is not None and (inp.doc, inp.index) == (prev.doc, prev.index + 1):
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return runs


def tag_docs(nlp, inputs: list[ParagraphInput], *, context: bool = True, batch_size: int = 64) -> Iterator:
    """The pipeline's docs for the inputs, in order. With `context`, the category scores of each report's paragraphs
    (`report_runs`) are revised by their neighbours' (the classifier's `ReportContext`); a pipeline without one, or a
    lone paragraph, keeps the scores as they are."""
    docs = nlp.pipe(make_docs(nlp, inputs), batch_size=batch_size)
    clf = nlp.get_pipe(CLASSIFIER) if CLASSIFIER in nlp.pipe_names else None
    if not context or clf is None or not getattr(clf, "uses_context", False):
        yield from docs
        return
    for start, end in report_runs(inputs):
        yield from clf.in_context([next(docs) for _ in range(start, end)])


def tag_inputs(nlp, inputs: list[ParagraphInput], batch_size: int = 64, *, context: bool = True) -> Iterator[dict]:
    for inp, doc in zip(inputs, tag_docs(nlp, inputs, context=context, batch_size=batch_size)):
        yield record(inp, doc)


def tag_paths(nlp, paths: Iterable[str | Path], on_problem: ProblemHandler = _raise) -> Iterator[dict]:
    """Records for every paragraph of every input, in order; a bad file goes to on_problem and is skipped."""
    for path in expand(paths, on_problem):
        try:
            inputs = inputs_of(path, on_problem)
        except PolicytagError as e:
            on_problem(e)
            continue
        yield from tag_inputs(nlp, inputs, context=not is_jsonl(path))


# ------------------------------------------------------------------ batch with worker processes
_WORKER_NLP = None


def _worker_init(model: str | None) -> None:
    global _WORKER_NLP
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    from .loading import load

    _WORKER_NLP = load(model)


def _worker_file(path: str) -> tuple[list[dict], list[PolicytagError]]:
    problems: list[PolicytagError] = []
    try:
        inputs = inputs_of(Path(path), problems.append)
    except PolicytagError as e:
        return [], [e]
    return list(tag_inputs(_WORKER_NLP, inputs, context=not is_jsonl(Path(path)))), problems


def tag_paths_parallel(model: str | None, paths: Iterable[str | Path], workers: int,
                       on_problem: ProblemHandler = _raise) -> Iterator[dict]:
    """Like tag_paths, with `workers` processes (one report per task, output in input order)."""
    import multiprocessing as mp
    import os

    files = [str(p) for p in expand(paths, on_problem)]
    ctx = mp.get_context("fork" if hasattr(os, "fork") else "spawn")
    with ctx.Pool(workers, initializer=_worker_init, initargs=(model,)) as pool:
        for records, problems in pool.imap(_worker_file, files, chunksize=1):
            for p in problems:
                on_problem(p)
            yield from records


def tag(inputs, *, model: str | Path | None = None, nlp=None, on_error: str = "raise") -> list[dict]:
    """The Python twin of `policytag tag`: records (dicts) for every paragraph.

    `inputs`: a report path, a directory, a .jsonl path, a report's text, or a list of paths.
    `on_error`: "raise" (first bad input raises a PolicytagError) or "skip" (bad inputs are skipped; their
    errors are in the returned list's `.problems` attribute).
    """
    from .loading import cached_load

    if nlp is None:
        nlp = cached_load(str(model) if model is not None else None)
    problems: list[PolicytagError] = []
    handler = _raise if on_error == "raise" else problems.append
    if isinstance(inputs, str) and ("\n" in inputs or not _looks_like_path(inputs)):
        out = TagResult(tag_inputs(nlp, report_inputs(read(inputs))))
    else:
        items = [inputs] if isinstance(inputs, (str, Path)) else list(inputs)
        out = TagResult(tag_paths(nlp, items, handler))
    out.problems = problems
    return out


class TagResult(list):
    """A list of records with the problems met on the way (`on_error="skip"`)."""

    problems: list[PolicytagError]

    def frames(self):
        """pandas DataFrames of the three tables: paragraphs, entities, amounts (pandas must be installed)."""
        from .outputs import frames

        return frames(self)


def _looks_like_path(s: str) -> bool:
    p = Path(s)
    return p.exists() or p.suffix.lower() in REPORT_SUFFIXES + JSONL_SUFFIXES
