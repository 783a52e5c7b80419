"""Quickstart: generate an image and a video, wait, download both, then load an asset search into a DataFrame.

Against the local sandbox (no credits spent):

    python -m sume_notebook.sandbox --time-scale 0.1      # prints its url and api_key
    SUME_BASE_URL=<url> SUME_API_KEY=<api_key> python examples/quickstart.py [OUTPUT_DIR]

Against Sume itself, set only SUME_API_KEY: every create below spends credits.
"""

import sys
from pathlib import Path

from sume_notebook import Sume

out = Path(sys.argv[1] if len(sys.argv) > 1 else "outputs")

with Sume() as sume:  # SUME_API_KEY and SUME_BASE_URL from the environment
    print(sume.credits())
    image = sume.images.generate("Clean skincare product photo on a white bathroom counter.", aspect_ratio="1:1")
    video = sume.videos.generate("Slow pan across a sunlit kitchen counter", aspect_ratio="9:16", duration=4, resolution="480p")
    for job in (image, video):
        job.wait()  # polls until the job ends; raises JobFailedError or JobTimeoutError otherwise
        for path in job.result().download(out):
            print(f"{job.type}: {path}")

    scenes = sume.assets.search("product demo hook", source_type="generated", limit=20, max_items=20).to_pandas()
    print(scenes[["id", "segment_type", "duration_seconds", "search_score", "preview_url"]].head(10).to_string())
