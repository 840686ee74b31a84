from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


class CursorPagination(pagination.CursorPagination):
    """For integrations that sync: stable under inserts."""

    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"
