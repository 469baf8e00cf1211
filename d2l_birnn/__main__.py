"""Command line: ``python -m d2l_birnn fetch [--from FILE]`` and ``python -m d2l_birnn doctor``."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m d2l_birnn", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    fetch = sub.add_parser("fetch", help="download and verify The Time Machine text")
    fetch.add_argument("--from", dest="source", metavar="FILE",
                       help="use this local copy instead of downloading (its SHA-1 is checked)")
    sub.add_parser("doctor", help="check the environment and say how to fix what is wrong")
    args = parser.parse_args(argv)

    if args.command == "fetch":
        from . import data

        try:
            if args.source:
                path = data.install_local_copy(args.source)
            else:
                path = data.time_machine_path()
        except (RuntimeError, ValueError) as e:
            print(f"error: {e}", file=sys.stderr)
            return 1
        print(f"The Time Machine: {path} (sha1 ok)")
        return 0
    if args.command == "doctor":
        from .mxnet.doctor import run_doctor

        return run_doctor()
    return 2  # pragma: no cover


if __name__ == "__main__":
    sys.exit(main())
