"""`policytag doccano ...` through the real console entry point; connection errors of push/pull."""

import json
import os
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from doccano_helpers import FIXTURES, snapshot, write_jsonl
from policytag.doccano.client import DoccanoError, connect, credentials_from_env
from policytag.doccano.formats import ID_KEY, row_keys

SECRET = "s3cret-Pw-never-printed"


def run(*args, env=None, timeout=300):
    base = {k: v for k, v in os.environ.items() if not k.startswith("POLICYTAG_DOCCANO_")}
    base["PYTHONWARNINGS"] = "ignore"
    return subprocess.run([sys.executable, "-m", "policytag.cli", "doccano", *map(str, args)], capture_output=True,
                          text=True, env={**base, **(env or {})}, timeout=timeout)


def test_export_writes_import_ready_jsonl(corpus, tmp_path):
    out = tmp_path / "out" / "cats.jsonl"
    proc = run("export", "--corpus", corpus.root, "--task", "categories", "--split", "train", "-o", out)
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r[ID_KEY] for r in rows] == [f"seed-000#{i}" for i in range(9)]
    assert all(tuple(r) == row_keys("categories") for r in rows)


def test_export_order_uncertain_and_stdout(corpus):
    proc = run("export", "--corpus", corpus.root, "--task", "joint", "--docs", "seed-003", "--order", "uncertain",
               "--limit", "3", "-o", "-")
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(rows) == 3 and all(tuple(r) == row_keys("joint", uncertainty=True) for r in rows)
    scores = [r["policytag_uncertainty"] for r in rows]
    assert scores == sorted(scores, reverse=True)


def test_export_unknown_document_is_one_line(corpus, tmp_path):
    proc = run("export", "--corpus", corpus.root, "--task", "spans", "--docs", "nope", "-o", tmp_path / "x.jsonl")
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1 and "nope" in proc.stderr
    assert not (tmp_path / "x.jsonl").exists()


def test_import_round_trip_and_exit_codes(corpus, tmp_path):
    before = snapshot(corpus)
    out = tmp_path / "spans.jsonl"
    assert run("export", "--corpus", corpus.root, "--task", "spans", "-o", out).returncode == 0
    proc = run("import", "--corpus", corpus.root, out)
    assert proc.returncode == 0, proc.stderr
    assert "0 label(s)" in proc.stdout
    assert snapshot(corpus) == before
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    rows[0]["label"] = [[0, 999, "ORG"]]
    write_jsonl(out, rows)
    proc = run("import", "--corpus", corpus.root, out)
    assert proc.returncode == 1
    problem_lines = [line for line in proc.stderr.splitlines() if line.startswith(f"{out}:1: ")]
    assert len(problem_lines) == 2  # unknown label, offsets out of range: one line each
    assert snapshot(corpus) == before


def test_import_conflict_exit_and_prefer(corpus):
    zip_path = FIXTURES / "doccano-1.8.4-all-categories.zip"
    proc = run("import", "--corpus", corpus.root, zip_path)
    assert proc.returncode == 1 and "conflict seed-003#1 category" in proc.stderr
    proc = run("import", "--corpus", corpus.root, zip_path, "--prefer", "doccano", "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert [c["record_id"] for c in report["conflicts"]] == ["seed-003#1"] and report["conflicts"][0]["applied"]


@pytest.mark.parametrize("action", ["push", "pull"])
def test_missing_credentials_are_one_clear_line(corpus, action):
    args = [action, "--corpus", corpus.root, "--project", "p"] + (["--task", "spans"] if action == "push" else [])
    t0 = time.monotonic()
    proc = run(*args, env={"POLICYTAG_DOCCANO_URL": "http://127.0.0.1:9"})
    assert proc.returncode == 1 and time.monotonic() - t0 < 30
    assert proc.stderr.count("\n") == 1
    assert "POLICYTAG_DOCCANO_USER" in proc.stderr and "POLICYTAG_DOCCANO_PASSWORD" in proc.stderr


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("action", ["push", "pull"])
def test_unreachable_server_is_one_clear_line_within_seconds(corpus, action):
    env = {"POLICYTAG_DOCCANO_URL": f"http://127.0.0.1:{_closed_port()}", "POLICYTAG_DOCCANO_USER": "admin",
           "POLICYTAG_DOCCANO_PASSWORD": SECRET}
    args = [action, "--corpus", corpus.root, "--project", "p"] + (["--task", "spans"] if action == "push" else [])
    t0 = time.monotonic()
    proc = run(*args, env=env)
    assert proc.returncode == 1 and time.monotonic() - t0 < 30
    assert "cannot reach doccano" in proc.stderr and proc.stderr.count("\n") == 1
    assert SECRET not in proc.stderr + proc.stdout


def test_server_that_never_answers_times_out():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)  # accepts connections into the backlog, never answers
    try:
        t0 = time.monotonic()
        with pytest.raises(DoccanoError, match="did not answer"):
            connect(f"http://127.0.0.1:{listener.getsockname()[1]}", "admin", SECRET, connect_timeout=1.0)
        assert time.monotonic() - t0 < 10
    finally:
        listener.close()


class _NotDoccano(BaseHTTPRequestHandler):
    def _page(self):
        body = b"<!doctype html><html><body>hello</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _page

    def log_message(self, *args):
        pass


def test_a_web_server_that_is_not_doccano_is_refused():
    server = HTTPServer(("127.0.0.1", 0), _NotDoccano)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with pytest.raises(DoccanoError, match="doccano 1.8 server") as err:
            connect(f"http://127.0.0.1:{server.server_port}", "admin", SECRET)
        assert SECRET not in str(err.value)
    finally:
        server.shutdown()
        server.server_close()


def test_credentials_from_env_only_names_missing_variables():
    with pytest.raises(DoccanoError) as err:
        credentials_from_env({"POLICYTAG_DOCCANO_URL": "http://x", "POLICYTAG_DOCCANO_PASSWORD": SECRET})
    assert "POLICYTAG_DOCCANO_USER" in str(err.value) and SECRET not in str(err.value)
    assert "POLICYTAG_DOCCANO_URL" not in str(err.value).split("(")[0]
    assert credentials_from_env({"POLICYTAG_DOCCANO_URL": "http://x/", "POLICYTAG_DOCCANO_USER": "u",
                                 "POLICYTAG_DOCCANO_PASSWORD": "p"}) == ("http://x", "u", "p")


def test_credentials_in_the_url_are_refused_without_echoing_them():
    with pytest.raises(DoccanoError, match="must not hold credentials") as err:
        connect(f"http://admin:{SECRET}@127.0.0.1:9", "admin", SECRET)
    assert SECRET not in str(err.value)
