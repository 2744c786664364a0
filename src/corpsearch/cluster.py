"""Local PostgreSQL topologies for the postgres engine: a coordinator, shard servers, and
streaming replicas of every shard, each a server of its own on a loopback port.

``init_cluster`` makes the servers (``initdb``; each replica by ``pg_basebackup -R`` from its
shard's primary), starts them and registers the shards on the coordinator
(:func:`corpsearch.engine.postgres_cluster.register_shards`); an index created on the
coordinator's DSN then spreads its documents over the shards by article id. The folder keeps
``cluster.json`` (the topology), ``nodes/NAME/`` (each server's data) and ``nodes/NAME.log``.
PostgreSQL refuses to run as root; under root the servers run as the ``postgres`` user.

This is for one machine (tests, trying the layout, benchmarks); docs/scaling.md says what
production uses instead (Citus, Patroni). Nothing here prints: the CLI renders the results.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import socket
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError, DatabaseError

__all__ = [
    "CLUSTER_FILE",
    "Node",
    "NodeStatus",
    "Topology",
    "cluster_status",
    "destroy_cluster",
    "init_cluster",
    "load_topology",
    "start_cluster",
    "stop_cluster",
]

CLUSTER_FILE = "cluster.json"
SUPERUSER = "corpsearch"
DATABASE = "postgres"
# Where Debian and Ubuntu put PostgreSQL 15's programs (else they are looked for on PATH).
BINDIRS = (Path("/usr/lib/postgresql/15/bin"),)
SERVER_USER = "postgres"
_TIMEOUT = 120


@dataclass(frozen=True, slots=True)
class Node:
    name: str  # "coordinator", "shard0", "shard0-replica1"
    role: str  # "coordinator", "primary" or "replica"
    shard: int | None
    port: int


@dataclass(frozen=True, slots=True)
class NodeStatus:
    node: Node
    running: bool


@dataclass(frozen=True, slots=True)
class Topology:
    folder: Path
    nodes: tuple[Node, ...]
    bindir: Path
    fast: bool  # fsync off: for tests and benchmarks, never for data worth keeping

    @property
    def coordinator(self) -> Node:
        return next(n for n in self.nodes if n.role == "coordinator")

    @property
    def shards(self) -> int:
        return len({n.shard for n in self.nodes if n.shard is not None})

    def shard_nodes(self, shard: int) -> list[Node]:
        """The shard's primary first, then its replicas."""
        found = [n for n in self.nodes if n.shard == shard]
        return sorted(found, key=lambda n: n.role != "primary")

    @property
    def dsn(self) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.coordinator.port}/{DATABASE}"

    def shard_hosts(self, shard: int) -> list[tuple[str, int]]:
        return [("127.0.0.1", n.port) for n in self.shard_nodes(shard)]

    def data(self, node: Node) -> Path:
        return self.folder / "nodes" / node.name

    def log(self, node: Node) -> Path:
        return self.folder / "nodes" / f"{node.name}.log"


