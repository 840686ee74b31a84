"""Webhooks: an integration registers URLs for events and reads its delivery log."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action

from accounts.roles import user_can
from webhooks import services as webhook_services
from webhooks.models import Webhook, WebhookDelivery

from .. import serializers as s
from ..filters import WebhookDeliveryFilter
from .base import ERRORS, WorkbenchViewSet


@extend_schema_view(
    list=extend_schema(summary="Your webhooks (admins: all)"),
    retrieve=extend_schema(summary="A webhook"),
    destroy=extend_schema(summary="Delete a webhook", responses={204: None, **ERRORS}),
)
class WebhookViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, WorkbenchViewSet):
    serializer_class = s.WebhookSerializer
    ordering_fields = ["id", "created_at"]
    ordering = ["id"]
    filterset_class = None
    filterset_fields = ["is_active"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    capabilities = {"read": "webhook.manage", "write": "webhook.manage"}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Webhook.objects.none()
        qs = Webhook.objects.select_related("owner")
        return qs if user_can(self.request.user, "rating.write") else qs.filter(owner=self.request.user)

    @extend_schema(
        summary="Register a webhook",
        request=s.WebhookSerializer,
        description="Deliveries are POSTed as JSON with `X-Workbench-Event`, `X-Workbench-Delivery` and "
        '`X-Workbench-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed '
        "with the secret>`. The secret is shown only in this response.",
        responses={201: s.WebhookCreatedSerializer, **ERRORS},
    )
    def create(self, request):
        data = self.input(s.WebhookSerializer)
        hook = webhook_services.webhook_create(
            url=data["url"], events=data["events"], name=data.get("name", ""), by=request.user
        )
        return self.respond(hook, s.WebhookCreatedSerializer, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a webhook",
        request=s.WebhookSerializer(partial=True),
        responses={200: s.WebhookSerializer, **ERRORS},
    )
    def partial_update(self, request, pk=None):
        hook = self.get_object()
        serializer = s.WebhookSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        webhook_services.webhook_update(webhook=hook, by=request.user, **serializer.validated_data)
        return self.respond(hook)

    def perform_destroy(self, instance):
        webhook_services.webhook_delete(webhook=instance, by=self.request.user)

    @extend_schema(
        summary="Deliveries of this webhook (newest first)",
        responses={200: s.WebhookDeliverySerializer(many=True)},
        filters=False,
    )
    @action(
        detail=True,
        methods=["get"],
        serializer_class=s.WebhookDeliverySerializer,
        filterset_class=WebhookDeliveryFilter,
        ordering_fields=["id", "created_at"],
    )
    def deliveries(self, request, pk=None):
        hook = get_object_or_404(self.get_queryset(), pk=pk)  # not get_object: the filters are the deliveries'
        qs = self.filter_queryset(WebhookDelivery.objects.filter(webhook=hook).order_by("-id"))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.WebhookDeliverySerializer(page, many=True).data)
