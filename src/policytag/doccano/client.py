"""`policytag doccano push` / `pull`: a live doccano 1.8 server through doccano-client 1.1.x.

Credentials come only from the environment: POLICYTAG_DOCCANO_URL, POLICYTAG_DOCCANO_USER,
POLICYTAG_DOCCANO_PASSWORD. They are never written to disk, printed or put in an error message.

push: create (or reuse, by name) a project of the task's type with grapheme_mode on (SequenceLabeling has the
setting), collaborative annotation, one category per paragraph; create the label types; upload the export rows
(the same JSONL as `policytag doccano export`) through doccano's import task; rows whose record is already in the
project are not uploaded again; the upload is checked (task errors, examples created).

pull: read the annotations back and import them (`importer`). A collaborative project is read through the
examples / spans / categories endpoints (each label's user and the examples' confirmation are known); a project
with individual annotation (or `via="export"`) through doccano's export API (a zip of `<user>.jsonl` or
`all.jsonl`), fetched on the client's session. (doccano-client 1.1's own `download` returns the web page instead
of the export against doccano 1.8.)

Every request has a timeout (connect 5 s); a missing variable, an unreachable server or a failed login is one
clear line (DoccanoError), within seconds.
"""

from __future__ import annotations

import io
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from ..errors import PolicytagError
from .formats import (
    ID_KEY,
    LABEL_SHA_KEY,
    PROJECT_TYPES,
    RESOURCE_TYPES,
    TASK_OF_PROJECT_TYPE,
    TEXT_SHA_KEY,
    UNCERTAINTY_KEY,
    RowError,
    category_key,
    dumps_rows,
    has_categories,
    has_spans,
    label_types,
    parse_row,
    row_problems,
    rows_key_problems,
    span_key,
)

ENV_URL = "POLICYTAG_DOCCANO_URL"
ENV_USER = "POLICYTAG_DOCCANO_USER"
ENV_PASSWORD = "POLICYTAG_DOCCANO_PASSWORD"
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 60.0
TASK_TIMEOUT = 600.0
PAGE = 100

SPAN_STYLE = {"COMPANY": ("#1565c0", "c"), "PROJECT": ("#2e7d32", "p"), "AMOUNT": ("#ef6c00", "a")}
CATEGORY_STYLE = {"ACHIEVEMENT": ("#2e7d32", "1"), "PROBLEM": ("#c62828", "2"), "GOAL": ("#1565c0", "3"),
                  "MEASURE": ("#6a1b9a", "4"), "OTHER": ("#616161", "5")}


class DoccanoError(PolicytagError):
    """The doccano server cannot be reached, refuses the login or a request, or is not a doccano 1.8 server."""


# ------------------------------------------------------------------------------------------------ connection
def credentials_from_env(env=None) -> tuple[str, str, str]:
    env = os.environ if env is None else env
    missing = [k for k in (ENV_URL, ENV_USER, ENV_PASSWORD) if not env.get(k)]
    if missing:
        raise DoccanoError(f"set {', '.join(missing)} (the doccano server's URL and an admin's user name and "
                           f"password; credentials are read from the environment only)")
    return env[ENV_URL].rstrip("/"), env[ENV_USER], env[ENV_PASSWORD]


class _TimeoutSession(requests.Session):
    """A requests session whose every request has a (connect, read) timeout."""

    def __init__(self, timeout: tuple[float, float]):
        super().__init__()
        self.default_timeout = timeout

    def request(self, method, url, **kwargs):
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.default_timeout
        return super().request(method, url, **kwargs)


def _client_class():
    try:
        from doccano_client import DoccanoClient
    except ImportError as e:  # pragma: no cover - a dependency of policytag
        raise DoccanoError(f"doccano-client 1.1.x is not installed ({e})") from None

    class _Client(DoccanoClient):
        """doccano-client 1.1's DoccanoClient on a session with timeouts."""

        def __init__(self, baseurl: str, username: str, password: str, timeout: tuple[float, float]):
            self.baseurl = baseurl if baseurl.endswith("/") else baseurl + "/"
            self.session = _TimeoutSession(timeout)
            self.session.headers.update({"referer": self.baseurl})
            self.login_response = self.post("v1/auth/login/", data={"username": username, "password": password},
                                            as_json=False)
            self._set_csrf_header()

    return _Client


