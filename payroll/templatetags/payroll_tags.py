from django import template

from payroll.reasons import reason_label as _reason_label

register = template.Library()


@register.filter
def reason_label(code: str) -> str:
    return _reason_label(code)
