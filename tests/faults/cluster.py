"""
A throwaway PostgreSQL cluster and a server of the site running against it, for the fault
tests. Never the shared PostgreSQL service: a cluster of our own in a temporary folder,
on a free port, that the tests may stop and start at will.
"""

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def postgres_bin() -> Path | None:
    """The newest PostgreSQL server binaries on this machine (Debian keeps them here)."""
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if all(Path(folder, tool).exists() for tool in ("initdb", "pg_ctl")):
            return Path(folder)
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """initdb + pg_ctl in a temporary folder. As root, runs as the 'postgres' user."""

    def __init__(self, bin_dir: Path):
        self.bin_dir, self.port = bin_dir, free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="newsroom-pg-"))
        self.data, self.log = self.folder / "data", self.folder / "server.log"
        self.run_as = None
        if os.geteuid() == 0:  # initdb refuses to run as root
            self.run_as = "postgres"
            owner = pwd.getpwnam(self.run_as)
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
        self.url = f"postgres://newsroom@127.0.0.1:{self.port}/newsroom"

    def _run(self, *command, check=True):
        command = [str(part) for part in command]
        if self.run_as:
            command = ["runuser", "-u", self.run_as, "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=120)

    def create(self):
        self._run(self.bin_dir / "initdb", "-D", self.data, "-U", "newsroom", "-A", "trust",
                  "--no-sync", "-E", "UTF8", "--locale=C")  # fmt: skip
        self.start()
        self._run(self.bin_dir / "createdb", "-h", "127.0.0.1", "-p", self.port, "-U",
                  "newsroom", "newsroom")  # fmt: skip

    def is_running(self) -> bool:
        return (
            self._run(self.bin_dir / "pg_ctl", "-D", self.data, "status", check=False).returncode
            == 0
        )

    def start(self):
        if self.is_running():
            return
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} "
                   "-c fsync=off -c max_connections=60")  # fmt: skip
        self._run(self.bin_dir / "pg_ctl", "-D", self.data, "-l", self.log, "-o", options,
                  "-w", "-t", "60", "start")  # fmt: skip

    def stop(self):
        self._run(self.bin_dir / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop",
                  check=False)  # fmt: skip

    def destroy(self):
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


class SiteServer:
    """gunicorn against the cluster, as production runs it: persistent connections
    (CONN_MAX_AGE=60) with health checks, DEBUG off. Threaded workers with a fixed pool, so
    the site holds at most WORKERS x THREADS connections; runserver starts a thread (and so a
    connection) per request and exhausts the cluster's max_connections under load."""

    WORKERS, THREADS = 2, 4

    def __init__(self, database_url: str, var_dir: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = os.environ | {
            "DATABASE_URL": database_url,
            "CONN_MAX_AGE": "60",
            "DEBUG": "0",
            "NEWSROOM_VAR_DIR": str(var_dir),
            "SECRET_KEY": "fault-tests-only-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": self.url,
            "AXES_FAILURE_LIMIT": "1000",
            # Every request must reach the database: a stored page would still answer 200.
            "PAGE_CACHE_SECONDS": "0",
            "PYTHONUNBUFFERED": "1",
        }
        self.env.pop("DJANGO_SETTINGS_MODULE", None)
        self.process = None
        self.log = var_dir / "server.log"

    def manage(self, *args, stdin: str | None = None) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, input=stdin,
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def start(self):
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [gunicorn, "newsroom.wsgi", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(self.WORKERS), "--threads", str(self.THREADS),
             "--timeout", "60", "--graceful-timeout", "10"],
            cwd=ROOT, env=self.env, stdout=self.log.open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/", timeout=5)
                return
            except Exception:
                time.sleep(0.3)
        raise RuntimeError(f"the site did not start:\n{self.log.read_text()[-3000:]}")

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=30)