def _short(resp) -> str:
    try:
        body = resp.json()
    except ValueError:
        body = resp.text[:120]
    return f"HTTP {resp.status_code}: {str(body)[:200]}".replace("\n", " ")


@dataclass
class Connection:
    url: str
    client: object                 # doccano_client.DoccanoClient (1.1.x) with a timeout session
    username: str
    user_id: int

    @property
    def session(self) -> requests.Session:
        return self.client.session

    # ------------------------------------------------------------ plumbing
    def _request(self, method: str, path: str, what: str, ok=(200, 201, 204), **kwargs):
        try:
            resp = self.session.request(method, f"{self.url}/{path.lstrip('/')}", **kwargs)
        except requests.exceptions.Timeout:
            raise DoccanoError(f"doccano at {self.url} did not answer in time ({what})") from None
        except requests.exceptions.RequestException as e:
            raise DoccanoError(f"cannot reach doccano at {self.url} ({what}): {type(e).__name__}") from None
        if resp.status_code not in ok:
            raise DoccanoError(f"doccano refused to {what}: {_short(resp)}")
        return resp

    def _json(self, method: str, path: str, what: str, **kwargs):
        resp = self._request(method, path, what, **kwargs)
        try:
            return resp.json()
        except ValueError:
            raise DoccanoError(f"doccano answered with something that is not JSON ({what}): is {self.url} a doccano "
                               f"1.8 server?") from None

    def _paged(self, path: str, what: str, params: dict | None = None):
        params = dict(params or {})
        offset = 0
        while True:
            data = self._json("GET", path, what, params={**params, "limit": PAGE, "offset": offset})
            if isinstance(data, list):  # an endpoint without pagination
                yield from data
                return
            results = data.get("results")
            if not isinstance(results, list):
                raise DoccanoError(f"unexpected answer from doccano ({what}): no results list")
            yield from results
            offset += len(results)
            if not data.get("next") or not results:
                return

    # ------------------------------------------------------------ projects and label types
    def projects(self) -> list[dict]:
        return list(self._paged("v1/projects", "list projects"))

    def project(self, ref: str | int) -> dict | None:
        """A project by id (digits) or by name (None when there is none)."""
        if isinstance(ref, int) or str(ref).isdigit():
            resp = self._request("GET", f"v1/projects/{int(ref)}", "read the project", ok=(200, 404))
            return resp.json() if resp.status_code == 200 else None
        found = [p for p in self.projects() if p.get("name") == ref]
        if len(found) > 1:
            raise DoccanoError(f"{len(found)} doccano projects are named {ref!r} (ids "
                               f"{', '.join(str(p['id']) for p in found)}): give the id")
        return found[0] if found else None

    def create_project(self, name: str, task: str, guideline: str = "") -> dict:
        from doccano_client.beta import DoccanoClient as BetaClient
        from doccano_client.beta.models.projects import Project
        from doccano_client.beta.utils.response import DoccanoAPIError

        ptype = PROJECT_TYPES[task]
        project = Project(name=name, description=f"policytag {task}: paragraphs of Chinese government reports",
                          project_type="SequenceLabeling", guideline=guideline or "See corpus/ANNOTATION.md.",
                          collaborative_annotation=True, single_class_classification=has_categories(task),
                          allow_overlapping=False, grapheme_mode=True)
        # the beta client knows three project types: set the type (and its resource type) after construction
        project.project_type, project.resourcetype = ptype, RESOURCE_TYPES[ptype]
        beta = BetaClient(self.url)
        beta.client_session = self.session
        try:
            controller = beta.projects.create(project)
        except DoccanoAPIError as e:
            raise DoccanoError(f"doccano refused to create project {name!r}: {str(e)[:200]}") from None
        except requests.exceptions.RequestException as e:
            raise DoccanoError(f"cannot reach doccano at {self.url} (create project): {type(e).__name__}") from None
        return self._json("GET", f"v1/projects/{controller.id}", "read the new project")

    def ensure_settings(self, project: dict, task: str) -> list[str]:
        """Turn on grapheme mode / collaborative annotation / one category on a reused project; what was changed."""
        want = {"collaborative_annotation": True}
        if "grapheme_mode" in project:
            want["grapheme_mode"] = True
        if has_categories(task):
            want["single_class_classification"] = True
        if "allow_overlapping" in project:
            want["allow_overlapping"] = False
        diff = {k: v for k, v in want.items() if project.get(k) != v}
        if diff:
            self._json("PATCH", f"v1/projects/{project['id']}", "update the project's settings",
                       json={**diff, "resourcetype": project.get("resourcetype")})
        return sorted(diff)

    def label_types(self, project_id: int, kind: str) -> dict[str, int]:
        """{label text: label type id} of a project ("span" or "category" types)."""
        getter = self.client.get_span_type_list if kind == "span" else self.client.get_category_type_list
        data = self._call(f"list {kind} types", getter, project_id)
        if not isinstance(data, list):
            raise DoccanoError(f"doccano refused to list the {kind} types: {str(data)[:200]}")
        return {t["text"]: t["id"] for t in data}

    def ensure_label_types(self, project_id: int, task: str) -> list[str]:
        created = []
        for kind, labels in label_types(task).items():
            have = self.label_types(project_id, kind)
            style = SPAN_STYLE if kind == "span" else CATEGORY_STYLE
            create = self.client.create_span_type if kind == "span" else self.client.create_category_type
            for label in labels:
                if label in have:
                    continue
                color, key = style[label]
                got = self._call(f"create the {kind} type {label}", create, project_id, label,
                                 background_color=color, suffix_key=key)
                if not isinstance(got, dict) or "id" not in got:
                    raise DoccanoError(f"doccano refused to create the {kind} type {label}: {str(got)[:200]}")
                created.append(label)
        return created

    def _call(self, what: str, fn, *args, **kwargs):
        """A doccano-client call, its transport and JSON errors as one line."""
        try:
            return fn(*args, **kwargs)
        except requests.exceptions.Timeout:
            raise DoccanoError(f"doccano at {self.url} did not answer in time ({what})") from None
        except requests.exceptions.RequestException as e:
            raise DoccanoError(f"cannot reach doccano at {self.url} ({what}): {type(e).__name__}") from None
        except ValueError:
            raise DoccanoError(f"doccano answered with something that is not JSON ({what})") from None

    # ------------------------------------------------------------ examples and labels
    def examples(self, project_id: int):
        return self._paged(f"v1/projects/{project_id}/examples", "list the examples")

    def spans(self, project_id: int, example_id: int) -> list[dict]:
        data = self._call("list spans", self.client.get_spans, project_id, example_id)
        if not isinstance(data, list):
            raise DoccanoError(f"doccano refused to list the spans of example {example_id}: {str(data)[:200]}")
        return data

    def categories(self, project_id: int, example_id: int) -> list[dict]:
        data = self._json("GET", f"v1/projects/{project_id}/examples/{example_id}/categories", "list categories")
        return data if isinstance(data, list) else data.get("results", [])

    def confirmers(self, project_id: int, example_id: int) -> list[int]:
        data = self._call("list the example's states", self.client.get_example_states, project_id, example_id)
        states = data if isinstance(data, list) else (data or {}).get("results", [])
        return [s["confirmed_by"] for s in states if isinstance(s, dict) and "confirmed_by" in s]

    def members(self, project_id: int) -> dict[int, str]:
        resp = self._request("GET", f"v1/projects/{project_id}/members", "list the members", ok=(200, 403))
        if resp.status_code != 200:
            return {}
        data = resp.json()
        data = data if isinstance(data, list) else data.get("results", [])
        return {m["user"]: m["username"] for m in data}

    # ------------------------------------------------------------ doccano's tasks: import and export
    def wait_task(self, task_id: str, what: str, timeout: float = TASK_TIMEOUT) -> dict:
        end = time.monotonic() + timeout
        while True:
            status = self._json("GET", f"v1/tasks/status/{task_id}", f"{what}: task status")
            if status.get("ready"):
                if status.get("error"):
                    raise DoccanoError(f"doccano's {what} task failed: {str(status['error'])[:200]}")
                return status
            if time.monotonic() >= end:
                raise DoccanoError(f"doccano's {what} task did not finish within {timeout:.0f} s (is the worker, "
                                   f"`doccano task`, running?)")
            time.sleep(0.5)

    def upload(self, project_id: int, task: str, rows: list[dict], *, name: str,
               timeout: float = TASK_TIMEOUT) -> list[str]:
        """Upload rows as one JSONL file through doccano's import; the import errors doccano reports."""
        data = dumps_rows(rows).encode("utf-8")
        column_label = "label" if task != "joint" else "cats"
        resp = self._call("upload", self.client.post_doc_upload_binary, project_id=project_id,
                          files=[(name, io.BytesIO(data))], column_data="text", column_label=column_label,
                          format="JSONL", task=PROJECT_TYPES[task])
        if not isinstance(resp, dict) or "task_id" not in resp:
            raise DoccanoError(f"doccano refused the upload: {str(resp)[:200]}")
        status = self.wait_task(resp["task_id"], "import", timeout)
        result = status.get("result") or {}
        return [f"{e.get('filename', name)}:{e.get('line', '?')}: {e.get('message', e)}"
                for e in (result.get("error") or [])]

    def export_zip(self, project_id: int, *, only_approved: bool = False, timeout: float = TASK_TIMEOUT) -> bytes:
        """doccano's JSONL export (a zip), through the export API on the client's session."""
        task = self._json("POST", f"v1/projects/{project_id}/download", "start the export",
                          json={"format": "JSONL", "exportApproved": only_approved})
        if "task_id" not in task:
            raise DoccanoError(f"doccano did not start the export: {str(task)[:200]}")
        self.wait_task(task["task_id"], "export", timeout)
        resp = self._request("GET", f"v1/projects/{project_id}/download", "download the export",
                             params={"taskId": task["task_id"]})
        if not resp.content.startswith(b"PK"):
            raise DoccanoError(f"doccano's export is not a zip ({resp.headers.get('content-type')})")
        return resp.content


