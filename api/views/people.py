"""People (speakers with their aliases): list and search by any alias, detail; editors rename,
add and remove aliases and merge one person into another — each a call of factcheck.services.people."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from factcheck.models import PersonAlias
from factcheck.selectors import people_with_aliases
from factcheck.services import people as people_services

from .. import serializers as s
from ..concurrency import expected_version
from ..filters import PersonFilter
from .base import IF_MATCH, VERSIONED_ERRORS, WorkbenchViewSet


@extend_schema_view(
    list=extend_schema(summary="List people (q= any alias, kind=person|anonymous); merged ones are left out"),
    retrieve=extend_schema(summary="A person with their aliases (a merged one names `merged_into`)"),
)
class PersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, WorkbenchViewSet):
    serializer_class = s.PersonSerializer
    filterset_class = PersonFilter
    ordering_fields = ["name", "id", "created_at"]
    ordering = ["name", "id"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    capabilities = {action: "claim.curate" for action in ("partial_update", "alias_add", "alias_remove", "merge")}

    def get_queryset(self):
        return (
            people_with_aliases().filter(merged_into__isnull=True) if self.action == "list" else people_with_aliases()
        )

    def retrieve(self, request, pk=None):
        return self.respond(self.get_object(), etag=True)

    def _fresh(self, person):
        return self.respond(people_with_aliases().get(pk=person.pk), etag=True)

    @extend_schema(
        summary="Rename a person or change their description (the old name stays an alias)",
        request=s.PersonUpdateSerializer,
        parameters=[IF_MATCH],
        responses={200: s.PersonSerializer, **VERSIONED_ERRORS},
    )
    def partial_update(self, request, pk=None):
        person = self.get_object()
        data = self.input(s.PersonUpdateSerializer)
        data.pop("version", None)
        people_services.person_update(person=person, by=request.user, version=expected_version(request, person), **data)
        return self._fresh(person)

    @extend_schema(
        summary="Add an alias (a named alias another person holds is refused: merge them)",
        request=s.PersonAliasAddSerializer,
        parameters=[IF_MATCH],
        responses={201: s.PersonSerializer, **VERSIONED_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="aliases")
    def alias_add(self, request, pk=None):
        person = self.get_object()
        data = self.input(s.PersonAliasAddSerializer)
        people_services.person_alias_add(
            person=person, alias=data["alias"], by=request.user, version=expected_version(request, person)
        )
        response = self._fresh(person)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(
        summary="Remove an alias (not the person's own name)",
        request=s.VersionSerializer,
        parameters=[IF_MATCH],
        responses={200: s.PersonSerializer, **VERSIONED_ERRORS},
    )
    @action(detail=True, methods=["delete"], url_path=r"aliases/(?P<alias_id>[0-9]+)")
    def alias_remove(self, request, pk=None, alias_id=None):
        person = self.get_object()
        alias = get_object_or_404(PersonAlias, pk=alias_id, person=person)
        self.input(s.VersionSerializer)
        people_services.person_alias_remove(
            person=person, alias=alias, by=request.user, version=expected_version(request, person)
        )
        return self._fresh(person)

    @extend_schema(
        summary="Merge this person into another (`into`): every mention and alias moves there",
        description="Send this person's version (If-Match or `version`) and, optionally, "
        "`into_version`. The merged person stays, with `merged_into` set.",
        request=s.PersonMergeSerializer,
        parameters=[IF_MATCH],
        responses={
            200: s.PersonMergeResultSerializer,
            409: OpenApiResponse(description="One of the two changed meanwhile; nothing merged."),
            **VERSIONED_ERRORS,
        },
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        person = self.get_object()
        data = self.input(s.PersonMergeSerializer)
        result = people_services.person_merge(
            source=person,
            target=data["into"],
            by=request.user,
            source_version=expected_version(request, person),
            target_version=data.get("into_version"),
        )
        return Response(result)
