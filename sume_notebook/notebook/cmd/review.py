"""`%sume rate ID STARS`, `star ID`, `tag ID TAG...`, `note ID TEXT`: what a person thinks of a job, kept in the
journal (nothing is sent) and shown by `%sume history` and `%sume export`."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from .._parsing import add_output_options
from ._output import present_object

if TYPE_CHECKING:
    from .._context import Context

__all__ = ["add_parser", "stars"]

_CLEAR = ("none", "clear", "0")


def stars(value: str) -> int | None:
    """An argparse type: 1 to 5 stars, or `none` (also `clear`, `0`) to clear the rating."""
    if value.strip().lower() in _CLEAR:
        return None
    if value.strip() not in ("1", "2", "3", "4", "5"):
        raise argparse.ArgumentTypeError(f"give 1 to 5 stars, or none to clear the rating (got {value!r})")
    return int(value)


def add_parser(commands: Any) -> None:
    rate = commands.add_parser("rate", help="rate a job 1 to 5 stars (none clears)",
                               description="Rate a job 1 to 5 stars; `none` clears the rating. Kept in the journal.")
    rate.add_argument("id", metavar="ID")
    rate.add_argument("rating", metavar="STARS", type=stars, help="1 to 5, or none")
    star = commands.add_parser("star", help="put a job on the shortlist (--off takes it off)",
                               description="Star a job: `%%sume history --starred` and `%%sume export --starred` "
                                           "show the shortlist.")
    star.add_argument("id", metavar="ID")
    star.add_argument("--off", action="store_true", help="take the star off")
    tag = commands.add_parser("tag", help="tag a job (--remove takes the tags off)",
                              description="Add tags (short, no commas) to a job; --remove takes them off.")
    tag.add_argument("id", metavar="ID")
    tag.add_argument("tags", metavar="TAG", nargs="+")
    tag.add_argument("--remove", action="store_true", help="take these tags off instead")
    note = commands.add_parser("note", help="keep a note with a job (no text clears it)",
                               description="Keep a note with a job, replacing its last one; without TEXT, clear it.")
    note.add_argument("id", metavar="ID")
    note.add_argument("text", metavar="TEXT", nargs="*", help="the note (the rest of the line)")
    for parser, change in ((rate, _rate), (star, _star), (tag, _tag), (note, _note)):
        add_output_options(parser)
        parser.set_defaults(run=lambda context, args, change=change: _show(context, args, change(context, args)))


def _rate(context: Context, args: argparse.Namespace) -> Any:
    return context.session.client().jobs.set_review(args.id, rating=args.rating)


def _star(context: Context, args: argparse.Namespace) -> Any:
    return context.session.client().jobs.set_review(args.id, starred=not args.off)


def _tag(context: Context, args: argparse.Namespace) -> Any:
    change = "remove_tags" if args.remove else "add_tags"
    return context.session.client().jobs.set_review(args.id, **{change: args.tags})


def _note(context: Context, args: argparse.Namespace) -> Any:
    return context.session.client().jobs.set_review(args.id, note=" ".join(args.text))


def _show(context: Context, args: argparse.Namespace, review: Any) -> None:
    if args.json:
        if not context.assign(args.output, review):
            context.presenter.data({"id": args.id, **asdict(review)})
    else:
        present_object(context, args, review)
