from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.models import Article
from feeds.models import ArticleSource
from feeds.services import article_refetch, articles_refetch_enqueue


class Command(BaseCommand):
    help = (
        "Fetch known articles again from their pages; a changed text becomes a new revision (claims re-anchored, "
        "extraction queued, article.revised sent). Queued for the workers, or in this process with --sync."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sync", action="store_true")
        parser.add_argument(
            "--article",
            type=int,
            action="append",
            help="Only this article id (repeatable); an article with a URL but no source yet is fetched from its URL.",
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, sync, article, no_progress, verbosity, **options):
        if article:
            missing = set(article) - set(Article.objects.filter(pk__in=article).values_list("id", flat=True))
            if missing:
                raise CommandError(f"No article with id {', '.join(map(str, sorted(missing)))}")
            ids = list(article)
        else:
            ids = list(ArticleSource.objects.values_list("article_id", flat=True))
        if not sync:
            queued = articles_refetch_enqueue(article_ids=ids)
            self.stdout.write(f"Queued {queued} article(s) to fetch again ({len(ids) - queued} without a URL).")
            return
        revised = 0
        for pk in tqdm(
            ids, desc="Re-fetching", unit=" articles", disable=no_progress or verbosity == 0, file=self.stderr._out
        ):
            result = article_refetch(article_id=pk, force=True) or "being fetched by a worker"
            revised += result.startswith("revised")
            if verbosity > 1 or not result.startswith(("unchanged", "revised")):
                self.stdout.write(f"article {pk}: {result}")
        self.stdout.write(f"{len(ids)} article(s) fetched again, {revised} revised.")
