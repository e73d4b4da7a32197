"""
Benchmark: all renditions of a 4000 × 3000 JPEG, in seconds and peak memory.

The test picture (made with Pillow, photograph-like: gradients, blurred grain,
shapes, fine noise) is written to a temporary file first; then a fresh process
(this command with --run) checks, cleans and renders it the way an upload is
handled, into a temporary storage folder, and reports its own figures. Peak
memory is that process's high-water resident set size (VmHWM in
/proc/self/status, which starts afresh at exec, unlike ru_maxrss, which a child
inherits from its parent), Django and Python included: what a web worker would
need. Seconds are wall-clock (what an editor waits) and CPU (what the machine
spent: fairer when other work shares the machine).
"""

import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.core.files.storage import FileSystemStorage
from django.core.management.base import BaseCommand
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFilter

from images import renditions
from images.validation import check_upload, clean_original

SIZE = (4000, 3000)


class Command(BaseCommand):
    help = "Time making every rendition of a 4000×3000 JPEG and report peak memory."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=5, help="Runs to time (default 5).")
        parser.add_argument("--run", metavar="JPEG", help=argparse_hidden())

    def handle(self, *args, repeat, run, **options):
        if run:
            self.stdout.write(json.dumps(measure(Path(run), repeat)))
            return
        with tempfile.TemporaryDirectory() as folder:
            picture = Path(folder) / "bench-4000x3000.jpg"
            picture.write_bytes(test_jpeg())
            child = subprocess.run(
                [sys.executable, sys.argv[0], "bench_images", "--run", str(picture),
                 "--repeat", str(repeat)],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            figures = json.loads(child.stdout.strip().splitlines()[-1])
        self.report(figures)

    def report(self, f):
        lines = [
            f"Image: {f['width']}×{f['height']} JPEG, {f['bytes'] / 1e6:.2f} MB; "
            f"{f['renditions']} renditions, {f['rendition_bytes'] / 1e6:.2f} MB in all",
            f"Runs: {f['runs']} (CPU count {os.cpu_count()}, load average "
            f"{' '.join(f'{x:.2f}' for x in os.getloadavg())})",
            f"Renditions only:        best {f['renditions_best']:.3f} s, "
            f"median {f['renditions_median']:.3f} s wall-clock, "
            f"median {f['renditions_cpu_median']:.3f} s CPU",
            f"Whole upload (check + clean original + renditions): best "
            f"{f['upload_best']:.3f} s, median {f['upload_median']:.3f} s",
            f"Peak memory of the process (VmHWM): {f['peak_rss_mb']:.0f} MB "
            f"(after Django start-up: {f['startup_rss_mb']:.0f} MB)",
            "Budget (under 2 s, under 300 MB): "
            f"wall-clock {_verdict(f['renditions_best'] < 2)}, "
            f"CPU time {_verdict(f['renditions_cpu_median'] < 2)}, "
            f"memory {_verdict(f['peak_rss_mb'] < 300)}",
            "(Wall-clock equals CPU time when the machine is otherwise idle: the work is one"
            " thread; a load average above the CPU count inflates wall-clock only.)",
        ]
        self.stdout.write("\n".join(lines))


def _verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def argparse_hidden():
    import argparse

    return argparse.SUPPRESS


def measure(path: Path, repeat: int) -> dict:
    startup_rss = _max_rss_mb()
    data = path.read_bytes()
    upload_times, rendition_times, rendition_cpu = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        storage = FileSystemStorage(location=folder)
        for run in range(repeat):
            started = time.perf_counter()
            checked = check_upload(io.BytesIO(data), "bench.jpg")
            cleaned = clean_original(io.BytesIO(data), checked)
            before_renditions, cpu_before = time.perf_counter(), time.process_time()
            files = renditions.make_renditions(
                io.BytesIO(cleaned), focal_x=0.4, focal_y=0.45, folder=f"run{run}", storage=storage
            )
            finished = time.perf_counter()
            rendition_cpu.append(time.process_time() - cpu_before)
            upload_times.append(finished - started)
            rendition_times.append(finished - before_renditions)
        rendition_bytes = sum(storage.size(entry["name"]) for entry in files.values())
    return {
        "width": checked.width,
        "height": checked.height,
        "bytes": len(data),
        "renditions": len(files),
        "rendition_bytes": rendition_bytes,
        "runs": repeat,
        "renditions_best": min(rendition_times),
        "renditions_median": statistics.median(rendition_times),
        "renditions_cpu_median": statistics.median(rendition_cpu),
        "upload_best": min(upload_times),
        "upload_median": statistics.median(upload_times),
        "peak_rss_mb": _max_rss_mb(),
        "startup_rss_mb": startup_rss,
    }


def test_jpeg() -> bytes:
    """A photograph-like 4000×3000 JPEG: smooth light, grain, edges and fine detail."""
    width, height = SIZE
    red = PILImage.linear_gradient("L").resize(SIZE)
    green = PILImage.radial_gradient("L").resize(SIZE)
    blue = PILImage.effect_noise(SIZE, 60).filter(ImageFilter.GaussianBlur(3))
    picture = PILImage.merge("RGB", (red, green, blue))
    draw = ImageDraw.Draw(picture)
    for i in range(60):
        x, y = (i * 173) % width, (i * 97) % height
        draw.ellipse((x, y, x + 400, y + 300), outline=(255 - i * 4, i * 4, 140), width=10)
    grain = PILImage.effect_noise(SIZE, 25).convert("RGB")
    picture = PILImage.blend(picture, grain, 0.15)
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def _max_rss_mb() -> float:
    """Peak resident memory of this process, in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
