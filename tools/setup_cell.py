# Setup: does nothing outside Google Colab. On Colab it installs d2l-birnn, MXNet 1.9.1 (its
# GPU build if the runtime has a GPU) and d2l 1.0.3; the logic is in d2l_birnn/colab.py.
import sys

if "google.colab" in sys.modules:  # pragma: no cover - runs on Colab only
    import importlib.util
    import runpy
    import subprocess

    REPOSITORY = "https://github.com/d2l-birnn/d2l-birnn"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                    "--ignore-requires-python", f"git+{REPOSITORY}"], check=True)
    importlib.invalidate_caches()
    # Run colab.py as a file: importing d2l_birnn now would import MXNet before it is installed.
    package_dir = importlib.util.find_spec("d2l_birnn").submodule_search_locations[0]
    runpy.run_path(f"{package_dir}/colab.py")["setup"]()