def init_cluster(
    folder: Path,
    *,
    shards: int = 2,
    replicas: int = 1,
    shared_buffers: str = "32MB",
    fast: bool = False,
    bindir: Path | None = None,
) -> Topology:
    """Make, start and register a new topology in ``folder`` (which must not hold one);
    ``shards=0`` makes the coordinator alone: one server, no shards."""
    if shards < 0 or replicas < 0:
        raise ConfigError("give --shards 0 or more (0: one server) and --replicas 0 or more")
    if (folder / CLUSTER_FILE).exists():
        raise ConfigError(
            f"{folder} already holds a cluster; start it (corpsearch cluster start {folder}) "
            f"or remove it (corpsearch cluster destroy {folder})"
        )
    if folder.exists() and any(folder.iterdir()):
        raise ConfigError(f"{folder} is not empty; give a new or empty folder for the cluster")
    programs = bindir or _programs()
    nodes = [Node("coordinator", "coordinator", None, 0)]
    for shard in range(shards):
        nodes.append(Node(f"shard{shard}", "primary", shard, 0))
        nodes += [
            Node(f"shard{shard}-replica{r + 1}", "replica", shard, 0) for r in range(replicas)
        ]
    ports = _free_ports(len(nodes))
    nodes = [Node(n.name, n.role, n.shard, port) for n, port in zip(nodes, ports, strict=True)]
    topology = Topology(folder.resolve(), tuple(nodes), programs, fast)
    (topology.folder / "nodes").mkdir(parents=True, exist_ok=True)
    _own(topology.folder)
    _own(topology.folder / "nodes")
    _write(topology)
    try:
        servers = [n for n in topology.nodes if n.role != "replica"]
        _initdb(topology, servers[0])
        for node in servers[1:]:  # a copy of a new data folder is initdb's result, sooner
            _run(
                topology, node, "cp", "-a", str(topology.data(servers[0])), str(topology.data(node))
            )
        for node in servers:
            _append_settings(topology, node, _settings(topology, node, shared_buffers))
            _start(topology, node)
        for node in topology.nodes:
            if node.role == "replica":
                primary = topology.shard_nodes(node.shard or 0)[0]
                _basebackup(topology, primary, node)
                _start(topology, node)
        if shards:
            from .engine.postgres_cluster import register_shards

            register_shards(topology.dsn, [topology.shard_hosts(s) for s in range(shards)])
    except BaseException:
        _stop_all(topology)
        raise
    return topology


def load_topology(folder: Path) -> Topology:
    path = folder / CLUSTER_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        nodes = tuple(
            Node(str(n["name"]), str(n["role"]), n["shard"], int(n["port"])) for n in data["nodes"]
        )
        return Topology(folder.resolve(), nodes, Path(data["bindir"]), bool(data["fast"]))
    except FileNotFoundError:
        raise ConfigError(
            f"{folder} holds no cluster; make one with corpsearch cluster init {folder}"
        ) from None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ConfigError(f"{path} cannot be read ({error}); it is not a cluster file") from error


def start_cluster(folder: Path) -> Topology:
    """Start every server that is not running: the coordinator and primaries, then replicas."""
    topology = load_topology(folder)
    for node in sorted(topology.nodes, key=lambda n: n.role == "replica"):
        if not _running(topology, node):
            _start(topology, node)
    return topology


def stop_cluster(folder: Path, names: Sequence[str] = ()) -> Topology:
    """Stop the servers (all, or those named), replicas first (a primary stopped first would
    leave them retrying)."""
    topology = load_topology(folder)
    unknown = set(names) - {n.name for n in topology.nodes}
    if unknown:
        raise ConfigError(
            f"no node {', '.join(sorted(unknown))} in this cluster; its nodes: "
            + ", ".join(n.name for n in topology.nodes)
        )
    chosen = [n for n in topology.nodes if not names or n.name in names]
    for node in sorted(chosen, key=lambda n: n.role != "replica"):
        if _running(topology, node):
            _pg_ctl(topology, node, "-m", "fast", "stop")
    return topology


def cluster_status(folder: Path) -> list[NodeStatus]:
    topology = load_topology(folder)
    return [NodeStatus(node, _running(topology, node)) for node in topology.nodes]


def destroy_cluster(folder: Path) -> None:
    """Stop every server and remove the cluster's folder (its data is gone)."""
    topology = load_topology(folder)
    _stop_all(topology)
    shutil.rmtree(topology.folder)


# -- servers ---------------------------------------------------------------------------------


def _programs() -> Path:
    for candidate in BINDIRS:
        if (candidate / "pg_ctl").exists():
            return candidate
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    raise ConfigError(
        "the PostgreSQL 15 server programs (initdb, pg_ctl, pg_basebackup) are not installed; "
        "install them (apt-get install postgresql-15) or use a cluster of your own servers"
    )


def _free_ports(count: int) -> list[int]:
    probes = []
    try:
        for _ in range(count):
            probe = socket.socket()
            probe.bind(("127.0.0.1", 0))
            probes.append(probe)
        return [int(p.getsockname()[1]) for p in probes]
    finally:
        for probe in probes:
            probe.close()


