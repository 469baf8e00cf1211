"""Stop early, with a clear message, on a Python that d2l-birnn cannot support.

Standard library only: it runs before anything is installed.
"""

import sys

SUPPORTED = ((3, 8), (3, 11))


def problem(version, executable: str = sys.executable):
    """The message for an unsupported ``version`` (major, minor), or None if it is fine."""
    if SUPPORTED[0] <= tuple(version) <= SUPPORTED[1]:
        return None
    return (
        f"d2l-birnn needs Python 3.8 to 3.11 (3.11 recommended); this is Python "
        f"{version[0]}.{version[1]} ({executable}).\n"
        "Why: MXNet 1.9.1 needs NumPy < 1.24 (NumPy 1.24 removed np.bool, which MXNet uses), "
        "and NumPy 1.23.5, the last such release, has no wheels for Python 3.12 or newer.\n"
        "Fix: install Python 3.11 and run again with PYTHON=python3.11, e.g. "
        "'make test PYTHON=python3.11' (or use environment.yml with conda)."
    )


if __name__ == "__main__":
    message = problem(sys.version_info[:2])
    if message:
        sys.exit(message)
    print(f"Python {sys.version_info[0]}.{sys.version_info[1]}: ok")
