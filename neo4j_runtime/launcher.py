"""Run a real Neo4j Community server without Docker.

The jars come from Maven Central through the resolve-only ``pom.xml`` beside this file and are
cached under ``~/.cache/batterytrace`` (or ``$BATTERYTRACE_CACHE``), so only the first start
downloads anything. Each instance is a folder (its "home") holding ``conf/``, ``data/``,
``logs/``, ``run/`` and the generated password; the jars are shared by every instance.

Command line (also ``batterytrace neo4j ...``, which delegates here)::

    python -m neo4j_runtime start  [--home var/neo4j] [--port 7687] [--heap 4g] [--pagecache 4g]
    python -m neo4j_runtime stop|status|logs|env [--home var/neo4j]

The flags' defaults are the settings ``NEO4J_HOME_DIR``, ``NEO4J_PORT``, ``NEO4J_HEAP`` and
``NEO4J_PAGECACHE``, from the environment or else ``.env``, as the API reads its own settings.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import re
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

NEO4J_VERSION = "5.26.30"
POM = Path(__file__).with_name("pom.xml")
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_HOME = PROJECT_ROOT / "var" / "neo4j"
READY_TIMEOUT_S = 180.0

# The stock neo4j.conf passes these; without the --add-opens Netty and the page cache log warnings
# or fall back to slower paths on Java 17.
JVM_FLAGS = [
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+AlwaysPreTouch",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
]


class LauncherError(RuntimeError):
    """A failure the user can act on; printed as one line."""


@dataclass(frozen=True)
class Instance:
    """How to reach a running server."""

    uri: str
    user: str
    password: str
    home: Path
    pid: int
    started: bool = True  # False when start() found the instance already running


def cache_dir() -> Path:
    base = os.environ.get("BATTERYTRACE_CACHE") or str(Path.home() / ".cache" / "batterytrace")
    return Path(base) / f"neo4j-{NEO4J_VERSION}"


def _java() -> str:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").exists():
        return str(Path(java_home) / "bin" / "java")
    found = shutil.which("java")
    if not found:
        raise LauncherError("no JDK found: install OpenJDK 17 or 21 (java not on PATH, JAVA_HOME unset)")
    out = subprocess.run([found, "-version"], capture_output=True, text=True, check=False).stderr
    match = re.search(r'version "(\d+)', out)
    if not match or int(match.group(1)) < 17:
        raise LauncherError(f"Neo4j {NEO4J_VERSION} needs Java 17 or 21; found: {out.splitlines()[:1]}")
    return found


def ensure_jars() -> Path:
    """Resolve the server's jars once; later calls only check the completion marker.

    Processes starting instances at the same moment (the bench beside a test run, say) share
    one cache: a file lock lets the first fetch while the others wait and then reuse its jars."""
    lib = cache_dir() / "lib"
    marker = cache_dir() / ".complete"
    if marker.exists() and lib.is_dir():
        return lib
    cache_dir().mkdir(parents=True, exist_ok=True)
    with open(cache_dir() / ".fetch.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (marker.exists() and lib.is_dir()):
            _fetch_jars(lib, marker)
    return lib


def _fetch_jars(lib: Path, marker: Path) -> None:
    mvn = shutil.which("mvn")
    if not mvn:
        raise LauncherError("no Maven found: install Maven (mvn) to fetch Neo4j from Maven Central")
    tmp = cache_dir() / "lib.partial"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.parent.mkdir(parents=True, exist_ok=True)
    cmd = [
        mvn,
        "-B",
        "-q",
        "-f",
        str(POM),
        f"-Dneo4j.version={NEO4J_VERSION}",
        "dependency:copy-dependencies",
        f"-DoutputDirectory={tmp}",
        "-DincludeScope=runtime",
    ]
    print(f"neo4j: fetching Neo4j {NEO4J_VERSION} jars from Maven Central ...", file=sys.stderr)
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tail = " | ".join((proc.stdout + proc.stderr).strip().splitlines()[-3:])
        raise LauncherError(f"download failed (mvn exit {proc.returncode}): {tail}")
    shutil.rmtree(lib, ignore_errors=True)
    tmp.rename(lib)
    marker.write_text(NEO4J_VERSION + "\n")


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _port_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child still answers kill(0); treat it as gone.
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(") ", 1)[-1].startswith("Z"))


def _read_pid(home: Path) -> int | None:
    pid_file = home / "run" / "neo4j.pid"
    if not pid_file.exists():
        return None
    try:
        pid = int(pid_file.read_text().strip())
    except ValueError:
        return None
    return pid if _pid_alive(pid) else None


def _read_port(home: Path) -> int:
    conf = home / "conf" / "neo4j.conf"
    match = re.search(r"server\.bolt\.listen_address=[^:\n]*:(\d+)", conf.read_text())
    if not match:
        raise LauncherError(f"no Bolt port in {conf}")
    return int(match.group(1))


def password_of(home: Path) -> str:
    path = home / "password"
    if not path.exists():
        raise LauncherError(f"no password file at {path}: start the server once with this home")
    return path.read_text().strip()


def write_conf(home: Path, port: int, heap: str, pagecache: str) -> None:
    """Our own neo4j.conf: loopback only, auth on, Bolt without TLS, no HTTP, sized for 24 GiB."""
    lines = [
        "# Written by neo4j_runtime/launcher.py on every start; edit the launcher's flags instead.",
        "server.default_listen_address=127.0.0.1",
        f"server.bolt.listen_address=127.0.0.1:{port}",
        f"server.bolt.advertised_address=127.0.0.1:{port}",
        "server.bolt.tls_level=DISABLED",
        "server.http.enabled=false",
        "server.https.enabled=false",
        "dbms.security.auth_enabled=true",
        f"server.memory.heap.initial_size={heap}",
        f"server.memory.heap.max_size={heap}",
        f"server.memory.pagecache.size={pagecache}",
        # Transaction logs serve crash recovery only (Community has no online backup or CDC to feed, and the
        # verifiable log lives in the graph): two rotated files of 64 MiB besides the current one, grown as
        # written rather than preallocated, so a store keeps ~130-200 MB of them instead of three 256 MiB
        # files per database. Pruning never removes a file still needed for recovery (docs/scaling.md).
        "db.tx_log.rotation.retention_policy=2 files",
        "db.tx_log.rotation.size=64M",
        "db.tx_log.preallocate=false",
        "dbms.usage_report.enabled=false",
        f"server.directories.data={home / 'data'}",
        f"server.directories.logs={home / 'logs'}",
        f"server.directories.run={home / 'run'}",
        f"server.directories.import={home / 'import'}",
        f"server.directories.plugins={home / 'plugins'}",
        "server.jvm.additional=" + " ".join(JVM_FLAGS),
    ]
    (home / "conf" / "neo4j.conf").write_text("\n".join(lines) + "\n")


def _log_tail(home: Path, n: int = 15) -> str:
    chunks = []
    for name in ("console.log", "neo4j.log"):
        path = home / "logs" / name
        if path.exists():
            chunks.extend(path.read_text(errors="replace").splitlines()[-n:])
    return "\n".join(chunks[-n:])


def _wait_ready(proc: subprocess.Popen[bytes], home: Path, port: int, password: str) -> None:
    from neo4j import GraphDatabase
    from neo4j.exceptions import Neo4jError, ServiceUnavailable

    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise LauncherError(f"server did not come up (exit {proc.returncode}); log tail:\n{_log_tail(home)}")
        if _port_answers(port):
            driver = GraphDatabase.driver(f"bolt://127.0.0.1:{port}", auth=("neo4j", password))
            try:
                driver.verify_connectivity()
                driver.execute_query("RETURN 1", database_="neo4j")
                return
            except (ServiceUnavailable, Neo4jError, OSError):
                pass
            finally:
                driver.close()
        time.sleep(0.3)
    proc.terminate()
    raise LauncherError(f"server did not come up in {READY_TIMEOUT_S:.0f}s; log tail:\n{_log_tail(home)}")


def _env(home: Path) -> dict[str, str]:
    return dict(os.environ, NEO4J_HOME=str(home), NEO4J_CONF=str(home / "conf"))


def admin_tool(home: Path, *args: str, heap: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``neo4j-admin`` (its AdminTool class) against the instance in ``home``; output captured."""
    cmd = [_java(), *([f"-Xmx{heap}"] if heap else []), "-cp", f"{ensure_jars()}/*", "org.neo4j.cli.AdminTool", *args]
    return subprocess.run(cmd, env=_env(home), capture_output=True, text=True, check=False)