def connect(url: str | None = None, user: str | None = None, password: str | None = None, *,
            connect_timeout: float = CONNECT_TIMEOUT, read_timeout: float = READ_TIMEOUT) -> Connection:
    """Log in (credentials from the arguments or the environment) and check who we are."""
    if url is None or user is None or password is None:
        env_url, env_user, env_password = credentials_from_env()
        url, user, password = url or env_url, user or env_user, password or env_password
    url = url.rstrip("/")
    if "@" in url.split("://", 1)[-1].split("/", 1)[0]:
        raise DoccanoError(f"{ENV_URL} must not hold credentials: put them in {ENV_USER} and {ENV_PASSWORD}")
    if not url.startswith(("http://", "https://")):
        raise DoccanoError(f"{ENV_URL} must be an http(s) URL (got {url!r})")
    cls = _client_class()
    # a server that does not answer fails fast
    login_timeout = (connect_timeout, min(read_timeout, 2 * connect_timeout))
    try:
        client = cls(url, user, password, login_timeout)
    except requests.exceptions.Timeout:
        raise DoccanoError(f"doccano at {url} did not answer within {login_timeout[1]:.0f} s") from None
    except requests.exceptions.ConnectionError:
        raise DoccanoError(f"cannot reach doccano at {url} (connection refused or no such host)") from None
    except requests.exceptions.RequestException as e:
        raise DoccanoError(f"cannot reach doccano at {url}: {type(e).__name__}") from None
    login = client.login_response
    if login.status_code != 200:
        if login.status_code == 400:
            raise DoccanoError(f"doccano at {url} refused the login of user {user!r} (check {ENV_USER} and "
                               f"{ENV_PASSWORD})")
        raise DoccanoError(f"login at {url} failed with HTTP {login.status_code}: is it a doccano 1.8 server?")
    try:
        me = client.get_me()
    except (ValueError, requests.exceptions.RequestException):
        raise DoccanoError(f"{url} does not answer like a doccano 1.8 server (v1/me)") from None
    if not isinstance(me, dict) or me.get("username") != user:
        raise DoccanoError(f"doccano at {url}: the login of user {user!r} did not hold (v1/me: {str(me)[:80]})")
    client.session.default_timeout = (connect_timeout, read_timeout)
    return Connection(url=url, client=client, username=user, user_id=me["id"])


