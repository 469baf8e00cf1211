# Setup: on Google Colab this installs d2l-birnn, MXNet and d2l; elsewhere it does nothing.
import sys

if "google.colab" in sys.modules:  # pragma: no cover - runs on Colab only
    import subprocess

    subprocess.run([sys.executable, "-m", "pip", "install", "-q",
                    "d2l-birnn @ git+https://github.com/d2l-birnn/d2l-birnn"], check=True)
