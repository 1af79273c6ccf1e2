"""A real PostgreSQL server for the tests, started from Debian's postgresql binaries in a folder
of its own: it listens only on a Unix socket there, asks for a password (scram-sha-256), and is
stopped and removed afterwards. initdb refuses to run as root, so under root the server runs as
the `postgres` user the package creates."""
from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

USER, PASSWORD, DATABASE = "checker", "s3cret-pa55", "postgres"


def binaries() -> Path | None:
    """The newest installed PostgreSQL's bin folder, or None when the package is not installed."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    return found[-1].parent if found else None


@dataclass
class Server:
    folder: Path
    bin: Path
    run_as: list[str]

    def url(self, user: str = USER, password: str = PASSWORD, database: str = DATABASE) -> str:
        return f"postgresql://{user}:{password}@/{database}?host={self.folder}"

    def stop(self) -> None:
        subprocess.run(self.run_as + [str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate",
                                      "-w", "stop"], capture_output=True, check=False)
        shutil.rmtree(self.folder, ignore_errors=True)


def start(bin_folder: Path) -> Server:
    folder = Path(tempfile.mkdtemp(prefix="checker-postgres-"))
    run_as = []
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(folder, owner.pw_uid, owner.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    password_file = folder / "password"
    password_file.write_text(PASSWORD + "\n")
    if run_as:
        os.chown(password_file, owner.pw_uid, owner.pw_gid)
    server = Server(folder, bin_folder, run_as)
    try:
        _run(run_as + [str(bin_folder / "initdb"), "-D", str(folder / "data"), "-U", USER, "--auth=scram-sha-256",
                       f"--pwfile={password_file}", "-E", "UTF8", "--locale=C"])
        _run(run_as + [str(bin_folder / "pg_ctl"), "-D", str(folder / "data"), "-l", str(folder / "server.log"), "-w",
                       "-o", f"-k {folder} -c listen_addresses= -p 5432 -c fsync=off", "start"])
    except BaseException:
        server.stop()
        raise
    return server


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}): {done.stderr or done.stdout}")
