"""The local doccano server helper without a server: finding the venv, clear errors, process groups."""

import os
import signal
import socket
import subprocess

import pytest

from policytag.doccano.server import DoccanoServer, DoccanoServerError, find_venv, free_port, group_alive, serve


def test_missing_venv_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYTAG_DOCCANO_VENV", str(tmp_path / "nothing"))
    assert find_venv(tmp_path) is None
    with pytest.raises(DoccanoServerError, match=r"no doccano 1\.8\.4 environment at .*pip install doccano==1\.8\.4"):
        DoccanoServer(tmp_path / "nothing")


def test_find_venv_needs_doccano_and_gunicorn(tmp_path):
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "doccano").write_text("")
    assert find_venv(tmp_path) is None
    (tmp_path / "bin" / "gunicorn").write_text("")
    assert find_venv(tmp_path) == tmp_path


def test_free_port_is_bindable_on_loopback():
    port = free_port()
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))


def test_group_alive_follows_a_process_group():
    proc = subprocess.Popen(["sleep", "30"], start_new_session=True)
    try:
        assert group_alive(proc.pid)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    assert not group_alive(proc.pid)


def test_serve_needs_a_password(monkeypatch):
    monkeypatch.delenv("POLICYTAG_DOCCANO_PASSWORD", raising=False)
    with pytest.raises(DoccanoServerError, match="POLICYTAG_DOCCANO_PASSWORD"):
        serve("/nonexistent")
