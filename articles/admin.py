from typing import cast

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.utils.html import format_html

from accounts.roles import user_can
from core.admin import URL_FIELDS_ASSUME_HTTPS
from core.errors import ServiceError

from .formats import detect_format
from .models import ImportBatch, Outlet
from .outlets import outlet_create, outlet_get_or_create, outlet_update
from .services import import_batch_create, import_batch_enqueue


class OutletAdminForm(forms.ModelForm):
    homepage = forms.URLField(required=False, assume_scheme="https", max_length=200)
    domains_text = forms.CharField(
        label="Domains", required=False, help_text="Comma-separated, e.g. example.com, example.co.uk"
    )

    class Meta:
        model = Outlet
        fields = ["name", "homepage"]


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    """Editors manage outlets here too; writes go through articles.outlets (the same rules as the
    web UI and the API)."""

    form = OutletAdminForm
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    list_display = ["name", "domain_list", "homepage", "article_count"]
    search_fields = ["name", "domains__domain"]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(article_count=Count("articles")).prefetch_related("domains")

    @admin.display(ordering="article_count")
    def article_count(self, obj):
        return obj.article_count

    @admin.display(description="domains")
    def domain_list(self, obj):
        return ", ".join(d.domain for d in obj.domains.all())

    def has_add_permission(self, request):
        return user_can(request.user, "outlet.manage")

    def has_change_permission(self, request, obj=None):
        return user_can(request.user, "outlet.manage")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None:
            form.base_fields["domains_text"].initial = ", ".join(obj.domains.values_list("domain", flat=True))
        return form

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        domains = [d for d in data.get("domains_text", "").split(",") if d.strip()]
        try:
            if change:
                saved = outlet_update(
                    outlet=obj, by=request.user, name=data["name"], homepage=data.get("homepage", ""), domains=domains
                )
            else:
                saved = outlet_create(
                    by=request.user, name=data["name"], homepage=data.get("homepage", ""), domains=domains
                )
        except ServiceError as exc:  # shown like the web UI shows it
            self.message_user(request, str(exc), messages.ERROR)
            raise _Refused() from exc
        obj.pk = saved.pk

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except _Refused:
            from django.http import HttpResponseRedirect

            return HttpResponseRedirect(request.get_full_path())


class _Refused(Exception):
    pass


class ImportUploadForm(forms.ModelForm):
    new_outlet = forms.CharField(
        label="or a new outlet",
        max_length=200,
        required=False,
        help_text="Created for this import if no outlet above is chosen.",
    )

    class Meta:
        model = ImportBatch
        fields = ["upload", "format", "default_outlet", "new_outlet"]
        labels = {"default_outlet": "Outlet"}
        help_texts = {
            "default_outlet": "For records that name no outlet and whose URL is on no outlet's domain "
            "(a folder of .txt files, say)."
        }

    def clean(self):
        data = super().clean() or {}
        if data.get("default_outlet") and (data.get("new_outlet") or "").strip():
            raise forms.ValidationError("Choose an outlet or name a new one, not both.")
        return data

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "REST API" names batches the API creates; it is not a file format an upload can have.
        cast(forms.ChoiceField, self.fields["format"]).choices = [
            c for c in ImportBatch.Format.choices if c[0] != ImportBatch.Format.API
        ]

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        if not upload:
            raise forms.ValidationError("Choose a file to import.")
        limit = settings.WORKBENCH["IMPORT_MAX_FILE_BYTES"]
        if upload.size > limit:
            raise forms.ValidationError(f"{upload.name} is {upload.size} bytes; the limit is {limit}.")
        if self.data.get("format", "auto") == "auto" and detect_format(upload.name) is None:
            raise forms.ValidationError(f"{upload.name}: unknown format; upload a .zip, .txt, .csv or .jsonl file.")
        return upload


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "source_name",
        "format",
        "status",
        "progress",
        "created_count",
        "duplicate_count",
        "failed_count",
        "created_by",
        "created_at",
    ]
    list_filter = ["status", "format"]
    search_fields = ["source_name"]
    list_select_related = ["created_by"]
    change_form_template = "admin/articles/importbatch/change_form.html"

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ImportUploadForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["upload", "format", "default_outlet", "new_outlet"]
        return [
            "source_name",
            "format",
            "status",
            "created_by",
            "created_at",
            "started_at",
            "finished_at",
            "total",
            "created_count",
            "updated_count",
            "duplicate_count",
            "failed_count",
            "message",
        ]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj) if obj else []

    def has_add_permission(self, request):
        return user_can(request.user, "article.import")

    def has_change_permission(self, request, obj=None):
        return obj is None and self.has_add_permission(request)

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data["upload"]
        outlet = form.cleaned_data.get("default_outlet")
        if not outlet and (form.cleaned_data.get("new_outlet") or "").strip():
            outlet = outlet_get_or_create(name=form.cleaned_data["new_outlet"])
        batch = import_batch_create(
            by=request.user,
            source_name=upload.name,
            format=form.cleaned_data["format"],
            upload=upload,
            default_outlet=outlet,
        )
        obj.pk = batch.pk
        import_batch_enqueue(batch=batch)

    @admin.display(description="progress")
    def progress(self, obj):
        return format_html("{} records, {} done", obj.total, obj.processed)
