"""Development on one machine: SQLite and a filesystem broker unless the environment says
otherwise."""

from .base import *  # noqa: F401,F403
from .base import WORKBENCH, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="insecure-local-development-key-change-me")

WORKBENCH = WORKBENCH | {"DEMO_SETUP": env.bool("WORKBENCH_DEMO_SETUP", default=True)}
