from django import template

from groundswell.dashboard import presenters

register = template.Library()


@register.filter
def change_rows(action):
    """``{% for row in action|change_rows %}``: the organizer's pending changes, before → after."""
    return presenters.change_rows(action)
