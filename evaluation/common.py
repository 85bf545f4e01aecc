"""What both evaluations need: a world of the right parameters and a Neo4j on a fresh store."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from app.config import Settings
from loaders.synth import SynthConfig, generate_world
from loaders.synth.config import config_to_json
from loaders.synth.writer import generator_fingerprint
from neo4j_runtime import launcher

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class ServerOptions:
    """A dedicated Neo4j for one evaluation: where it lives, its port and memory."""

    home: Path
    port: int
    heap: str
    pagecache: str
    keep_running: bool = False


def ensure_world(
    directory: Path, batteries: int, seed: int, *, regenerate: bool = False
) -> tuple[dict[str, Any], bool]:
    """The world in ``directory``, generated unless one with the same parameters is there.

    Returns its manifest and whether it was generated now.
    """
    manifest_path = directory / "manifest.json"
    wanted = config_to_json(SynthConfig(batteries=batteries, seed=seed))
    if not regenerate and manifest_path.exists():
        manifest: dict[str, Any] = json.loads(manifest_path.read_text())
        same_code = manifest.get("generator_fingerprint") == generator_fingerprint()
        if manifest.get("parameters") == wanted and same_code:
            return manifest, False
    if directory.exists():
        shutil.rmtree(directory)
    return generate_world(directory, batteries, seed, progress=None), True


@contextmanager
def dedicated_server(server: ServerOptions, *, world: Path | None = None) -> Iterator[Settings]:
    """A Neo4j of our own on a fresh store, stopped afterwards unless ``server.keep_running``.

    The load checkpoints of ``world`` go with the old store: resuming an interrupted load into
    a fresh one would skip the events the checkpoint counts as done.
    """
    home = server.home
    launcher.stop(home)  # this evaluation's own server, left running by an earlier --keep-running
    shutil.rmtree(home / "data", ignore_errors=True)
    if world is not None:
        for checkpoint in world.glob("*.progress"):
            checkpoint.unlink()
    (home / "password").unlink(missing_ok=True)  # the new store needs its initial password set
    instance = launcher.start(home=home, port=server.port, heap=server.heap, pagecache=server.pagecache)
    try:
        yield Settings(neo4j_uri=instance.uri, neo4j_user=instance.user, neo4j_password=SecretStr(instance.password))
    finally:
        if not server.keep_running:
            launcher.stop(home)
