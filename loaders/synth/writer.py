"""Writes a world to JSONL files, adding the legitimate noise real reporting has.

Each unit is cut at as_of, given event ids, noised (corrections, a few events a little out of
order) and written at once, so only one unit is ever held in memory.
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from collections import Counter
from collections.abc import Iterable
from contextlib import ExitStack
from pathlib import Path
from random import Random
from typing import IO, Any

from app.identifiers import parse_battery_code
from loaders.synth.config import config_to_json
from loaders.synth.model import Event, LateFix, Lifecycle
from loaders.synth.timeline import DAY, Clock
from loaders.synth.world import World

__all__ = ["FILES", "Writer", "generator_fingerprint"]

FILES = ("companies.jsonl", "stations.jsonl", "vehicles.jsonl", "events.jsonl")
#: The planted late fixes (``LateFix``): their events and what each must resolve, apart from the world.
LATE_DIR = "late-fixes"


#: Events the local shuffle never moves anything across (see ``_shuffle_locally``).
_UNMOVED = frozenset({"correction", "health_measured"})


def _by_time(event: Event) -> int:
    return event.t


def _first(pair: tuple[int, Event]) -> int:
    return pair[0]


#: Events whose limit is 30 working days whoever reports them (repair_wd, recycler_wd).
_LATE_INSIDE_TYPES = frozenset({"recycled", "repaired"})

# One encoder for the whole run: json.dumps with arguments builds a new one per call.
_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def _event_line(event: Event, occurred_at: str, recorded_at: str | None) -> str:
    """One event as compact JSON, the same text ``_dumps`` would give, about twice as fast.

    The header values (ids, type, USCC, province code) are tokens this package generates, so
    they need no escaping; body values go through the encoder unless they are plain
    alphanumeric strings (codes, VINs, USCCs), floats (JSON writes them as ``repr`` does) or
    empty lists.
    """
    recorded = f'"recorded_at":"{recorded_at}",' if recorded_at is not None else ""
    parts = [
        f'{{"event_id":"{event.event_id}","type":"{event.type}","occurred_at":"{occurred_at}",{recorded}'
        f'"reporter":"{event.reporter}","province":"{event.province}"'
    ]
    for key, value in event.body.items():
        kind = value.__class__
        if kind is str and value.isalnum() and value.isascii():
            parts.append(f',"{key}":"{value}"')
        elif kind is float:
            parts.append(f',"{key}":{value!r}')
        elif kind is list and not value:
            parts.append(f',"{key}":[]')
        else:
            parts.append(f',"{key}":{_dumps(value)}')
    parts.append("}")
    return "".join(parts)


def generator_fingerprint() -> str:
    """A digest of the generator's own source: a world made by other code is not reused."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