def new_password() -> str:
    """A generated password that starts with a letter: nothing on a command line can mistake it for an option."""
    return secrets.choice(string.ascii_letters) + secrets.token_urlsafe(24)


def set_initial_password(home: Path, password: str) -> None:
    """Set the fresh instance's password and keep it in ``home/password``; any password of 8 or more characters.

    neo4j-admin parses with picocli: ``--`` ends the options, so a password starting with ``-`` stays
    a value; picocli still expands ``@file`` arguments after it, so a leading ``@`` is doubled, its escape."""
    if password != password.strip() or "\n" in password:
        raise LauncherError("a password with surrounding blanks or a line break would not survive the password file")
    literal = "@" + password if password.startswith("@") else password
    done = admin_tool(home, "dbms", "set-initial-password", "--", literal)
    if done.returncode != 0:
        raise LauncherError(f"set-initial-password failed: {(done.stdout + done.stderr).strip()[-500:]}")
    fd = os.open(home / "password", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(password + "\n")


def start(
    home: Path = DEFAULT_HOME,
    port: int = 7687,
    heap: str = "4g",
    pagecache: str = "4g",
    initial_password: str | None = None,
) -> Instance:
    """Start (or find already running) the instance in ``home``; returns once Bolt answers.

    ``initial_password`` is the password of a fresh home (generated when None); a home that has one keeps it."""
    home = home.resolve()
    running = _read_pid(home)
    if running is not None:
        port = _read_port(home)
        return Instance(f"bolt://127.0.0.1:{port}", "neo4j", password_of(home), home, running, started=False)
    java = _java()
    lib = ensure_jars()
    if not _port_free(port):
        raise LauncherError(f"port {port} is in use: stop what holds it or pass --port")
    for sub in ("conf", "data", "logs", "run", "import", "plugins"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    write_conf(home, port, heap, pagecache)
    env = _env(home)
    if not (home / "password").exists():
        set_initial_password(home, initial_password or new_password())
    password = password_of(home)
    cmd = [
        java,
        f"-Xms{heap}",
        f"-Xmx{heap}",
        *JVM_FLAGS,
        "-cp",
        f"{home / 'plugins'}/*:{home / 'conf'}/*:{lib}/*",
        "org.neo4j.server.CommunityEntryPoint",
        f"--home-dir={home}",
        f"--config-dir={home / 'conf'}",
        "--console-mode",
    ]
    console = (home / "logs" / "console.log").open("ab")
    proc = subprocess.Popen(cmd, env=env, cwd=home, stdout=console, stderr=subprocess.STDOUT, start_new_session=True)
    console.close()
    (home / "run" / "neo4j.pid").write_text(f"{proc.pid}\n")
    _wait_ready(proc, home, port, password)
    return Instance(f"bolt://127.0.0.1:{port}", "neo4j", password, home, proc.pid)


def stop(home: Path = DEFAULT_HOME, timeout_s: float = 60.0) -> bool:
    """Graceful SIGTERM, then SIGKILL after ``timeout_s``; False when nothing was running."""
    home = home.resolve()
    pid = _read_pid(home)
    if pid is None:
        return False
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and _pid_alive(pid):
        time.sleep(0.2)
    if _pid_alive(pid):
        os.kill(pid, signal.SIGKILL)
    (home / "run" / "neo4j.pid").unlink(missing_ok=True)
    return True


def status(home: Path = DEFAULT_HOME) -> str:
    home = home.resolve()
    pid = _read_pid(home)
    if pid is None:
        return f"stopped ({home})"
    port = _read_port(home)
    state = "answering" if _port_answers(port) else "starting"
    return f"running pid={pid} bolt://127.0.0.1:{port} {state} ({home})"


def setting(name: str, default: str, dotenv: Path = Path(".env")) -> str:
    """A setting as pydantic-settings reads the API's: the environment, else ``.env`` (in the
    working directory, parsed by the same python-dotenv), else ``default``."""
    if name in os.environ:
        return os.environ[name]
    if dotenv.is_file():
        from dotenv import dotenv_values

        value = dotenv_values(dotenv).get(name)
        if value is not None:
            return value
    return default


def uri_port_mismatch(port: int, uri: str | None) -> str | None:
    """Why the API would miss a server started on ``port``: a loopback NEO4J_URI naming another port."""
    if not uri:
        return None  # the API derives its URI from NEO4J_PORT
    match = re.fullmatch(r"(?:bolt|neo4j)(?:\+s|\+ssc)?://(127\.0\.0\.1|localhost)(?::(\d+))?/?", uri.strip())
    if match is None:
        return None  # another host: not this launcher's server
    named = int(match.group(2) or 7687)
    if named == port:
        return None
    return f"NEO4J_URI={uri} names port {named}, the server listens on {port}: unset NEO4J_URI (it follows NEO4J_PORT)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The launcher's command and flags, on its own parser or on the project CLI's ``neo4j``."""
    parser.add_argument("command", choices=["start", "stop", "status", "logs", "env", "fetch"])
    parser.add_argument("--home", type=Path, default=Path(setting("NEO4J_HOME_DIR", str(DEFAULT_HOME))))
    parser.add_argument("--port", type=int, default=int(setting("NEO4J_PORT", "7687")))
    parser.add_argument("--heap", default=setting("NEO4J_HEAP", "4g"))
    parser.add_argument("--pagecache", default=setting("NEO4J_PAGECACHE", "4g"))
    parser.add_argument("--lines", type=int, default=40, help="lines for 'logs'")


def run(args: argparse.Namespace) -> int:
    """Carry out one parsed command; a ``LauncherError`` becomes one line on stderr and exit 1."""
    try:
        if args.command == "fetch":
            print(ensure_jars())
        elif args.command == "start":
            began = time.monotonic()
            inst = start(args.home, args.port, args.heap, args.pagecache)
            print(f"neo4j: up at {inst.uri} pid={inst.pid} in {time.monotonic() - began:.1f}s")
            listening = int(inst.uri.rsplit(":", 1)[1])
            if listening != args.port:
                print(
                    f"neo4j: warning: {inst.home} was already running on port {listening}, not {args.port}: "
                    "stop it first to move it",
                    file=sys.stderr,
                )
            mismatch = uri_port_mismatch(listening, setting("NEO4J_URI", "") or None)
            if mismatch:
                print(f"neo4j: warning: {mismatch}", file=sys.stderr)
        elif args.command == "stop":
            print("neo4j: stopped" if stop(args.home) else "neo4j: was not running")
        elif args.command == "status":
            print(status(args.home))
        elif args.command == "logs":
            print(_log_tail(args.home.resolve(), args.lines))
        elif args.command == "env":
            home = args.home.resolve()
            print(f"export NEO4J_URI=bolt://127.0.0.1:{_read_port(home)}")
            print("export NEO4J_USER=neo4j")
            print(f"export NEO4J_PASSWORD_FILE={home / 'password'}")
    except LauncherError as err:
        print(f"neo4j: error: {err}", file=sys.stderr)
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m neo4j_runtime`` and the ``batterytrace-neo4j`` script."""
    parser = argparse.ArgumentParser(prog="python -m neo4j_runtime", description=__doc__.split("\n")[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))