# ------------------------------------------------------------------------------------------------ push
@dataclass
class PushResult:
    project_id: int
    project_name: str
    created: bool
    label_types_created: list[str] = field(default_factory=list)
    settings_changed: list[str] = field(default_factory=list)
    uploaded: int = 0
    skipped_existing: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"doccano project {self.project_name!r} (id {self.project_id}, "
                f"{'created' if self.created else 'reused'}): {self.uploaded} row(s) uploaded, "
                f"{self.skipped_existing} already there"
                + (f", label types created: {', '.join(self.label_types_created)}" if self.label_types_created else "")
                + (f", settings turned on: {', '.join(self.settings_changed)}" if self.settings_changed else ""))


def check_rows(task: str, rows: list[dict]) -> list[str]:
    """Problems that would make doccano reject the file or drop labels silently (keys, overlaps, offsets)."""
    problems = rows_key_problems(rows)
    for i, obj in enumerate(rows, start=1):
        try:
            row = parse_row(obj, task, source="upload", line=i, annotator="-")
        except RowError as e:
            problems.append(f"row {i} ({obj.get(ID_KEY)}): {e}")
            continue
        problems += [f"row {i} ({obj.get(ID_KEY)}): {p}" for p in row_problems(row)]
    return problems


def push(conn: Connection, task: str, project_ref: str, rows: list[dict], *, guideline: str = "",
         timeout: float = TASK_TIMEOUT) -> PushResult:
    problems = check_rows(task, rows)
    if problems:
        raise DoccanoError(f"{len(problems)} problem(s) in the rows, nothing uploaded; first: {problems[0]}")
    project = conn.project(project_ref)
    created = False
    if project is None:
        if str(project_ref).isdigit():
            raise DoccanoError(f"no doccano project with id {project_ref}")
        project = conn.create_project(str(project_ref), task, guideline)
        created = True
    elif TASK_OF_PROJECT_TYPE.get(project.get("project_type")) != task:
        raise DoccanoError(f"doccano project {project.get('name')!r} (id {project['id']}) is a "
                           f"{project.get('project_type')} project, not {PROJECT_TYPES[task]} (task {task})")
    result = PushResult(project_id=project["id"], project_name=project.get("name", str(project_ref)), created=created)
    if not created:
        result.settings_changed = conn.ensure_settings(project, task)
    result.label_types_created = conn.ensure_label_types(project["id"], task)
    present = {ex.get("meta", {}).get(ID_KEY) for ex in conn.examples(project["id"])} - {None}
    todo = [r for r in rows if r[ID_KEY] not in present]
    result.skipped_existing = len(rows) - len(todo)
    if todo:
        result.errors = conn.upload(project["id"], task, todo, name=f"policytag-{task}.jsonl", timeout=timeout)
        now = [ex.get("meta", {}).get(ID_KEY) for ex in conn.examples(project["id"])]
        wanted = {r[ID_KEY] for r in todo}
        arrived = sum(1 for rid in now if rid in wanted)
        result.uploaded = arrived
        if arrived != len(todo):
            result.errors.append(f"{len(todo)} row(s) uploaded but {arrived} example(s) arrived in the project")
    return result


