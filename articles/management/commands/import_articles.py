from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.outlets import outlet_get_or_create
from articles.services import articles_import_paths


class Command(BaseCommand):
    help = (
        "Import articles from files and folders: .txt (first line headline; the file name is the external id), "
        ".csv and .jsonl (columns/fields headline, body, url, external_id, outlet, byline, published_at, language) "
        "and .zip archives of those. Duplicates (same URL, external id or text) are reported, not imported twice. "
        "Exits with status 1 if any record failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files or folders.")
        parser.add_argument("--format", choices=["auto", "txt", "csv", "jsonl", "zip"], default="auto")
        parser.add_argument(
            "--outlet",
            help="Outlet for records that name none and whose URL is on no outlet's domain (created if missing).",
        )
        parser.add_argument("--update", action="store_true", help="Replace the text of existing articles that changed.")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, paths, format, outlet, update, no_progress, verbosity, **options):
        outlet_obj = outlet_get_or_create(name=outlet) if outlet else None
        bar = tqdm(desc="Importing", unit=" records", disable=no_progress or verbosity == 0, file=self.stderr._out)

        def progress(batch):
            bar.update(batch.total - bar.n)
            bar.set_postfix(created=batch.created_count, duplicates=batch.duplicate_count, failed=batch.failed_count)

        batch = articles_import_paths(
            paths=paths,
            fmt=None if format == "auto" else format,
            outlet=outlet_obj,
            update_existing=update,
            progress=progress,
        )
        bar.close()
        for err in batch.errors:
            where = err["file"] + (f", row {err['row']}" if err["row"] else "")
            self.stderr.write(f"error: {where}: {err['field']}: {err['message']}")
        if batch.failed_count > len(batch.errors):
            self.stderr.write(f"... and {batch.failed_count - len(batch.errors)} more errors (not stored)")
        self.stdout.write(
            f"Import #{batch.pk}: {batch.created_count} created, {batch.updated_count} updated, "
            f"{batch.duplicate_count} duplicates, {batch.failed_count} failed"
        )
        if batch.message:
            raise CommandError(batch.message)
        if batch.failed_count:
            raise CommandError(f"{batch.failed_count} record(s) failed", returncode=1)
