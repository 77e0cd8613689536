"""Test runs use local key material (generated into .local/) unless the environment gives keys."""

import os

os.environ.setdefault("APP_ENV", "local")
