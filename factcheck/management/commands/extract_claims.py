from django.core.management.base import BaseCommand
from tqdm import tqdm

from articles.models import Article
from factcheck.services.extraction import claims_reextract_all


class Command(BaseCommand):
    help = (
        "(Re-)extract candidate claims for all articles, or those given with --article/--status. "
        "By default the work goes through the Celery queue (watch the articles' extraction status); "
        "--sync extracts in this process and shows a progress bar."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sync", action="store_true", help="Extract in this process instead of queueing.")
        parser.add_argument("--article", type=int, action="append", help="Article id (repeatable).")
        parser.add_argument(
            "--status", choices=[s.value for s in Article.ExtractionStatus], help="Only articles in this state."
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, sync, article, status, no_progress, verbosity, **options):
        qs = Article.objects.all()
        if article:
            qs = qs.filter(id__in=article)
        if status:
            qs = qs.filter(extraction_status=status)
        ids = list(qs.order_by("id").values_list("id", flat=True))
        bar = tqdm(
            total=len(ids),
            desc="Extracting" if sync else "Queueing",
            unit=" articles",
            disable=no_progress or verbosity == 0,
            file=self.stderr._out,
        )
        count = claims_reextract_all(article_ids=ids, sync=sync, progress=bar.update)
        bar.close()
        if sync:
            done = Article.objects.filter(id__in=ids, extraction_status=Article.ExtractionStatus.DONE).count()
            failed = Article.objects.filter(id__in=ids, extraction_status=Article.ExtractionStatus.FAILED).count()
            self.stdout.write(f"{count} articles: {done} extracted, {failed} failed")
            if failed:
                self.stderr.write("failed: see the articles' extraction_error in the admin")
        else:
            self.stdout.write(f"{count} articles queued for extraction")
