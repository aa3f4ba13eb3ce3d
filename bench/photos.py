"""Benchmark (not a test): checking and re-encoding report-back photos.

    .venv/bin/python bench/photos.py [--runs 5]

For camera-sized JPEGs (12 and 20 megapixels, with detail like a real photo: noise over gradients, an EXIF
block with GPS) and a 4-megapixel PNG, each in a fresh process:

  ms            median time of ``reports.images.process_image`` (sniffing, the pixel check, decoding,
                orientation, re-encoding to at most 2000 px plus the thumbnail), with face blurring off
                and on (the Haar cascade runs on the resized image)
  peak MB       the process's peak resident memory after the runs, less what it held with Django and the
                libraries loaded (so the file's bytes are included)

The baseline, in the same run and process kind: Pillow alone opening the file, ``load()``, ``thumbnail()``
to 2000 px and saving a JPEG — what any upload handler must do at least; the difference is the cost of the
checks, the stripping and the thumbnail.
"""

import argparse
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

ROOT = Path(__file__).resolve().parent.parent
BENCH_SECRET_KEY = "bench-secret-key-not-for-production-0123456789abcdef"  # noqa: S105 -- throwaway


def _photo(width: int, height: int, fmt: str) -> bytes:
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(7)
    y, x = np.mgrid[0:height, 0:width]
    base = np.stack([(x * 255 // width), (y * 255 // height), ((x + y) * 255 // (width + height))], axis=-1)
    pixels = np.clip(base + rng.normal(0, 18, base.shape), 0, 255).astype("uint8")
    image = Image.fromarray(pixels, "RGB")
    exif = Image.Exif()
    exif[0x010F] = "Example Camera"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)})
    buffer = io.BytesIO()
    if fmt == "JPEG":
        image.save(buffer, "JPEG", quality=90, exif=exif)
    else:
        image.save(buffer, "PNG", compress_level=3)
    return buffer.getvalue()


def child(kind: str, path: str, runs: int) -> None:
    import django

    django.setup()
    from PIL import Image

    from groundswell.reports import images

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # Django and the libraries loaded
    data = Path(path).read_bytes()

    def baseline():
        image = Image.open(io.BytesIO(data))
        image.load()
        image.thumbnail((2000, 2000))
        out = io.BytesIO()
        image.convert("RGB").save(out, "JPEG", quality=85)

    work = {
        "baseline": baseline,
        "process": lambda: images.process_image(data, blur_faces=False, name="bench"),
        "process+faces": lambda: images.process_image(data, blur_faces=True, name="bench"),
    }[kind]
    work()  # warm: imports, the cascade's first load
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"ms": statistics.median(times), "peak_mb": (peak - before) / 1024, "bytes": len(data)}))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", nargs=2)
    parser.add_argument("--make", nargs=4)
    args = parser.parse_args()
    if args.make:
        width, height, fmt, path = args.make
        Path(path).write_bytes(_photo(int(width), int(height), fmt))
        return
    if args.child:
        child(*args.child, args.runs)
        return
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "groundswell.settings",
        "SECRET_KEY": BENCH_SECRET_KEY,
        "GROUNDSWELL_DATA_DIR": tempfile.mkdtemp(prefix="groundswell-bench-photos-"),
    }
    env.pop("DATABASE_URL", None)
    print(f"photos: median of {args.runs} runs, each kind in a fresh process ({os.cpu_count()} cores)")
    print(f"{'input':<22}{'file MB':>9}{'kind':>16}{'ms':>9}{'peak MB':>10}{'x baseline':>12}")
    folder = Path(env["GROUNDSWELL_DATA_DIR"])
    # 12 and 20 megapixels (a 24-megapixel photo with this much detail passes the 10 MB limit).
    for width, height, fmt in [(4000, 3000, "JPEG"), (5472, 3648, "JPEG"), (2400, 1600, "PNG")]:
        path = folder / f"{width}x{height}.{fmt.lower()}"
        # Made in a process of its own: Linux carries a process's peak memory across exec into its
        # children's figures, and making the picture takes hundreds of MB.
        make = [sys.executable, __file__, "--make", str(width), str(height), fmt, str(path)]
        subprocess.run(make, check=True, cwd=ROOT)  # noqa: S603 -- our own script
        baseline_ms = None
        for kind in ("baseline", "process", "process+faces"):
            command = [sys.executable, __file__, "--runs", str(args.runs), "--child", kind, str(path)]
            out = subprocess.run(  # noqa: S603 -- our own script
                command,
                env=env, check=True, capture_output=True, text=True, cwd=ROOT,
            )  # fmt: skip
            result = json.loads(out.stdout.strip().splitlines()[-1])
            baseline_ms = baseline_ms or result["ms"]
            label = f"{width}x{height} {fmt}"
            print(
                f"{label:<22}{result['bytes'] / 1e6:>9.1f}{kind:>16}{result['ms']:>9.0f}"
                f"{result['peak_mb']:>10.0f}{result['ms'] / baseline_ms:>12.2f}"
            )


if __name__ == "__main__":
    main()
