"""Start and stop a local doccano 1.8.4 server (gunicorn bound to 127.0.0.1 + the celery worker `doccano task`).

doccano lives in its own virtual environment (its pins clash with policytag's): `$POLICYTAG_DOCCANO_VENV`, else the
repository's `.venv-doccano`. Create one with

    python3 -m venv .venv-doccano && .venv-doccano/bin/pip install doccano==1.8.4 "marshmallow<4" "numpy<2"

`DoccanoServer` runs both processes in their own process groups and stops the groups (SIGTERM, then SIGKILL),
so nothing is left behind. Every wait is bounded. The admin's password reaches the server's set-up script through
its environment, never through a command line, a file or a log.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ..errors import PolicytagError

VENV_ENV = "POLICYTAG_DOCCANO_VENV"
DOCCANO_VERSION = "1.8.4"
START_TIMEOUT = 120.0


class DoccanoServerError(PolicytagError):
    """The local doccano server cannot be found, started or stopped."""


def repo_root() -> Path:
    return Path(__file__).resolve().parents[3]


def find_venv(venv: str | Path | None = None) -> Path | None:
    """The doccano virtual environment: `venv`, $POLICYTAG_DOCCANO_VENV or <repo>/.venv-doccano (None if absent)."""
    candidates = [Path(venv)] if venv else []
    if not venv and os.environ.get(VENV_ENV):
        candidates.append(Path(os.environ[VENV_ENV]))
    if not venv:
        candidates.append(repo_root() / ".venv-doccano")
    for c in candidates:
        if (c / "bin" / "doccano").exists() and (c / "bin" / "gunicorn").exists():
            return c
    return None


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


# Run by the doccano venv's python: migrate, create the roles, create the admin (password from the environment),
# print the backend folder (gunicorn's --chdir).
_SETUP_SCRIPT = r"""
import os, sys
import backend
base = os.path.dirname(backend.__file__)
sys.path.append(base)
import django
django.setup()
from django.core import management
management.call_command("migrate", verbosity=0)
management.call_command("create_roles")
from django.contrib.auth import get_user_model
User = get_user_model()
name = os.environ["PT_DOCCANO_ADMIN"]
user, _ = User.objects.get_or_create(username=name, defaults={"email": name + "@localhost"})
user.is_superuser = True
user.is_staff = True
user.set_password(os.environ["PT_DOCCANO_ADMIN_PASSWORD"])
user.save()
print("BACKEND=" + base)
"""


class DoccanoServer:
    """A doccano 1.8.4 server on 127.0.0.1:<port>, with its data in `home` (a temp folder by default).

        with DoccanoServer(admin="admin", password=pw) as server:
            server.url   # http://127.0.0.1:PORT
    """

    def __init__(self, venv: str | Path | None = None, *, home: str | Path | None = None, port: int | None = None,
                 admin: str = "admin", password: str | None = None, workers: int = 2,
                 start_timeout: float = START_TIMEOUT):
        found = find_venv(venv)
        if found is None:
            where = venv or os.environ.get(VENV_ENV) or repo_root() / ".venv-doccano"
            raise DoccanoServerError(
                f"no doccano {DOCCANO_VERSION} environment at {where} (create it: python3 -m venv {where} && "
                f"{where}/bin/pip install doccano=={DOCCANO_VERSION} \"marshmallow<4\" \"numpy<2\", "
                f"or set {VENV_ENV})")
        self.venv = found
        self._own_home = home is None
        self.home = Path(home) if home is not None else Path(tempfile.mkdtemp(prefix="policytag-doccano-"))
        self.host = "127.0.0.1"
        self.port = port or free_port(self.host)
        self.admin = admin
        self.password = password or secrets.token_urlsafe(16)
        self.workers = workers
        self.start_timeout = start_timeout
        self._procs: dict[str, subprocess.Popen] = {}
        self._logs: dict[str, object] = {}

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("POLICYTAG_DOCCANO_", "PT_DOCCANO_"))}
        env.update({
            "DOCCANO_HOME": str(self.home),
            "DATABASE_URL": f"sqlite:///{self.home / 'db.sqlite3'}",
            "MEDIA_ROOT": str(self.home / "media"),
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "STANDALONE": "True",
            "DEBUG": "False",
            "SECRET_KEY": secrets.token_urlsafe(32),
            "PYTHONUNBUFFERED": "1",
        })
        env.pop("PYTHONPATH", None)
        env.pop("VIRTUAL_ENV", None)
        return env

    def _deadline_left(self, deadline: float) -> float:
        left = deadline - time.monotonic()
        if left <= 0:
            raise DoccanoServerError(f"doccano did not start within {self.start_timeout:.0f} s "
                                     f"(logs in {self.home})")
        return left

    def start(self) -> "DoccanoServer":
        deadline = time.monotonic() + self.start_timeout
        self.home.mkdir(parents=True, exist_ok=True)
        (self.home / "media").mkdir(exist_ok=True)
        self._env_cache = env = self._env()
        setup_env = dict(env, PT_DOCCANO_ADMIN=self.admin, PT_DOCCANO_ADMIN_PASSWORD=self.password)
        try:
            done = subprocess.run([str(self.venv / "bin" / "python"), "-c", _SETUP_SCRIPT], env=setup_env,
                                  cwd=self.home, capture_output=True, text=True,
                                  timeout=self._deadline_left(deadline), start_new_session=True)
        except subprocess.TimeoutExpired:
            raise DoccanoServerError(f"doccano database set-up did not finish within {self.start_timeout:.0f} s") \
                from None
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            raise DoccanoServerError(f"doccano database set-up failed: {tail[0]}")
        backend = next((line[len("BACKEND="):] for line in done.stdout.splitlines() if line.startswith("BACKEND=")),
                       None)
        if not backend:
            raise DoccanoServerError("doccano database set-up printed no backend folder")
        try:
            self._spawn("gunicorn", [str(self.venv / "bin" / "gunicorn"), "--bind", f"{self.host}:{self.port}",
                                     "--workers", str(self.workers), "--chdir", backend, "--timeout", "120",
                                     "--capture-output", "config.wsgi"])
            self._spawn("worker", [str(self.venv / "bin" / "doccano"), "task", "--concurrency", "1"])
            self._wait_ready(deadline)
        except BaseException:
            self.stop()
            raise
        return self

    def _spawn(self, name: str, argv: list[str]) -> None:
        log = open(self.home / f"{name}.log", "ab")
        self._logs[name] = log
        self._procs[name] = subprocess.Popen(argv, env=self._env_cache, cwd=self.home, stdout=log,
                                             stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                             start_new_session=True, preexec_fn=_die_with_parent)

    def _wait_ready(self, deadline: float) -> None:
        import requests

        health = f"{self.url}/v1/health/"
        while True:
            for name, proc in self._procs.items():
                if proc.poll() is not None:
                    raise DoccanoServerError(f"doccano {name} exited with code {proc.returncode} while starting "
                                             f"(see {self.home / (name + '.log')})")
            left = self._deadline_left(deadline)
            try:
                r = requests.get(health, timeout=min(5.0, left), headers={"accept": "application/json"})
                if r.status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(min(0.5, max(0.0, deadline - time.monotonic())))

    def running(self) -> bool:
        return bool(self._procs) and all(p.poll() is None for p in self._procs.values())

    def pids(self) -> list[int]:
        return [p.pid for p in self._procs.values()]

    def stop(self, timeout: float = 20.0) -> None:
        """Stop gunicorn and the worker with their whole process groups; SIGKILL whatever is left after `timeout`."""
        procs = list(self._procs.items())
        for _, proc in procs:
            _signal_group(proc, signal.SIGTERM)
        end = time.monotonic() + timeout
        for _, proc in procs:
            try:
                proc.wait(timeout=max(0.1, end - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        for _, proc in procs:
            _signal_group(proc, signal.SIGKILL)  # children of a stopped leader (celery pool, gunicorn workers)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL cannot be ignored
                pass
        self._procs.clear()
        for log in self._logs.values():
            log.close()
        self._logs.clear()

    def cleanup(self) -> None:
        self.stop()
        if self._own_home:
            shutil.rmtree(self.home, ignore_errors=True)

    def __enter__(self) -> "DoccanoServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.cleanup()


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """Linux: the child gets SIGTERM when the process that started it dies (a safety net behind stop())."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:
        pass


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(proc.pid, sig)  # start_new_session: the group id is the leader's pid
    except (ProcessLookupError, PermissionError):
        pass


