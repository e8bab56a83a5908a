"""Every email HROps sends: rendered from templates, with a text and an HTML part.

Templates live at `templates/emails/<name>_subject.txt`, `<name>.txt` and `<name>.html`.
"""

from collections.abc import Mapping, Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def render_email(
    name: str, context: Mapping[str, object], *, to: Sequence[str]
) -> EmailMultiAlternatives:
    ctx = {"company_name": settings.COMPANY_NAME, "site_url": settings.SITE_URL, **context}
    subject = render_to_string(f"emails/{name}_subject.txt", ctx).strip().replace("\n", " ")
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"emails/{name}.txt", ctx),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
    )
    message.attach_alternative(render_to_string(f"emails/{name}.html", ctx), "text/html")
    return message


def send_templated_email(name: str, context: Mapping[str, object], *, to: Sequence[str]) -> int:
    return render_email(name, context, to=to).send()