def _as_server_user() -> list[str]:
    return ["runuser", "-u", SERVER_USER, "--"] if os.geteuid() == 0 else []


def _own(path: Path) -> None:
    """Under root the servers run as the postgres user, who must own their folders."""
    if os.geteuid() == 0:
        user = pwd.getpwnam(SERVER_USER)
        os.chown(path, user.pw_uid, user.pw_gid)


def _run(topology: Topology, node: Node, program: str, *args: str) -> str:
    path = program if program == "cp" else str(topology.bindir / program)
    command = [*_as_server_user(), path, *args]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise DatabaseError(f"{program} for the cluster's {node.name} failed: {error}") from error
    except OSError as error:
        raise DatabaseError(f"{program} for the cluster's {node.name} failed: {error}") from error
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip().splitlines()
        raise DatabaseError(
            f"{program} for the cluster's {node.name} (port {node.port}) failed: "
            f"{said[-1] if said else 'exit ' + str(done.returncode)}; see {topology.log(node)}"
        )
    return done.stdout


def _settings(topology: Topology, node: Node, shared_buffers: str | None) -> str:
    lines = [
        "# corpsearch cluster",
        "listen_addresses = '127.0.0.1'",
        f"port = {node.port}",
        "unix_socket_directories = ''",
        "max_connections = 60",
        "hot_standby = on",
    ]
    if shared_buffers:
        lines.append(f"shared_buffers = {shared_buffers}")
    if topology.fast:
        lines += ["fsync = off", "synchronous_commit = off", "full_page_writes = off"]
    return "\n".join(lines) + "\n"


def _append_settings(topology: Topology, node: Node, text: str) -> None:
    # appended by this process (the file keeps its owner, the server's user); no shell
    with (topology.data(node) / "postgresql.conf").open("a", encoding="utf-8") as conf:
        conf.write(text)


def _initdb(topology: Topology, node: Node) -> None:
    _run(topology, node, "initdb", "-D", str(topology.data(node)), "-U", SUPERUSER,
         "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync")  # fmt: skip


def _basebackup(topology: Topology, primary: Node, replica: Node) -> None:
    _run(topology, replica, "pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port),
         "-U", SUPERUSER, "-D", str(topology.data(replica)), "-R", "-X", "stream",
         "--no-sync", "-c", "fast")  # fmt: skip
    # the copy carries the primary's settings; later lines win
    _append_settings(topology, replica, _settings(topology, replica, None))


def _start(topology: Topology, node: Node) -> None:
    _run(topology, node, "pg_ctl", "-D", str(topology.data(node)), "-l", str(topology.log(node)),
         "-w", "-t", "60", "start")  # fmt: skip


def _pg_ctl(topology: Topology, node: Node, *args: str) -> None:
    _run(topology, node, "pg_ctl", "-D", str(topology.data(node)), "-w", "-t", "60", *args)


def _running(topology: Topology, node: Node) -> bool:
    command = [*_as_server_user(), str(topology.bindir / "pg_ctl"), "-D",
               str(topology.data(node)), "status"]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=_TIMEOUT, check=False)
    return done.returncode == 0


def _stop_all(topology: Topology) -> None:
    for node in sorted(topology.nodes, key=lambda n: n.role != "replica"):
        if (topology.data(node) / "postmaster.pid").exists():
            try:
                _pg_ctl(topology, node, "-m", "fast", "stop")
            except DatabaseError:
                _pg_ctl(topology, node, "-m", "immediate", "stop")


def _write(topology: Topology) -> None:
    data = {
        "format": "corpsearch-cluster",
        "bindir": str(topology.bindir),
        "fast": topology.fast,
        "nodes": [
            {"name": n.name, "role": n.role, "shard": n.shard, "port": n.port}
            for n in topology.nodes
        ],
    }
    tmp = topology.folder / (CLUSTER_FILE + ".tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, topology.folder / CLUSTER_FILE)
