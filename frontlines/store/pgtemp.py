"""A throwaway PostgreSQL server for tests and benchmarks (not used by the store itself).

    with TempPostgres() as pg:          # initdb into a temporary folder, start on a unix socket
        url = pg.create_database("t1")  # postgresql://...?host=SOCKET_DIR&port=PORT
        ...

The server listens on a unix socket only (no TCP), with trust authentication for its one
user, and is stopped (``pg_ctl stop -m immediate``) and deleted on exit.  PostgreSQL refuses
to run as root: as root, the data folder is given to the ``postgres`` system user and the
server started through ``runuser``.  ``find_bindir()`` looks for Debian's
``/usr/lib/postgresql/N/bin`` (or ``pg_config --bindir``); ``available()`` says whether a
server can be started here at all.
"""
from __future__ import annotations

import glob
import logging
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

USER = "frontlines"


def find_bindir() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl`` (the newest Debian version first)."""
    env = os.environ.get("FRONTLINES_PG_BINDIR")
    if env and (Path(env) / "initdb").exists():
        return Path(env)
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    which = shutil.which("initdb")
    if which:
        return Path(which).parent
    try:
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return Path(out) if (Path(out) / "initdb").exists() else None


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def available() -> bool:
    """Can a throwaway server be started here (binaries found; as root, a ``postgres`` user)?"""
    if find_bindir() is None:
        return False
    if _is_root():
        import pwd

        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return False
        return shutil.which("runuser") is not None
    return True


def _free_port() -> int:
    """A port number for the socket file's name (the server opens no TCP port)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TempPostgres:
    """Start a private PostgreSQL server; ``create_database(name)`` gives a connection URL."""

    def __init__(self, *, settings: dict[str, str] | None = None) -> None:
        bindir = find_bindir()
        if bindir is None:
            raise RuntimeError("PostgreSQL server binaries not found (Debian: apt-get install postgresql)")
        self.bindir = bindir
        self.settings = {"fsync": "off", "full_page_writes": "off", "synchronous_commit": "off",
                         "max_connections": "60", "shared_buffers": "128MB", **(settings or {})}
        self.root: Path | None = None
        self.port = _free_port()
        self.started = False

    # ------------------------------------------------------------------ process
    def _run(self, *args: str) -> subprocess.CompletedProcess:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if _is_root():
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, check=False)

    def start(self) -> "TempPostgres":
        self.root = Path(tempfile.mkdtemp(prefix="frontlines-pg-"))
        self.data = self.root / "data"
        self.sockets = self.root / "run"
        self.sockets.mkdir()
        if _is_root():
            shutil.chown(self.root, "postgres", "postgres")
            shutil.chown(self.sockets, "postgres", "postgres")
            os.chmod(self.root, 0o755)
        out = self._run("initdb", "-D", str(self.data), "-U", USER, "--auth=trust", "-E", "UTF8",
                        "--locale=C", "--no-sync")
        if out.returncode != 0:
            raise RuntimeError(f"initdb failed: {out.stderr.strip() or out.stdout.strip()}")
        opts = ["-c listen_addresses=''", f"-k {self.sockets}", f"-p {self.port}"]
        opts += [f"-c {k}={v}" for k, v in self.settings.items()]
        out = self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-w", "-t", "60",
                        "-o", " ".join(opts), "start")
        if out.returncode != 0:
            log_text = (self.root / "server.log").read_text(errors="replace") if (self.root / "server.log").exists() \
                else ""
            raise RuntimeError(f"pg_ctl start failed: {out.stderr.strip()} {log_text[-2000:]}")
        self.started = True
        log.info("temporary PostgreSQL at %s (port %d)", self.sockets, self.port)
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{USER}@/{database}?host={self.sockets}&port={self.port}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))
        return self.url(name)

    def has_postgis(self) -> bool:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            return conn.execute("SELECT 1 FROM pg_available_extensions WHERE name='postgis'").fetchone() is not None

    def stop(self) -> None:
        if self.root is None:
            return
        if self.started:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
            self.started = False
        shutil.rmtree(self.root, ignore_errors=True)
        self.root = None

    def __enter__(self) -> "TempPostgres":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
