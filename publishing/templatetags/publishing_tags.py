import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# The characters that could end a <script> element or start markup, written as JSON escapes
# (what django.utils.html.json_script does; json_script cannot set type="application/ld+json").
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def jsonld_script(value) -> str:
    """A JSON-LD data block, safe to embed whatever its strings contain (`</script>` included)."""
    data = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(data))


@register.filter
def http_url(value) -> str:
    """The URL if it is http(s), else "" (a javascript: or data: URL from an import is never linked)."""
    value = (value or "").strip()
    return value if value.lower().startswith(("http://", "https://")) else ""
