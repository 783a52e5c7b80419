"""Benchmark 6, notebook weight: the saved `.ipynb` of a 24-image prompt matrix, in bytes.

Ours: a notebook of three cells (`%load_ext sume_notebook`; two lists of 4 styles and 6 subjects; a
`%%sume_prompt --yes` cell using both) executed in a real kernel with nbclient against a fresh sandbox, and saved
with its widget state as JupyterLab would (`sume_notebook.demo.execute_notebook`: every job settled first).
Baseline: the same 24 images as a user would embed them by hand, one `display(Image(png))` output each with the
full-size PNG: the images ours created, downloaded with plain httpx, in the output IPython would save.
"""

from __future__ import annotations

import base64
import json
import tempfile
from pathlib import Path

import httpx

from sume_notebook.demo import WIDGET_STATE, execute_notebook, kernel_env

from ._sandbox import Bench, fresh_sandbox, job_ids_on_service
from ._table import Row

__all__ = ["NUMBER", "run"]

NUMBER = 6
_STYLES = ("noir", "watercolor", "pop art", "isometric", "ukiyo-e", "vaporwave")
_SUBJECTS = ("a cat", "a lighthouse", "a bicycle", "a teapot", "a fox", "a city at night", "a robot", "a cactus")
_BY_HAND = '''\
import time, httpx
from IPython.display import Image, display
http = httpx.Client(base_url=BASE_URL, headers={"Authorization": f"Bearer {API_KEY}"})
ids = [http.post("/images/generations", json={"prompt": f"a {s} poster of {x}"}).json()["job_id"]
       for s in style for x in subject]
for job_id in ids:
    while http.get(f"/jobs/{job_id}").json()["status"] not in ("completed", "failed", "canceled", "expired"):
        time.sleep(1)
    image = http.get(f"/jobs/{job_id}/result").json()["result"]["images"][0]
    display(Image(data=http.get(image["url"]).content))
'''


def _ours(bench: Bench, styles: list[str], subjects: list[str]):  # type: ignore[no-untyped-def]
    import nbformat

    cells = [
        nbformat.v4.new_code_cell("%load_ext sume_notebook"),
        nbformat.v4.new_code_cell(f"style = {styles!r}\nsubject = {subjects!r}"),
        nbformat.v4.new_code_cell("%%sume_prompt --yes\na {style} poster of {subject}"),
    ]
    path = bench.workdir / "matrix.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    env = kernel_env(bench.box.url, bench.box.api_key, SUME_NOTEBOOK_HOME=str(bench.workdir / "home"))
    return execute_notebook(path, env, cwd=bench.workdir)


def _pngs(bench: Bench) -> list[bytes]:
    """Every image the service made in this workspace, full size, as plain httpx fetches them."""
    pngs = []
    with httpx.Client(base_url=bench.box.url, headers=bench.headers, timeout=60.0) as http:
        for job_id in sorted(job_ids_on_service(bench)):
            result = http.get(f"/jobs/{job_id}/result").raise_for_status().json()["result"]
            pngs += [http.get(image["url"]).raise_for_status().content for image in result["images"]]
    return pngs


def _by_hand(styles: list[str], subjects: list[str], pngs: list[bytes]):  # type: ignore[no-untyped-def]
    import nbformat

    outputs = [nbformat.v4.new_output("display_data", data={"image/png": base64.b64encode(png).decode("ascii"),
                                                            "text/plain": "<IPython.core.display.Image object>"})
               for png in pngs]
    cells = [nbformat.v4.new_code_cell(f"style = {styles!r}\nsubject = {subjects!r}"),
             nbformat.v4.new_code_cell(_BY_HAND, outputs=outputs)]
    return nbformat.v4.new_notebook(cells=cells)


def _size(notebook) -> int:  # type: ignore[no-untyped-def]
    import nbformat

    with tempfile.TemporaryDirectory(prefix="sume-bench-") as scratch:
        path = Path(scratch, "saved.ipynb")
        nbformat.write(notebook, path)
        return path.stat().st_size


def run(styles: int = 4, subjects: int = 6, time_scale: float = 0.25) -> list[Row]:
    import nbformat

    style, subject = list(_STYLES[:styles]), list(_SUBJECTS[:subjects])
    with fresh_sandbox(time_scale, max_active_generations=styles * subjects) as bench:
        ours = _ours(bench, style, subject)
        pngs = _pngs(bench)
    if len(pngs) != styles * subjects:
        raise RuntimeError(f"expected {styles * subjects} images on the service, found {len(pngs)}")
    base = _by_hand(style, subject, pngs)
    ours_bytes, base_bytes = _size(ours), _size(base)
    state = ours.metadata.get("widgets", {}).get(WIDGET_STATE, {})
    models = state.get("state", {})
    state_bytes = len(json.dumps(state, indent=1))
    outputs_bytes = sum(len(json.dumps(cell.get("outputs", []), indent=1)) for cell in ours.cells)
    errors = [o for cell in ours.cells for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    if errors:
        raise RuntimeError(f"the matrix notebook failed: {errors[0].get('evalue')}")
    images = sum(1 for m in models.values() if m.get("model_name") == "ImageModel")
    print(f"6 notebook weight: {styles} x {subjects} = {styles * subjects} images (time scale {time_scale:g}); "
          f"saved with nbformat {nbformat.__version__}")
    print(f"  ours      {ours_bytes:,} bytes: widget state ~{state_bytes:,} ({len(models)} models, {images} preview "
          f"images), outputs (static snapshots) ~{outputs_bytes:,}")
    print(f"  baseline  {base_bytes:,} bytes: {len(pngs)} full-size PNGs of {sum(map(len, pngs)):,} bytes in all")
    return [
        Row(f"6 notebook weight: .ipynb bytes, {styles * subjects} images", ours_bytes, base_bytes),
        Row("6 notebook weight: .ipynb bytes per image", ours_bytes / len(pngs), base_bytes / len(pngs)),
    ]
