from django.core.management.base import BaseCommand, CommandError

from articles.outlets import outlet_get_or_create
from core.errors import ServiceError
from feeds.services import feed_create

from ._system import system_user


class Command(BaseCommand):
    help = "Follow an outlet's RSS or Atom feed: new entries become articles (polled by the beat scheduler)."

    def add_arguments(self, parser):
        parser.add_argument("url")
        parser.add_argument("--outlet", required=True, help="Outlet name (created if missing).")
        parser.add_argument(
            "--interval", type=int, default=None, help="Seconds between polls (default 900, at least 60)."
        )

    def handle(self, *args, url, outlet, interval, **options):
        try:
            feed = feed_create(
                by=system_user(), url=url, outlet=outlet_get_or_create(name=outlet), interval_seconds=interval
            )
        except ServiceError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Feed #{feed.pk} {feed.url} for {feed.outlet.name}, polled every {feed.interval_seconds} s")
