from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.roles import Role
from accounts.services import roles_ensure, user_create
from articles.services import articles_import_paths
from factcheck.services.ratings import rating_scale_ensure_default

DEMO_USERS = [
    ("admin", "admin-demo-pass", Role.ADMIN),
    ("editor", "editor-demo-pass", Role.EDITOR),
    ("reviewer", "reviewer-demo-pass", Role.REVIEWER),
    ("reviewer2", "reviewer2-demo-pass", Role.REVIEWER),  # a second reviewer, for double review
    ("integration", "integration-demo-pass", Role.INTEGRATION),
]


def served_url(addr: str) -> str:
    """The URL runserver serves for an addrport ("8001", "0.0.0.0:8000", "[::1]:8000", "example.test:80")."""
    host, _, port = addr.rpartition(":")
    if not host:
        host = "127.0.0.1"
    return f"http://{host}:{port}/"


class Command(BaseCommand):
    help = "Demo set-up for a local workbench: roles, demo users, the default rating scale, sample articles. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--no-articles", action="store_true")

    def handle(self, *args, no_articles, **options):
        if not settings.WORKBENCH.get("DEMO_SETUP"):
            raise CommandError(
                "demo_setup creates accounts with published passwords: refused with these settings "
                f"({settings.SETTINGS_MODULE}). It is for a local workbench (workbench.settings.local), "
                "or set WORKBENCH_DEMO_SETUP=1 if you really mean it."
            )
        roles_ensure()
        rating_scale_ensure_default()
        for username, password, role in DEMO_USERS:
            user_create(username=username, password=password, role=role)
        if not no_articles:
            sample = Path(settings.BASE_DIR) / "sample_data"
            batch = articles_import_paths(paths=[str(sample)])
            self.stdout.write(f"Sample articles: {batch.created_count} created, {batch.duplicate_count} already there.")
        self.stdout.write(f"\nDemo logins ({served_url(settings.WORKBENCH['ADDR'])} ; admin site at /admin/):")
        for username, password, role in DEMO_USERS:
            self.stdout.write(f"  {role.value:<12} user {username!r:<14} password {password!r}")