class Writer:
    """Owns the output files of one world and the counts that end up in the manifest."""

    def __init__(self, out_dir: Path, world: World) -> None:
        self.out_dir = out_dir
        self.world = world
        self.config = world.config
        self.noise = Random(f"{world.config.seed}:noise")
        self.events_by_type: Counter[str] = Counter()
        self.vehicles = 0
        self.swap_vehicles = 0
        self.labels = 0
        self.label_kinds: Counter[str] = Counter()  # several planters may share ground_truth.jsonl
        self._next_id = 0
        self._id_prefix = f"syn{world.config.seed}-"
        self._workshops = {c.uscc for c in world.registry.workshops}
        self.to_workshops = 0
        self._until_correction = self._gap(self.config.correction_share)
        self._until_shuffle = self._gap(self.config.out_of_order_share)
        out_dir.mkdir(parents=True, exist_ok=True)
        # An ExitStack owns the streaming files, so close() releases them even after errors.
        self._files = ExitStack()
        self._events = self._open("events.jsonl")
        self._vehicles = self._open("vehicles.jsonl")
        self._truth: IO[str] | None = None
        self._late: tuple[IO[str], IO[str]] | None = None
        self.late_fixes = 0
        self.late_events = 0
        # Their own draws and ids, so that the world's files are the same with or without them.
        self._late_rng = Random(f"{world.config.seed}:late-fix-times")

    def _open(self, name: str) -> IO[str]:
        return self._files.enter_context(open(self.out_dir / name, "w", encoding="utf-8", newline="\n"))

    def close(self) -> None:
        """Close every file (also on errors, so no handle leaks into tests)."""
        self._files.close()

    def write_registry(self) -> tuple[int, int]:
        """companies.jsonl (sorted by USCC) and stations.jsonl (by id); returns their counts."""
        registry = self.world.registry
        companies = sorted(registry.companies, key=lambda c: c.uscc)
        stations = sorted(registry.stations, key=lambda s: s.id)
        self._write_lines("companies.jsonl", (_dumps(c.record()) for c in companies))
        self._write_lines("stations.jsonl", (_dumps(s.record()) for s in stations))
        return len(companies), len(stations)

    def _write_lines(self, name: str, lines: Iterable[str]) -> None:
        with open(self.out_dir / name, "w", encoding="utf-8", newline="\n") as handle:
            for line in lines:
                handle.write(line + "\n")

    def write(self, life: Lifecycle) -> None:
        """Cut the unit at as_of, give ids, add noise, and write events and vehicles."""
        end = self.world.clock.end
        events = [e for e in life.events if e.t < end]
        events.sort(key=_by_time)
        prefix = self._id_prefix
        for number, event in enumerate(events, self._next_id + 1):
            event.event_id = f"{prefix}{number:010d}"
        self._next_id += len(events)
        events = self._with_corrections(events, end)
        self._shuffle_locally(events)

        day_text, clock_text = self.world.clock.text_tables()
        counts = self.events_by_type
        workshops = self._workshops
        named: set[str] = set()
        lines = []
        recorded_at = self.config.write_recorded_at
        recorded: str | None = None
        for e in events:
            day, second = divmod(e.t, DAY)
            if recorded_at:
                day_r, second_r = divmod(e.t + self._delay(e, life), DAY)
                recorded = day_text[day_r] + clock_text[second_r]
            lines.append(_event_line(e, day_text[day] + clock_text[second], recorded))
            counts[e.type] += 1
            body = e.body
            if "vehicle" in body:
                named.add(body["vehicle"])
            elif e.type == "shipped" and body["to"] in workshops:
                self.to_workshops += 1
        for vehicle in life.vehicles:
            if vehicle.vin in named:
                self._vehicles.write(_dumps(vehicle.record()) + "\n")
                self.vehicles += 1
                self.swap_vehicles += vehicle.swap_capable
        if lines:
            lines.append("")
            self._events.write("\n".join(lines))
        if life.late:
            self._write_late(life.late, {e.body["corrects"] for e in events if e.type == "correction"})
        if life.labels:
            if self._truth is None:
                self._truth = self._open("ground_truth.jsonl")
            for label in life.labels:
                self._truth.write(_dumps(label) + "\n")
                self.label_kinds[str(label.get("kind", "unknown"))] += 1
            self.labels += len(life.labels)

    def _write_late(self, fixes: list[LateFix], corrected: set[str]) -> None:
        """Each fix's events to late-fixes/events.jsonl, recorded late_fix_days after as_of (after any
        other report of the battery, so the fix is what resolves its finding), and what it must
        resolve to late-fixes/truth.jsonl. A correction is noticed on the last day before as_of and
        filed with its corrective events; one of an event the world already corrected is left out."""
        clock, rng = self.world.clock, self._late_rng
        for fix in fixes:
            noticed = max(clock.office_time(rng, clock.end_day - 1), (fix.corrects.t + 60) if fix.corrects else 0)
            if fix.corrects is not None and (fix.corrects.event_id in corrected or noticed >= clock.end):
                continue
            if self._late is None:
                (self.out_dir / LATE_DIR).mkdir(exist_ok=True)
                self._late = (self._open(f"{LATE_DIR}/events.jsonl"), self._open(f"{LATE_DIR}/truth.jsonl"))
            filed = clock.office_time(rng, clock.end_day + self.config.late_fix_days)
            steps = fix.events
            if fix.corrects is not None:
                for e in steps:
                    e.event_id = self._late_id()
                body = {"corrects": fix.corrects.event_id, "reason": "incorrect_data"}
                correction = Event(noticed, "correction", fix.corrects.reporter, fix.corrects.province, body)
                correction.body["corrective_event_ids"] = [e.event_id for e in steps]
                steps = [correction, *steps]
            for e in steps:
                if not e.event_id:
                    e.event_id = self._late_id()
                self._late[0].write(_event_line(e, clock.format(e.t), clock.format(filed)) + "\n")
            label = {"rule": fix.rule, "battery": fix.battery, "how": fix.how, "events": [e.event_id for e in steps]}
            self._late[1].write(_dumps(label) + "\n")
            self.late_fixes += 1

    def _delay(self, event: Event, life: Lifecycle) -> int:
        """Seconds between occurrence and recording: the planted delay, or an upload delay.

        A few recyclings and repairs are filed 16-25 calendar days late: inside their 30
        working days, so legitimate, and labelled as such for the leakage evaluation.
        """
        if event.delay >= 0:
            return event.delay
        cfg, rng = self.config, self.noise
        if event.type in _LATE_INSIDE_TYPES and rng.random() < cfg.late_inside_share:
            lo, hi = cfg.late_inside_days
            self.world.lookalike(life, "recorded_late_inside_limit", event_id=event.event_id)
            return (lo + int(rng.random() * (hi - lo + 1))) * DAY
        return min(int(rng.expovariate(1.0 / cfg.record_delay_mean_s)), cfg.record_delay_cap_s)

    def _late_id(self) -> str:
        self.late_events += 1
        return f"{self._id_prefix}late-{self.late_events:08d}"

    def _new_id(self) -> str:
        self._next_id += 1
        return f"{self._id_prefix}{self._next_id:010d}"

    def _gap(self, share: float) -> int:
        """Events until the next noisy one: a geometric draw, so most events need no draw."""
        if share <= 0.0:
            return 1 << 62
        if share >= 1.0:
            return 0
        return int(math.log(1.0 - self.noise.random()) / math.log(1.0 - share))

    def _with_corrections(self, events: list[Event], end: int) -> list[Event]:
        """Some events are corrected later: wrong data fixed, or a duplicate voided.

        Returned in reporting order: a wrong event where the original was, its correction and
        the corrective event when the reporter noticed (a few days later).
        """
        if self._until_correction >= len(events):
            self._until_correction -= len(events)
            return events
        cfg, rng, clock = self.config, self.noise, self.world.clock
        keyed = [(event.t, event) for event in events]
        index = self._until_correction
        while index < len(events):
            event = events[index]
            index += 1 + self._gap(cfg.correction_share)
            if event.delay >= 0:
                continue  # planted late filing: a correction would refile it on time
            noticed = clock.later(rng, event.t, *cfg.correction_days)
            if noticed >= end:
                continue
            # A second production report of one code is refused at capture, so a duplicated
            # production cannot be in the record to be voided: its slip is a wrong value.
            if rng.random() < cfg.did_not_occur_share and event.type != "produced":
                # Reported twice under two ids: the second report did not occur.
                twin = event.copy()
                twin.event_id = self._new_id()
                twin.t = min(event.t + 60 + int(rng.random() * 3600), end - 1)
                keyed.append((twin.t, twin))
                body: dict[str, Any] = {"corrects": twin.event_id, "reason": "did_not_occur"}
                fix = None
            else:
                # The original report carried a wrong value; the fix gets a new id.
                fix = event.copy()
                fix.event_id = self._new_id()
                self._falsify(event, rng)
                body = {
                    "corrects": event.event_id,
                    "reason": "incorrect_data",
                    "corrective_event_ids": [fix.event_id],
                }
            correction = Event(noticed, "correction", event.reporter, event.province, body)
            correction.event_id = self._new_id()
            keyed.append((noticed, correction))
            if fix is not None:
                fix.delay = noticed - fix.t  # the corrective report is filed with the correction
                keyed.append((noticed, fix))
        self._until_correction = index - len(events)
        keyed.sort(key=_first)
        return [event for _, event in keyed]

    @staticmethod
    def _falsify(event: Event, rng: Random) -> None:
        """A typing slip: a mass off by a factor of ten, or a date a few days off: early, unless
        that would precede the production date in the battery's code, which capture refuses (a
        slip the company would have had to fix before it was stored), so then late."""
        for name in ("mass_kg", "input_mass_kg"):
            if name in event.body:
                event.body[name] = round(event.body[name] * 10, 1)
                return
        shift = (1 + int(rng.random() * 5)) * DAY
        made = [
            parse_battery_code(code).production_date
            for code in (event.body.get(k) for k in ("battery", "battery_out", "battery_in"))
            if isinstance(code, str)
        ]
        earliest = max((Clock.day_of(d) * DAY for d in made if d is not None), default=None)
        if earliest is not None and event.t - shift < earliest - DAY:
            event.t += shift
        else:
            event.t -= shift

    def _shuffle_locally(self, events: list[Event]) -> None:
        """Move a few events a little later in the file, as batched uploads do."""
        cfg, rng = self.config, self.noise
        last = len(events) - 1
        index = self._until_shuffle
        while index < last:
            j = min(last, index + 1 + int(rng.random() * cfg.out_of_order_window))
            # Never across a correction: it must stay after the event it corrects (the API
            # refuses a correction of an event it has not stored, even one batch later).
            # Nor across a health reading: the company must be linked to the pack by then.
            if not any(e.type in _UNMOVED for e in events[index : j + 1]):
                events[index], events[j] = events[j], events[index]
            index += 1 + self._gap(cfg.out_of_order_share)
        self._until_shuffle = max(0, index - len(events))

    def manifest(self, companies: int, stations: int, started: float) -> dict[str, Any]:
        """Seed, parameters, counts and timing; written last as manifest.json."""
        world, cfg = self.world, self.config
        manifest: dict[str, Any] = {
            "generator": "loaders.synth",
            "generator_fingerprint": generator_fingerprint(),
            "seed": cfg.seed,
            "batteries": cfg.batteries,
            "as_of": cfg.as_of.isoformat(),
            "events_carry_recorded_at": cfg.write_recorded_at,
            "parameters": config_to_json(cfg),
            "counts": {
                "companies.jsonl": companies,
                "stations.jsonl": stations,
                "vehicles.jsonl": self.vehicles,
                "events.jsonl": sum(self.events_by_type.values()),
            },
            "events_by_type": dict(sorted(self.events_by_type.items())),
            "world": {
                "packs": world.packs_made,
                "modules": world.modules_made,
                "swap_capable_vehicles": self.swap_vehicles,
                "station_clusters": len(world.registry.clusters),
                "shipments_to_unlicensed_workshops": self.to_workshops,
                "ground_truth_labels": self.labels,
            },
            "elapsed_seconds": round(time.perf_counter() - started, 3),
        }
        if self._truth is not None:
            manifest["counts"]["ground_truth.jsonl"] = self.labels
            manifest["world"]["ground_truth_by_kind"] = dict(sorted(self.label_kinds.items()))
        if world.network is not None:
            manifest["planted"] = world.network.summary()
        if self.late_fixes:
            manifest["late_fixes"] = {"fixes": self.late_fixes, "events": self.late_events}
        with open(self.out_dir / "manifest.json", "w", encoding="utf-8", newline="\n") as handle:
            json.dump(manifest, handle, indent=2, ensure_ascii=False)
            handle.write("\n")
        return manifest
