"""Stop early, with a clear message, on a Python that d2l-birnn cannot support.

Standard library only: it runs before anything is installed.
"""

import sys

SUPPORTED = ((3, 8), (3, 11))

if __name__ == "__main__":
    version = sys.version_info[:2]
    if not SUPPORTED[0] <= version <= SUPPORTED[1]:
        sys.exit(
            f"d2l-birnn needs Python 3.8 to 3.11 (3.11 recommended); this is Python "
            f"{version[0]}.{version[1]} ({sys.executable}).\n"
            "Why: MXNet 1.9.1 needs NumPy < 1.24 (NumPy 1.24 removed np.bool, which MXNet uses), "
            "and NumPy 1.23.5, the last such release, has no wheels for Python 3.12 or newer.\n"
            "Fix: install Python 3.11 and run again with PYTHON=python3.11, e.g. "
            "'make test PYTHON=python3.11' (or use environment.yml with conda)."
        )
    print(f"Python {version[0]}.{version[1]}: ok")
