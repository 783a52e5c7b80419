"""`%sume uploads presign PATH --purpose P`: a presigned upload target, and the file's bytes sent to it.

The signed `upload_url` and the `object_key` are secrets (seeds 003 and 004: never log them), so they never leave
this process: the command sends the bytes itself, with only the required headers, and shows the sanitized upload
(its purpose and the Sume `media_url`, which `face-swap create --source-video` takes).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from .._parsing import add_output_options
from ._output import present_object

if TYPE_CHECKING:
    from .._context import Context

__all__ = ["add_parser"]

PURPOSES = ("asset_library_video", "face_swap_source_video")


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("uploads", help="uploads: presign PATH --purpose P",
                                 description="Upload a local video to Sume storage for a face swap or the library.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    presign = actions.add_parser("presign", help="presign an upload target and send the file's bytes to it",
                                 description=__doc__.split("\n\n")[1].replace("\n", " "))
    presign.add_argument("path", metavar="PATH", help="the video to upload")
    presign.add_argument("--purpose", required=True, choices=PURPOSES,
                         help="face_swap_source_video for a face swap; asset_library_video for the library "
                              "(`assets upload` also finalizes it)")
    add_output_options(presign)
    presign.set_defaults(run=_presign)


def _presign(context: Context, args: argparse.Namespace) -> None:
    print(f"Uploading {args.path} ({args.purpose})…")
    present_object(context, args, context.session.client().uploads.upload_file(args.path, args.purpose))
