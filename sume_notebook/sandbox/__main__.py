"""`python -m sume_notebook.sandbox`: serve the sandbox in the foreground until stopped."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from ._catalog import JOB_DURATIONS, price_table_text
from ._server import default_data_dir, start_sandbox

DEMO_COMMANDS = """\
Try it (copy and paste into another terminal):

  export SUME_BASE_URL={url} SUME_API_KEY={key}
  curl -s $SUME_BASE_URL/credits -H "Authorization: Bearer $SUME_API_KEY"
  curl -s $SUME_BASE_URL/images/generations -H "Authorization: Bearer $SUME_API_KEY" \\
       -H "Content-Type: application/json" -d '{{"prompt": "Clean skincare product photo", "aspect_ratio": "1:1"}}'
  curl -s "$SUME_BASE_URL/assets?q=product%20demo%20hook&limit=3" -H "Authorization: Bearer $SUME_API_KEY"
"""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m sume_notebook.sandbox",
                                     description="Run a local Sume-compatible API server (no key, no network).")
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port (default 0: any free port)")
    parser.add_argument("--data-dir", default=None, help=f"state directory (default {default_data_dir()})")
    parser.add_argument("--time-scale", type=float, default=1.0,
                        help="multiply every job duration (0.01 makes jobs finish in milliseconds)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the Asset Library and job ids")
    parser.add_argument("--seed-scenes", type=int, default=None, metavar="N",
                        help="make the seeded Asset Library N scenes long (200000 take about half a minute)")
    parser.add_argument("--demo", action="store_true", help="also print the price table and commands to try")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if threading.current_thread() is threading.main_thread():
        # uvicorn runs on a thread here, so it installs no handlers: make SIGTERM stop as Ctrl-C does,
        # from before the first line is printed (whoever reads `url` may terminate us right away).
        signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        handle = start_sandbox(args.port, args.data_dir, args.time_scale, seed=args.seed, host=args.host,
                               seed_scenes=args.seed_scenes)
    except (ValueError, RuntimeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        print(f"url {handle.url}")
        print(f"api_key {handle.api_key}")
        print(f"admin_token {handle.admin_token}")
        if args.demo:
            durations = ", ".join(f"{name} {seconds * args.time_scale:g} s"
                                  for name, seconds in JOB_DURATIONS.items())
            print("\nSume sandbox running on this machine only; no credits of a real account are spent.")
            print(f"Data: {handle.data_dir}\nJob durations: {durations}\n\nPrices (sandbox credits):")
            print(price_table_text() + "\n")
            print(DEMO_COMMANDS.format(url=handle.url, key=handle.api_key))
            print("Press Ctrl-C to stop.")
        sys.stdout.flush()
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        handle.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
