"""The `policytag` command line. Bad input gives one line on stderr and a non-zero exit, never a traceback."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .errors import PolicytagError

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def _err(message: str) -> None:
    print(f"policytag: error: {message}", file=sys.stderr, flush=True)


@contextmanager
def _output(path: str | None):
    """stdout, or a file written atomically (temp file + rename) so a failed run leaves no half file."""
    if path is None or path == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            yield fh
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def cmd_tag(args) -> int:
    from .pipeline import load, tag_paths
    from .pipeline.outputs import CsvWriter, HtmlWriter, JsonlWriter
    from .pipeline.tagging import expand, tag_paths_parallel

    problems: list[PolicytagError] = []

    def on_problem(e: PolicytagError) -> None:
        problems.append(e)
        _err(e.one_line())

    if args.format in ("csv", "html") and not args.output:
        _err(f"--format {args.format} writes a folder of files: give it with -o DIR")
        return EXIT_USAGE
    if args.workers > 1:
        records = tag_paths_parallel(args.model, args.inputs, args.workers, on_problem)
    else:
        records = tag_paths(load(args.model), args.inputs, on_problem)
    if args.progress or (sys.stderr.isatty() and len(args.inputs) > 1):
        from tqdm import tqdm

        records = tqdm(records, unit=" paragraphs", file=sys.stderr, disable=False)
    count = 0
    if args.format == "jsonl":
        with _output(args.output) as out:
            writer = JsonlWriter(out)
            for rec in records:
                writer.write(rec)
                count += 1
    else:
        writer = CsvWriter(Path(args.output)) if args.format == "csv" else HtmlWriter(Path(args.output))
        try:
            for rec in records:
                writer.write(rec)
                count += 1
        except BaseException:
            getattr(writer, "abort", lambda: None)()
            raise
        writer.close()
    if problems:
        _err(f"{len(problems)} input problem(s); {count} paragraph(s) written")
        return EXIT_PROBLEMS
    if count == 0:
        _err("no paragraphs found in the input")
        return EXIT_PROBLEMS
    return EXIT_OK


def _corpus(args):
    from .corpus import Corpus

    return Corpus(args.corpus)


def cmd_corpus_validate(args) -> int:
    from .corpus.validate import validate

    corpus = _corpus(args)
    problems = validate(corpus, check_sources=not args.no_sources)
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        _err(f"{len(problems)} problem(s) in the corpus at {corpus.root}")
        return EXIT_PROBLEMS
    print(f"corpus OK: {len(corpus.doc_ids())} documents, version {corpus.version()}")
    return EXIT_OK


def cmd_corpus_stats(args) -> int:
    from .corpus import stats as corpus_stats

    corpus = _corpus(args)
    nlp = None
    if not args.no_alignment:
        from .pipeline import load

        nlp = load(args.model)
    result = corpus_stats.compute(corpus, nlp=nlp)
    print(json.dumps(result, ensure_ascii=False, indent=1) if args.json else corpus_stats.render(result))
    return EXIT_OK


def cmd_corpus_add(args) -> int:
    from .corpus.add import add_report

    corpus = _corpus(args)
    nlp = None
    if args.prelabel:
        from .pipeline import load

        nlp = load(args.model)
    records = add_report(corpus, args.report, doc_id=args.doc_id, source=args.source or "", licence=args.licence or "",
                         prelabel_nlp=nlp)
    print(f"added {records[0]['doc']}: {len(records)} paragraph(s), "
          f"{'model pre-labelled, unreviewed' if nlp else 'unlabelled'}; not yet in a split (edit {corpus.splits_path.name})")
    return EXIT_OK


def cmd_train(args) -> int:
    from .train import train

    result = train(corpus_dir=args.corpus, config=args.config, output=args.output, segmenter=args.segmenter,
                   cluener=args.cluener, cluener_limit=args.cluener_limit, max_steps=args.max_steps, seed=args.seed,
                   supplement=not args.no_supplement,
                   evaluate_test=not args.no_test)
    print(json.dumps(result["metrics"], ensure_ascii=False, indent=1))
    return EXIT_OK


def cmd_evaluate(args) -> int:
    from .evaluate import evaluate, render
    from .pipeline import build_rules_pipeline, load

    corpus = _corpus(args)
    nlp = load(args.model)
    rules = build_rules_pipeline()
    docs = None
    if args.source or args.docs:
        sources = corpus.sources()
        docs = [d for d in corpus.doc_ids()
                if (not args.source or sources.get(d, {}).get("kind") == args.source) and (not args.docs or d in args.docs)]
        if not docs:
            _err("no corpus document matches --source/--docs")
            return EXIT_PROBLEMS
    result = evaluate(nlp, corpus, args.split, rules_nlp=rules, docs=docs)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        print(render(result))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policytag",
        description="Read Chinese government and industrial work reports and turn them into data.",
    )
    parser.add_argument("--version", action="version", version=f"policytag {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("tag", help="tag reports: one JSON record per paragraph")
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="report file (.txt, .docx), directory of reports, or .jsonl of {\"text\", \"id\"} records")
    p.add_argument("-o", "--output", metavar="OUT", help="output file (default: standard output)")
    p.add_argument("--format", choices=["jsonl", "csv", "html"], default="jsonl",
                   help="jsonl (default, one record per paragraph), csv (paragraphs/entities/amounts tables in -o DIR), "
                        "html (a highlighted page per report in -o DIR)")
    p.add_argument("--workers", type=int, default=1, metavar="N", help="worker processes (default 1)")
    p.add_argument("--progress", action="store_true", help="show a progress bar on stderr")
    p.add_argument("--model", metavar="PATH", help="pipeline directory (default: the shipped models/policytag_zh)")
    p.set_defaults(func=cmd_tag)

    corpus = sub.add_parser("corpus", help="the annotated corpus: validate, stats, add")
    csub = corpus.add_subparsers(dest="corpus_command", metavar="ACTION")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--corpus", metavar="DIR", help="corpus folder (default: the repository's corpus/)")
    c = csub.add_parser("validate", parents=[common], help="check schema, labels, offsets, overlaps, readings, splits")
    c.add_argument("--no-sources", action="store_true", help="skip re-reading the raw reports")
    c.set_defaults(func=cmd_corpus_validate)
    c = csub.add_parser("stats", parents=[common], help="sizes, reviewed share, agreement, token alignment")
    c.add_argument("--json", action="store_true", help="machine-readable output")
    c.add_argument("--no-alignment", action="store_true", help="skip measuring token alignment (no pipeline load)")
    c.add_argument("--model", metavar="PATH", help="pipeline whose tokenizer is used for the alignment figure")
    c.set_defaults(func=cmd_corpus_stats)
    c = csub.add_parser("add", parents=[common], help="read a new report into the corpus as unlabelled records")
    c.add_argument("report", metavar="REPORT")
    c.add_argument("--doc-id", help="document id (default: the file name without extension)")
    c.add_argument("--source", help="provenance: where the report comes from")
    c.add_argument("--licence", help="provenance: licence note")
    c.add_argument("--prelabel", action="store_true", help="pre-label with the model (marked unreviewed)")
    c.add_argument("--model", metavar="PATH", help="pipeline used for --prelabel")
    c.set_defaults(func=cmd_corpus_add)
    corpus.set_defaults(func=lambda a: (corpus.print_help(sys.stderr), EXIT_USAGE)[1])

    p = sub.add_parser("train", help="train the pipeline from the corpus (DocBins, spacy train, classifier, assembly)")
    p.add_argument("--config", metavar="CFG", help="spaCy training config (default: configs/policytag_zh.cfg)")
    p.add_argument("--output", metavar="DIR", help="where to write the pipeline (default: models/policytag_zh)")
    p.add_argument("--corpus", metavar="DIR", help="corpus folder (default: the repository's corpus/)")
    p.add_argument("--segmenter", metavar="DIR", help="tokenizer pipeline to copy (default: models/segmenter)")
    p.add_argument("--cluener", metavar="JSON", help="CLUENER2020 train.json: add its company spans to COMPANY training")
    p.add_argument("--cluener-limit", type=int, default=3000, help="sentences of CLUENER to use (default 3000)")
    p.add_argument("--no-supplement", action="store_true",
                   help="leave out the corpus supplements (COMPANY/PROJECT-only news sentences and report "
                        "paragraphs) from NER training")
    p.add_argument("--max-steps", type=int, help="override training.max_steps")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--no-test", action="store_true", help="do not evaluate on the test split after training")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("evaluate", help="scores of the pipeline and its baselines on a corpus split")
    p.add_argument("--model", metavar="PATH", help="pipeline directory (default: the shipped model)")
    p.add_argument("--split", default="test", choices=["train", "dev", "test"])
    p.add_argument("--source", metavar="KIND", help="evaluate on all documents of this source kind (e.g. seed), any split")
    p.add_argument("--docs", nargs="+", metavar="DOC", help="evaluate on these documents, any split")
    p.add_argument("--corpus", metavar="DIR", help="corpus folder (default: the repository's corpus/)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_evaluate)

    try:
        from .doccano.cli import add_parser as add_doccano_parser
    except ImportError:  # pragma: no cover - the doccano package is part of policytag
        add_doccano_parser = None
    if add_doccano_parser is not None:
        add_doccano_parser(sub)
    return parser


def _version() -> str:
    from . import __version__

    return __version__


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return args.func(args)
    except PolicytagError as e:
        _err(e.one_line())
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as e:  # last resort: one line, never a traceback
        if os.environ.get("POLICYTAG_DEBUG"):
            raise
        _err(f"internal error: {type(e).__name__}: {e} (set POLICYTAG_DEBUG=1 for a traceback)".replace("\n", " "))
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
