from django.core.management.base import BaseCommand
from tqdm import tqdm

from feeds.models import ArticlePage, Feed
from feeds.services import article_page_fetch, feed_poll
from feeds.tasks import feed_poll_task


class Command(BaseCommand):
    help = (
        "Poll feeds now: queue a poll of every active feed (workers fetch the new entries), or with --sync poll "
        "them here and fetch their new article pages in this process, with a progress bar."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sync", action="store_true")
        parser.add_argument("--feed", type=int, action="append", help="Only this feed id (repeatable).")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, sync, feed, no_progress, verbosity, **options):
        feeds = Feed.objects.filter(is_active=True).select_related("outlet")
        if feed:
            feeds = feeds.filter(pk__in=feed)
        if not sync:
            for f in feeds:
                feed_poll_task.delay(f.pk)
            self.stdout.write(f"Queued {len(feeds)} feed poll(s).")
            return
        pages = []
        for f in feeds:
            polled, new_ids = feed_poll(feed_id=f.pk, force=True) or (f, [])
            pages += new_ids
            polled.refresh_from_db()
            line = f"{polled.outlet.name}: {polled.url}: {polled.get_last_status_display()}, {len(new_ids)} new"
            self.stdout.write(line + (f" ({polled.last_error})" if polled.last_error else ""))
        # new pages, and earlier ones whose retry is due
        pages += [
            pk
            for pk in ArticlePage.objects.filter(feed__in=feeds, status=ArticlePage.Status.PENDING).values_list(
                "id", flat=True
            )
            if pk not in pages
        ]
        counts: dict[str, int] = {}
        for pk in tqdm(
            pages, desc="Fetching pages", unit=" pages", disable=no_progress or verbosity == 0, file=self.stderr._out
        ):
            page = article_page_fetch(page_id=pk)
            if page is not None:
                counts[page.status] = counts.get(page.status, 0) + 1
                if page.error:
                    self.stderr.write(f"{page.url}: {page.error}")
        self.stdout.write("Pages: " + (", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "none"))
