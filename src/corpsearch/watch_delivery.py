"""Running the watches and delivering their new hits.

After each indexing job :func:`after_job` runs every watch over the articles the job added or
changed (the ``pending`` rows the job wrote around its commits, see
:mod:`corpsearch.watch_state`), keeps each hit once per watch, and hands what is waiting to each
target. :func:`run_watches` (``corpsearch watch run``) runs watches over the whole index.

Both stream: pending articles are taken ``CHUNK`` at a time and searched as one query
(``QUERY AND article:(a|b|…)``, which finds the articles and their comments), hits are read one
at a time from the engine, and the outbox is read and delivered ``DELIVERY_HITS`` at a time, so a
job that indexes a million pages runs its watches in bounded memory.

A target that fails (an unreachable webhook, a full disk) is recorded and tried again on the
next run with everything it missed; it never fails the indexing job.
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from .config import JobSettings, parse_zone
from .engine import Hit
from .errors import CorpsearchError, DeliveryError
from .export import hit_record
from .generations import current_generation, generation_folders
from .index import META_FILE, Index
from .lock import acquire
from .notify import Delivery, NotifySettings, Target, absolute_target, open_target
from .query.ast import And, Node, Or, Term
from .query.limits import MAX_NODES
from .watch_state import TargetStatus, WatchState
from .watches import Watch, WatchStore, watch_file

__all__ = [
    "CHUNK",
    "DELIVERY_HITS",
    "Journal",
    "WatchDetails",
    "WatchReport",
    "add_watch",
    "after_job",
    "notify_settings",
    "open_journal",
    "period_start",
    "remove_watch",
    "run_watches",
    "watch_details",
    "watch_history",
]

CHUNK = 200  # pending articles searched by one query
DELIVERY_HITS = 500  # hits in one delivery (one POST, one mail)
QUERY_TARGET = "(query)"  # where a watch whose query fails at run time records the reason

OnHit = Callable[[Watch, Hit], None]


@dataclass(slots=True)
class WatchReport:
    """What one run of the watches did."""

    run: str
    found: dict[str, int] = field(default_factory=dict)  # new hits per watch
    delivered: int = 0  # hits handed to targets (one hit to two targets counts twice)
    failures: list[str] = field(default_factory=list)  # targets that failed, and why

    def to_dict(self) -> dict[str, Any]:
        return {
            "run": self.run,
            "found": self.found,
            "delivered": self.delivered,
            "failures": self.failures,
        }


def notify_settings(settings: JobSettings) -> NotifySettings:
    defaults = NotifySettings()
    return NotifySettings(
        smtp=settings.smtp,
        mail_from=settings.mail_from or defaults.mail_from,
        timeout=settings.notify_timeout or defaults.timeout,
        retries=settings.notify_retries or defaults.retries,
    )


# -- the job's side: pending articles around each commit -----------------------------------------


class Journal:
    """Records the articles of each batch before the engine commit, and confirms them after.

    Without a watch file it does nothing, so an index without watches gets no state file."""

    def __init__(
        self, folder: Path | None, run: str, generation: str, baseline: str | None = None
    ) -> None:
        self.folder = folder
        self.run = run
        self.generation = generation
        self.baseline = baseline

    def stage(self, articles: Iterable[str]) -> None:
        if self.folder is not None:
            with _state(self.folder) as state:
                state.stage(self.run, self.generation, sorted(articles), self.baseline)

    def confirm(self) -> None:
        if self.folder is not None:
            with _state(self.folder) as state:
                state.confirm(self.run)


def open_journal(folder: Path, watches: Path | None, run: str, generation: str) -> Journal:
    """The journal of one job over the index in ``folder`` (whose lock the job holds).

    A rebuild writes a new generation: its articles are all "added", but the documents the
    generation in use holds already are not new, so its rows name that generation."""
    if not watch_file(folder, watches).exists():
        return Journal(None, run, generation)
    with _state(folder) as state:
        state.drop_uncommitted()  # rows of a job killed before its commit: redone by this one
    current = current_generation(folder)
    baseline = current if current is not None and current != generation else None
    return Journal(folder, run, generation, baseline)


def _state(folder: Path) -> WatchState:
    state = WatchState.open(folder)
    assert state is not None  # create=True always opens one
    return state


def after_job(
    folder: Path, settings: JobSettings, run: str, *, now: datetime | None = None
) -> WatchReport | None:
    """Run the watches over what the job added or changed and deliver; called by the job,
    which holds the lock. Never raises: what went wrong is in the report."""
    report = WatchReport(run)
    path = watch_file(folder, settings.watches)
    if not path.exists() and not (folder / "watches.sqlite").exists():
        return None
    try:
        watches = WatchStore(path).read()
        with _state(folder) as state:
            if state.pending_count():
                with Index.open(folder) as index:
                    _evaluate_pending(folder, index, state, watches, report)
            _deliver(state, watches, notify_settings(settings), report, now)
    except Exception as error:  # after the commit, nothing may fail the job; it is reported
        report.failures.append(f"watches: {error}")
    return report


# -- evaluation ----------------------------------------------------------------------------


def _evaluate_pending(
    folder: Path, index: Index, state: WatchState, watches: list[Watch], report: WatchReport
) -> None:
    generation = current_generation(folder) or ""
    keep = {g.name for g in generation_folders(folder)} | ({""} if not generation else set())
    state.drop_generations(keep)
    trees = _trees(index, state, watches, report)
    baselines: dict[str, Index | None] = {}
    try:
        while True:
            rows = state.pending(generation, CHUNK)
            if not rows:
                return
            state.begin()
            try:
                for baseline in sorted({b or "" for _, _, b in rows}):
                    articles = sorted({a for _, a, b in rows if (b or "") == baseline})
                    before = _baseline(folder, baseline, baselines)
                    for watch, tree in trees:
                        for chunk in _chunks(articles, tree):
                            only = Or(tuple(Term("article", a) for a in chunk))
                            hits = index.iter_hits(And((tree, only)), sort="date")
                            _collect(state, watch, _not_in(before, hits), report)
                state.consume(seq for seq, _, _ in rows)
                state.commit()
            except BaseException:
                state.rollback()
                raise
    finally:
        for opened in baselines.values():
            if opened is not None:
                opened.close()


def _baseline(folder: Path, name: str, opened: dict[str, Index | None]) -> Index | None:
    """The generation a rebuild replaced, if it is still there (kept until the next rebuild)."""
    if name not in opened:
        opened[name] = None
        if name and (folder / name / META_FILE).exists():
            # unreadable: its documents count as new rather than being lost
            with contextlib.suppress(CorpsearchError):
                opened[name] = Index.open(folder / name)
    return opened[name]


def _not_in(before: Index | None, hits: Iterable[Hit], size: int = 500) -> Iterator[Hit]:
    """The hits whose documents ``before`` does not hold, looked up ``size`` at a time."""
    if before is None:
        yield from hits
        return
    batch: list[Hit] = []
    for hit in itertools.chain(hits, [None]):
        if hit is not None:
            batch.append(hit)
        if batch and (hit is None or len(batch) >= size):
            known = Or(tuple(Term("id", h.id) for h in batch))
            there = {h.id for h in before.engine.iter_hits(known, "date")}
            yield from (h for h in batch if h.id not in there)
            batch = []


def _trees(
    index: Index, state: WatchState, watches: list[Watch], report: WatchReport
) -> list[tuple[Watch, Node]]:
    """Each watch's tree, read once per run; a watch whose query fails now (a relative date
    out of range, say) is reported and skipped, the others run."""
    trees = []
    for watch in watches:
        try:
            trees.append((watch, watch.tree(index)))
        except CorpsearchError as error:
            state.failed(watch.name, QUERY_TARGET, str(error))
            report.failures.append(f"watch {watch.name}: {error}")
    return trees


def _chunks(articles: list[str], tree: Node) -> Iterable[list[str]]:
    """Slices of ``articles`` small enough that the query stays within the size limit."""
    size = max(1, min(CHUNK, MAX_NODES - _nodes(tree) - 4))
    for start in range(0, len(articles), size):
        yield articles[start : start + size]


def _nodes(tree: Node) -> int:
    count, stack = 0, [tree]
    while stack:
        node = stack.pop()
        count += 1
        if isinstance(node, And | Or):
            stack.extend(node.children)
        elif hasattr(node, "child"):
            stack.append(node.child)
        elif hasattr(node, "query"):
            stack.append(node.query)
    return count


def _collect(
    state: WatchState,
    watch: Watch,
    hits: Iterable[Hit],
    report: WatchReport,
    on_hit: OnHit | None = None,
) -> None:
    report.found.setdefault(watch.name, 0)
    for hit in hits:
        if state.record(watch.name, watch.targets, hit.id, report.run, hit_record(hit)):
            report.found[watch.name] += 1
            if on_hit is not None:
                on_hit(watch, hit)


def run_watches(
    folder: Path,
    settings: JobSettings,
    names: Iterable[str] = (),
    *,
    on_hit: OnHit | None = None,
    now: datetime | None = None,
) -> WatchReport:
    """Run watches (all, or those named) over the whole index now: every hit a watch has not
    reported yet is kept and delivered, and given to ``on_hit``. Takes the index's lock (waiting
    ``settings.wait`` seconds), so it never delivers what a running job delivers."""
    store = WatchStore(watch_file(folder, settings.watches))
    wanted = list(names)
    watches = [store.get(n) for n in wanted] if wanted else store.read()
    now_moment = now or datetime.now(UTC)
    run = f"{now_moment.strftime('%Y%m%dT%H%M%S.%fZ')}-{os.getpid()}-watch"
    report = WatchReport(run)
    with (
        acquire(folder, wait=settings.wait, command="corpsearch watch run"),
        Index.open(folder) as index,
        _state(folder) as state,
    ):
        for watch in watches:
            tree = watch.tree()  # here a failing query is the user's error, shown as such
            state.begin()
            try:
                hits = index.iter_hits(tree, sort="date")
                _collect(state, watch, hits, report, on_hit)
                state.commit()
            except BaseException:
                state.rollback()
                raise
        _deliver(state, watches, notify_settings(settings), report, now)
    return report


# -- delivery ------------------------------------------------------------------------------


def _deliver(
    state: WatchState,
    watches: list[Watch],
    notify: NotifySettings,
    report: WatchReport,
    now: datetime | None,
) -> None:
    moment = now or datetime.now(UTC)
    for watch in watches:
        for spec in watch.targets:
            target = open_target(spec, notify)
            try:
                report.delivered += _deliver_target(state, watch, target, report.run, moment)
            except DeliveryError as error:
                state.failed(watch.name, spec, str(error))
                report.failures.append(f"watch {watch.name} → {spec}: {error}")


def _deliver_target(
    state: WatchState, watch: Watch, target: Target, run: str, moment: datetime
) -> int:
    found_before: str | None = None
    digest: str | None = None
    if watch.digest is not None:
        oldest = state.oldest_waiting(watch.name, target.spec)
        if oldest is None:
            return 0
        zone = parse_zone(watch.tz)
        current = period_start(moment, watch.digest, zone)
        first = period_start(datetime.fromisoformat(oldest), watch.digest, zone)
        if first >= current:
            return 0  # the period of the oldest waiting hit has not ended yet
        found_before = current.astimezone(UTC).isoformat(timespec="seconds")
        last = period_start(current - timedelta(seconds=1), watch.digest, zone)
        digest = period_label(first, watch.digest)
        if last != first:
            digest += " to " + period_label(last, watch.digest)
    delivered = 0
    while True:
        rows = state.outbox(watch.name, target.spec, DELIVERY_HITS, found_before)
        if not rows:
            return delivered
        mark = state.mark(watch.name, target.spec)
        skip: set[str] = set()
        if mark is not None:
            # A delivery to this file was cut off (a crash, a full disk): what reached the
            # file is not written again.
            skip = target.already_sent(mark, watch.name)
        else:
            position = target.mark()
            if position is not None:
                state.set_mark(watch.name, target.spec, position)
        hits = tuple(record for _, record in rows if record.get("id") not in skip)
        delivery = Delivery(
            id=f"{watch.name}-{rows[0][0]}-{rows[-1][0]}",
            watch=watch.name,
            query=watch.query,
            run=run,
            hits=hits,
            digest=digest,
        )
        if hits:
            target.send(delivery)
        state.sent(watch.name, target.spec, (seq for seq, _ in rows), digest)
        delivered += len(hits)


def period_start(moment: datetime, digest: str, zone: tzinfo) -> datetime:
    """The start of the digest period (hour, day, ISO week) holding ``moment``, in ``zone``."""
    local = moment.astimezone(zone)
    if digest == "hourly":
        return local.replace(minute=0, second=0, microsecond=0)
    day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if digest == "weekly":
        day = (day - timedelta(days=day.weekday())).replace(tzinfo=zone)
    return day


def period_label(start: datetime, digest: str) -> str:
    if digest == "hourly":
        return start.strftime("%Y-%m-%dT%H:00")
    if digest == "weekly":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    return start.strftime("%Y-%m-%d")


# -- the commands' library side --------------------------------------------------------------


def add_watch(folder: Path, settings: JobSettings, watch: Watch) -> Watch:
    """Save ``watch`` in the index's watch file (refused if malformed or the name is taken).
    A relative ``jsonl:`` path is made absolute now, so the job finds it from any folder."""
    targets = tuple(absolute_target(t, Path.cwd()) for t in watch.targets)
    return WatchStore(watch_file(folder, settings.watches)).add(replace(watch, targets=targets))


def remove_watch(folder: Path, settings: JobSettings, name: str) -> Watch:
    """Remove a watch, with what it found and what still waited for delivery."""
    removed = WatchStore(watch_file(folder, settings.watches)).remove(name)
    state = WatchState.open(folder, create=False)
    if state is not None:
        with state:
            state.forget(name)
    return removed


@dataclass(frozen=True, slots=True)
class WatchDetails:
    watch: Watch
    hits: int  # hits reported so far
    targets: list[TargetStatus]

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.watch.to_dict(),
            "hits": self.hits,
            "target_status": [t.to_dict() for t in self.targets],
        }


def watch_details(
    folder: Path, settings: JobSettings, names: Iterable[str] = ()
) -> list[WatchDetails]:
    """The watches (all, or those named) with their counts and the state of their targets."""
    store = WatchStore(watch_file(folder, settings.watches))
    wanted = list(names)
    watches = [store.get(n) for n in wanted] if wanted else store.read()
    state = WatchState.open(folder, create=False)
    if state is None:
        return [WatchDetails(w, 0, []) for w in watches]
    with state:
        return [WatchDetails(w, state.hit_count(w.name), state.status(w.name)) for w in watches]


def watch_history(
    folder: Path, settings: JobSettings, name: str, limit: int = 20
) -> list[dict[str, Any]]:
    """The last ``limit`` hits a watch reported, newest first (see WatchState.history)."""
    WatchStore(watch_file(folder, settings.watches)).get(name)  # an unknown name is an error
    state = WatchState.open(folder, create=False)
    if state is None:
        return []
    with state:
        return state.history(name, limit)
