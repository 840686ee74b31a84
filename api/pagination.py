"""Lists are paged by page number (`?page=`, `?page_size=` up to 200), or — for integrations that
sync — by an opaque cursor (`?cursor=`; start with an empty one), which is stable under inserts.
Either way one page costs the same number of queries whatever its size."""

from rest_framework import pagination

MAX_PAGE_SIZE = 200


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


class CursorPagination(pagination.CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = "id"  # ascending: new rows appear at the end of a sync

    def get_ordering(self, request, queryset, view):
        return (self.ordering,)

    def decode_cursor(self, request):
        if not request.query_params.get(self.cursor_query_param):
            return None
        return super().decode_cursor(request)


class WorkbenchPagination(pagination.BasePagination):
    """Page numbers by default; cursor pagination when the request has a `cursor` parameter."""

    def __init__(self):
        self.pages, self.cursors = PageNumberPagination(), CursorPagination()
        self.active = self.pages

    def paginate_queryset(self, queryset, request, view=None):
        self.active = self.cursors if "cursor" in request.query_params else self.pages
        return self.active.paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        return self.active.get_paginated_response(data)

    def get_paginated_response_schema(self, schema):
        response = self.pages.get_paginated_response_schema(schema)
        response["required"] = ["results"]
        response["properties"]["count"]["description"] = "Total (page-number paging only)."
        return response

    def get_schema_operation_parameters(self, view):
        return self.pages.get_schema_operation_parameters(view) + [
            {
                "name": "cursor",
                "required": False,
                "in": "query",
                "schema": {"type": "string"},
                "description": "Cursor paging for syncing (send it empty to start; ordered by id); follow `next`.",
            },
        ]

    def to_html(self):
        return self.active.to_html()

    def get_results(self, data):
        return data["results"]