# ------------------------------------------------------------------------------------------------ pull
def read_project_rows(conn: Connection, project: dict):
    """Rows of a collaborative project read through the examples/spans/categories endpoints, as export rows with
    their annotator (users who made the labels other than the pulling account, and those who confirmed; the
    pulling account if it is the only one; "all" when no label is left) and their confirmation."""
    task = TASK_OF_PROJECT_TYPE[project["project_type"]]
    pid = project["id"]
    span_names = {v: k for k, v in conn.label_types(pid, "span").items()} if has_spans(task) else {}
    cat_names = {v: k for k, v in conn.label_types(pid, "category").items()} if has_categories(task) else {}
    users = conn.members(pid)
    users.setdefault(conn.user_id, conn.username)
    source = f"doccano project {project.get('name')!r} (id {pid})"
    rows = []
    for n, ex in enumerate(conn.examples(pid), start=1):
        meta = ex.get("meta") or {}
        obj = {"text": ex.get("text")}
        owners: set[int] = set()
        if has_spans(task):
            spans = conn.spans(pid, ex["id"])
            obj[span_key(task)] = [[s["start_offset"], s["end_offset"], span_names.get(s["label"], f"#{s['label']}")]
                                   for s in spans]
            owners |= {s.get("user") for s in spans}
        if has_categories(task):
            cats = conn.categories(pid, ex["id"])
            obj[category_key(task)] = [cat_names.get(c["label"], f"#{c['label']}") for c in cats]
            owners |= {c.get("user") for c in cats}
        for key in (ID_KEY, TEXT_SHA_KEY, LABEL_SHA_KEY, UNCERTAINTY_KEY):
            if key in meta:
                obj[key] = meta[key]
        confirmed = bool(ex.get("is_confirmed"))
        confirmers = set(conn.confirmers(pid, ex["id"])) if confirmed else set()
        people = confirmers | (owners - {conn.user_id, None})
        if not people:
            people = owners - {None}
        names = sorted(users.get(u, f"user{u}") for u in people)
        annotator = "+".join(names) if names else "all"
        rows.append((n, obj, annotator, confirmed, source))
    return task, rows


