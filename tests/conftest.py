"""Import d2l_birnn before any test module imports MXNet: it chooses MXNet's threads, which
MXNet reads once, when it loads."""

import d2l_birnn  # noqa: F401
