"""`policytag doccano export | import | push | pull | serve` (wired into `policytag` by `add_parser`)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .formats import TASKS

EXIT_OK, EXIT_PROBLEMS = 0, 1


def _err(message: str) -> None:
    print(f"policytag: error: {message}", file=sys.stderr, flush=True)


def _corpus(args):
    from ..corpus import Corpus

    return Corpus(args.corpus)


def _guideline(corpus) -> str:
    path = corpus.root / "ANNOTATION.md"
    return path.read_text("utf-8") if path.exists() else ""


def _rows(args, corpus) -> list[dict]:
    """The export rows the arguments select (shared by export and push)."""
    from ..errors import InputError
    from .formats import build_rows, has_spans, needs_model

    if args.docs:
        missing = [d for d in args.docs if not corpus.doc_path(d).exists()]
        if missing:
            raise InputError(f"no document {', '.join(missing)} in the corpus at {corpus.root}")
        records = list(corpus.iter_records(docs=args.docs))
    else:
        records = list(corpus.iter_records(args.split))
    nlp = rules_nlp = None
    if any(needs_model(args.task, r, args.order) for r in records):
        from ..pipeline import build_rules_pipeline, load

        nlp = load(args.model)
        if args.order == "uncertain" and has_spans(args.task):
            rules_nlp = build_rules_pipeline()
            if rules_nlp.pipe_names == nlp.pipe_names:
                rules_nlp = None  # the rule pipeline itself: it cannot disagree with itself
    return build_rows(args.task, records, nlp=nlp, rules_nlp=rules_nlp, order=args.order,
                      only_unreviewed=args.only_unreviewed, limit=args.limit)


def cmd_export(args) -> int:
    from ..corpus.store import atomic_write_text
    from .formats import dumps_rows

    corpus = _corpus(args)
    rows = _rows(args, corpus)
    if not rows:
        _err("no record selected: nothing exported")
        return EXIT_PROBLEMS
    text = dumps_rows(rows)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        atomic_write_text(Path(args.output), text)
        print(f"{len(rows)} row(s) for a doccano {args.task} project -> {args.output}", file=sys.stderr)
    return EXIT_OK


def _print_report(report, args) -> int:
    if getattr(args, "json", False):
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=1, default=str))
    else:
        for line in report.lines():
            print(line, file=sys.stderr)
        print(report.summary() + (" (dry run: nothing written)" if report.dry_run else ""))
    if not report.ok:
        if report.problems:
            _err(f"{len(report.problems)} problem(s)")
        if report.unresolved:
            _err(f"{report.unresolved} unresolved conflict(s) or disagreement(s)")
        return EXIT_PROBLEMS
    return EXIT_OK


def cmd_import(args) -> int:
    from .importer import import_file

    report = import_file(_corpus(args), args.file, task=args.task, prefer=args.prefer, annotator=args.annotator,
                         confirmed=args.confirmed, dry_run=args.dry_run, uploader=args.uploader)
    return _print_report(report, args)


def cmd_push(args) -> int:
    from .client import connect, push

    conn = connect(connect_timeout=args.connect_timeout)  # credentials first: fail fast, before loading a model
    corpus = _corpus(args)
    rows = _rows(args, corpus)
    if not rows:
        _err("no record selected: nothing pushed")
        return EXIT_PROBLEMS
    result = push(conn, args.task, args.project, rows, guideline=_guideline(corpus), timeout=args.timeout)
    for e in result.errors:
        print(e, file=sys.stderr)
    print(result.summary())
    if result.errors:
        _err(f"{len(result.errors)} upload problem(s)")
        return EXIT_PROBLEMS
    return EXIT_OK


def cmd_pull(args) -> int:
    from .client import connect, pull

    conn = connect(connect_timeout=args.connect_timeout)
    report = pull(conn, _corpus(args), args.project, prefer=args.prefer, dry_run=args.dry_run, via=args.via,
                  only_approved=args.only_approved, timeout=args.timeout)
    return _print_report(report, args)


def cmd_serve(args) -> int:
    from .server import serve

    return serve(args.venv, port=args.port, home=args.home)


def add_parser(subparsers) -> argparse.ArgumentParser:
    doccano = subparsers.add_parser("doccano", help="annotation in doccano 1.8: export, import, push, pull")
    dsub = doccano.add_subparsers(dest="doccano_command", metavar="ACTION")

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--corpus", metavar="DIR", help="corpus folder (default: the repository's corpus/)")

    select = argparse.ArgumentParser(add_help=False)
    select.add_argument("--task", required=True, choices=TASKS,
                        help="spans: SequenceLabeling; categories: DocumentClassification; "
                             "joint: IntentDetectionAndSlotFilling")
    select.add_argument("--split", choices=["train", "dev", "test"], help="only the documents of this split")
    select.add_argument("--docs", nargs="+", metavar="DOC", help="only these documents")
    select.add_argument("--only-unreviewed", action="store_true",
                        help="only records whose labels for the task are not reviewed yet")
    select.add_argument("--order", choices=["corpus", "uncertain"], default="corpus",
                        help="uncertain: the records the model is least sure of first (score in "
                             "policytag_uncertainty)")
    select.add_argument("--limit", type=int, metavar="N", help="at most N rows (after ordering)")
    select.add_argument("--model", metavar="PATH", help="pipeline for pre-annotation and --order uncertain "
                                                        "(default: the shipped model)")

    server = argparse.ArgumentParser(add_help=False)
    server.add_argument("--connect-timeout", type=float, default=5.0, metavar="S",
                        help="seconds to wait for the server to answer a connection (default 5)")
    server.add_argument("--timeout", type=float, default=600.0, metavar="S",
                        help="seconds to wait for doccano's import/export task (default 600)")

    merge = argparse.ArgumentParser(add_help=False)
    merge.add_argument("--prefer", choices=["corpus", "doccano"], default="corpus",
                       help="who wins a conflict with a reviewed corpus label (default: corpus, reported)")
    merge.add_argument("--dry-run", action="store_true", help="report only, write nothing")
    merge.add_argument("--json", action="store_true", help="the report as JSON on stdout")

    p = dsub.add_parser("export", parents=[common, select], help="import-ready JSONL for a doccano project")
    p.add_argument("-o", "--output", required=True, metavar="FILE.jsonl", help="output file ('-': standard output)")
    p.set_defaults(func=cmd_export)

    p = dsub.add_parser("import", parents=[common, merge],
                        help="a doccano export (zip or JSONL) into the corpus, as reviewed labels")
    p.add_argument("file", metavar="FILE", help="doccano export zip (all.jsonl or <user>.jsonl) or JSONL")
    p.add_argument("--task", choices=TASKS, help="the project's task (default: told from the rows)")
    p.add_argument("--annotator", metavar="NAME",
                   help="annotator of a JSONL file or all.jsonl (default: the file name, 'all' for all.jsonl)")
    p.add_argument("--uploader", metavar="USER",
                   help="per-user export: the account that pushed the pre-annotations (default: the one file whose "
                        "labels are all unchanged)")
    p.add_argument("--confirmed", action="store_true",
                   help="the rows were confirmed (an export of approved examples): unchanged rows count as reviewed")
    p.set_defaults(func=cmd_import)

    p = dsub.add_parser("push", parents=[common, select, server],
                        help="create or reuse a project on a doccano server and upload pre-annotated rows "
                             "(POLICYTAG_DOCCANO_URL/USER/PASSWORD)")
    p.add_argument("--project", required=True, metavar="NAME|ID", help="project name (created if absent) or id")
    p.set_defaults(func=cmd_push)

    p = dsub.add_parser("pull", parents=[common, merge, server],
                        help="read a doccano project's annotations and import them "
                             "(POLICYTAG_DOCCANO_URL/USER/PASSWORD)")
    p.add_argument("--project", required=True, metavar="NAME|ID", help="project name or id")
    p.add_argument("--via", choices=["auto", "api", "export"], default="auto",
                   help="api: examples/spans/categories endpoints (collaborative projects); export: doccano's "
                        "export zip; auto (default): api for collaborative projects, else export")
    p.add_argument("--only-approved", action="store_true", help="only examples an annotator confirmed")
    p.set_defaults(func=cmd_pull)

    p = dsub.add_parser("serve", help="run a local doccano 1.8.4 on 127.0.0.1 (admin: POLICYTAG_DOCCANO_USER / "
                                      "POLICYTAG_DOCCANO_PASSWORD) until Ctrl-C")
    p.add_argument("--port", type=int, help="port (default: a free one)")
    p.add_argument("--home", metavar="DIR", help="doccano's data folder (default: a temporary folder)")
    p.add_argument("--venv", metavar="DIR", help="doccano's virtual environment (default: $POLICYTAG_DOCCANO_VENV "
                                                 "or .venv-doccano)")
    p.set_defaults(func=cmd_serve)

    doccano.set_defaults(func=lambda a: (doccano.print_help(sys.stderr), 2)[1])
    return doccano