def group_alive(pgid: int) -> bool:
    """Whether any process of the group `pgid` is still alive (zombies count as gone)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid pgrp ...: comm may hold spaces, so split after the last ')'
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) > 2 and fields[0] != "Z" and int(fields[2]) == pgid:
            return True
    return False


def serve(venv: str | Path | None = None, *, port: int | None = None, home: str | Path | None = None,
          admin: str | None = None, password: str | None = None) -> int:
    """`policytag doccano serve`: run a local server until Ctrl-C. Admin credentials from the environment."""
    admin = admin or os.environ.get("POLICYTAG_DOCCANO_USER") or "admin"
    password = password or os.environ.get("POLICYTAG_DOCCANO_PASSWORD")
    if not password:
        raise DoccanoServerError("set POLICYTAG_DOCCANO_PASSWORD (the admin password of the local server)")
    server = DoccanoServer(venv, port=port, home=home, admin=admin, password=password)

    def _terminate(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _terminate)
    server.start()
    keep = "" if home is not None else " (a new folder each run: give --home DIR to keep projects across runs)"
    print(f"doccano {DOCCANO_VERSION} at {server.url} (admin user {admin!r}; data in {server.home}{keep}); "
          f"Ctrl-C stops it", flush=True)
    try:
        while server.running():
            time.sleep(1)
        print("policytag: error: the doccano server stopped by itself", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        server.stop()
