"""A PostgreSQL server of the tests' own, which they may stop and start.

The machine's shared server must never be stopped, so tests that need a
database to go away start their own with initdb and pg_ctl from
/usr/lib/postgresql/*/bin, on a free port of 127.0.0.1, in a temporary
directory. PostgreSQL refuses to run as root, so under root it runs as the
`postgres` user. Without the binaries (or that user) the tests skip and say so.
"""

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivatePostgres:
    def __init__(self, bin_directory, directory, run_as):
        self.bin = Path(bin_directory)
        self.directory = directory
        self.data = directory / "data"
        self.port = free_port()
        self.run_as = run_as

    def run(self, program, *args, check=True, timeout=60):
        command = [str(self.bin / program), *args]
        if self.run_as:
            command = ["runuser", "-u", self.run_as, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=check, timeout=timeout)

    def initialise(self):
        options = ["-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]
        self.run("initdb", "-D", str(self.data), *options)

    def start(self):
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.directory / "server.log"), "-w", "start")

    def stop(self, mode="fast"):
        """Stop the server: "fast" ends every session cleanly, "immediate" as a crash would."""
        self.run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def psql(self, sql, database="postgres"):
        """Run SQL as the superuser; return what it prints, unaligned, without headers."""
        connection = ["-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database]
        return self.run("psql", *connection, "-v", "ON_ERROR_STOP=1", "-At", "-c", sql).stdout.strip()

    def create_database(self, name):
        self.psql(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def url(self, name):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def wait_until(self, condition, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return True
            time.sleep(0.05)
        return False


def find_bin_directory():
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(candidates[-1]).parent if candidates else None


@pytest.fixture(scope="session")
def private_postgres():
    bin_directory = find_bin_directory()
    if bin_directory is None:
        pytest.skip("No PostgreSQL server binaries in /usr/lib/postgresql/*/bin (apt-get install postgresql).")
    run_as = None
    # Not under pytest's own temporary directory: that one is private to
    # root, and the server may run as another user.
    directory = Path(tempfile.mkdtemp(prefix="newsroom-postgres-"))
    if os.geteuid() == 0:
        try:
            account = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("Running as root with no 'postgres' user for a private PostgreSQL server.")
        if shutil.which("runuser") is None:
            pytest.skip("Running as root without runuser to start a private PostgreSQL server as 'postgres'.")
        os.chown(directory, account.pw_uid, account.pw_gid)
        run_as = "postgres"
    server = PrivatePostgres(bin_directory, directory, run_as)
    try:
        server.initialise()
        server.start()
    except subprocess.CalledProcessError as error:
        shutil.rmtree(directory, ignore_errors=True)
        pytest.fail(f"The private PostgreSQL server did not start: {error.stderr}")
    try:
        yield server
    finally:
        server.run("pg_ctl", "-D", str(server.data), "-m", "immediate", "stop", check=False)
        shutil.rmtree(directory, ignore_errors=True)
