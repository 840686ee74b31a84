from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from core.admin import URL_FIELDS_ASSUME_HTTPS
from core.errors import InvalidInput

from .models import Webhook, WebhookDelivery
from .services import webhook_url_check


class WebhookAdminForm(forms.ModelForm):
    url = forms.URLField(max_length=2000, assume_scheme="https")

    class Meta:
        model = Webhook
        fields = "__all__"

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            webhook_url_check(url=url)  # the same rules as the API: no internal or metadata targets
        except InvalidInput as exc:
            raise ValidationError(str(exc)) from None
        return url


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    form = WebhookAdminForm
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    list_display = ["__str__", "url", "events", "is_active", "owner", "created_at"]
    list_filter = ["is_active"]
    raw_id_fields = ["owner"]
    # The signing secret is shown once, to the integration that registers the webhook (API); the
    # admin never shows it.
    exclude = ["secret"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["event", "webhook", "status", "attempts", "response_status", "created_at", "delivered_at"]
    list_filter = ["status", "event"]
    list_select_related = ["webhook"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
