"""`SumeMagics`: `%sume_generate`, `%%sume_prompt` and `%sume`, with their defaults as traitlets.

Text typed on a magic line is data, never code: every magic opts out of IPython's `{expression}` and `$name`
expansion (`no_var_expand`); `%%sume_prompt` fills in `{name}` itself, names only.

`%config SumeMagics.aspect_ratio = "9:16"` (or `c.SumeMagics.aspect_ratio` in an IPython profile) changes what a
line that leaves the option out gets. The work itself lives in `cmd/`; this class holds the configuration and the
session (which client to use), and hands each command a `Context` of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from IPython.core.magic import Magics, line_cell_magic, line_magic, magics_class, no_var_expand
from traitlets import CaselessStrEnum, Dict, Float, Integer, Unicode

from ._context import Context, Settings
from ._session import Session
from .display import frontend_has_widgets
from .error_handler import handles_errors

if TYPE_CHECKING:
    from IPython.core.interactiveshell import InteractiveShell

__all__ = ["SumeMagics"]


@magics_class
class SumeMagics(Magics):
    """Create Sume jobs and watch them inline; read the account, jobs and the Asset Library. `%sume help`."""

    aspect_ratio = Unicode(None, allow_none=True,
                           help="Aspect ratio when a line gives none (e.g. 1:1, 4:5, 9:16).").tag(config=True)
    resolution = Unicode(None, allow_none=True, help="Image or video resolution when a line gives none.").tag(config=True)
    quality = Unicode(None, allow_none=True, help="Image quality when a line gives none.").tag(config=True)
    timeout = Float(None, allow_none=True, min=0.001,
                    help="Seconds --wait waits (None: 600 for images, 1800 for video work and analyses).").tag(config=True)
    download_dir = Unicode("sume-downloads", help="Where --download saves when it names no directory.").tag(config=True)
    max_batch = Integer(12, min=1, help="Most jobs one %%sume_prompt matrix starts without --yes.").tag(config=True)
    prices = Dict(
        None, allow_none=True,
        help="Credits per kind for the estimates of dry runs and the matrix guard, e.g. {'image': {'standard': 2}}; "
             "merged over the default table (the sandbox's: the seeds publish no prices).",
    ).tag(config=True)
    static_video_bytes = Integer(
        2 * 1024**2, min=0,
        help="Largest clip (or full image) a finished job's saved output inlines; above it, a poster frame "
             "and a link to the file saved in download_dir.",
    ).tag(config=True)
    preview_size = Integer(512, min=16, help="Longest edge in pixels of a job widget's preview.").tag(config=True)
    widgets = CaselessStrEnum(
        ("auto", "on", "off"), default_value="auto",
        help="Live job widgets: auto (in a kernel with a widget frontend), on, or off (text progress).",
    ).tag(config=True)

    def __init__(self, shell: InteractiveShell, **kwargs: Any) -> None:
        super().__init__(shell=shell, **kwargs)
        self.session = Session()

    @property
    def widgets_enabled(self) -> bool:
        return frontend_has_widgets(self.shell, self.widgets)

    def context(self) -> Context:
        """What a command gets: the session, the settings as they are now, widgets or not, the namespace."""
        settings = Settings(
            aspect_ratio=self.aspect_ratio, resolution=self.resolution, quality=self.quality, timeout=self.timeout,
            download_dir=self.download_dir, max_batch=self.max_batch, preview_size=self.preview_size,
            static_video_bytes=self.static_video_bytes, prices=self.prices,
        )
        from ._presenter import NotebookPresenter  # loads the client: the first command does, not %load_ext

        widgets = self.widgets_enabled
        return Context(self.session, settings, widgets, self.shell.user_ns, NotebookPresenter(widgets))

    @line_magic
    @no_var_expand
    @handles_errors
    def sume_generate(self, line: str) -> None:
        """%sume_generate KIND [options]: create an image, video, ad, face-swap or analysis job and watch it.

        Options follow the Sume CLI (--prompt, --aspect-ratio, --wait, --download, --dry-run, -o VAR, ...);
        see `%sume_generate --help`.
        """
        from .cmd import generate

        generate.run(self.context(), line)

    @line_cell_magic
    @no_var_expand
    @handles_errors
    def sume_prompt(self, line: str, cell: str | None = None) -> None:
        """%%sume_prompt [KIND] [options]: the cell is the prompt (the script for an ad).

        {name} takes a notebook variable ({{ and }} are literal braces); a list, tuple or range variable makes one
        job per combination, shown as one labelled grid. See `%sume_prompt --help` (IPython refuses a cell magic
        with an empty body, so the line form is there for the help).
        """
        from .cmd import prompt

        prompt.run(self.context(), line, cell or "")

    @line_magic
    @no_var_expand
    @handles_errors
    def sume(self, line: str) -> Any:
        """%sume RESOURCE VERB ...: the Sume CLI's commands (credits, images generate, jobs result, assets search, ...).

        The same command table as the console `sume`. Lists come back as DataFrames, single objects as cards;
        `-o VAR` assigns instead. See `%sume help`.
        """
        from .cmd import sume_parser

        args = sume_parser().parse(line if line.strip() else "help")
        return args.run(self.context(), args)

    def close(self) -> None:
        self.session.close()
