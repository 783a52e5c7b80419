"""The sandbox's state object: one per server, shared by the routes, the admin API and the Python handle."""

from __future__ import annotations

import hmac
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from . import _catalog as cat
from ._admin_values import check_fault, check_settings
from ._errors import DEFAULT_CODES
from ._faults import FAULT_KINDS, Faults, HTTPFault, Stats
from ._jobs import JobFault, Jobs, Settings
from ._library_catalogue import scenes_for_upload, seed_library
from ._library_index import add_scenes, prepare_library
from ._library_search import SearchParams, search_scenes
from ._media import MediaRenderer
from ._seed import WORKSPACES, seed_accounts
from ._store import Store, dumps, iso, loads, now

OTHER_WORKSPACE_SOURCES = 8  # the second workspace gets a small library of its own
_KEPT_TOKENS = 1 << 17  # media tokens kept by `Sandbox.sign` (about 25 MB); all are dropped when full


@dataclass
class Principal:
    """Who is calling: the key's workspace, user and whether the key is restricted."""

    key: str
    key_id: str
    workspace_id: str
    user_id: str
    restricted: bool


class TokenBucket:
    """Per-key request rate limit: `rate` requests a second with bursts up to `burst`."""

    def __init__(self) -> None:
        self._levels: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str, rate: float, burst: int) -> float:
        """0 when the request may pass, else the seconds to wait."""
        if rate <= 0:
            return 0.0
        moment = time.monotonic()
        with self._lock:
            level, last = self._levels.get(key, (float(burst), moment))
            level = min(float(burst), level + (moment - last) * rate)
            if level < 1:
                self._levels[key] = (level, moment)
                return (1 - level) / rate
            self._levels[key] = (level - 1, moment)
            return 0.0

    def clear(self) -> None:
        with self._lock:
            self._levels.clear()