def pull(conn: Connection, corpus, project_ref: str, *, prefer: str = "corpus", dry_run: bool = False,
         via: str = "auto", only_approved: bool = False, timeout: float = TASK_TIMEOUT):
    """Read a project's annotations and import them into the corpus: an ImportReport."""
    from .importer import ImportReport, import_file, import_rows

    project = conn.project(project_ref)
    if project is None:
        raise DoccanoError(f"no doccano project {project_ref!r} at {conn.url}")
    task = TASK_OF_PROJECT_TYPE.get(project.get("project_type"))
    if task is None:
        raise DoccanoError(f"doccano project {project.get('name')!r} is a {project.get('project_type')} project: "
                           f"policytag reads SequenceLabeling, DocumentClassification and "
                           f"IntentDetectionAndSlotFilling projects")
    use_export = via == "export" or (via == "auto" and not project.get("collaborative_annotation"))
    if use_export:
        import tempfile

        data = conn.export_zip(project["id"], only_approved=only_approved, timeout=timeout)
        with tempfile.TemporaryDirectory(prefix="policytag-pull-") as tmp:
            path = Path(tmp) / f"doccano-project-{project['id']}.zip"
            path.write_bytes(data)
            return import_file(corpus, path, task=task, prefer=prefer, dry_run=dry_run, confirmed=only_approved,
                               uploader=conn.username)
    _, raw = read_project_rows(conn, project)
    parsed = []
    report_problems = []
    for n, obj, annotator, confirmed, source in raw:
        if only_approved and not confirmed:
            continue
        try:
            parsed.append(parse_row(obj, task, source=source, line=n, annotator=annotator, confirmed=confirmed))
        except RowError as e:
            report_problems.append(f"{source}:{n}: {e}")
    if report_problems:
        report = ImportReport(problems=report_problems + [f"{len(report_problems)} structural problem(s) in the "
                                                          f"project's rows: nothing imported"], dry_run=dry_run)
        return report
    return import_rows(corpus, parsed, source=f"doccano project {project.get('name')!r} (id {project['id']})",
                       prefer=prefer, dry_run=dry_run)
