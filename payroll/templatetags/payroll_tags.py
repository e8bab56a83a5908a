from django import template

from payroll import reasons

register = template.Library()


@register.filter
def reason_label(code: str) -> str:
    return reasons.reason_label(code)


@register.filter
def flag_label(code: str) -> str:
    return reasons.flag_label(code)
