from django import template

from matching.selectors import group_differences

register = template.Library()


@register.simple_tag
def claim_group_differences(group):
    """{% claim_group_differences group as diff %}: each outlet's version with differences marked."""
    return group_differences(group)
