"""Feeds in the admin: editors add and change feeds (through feeds.services, with the same URL
checks as the web UI and the API); fetched pages, sources and host state are read-only."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from accounts.roles import user_can
from core.admin import URL_FIELDS_ASSUME_HTTPS
from core.errors import InvalidInput, ServiceError

from . import services
from .models import ArticlePage, ArticleSource, Feed, HostState


class FeedAdminForm(forms.ModelForm):
    url = forms.URLField(max_length=2000, assume_scheme="https")

    class Meta:  # `url` is declared above, not taken from the model (it is read-only once added)
        model = Feed
        fields = ["outlet", "interval_seconds", "is_active"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            services._check_url(url)
        except InvalidInput as exc:
            raise ValidationError(str(exc)) from None
        return url


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    form = FeedAdminForm
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    list_display = [
        "url",
        "outlet",
        "interval_seconds",
        "is_active",
        "last_polled_at",
        "last_status",
        "last_new_entries",
        "last_error",
        "next_poll_at",
    ]
    list_filter = ["is_active", "last_status", "outlet"]
    list_select_related = ["outlet"]
    search_fields = ["url", "title", "outlet__name"]
    actions = ["poll_now"]

    def get_readonly_fields(self, request, obj=None):
        return ["outlet", "url", "title", "last_polled_at", "last_status", "last_error", "next_poll_at"] if obj else []

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["outlet", "url", "interval_seconds", "is_active"]
        return [
            "outlet",
            "url",
            "title",
            "interval_seconds",
            "is_active",
            "last_polled_at",
            "last_status",
            "last_error",
            "next_poll_at",
        ]

    def has_add_permission(self, request):
        return user_can(request.user, "outlet.manage")

    def has_change_permission(self, request, obj=None):
        return user_can(request.user, "outlet.manage")

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            saved = services.feed_update(
                feed=obj, by=request.user, interval_seconds=data["interval_seconds"], is_active=data["is_active"]
            )
        else:
            saved = services.feed_create(
                by=request.user, url=data["url"], outlet=data["outlet"], interval_seconds=data["interval_seconds"]
            )
            if not data["is_active"]:
                services.feed_update(feed=saved, by=request.user, is_active=False)
        obj.pk = saved.pk

    @admin.action(description="Poll now", permissions=["change"])
    def poll_now(self, request, queryset):
        try:
            for feed in queryset:
                services.feed_poll_request(feed=feed, by=request.user)
        except ServiceError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(request, f"{queryset.count()} poll(s) queued.", messages.SUCCESS)


class _ReadOnly(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ArticlePage)
class ArticlePageAdmin(_ReadOnly):
    list_display = ["url", "feed", "status", "attempts", "error", "next_attempt_at", "article", "created_at"]
    list_filter = ["status"]
    list_select_related = ["feed", "article"]
    search_fields = ["url", "error"]
    raw_id_fields = ["article", "feed", "requested_by", "outlet"]


@admin.register(ArticleSource)
class ArticleSourceAdmin(_ReadOnly):
    list_display = ["url", "article", "fetched_at", "last_result", "next_fetch_at"]
    list_select_related = ["article"]
    search_fields = ["url"]
    raw_id_fields = ["article"]


@admin.register(HostState)
class HostStateAdmin(_ReadOnly):
    list_display = ["host", "robots_status", "robots_fetched_at", "next_request_at"]
    search_fields = ["host"]
