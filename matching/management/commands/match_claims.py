from django.core.management.base import BaseCommand

from articles.models import Article
from matching.services import claims_match


class Command(BaseCommand):
    help = "Link mentions of the same claim across articles (all articles, or the given ids), in this process."

    def add_arguments(self, parser):
        parser.add_argument("article_ids", nargs="*", type=int)
        parser.add_argument("--batch", type=int, default=50)

    def handle(self, *args, article_ids, batch, **options):
        ids = article_ids or list(Article.objects.order_by("id").values_list("id", flat=True))
        linked = suggested = 0
        for i in range(0, len(ids), batch):
            result = claims_match(article_ids=ids[i : i + batch])
            linked += len(result.linked)
            suggested += len(result.suggested)
        self.stdout.write(f"{len(ids)} articles: {linked} mentions linked, {suggested} suggestions for editors")