class Sandbox:
    def __init__(self, data_dir: Path, settings: Settings) -> None:
        self.data_dir = data_dir
        self.settings = settings
        self.store = Store(data_dir / "sandbox.sqlite3")
        self.media = MediaRenderer(data_dir / "media")
        self.uploads_dir = data_dir / "uploads"
        self.uploads_dir.mkdir(parents=True, exist_ok=True)
        self.jobs = Jobs(self.store, settings)
        self.faults = Faults()
        self.stats = Stats()
        self.rate_limiter = TokenBucket()
        seed_accounts(self.store)
        # Made once with the data directory and never changed: read once, not per signed URL (a page of scenes
        # signs about 300 URLs).
        self.media_secret = (self.store.meta("media_secret") or "").encode()
        # HMAC keyed once; each signature continues a copy of it (the `hmac` module's way to sign many messages
        # with one key without hashing the key's pads again each time).
        self._media_signer = hmac.new(self.media_secret, digestmod="sha256")
        self._tokens: dict[str, str] = {}  # path -> token, see `sign`
        prepare_library(self.store)
        self._seed_library()
        self.jobs.on_settle["video_generation"] = self._add_generated_scenes
        self.jobs.on_settle["asset_upload"] = self._add_uploaded_scenes

    # --- keys and signing -------------------------------------------------------------------------

    @property
    def admin_token(self) -> str:
        return self.store.meta("admin_token") or ""

    def principal(self, key: str) -> Principal | None:
        row = self.store.one("SELECT * FROM api_keys WHERE key = ?", (key,))
        if row is None:
            return None
        self.store.execute("UPDATE api_keys SET last_used_at = ? WHERE key = ?", (now(), key))
        return Principal(key, row["id"], row["workspace_id"], row["user_id"], bool(row["restricted"]))

    def sign(self, path: str) -> str:
        """The query-string token of a media path (so URLs carry a secret, as real signed URLs do).

        A token depends on its path alone, so up to `_KEPT_TOKENS` are kept: a page of 100 scenes signs 300 paths,
        about a fifth of what serving the page cost, and a library is read again and again."""
        token = self._tokens.get(path)
        if token is None:
            signer = self._media_signer.copy()
            signer.update(path.encode())
            token = signer.hexdigest()[:32]
            if len(self._tokens) >= _KEPT_TOKENS:
                self._tokens.clear()
            self._tokens[path] = token
        return token

    def verify(self, path: str, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.sign(path), token)

    # --- the Asset Library ------------------------------------------------------------------------

    def _seed_library(self) -> None:
        if self.store.meta("library_seeded"):
            return
        moment = datetime.now(timezone.utc)
        main, other = WORKSPACES[0][0], WORKSPACES[1][0]
        sources, scenes = seed_library(self.settings.seed, moment)
        self._insert_library(main, sources, scenes)
        other_sources, other_scenes = seed_library(self.settings.seed + 1, moment)
        kept = {source["id"] for source in other_sources[:OTHER_WORKSPACE_SOURCES]}
        self._insert_library(other, other_sources[:OTHER_WORKSPACE_SOURCES],
                             [scene for scene in other_scenes if scene["source_video_id"] in kept])
        self.store.set_meta("library_seeded", "1")

    def seed_scenes(self, count: int) -> None:
        """Make the primary workspace's seeded library `count` scenes long (uploads and generations come on top).

        Its first scenes are the usual seeded library, so a bigger library holds the small one; a library
        seeded this long already is left as it is, so restarting a big sandbox is quick.
        """
        if count < 0:
            raise ValueError("seed_scenes must be 0 or more")
        if int(self.store.meta("seeded_scenes") or 0) >= count:
            return
        sources, scenes = seed_library(self.settings.seed, datetime.now(timezone.utc), min_scenes=count)
        kept = scenes[:count]
        used = {scene["source_video_id"] for scene in kept}
        self._insert_library(WORKSPACES[0][0], [source for source in sources if source["id"] in used], kept)
        self.store.set_meta("seeded_scenes", str(count))

    def _insert_library(self, workspace_id: str, sources: list[dict], scenes: list[dict]) -> None:
        with self.store.transaction():
            self.store.executemany(
                "INSERT OR IGNORE INTO sources (id, workspace_id, data) VALUES (?, ?, ?)",
                [(source["id"], workspace_id, dumps(source)) for source in sources],
            )
            add_scenes(self.store, workspace_id, scenes)

    def scene_count(self, workspace_id: str) -> int:
        return self.store.one("SELECT count(*) AS n FROM scenes WHERE workspace_id = ?", (workspace_id,))["n"]

    def search(self, workspace_id: str, params: SearchParams) -> tuple[list[tuple[dict, float | None]], str | None]:
        """One page of `GET /assets`; see `_library_search.search_scenes`."""
        return search_scenes(self.store, workspace_id, params)

    def scene(self, scene_id: str, workspace_id: str | None = None) -> dict | None:
        sql, params = "SELECT data FROM scenes WHERE id = ?", [scene_id]
        if workspace_id is not None:
            sql, params = sql + " AND workspace_id = ?", params + [workspace_id]
        row = self.store.one(sql, params)
        return loads(row["data"]) if row else None

    def source(self, source_id: str) -> dict | None:
        row = self.store.one("SELECT data FROM sources WHERE id = ?", (source_id,))
        return loads(row["data"]) if row else None

    def sources(self, source_ids: Iterable[str]) -> dict[str, dict]:
        """Several source videos by id in one read (a page of scenes names a few sources many times)."""
        wanted = sorted(set(source_ids))
        if not wanted:
            return {}
        marks = ", ".join("?" * len(wanted))
        rows = self.store.all(f"SELECT id, data FROM sources WHERE id IN ({marks})", wanted)
        return {row["id"]: loads(row["data"]) for row in rows}

    def _add_library_video(self, workspace_id: str, source: dict) -> None:
        scenes = scenes_for_upload(source["id"], source["title"], source["duration_seconds"], source["created_at"])
        for scene in scenes:
            scene["source_type"] = source["source_type"]
        self._insert_library(workspace_id, [source], scenes)

    def _add_generated_scenes(self, job: dict) -> None:
        """A completed video generation joins the library as a `generated` source with its scenes."""
        request = job["request"]
        source = {
            "id": "src_" + job["id"].removeprefix("job_")[:16], "title": request["prompt"][:80],
            "duration_seconds": float(request.get("duration") or 8), "source_type": "generated",
            "aspect_ratio": request.get("aspect_ratio") or "9:16", "brand": None,
            "created_at": iso(job["ends_at"]), "job_id": job["id"],
        }
        self._add_library_video(job["workspace_id"], source)

    def _add_uploaded_scenes(self, job: dict) -> None:
        upload = self.store.one("SELECT * FROM uploads WHERE id = ?", (job["extra"]["upload_id"],))
        source = {
            "id": job["extra"]["source_id"], "title": job["request"].get("title") or upload["filename"],
            "duration_seconds": upload["duration_seconds"], "source_type": "upload",
            "aspect_ratio": job["extra"].get("aspect_ratio"), "brand": None,
            "created_at": iso(job["ends_at"]), "upload_id": upload["id"],
        }
        self._add_library_video(job["workspace_id"], source)

    # --- administration ---------------------------------------------------------------------------

    def configure(self, *, time_scale: float | None = None, rate_limit_per_second: float | None = None,
                  rate_limit_burst: int | None = None, max_active_generations: int | None = None,
                  max_upload_bytes: int | None = None, upload_url_ttl: float | None = None,
                  credits: int | None = None,
                  workspace: str | None = None) -> dict:
        """Change behaviour at run time; `max_active_generations` and `credits` apply to one workspace or all.
        Every value is checked before any is applied, so a refused call changes nothing."""
        if workspace is not None and not isinstance(workspace, str):
            raise ValueError("workspace must be a workspace id")
        values = check_settings({
            "time_scale": time_scale, "rate_limit_per_second": rate_limit_per_second,
            "rate_limit_burst": rate_limit_burst, "max_upload_bytes": max_upload_bytes,
            "upload_url_ttl": upload_url_ttl, "max_active_generations": max_active_generations, "credits": credits,
        })
        settings = self.settings
        settings.time_scale = values.get("time_scale", settings.time_scale)
        settings.rate_per_second = values.get("rate_limit_per_second", settings.rate_per_second)
        settings.rate_burst = values.get("rate_limit_burst", settings.rate_burst)
        settings.max_upload_bytes = values.get("max_upload_bytes", settings.max_upload_bytes)
        settings.upload_url_ttl = values.get("upload_url_ttl", settings.upload_url_ttl)
        where, params = ("WHERE id = ?", [workspace]) if workspace else ("", [])
        if "max_active_generations" in values:
            self.store.execute(f"UPDATE workspaces SET max_active = ? {where}",
                               [values["max_active_generations"], *params])
        if "credits" in values:
            self.store.execute(f"UPDATE workspaces SET remaining_credits = ? {where}", [values["credits"], *params])
        return self.describe_settings()

    def describe_settings(self) -> dict:
        workspaces = {
            row["id"]: {"remaining_credits": row["remaining_credits"], "max_active_generations": row["max_active"]}
            for row in self.store.all("SELECT * FROM workspaces")
        }
        return {
            "time_scale": self.settings.time_scale, "rate_limit_per_second": self.settings.rate_per_second,
            "rate_limit_burst": self.settings.rate_burst, "max_upload_bytes": self.settings.max_upload_bytes,
            "upload_url_ttl": self.settings.upload_url_ttl,
            "seed": self.settings.seed, "job_durations": {k: v * self.settings.time_scale
                                                         for k, v in cat.JOB_DURATIONS.items()},
            "workspaces": workspaces,
        }

    def add_fault(self, route: str, *, kind: str = "status", status: int = 500, count: int = 1,
                  latency: float = 0.0, retry_after: float | None = None, code: str | None = None,
                  message: str | None = None) -> dict:
        """Break the next `count` requests matching `route` ("GET /api/v1/jobs/*", globs allowed)."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"kind must be one of {', '.join(FAULT_KINDS)}")
        if kind == "status" and status not in DEFAULT_CODES:
            raise ValueError(f"status must be one of {', '.join(map(str, DEFAULT_CODES))}")
        check_fault(route=route, count=count, latency=latency, retry_after=retry_after, code=code, message=message)
        fault = HTTPFault(route, kind, status, count, latency, retry_after, code, message)
        self.faults.add(fault)
        return dict(vars(fault))

    def add_job_fault(self, outcome: str = "failed", *, count: int = 1, type: str | None = None,
                      code: str | None = None, message: str | None = None) -> dict:
        """Make the next `count` jobs (of `type`) fail, expire, get canceled, or never report progress."""
        if outcome not in ("failed", "expired", "canceled", "no_progress"):
            raise ValueError("outcome must be failed, expired, canceled or no_progress")
        if type is not None and type not in cat.JOB_DURATIONS:
            raise ValueError(f"type must be one of {', '.join(cat.JOB_DURATIONS)}")
        check_fault(count=count, code=code, message=message)
        fault = JobFault(outcome, count, type, code or JobFault.code, message or JobFault.message)
        self.settings.job_faults.append(fault)
        return dict(vars(fault))

    def reset(self) -> None:
        """Forget faults, counters and rate-limit levels (not data)."""
        self.faults.clear()
        self.settings.job_faults.clear()
        self.stats.clear()
        self.rate_limiter.clear()

    def job_timeline(self, job_id: str) -> dict | None:
        job = self.jobs.get_any(job_id)
        if job is None:
            return None
        return {"created_at": job["created_at"], "started_at": job["started_at"], "ends_at": job["ends_at"],
                "outcome": job["outcome"]}

    def close(self) -> None:
        self.store.close()
