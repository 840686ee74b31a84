from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import status, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from ..concurrency import with_etag
from ..exceptions import exception_handler
from ..pagination import WorkbenchPagination
from ..parsers import SafeJSONParser
from ..permissions import HasCapability

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="The ETag you read. Stale → 412. Without it, send `version` in the body (stale → 409).",
)
ERRORS = {
    400: OpenApiResponse(description="Invalid input; `detail` says what, `field` names the field."),
    403: OpenApiResponse(description="Your role (or this object) does not allow it."),
    404: OpenApiResponse(description="No such object."),
}
VERSIONED_ERRORS = {
    **ERRORS,
    409: OpenApiResponse(description="Stale `version`: changed by someone else meanwhile; nothing was changed."),
    412: OpenApiResponse(description="Stale If-Match; nothing was changed."),
    428: OpenApiResponse(description="Neither If-Match nor version was sent."),
}


class WorkbenchMixin:
    permission_classes = [HasCapability]
    parser_classes = [SafeJSONParser, FormParser, MultiPartParser]
    capabilities: dict[str, str] = {}

    def get_exception_handler(self):
        return exception_handler


class WorkbenchViewSet(WorkbenchMixin, viewsets.GenericViewSet):
    pagination_class = WorkbenchPagination
    lookup_value_regex = "[0-9]+"  # ids are integers: anything else is a 404 from the URL resolver

    def respond(self, obj, serializer_class=None, *, code=status.HTTP_200_OK, etag: bool = False, headers=None):
        serializer_class = serializer_class or self.get_serializer_class()
        response = Response(
            serializer_class(obj, context=self.get_serializer_context()).data, status=code, headers=headers
        )
        return with_etag(response, obj) if etag else response

    def input(self, serializer_class, data=None) -> dict:
        serializer = serializer_class(
            data=self.request.data if data is None else data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class WorkbenchAPIView(WorkbenchMixin, APIView):
    pass
