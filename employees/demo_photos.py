"""Demo profile photos (issue 13): a generated portrait (a head and shoulders on a coloured
background, drawn with Pillow) for a few people, so the org chart and colleague directory show
both photos and the initials avatar that everyone else gets. Uploaded through the photo
service, like a real one. Idempotent: people who have a photo keep it."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from accounts.demo import DemoContext
from employees.models import Employee, ProfilePhoto
from employees.services.photos import photo_upload

HR_ADMIN = "hr.admin@demo.hrops.test"
PEOPLE = 14
BACKGROUNDS = ["#c7d7fe", "#fde2c7", "#c9f0dc", "#f6d0e0", "#dcd3fb", "#fbe9a9"]
SKIN = ["#8d5524", "#c68642", "#e0ac69", "#f1c27d", "#ffdbac"]
CLOTHES = ["#2457d6", "#1f7a4d", "#a15c00", "#5d6776", "#b42318", "#6941c6"]


def portrait(rng) -> bytes:
    """A 256 px PNG: background, shoulders, neck, head."""
    image = Image.new("RGB", (256, 256), rng.choice(BACKGROUNDS))
    draw = ImageDraw.Draw(image)
    skin = rng.choice(SKIN)
    draw.ellipse((38, 170, 218, 330), fill=rng.choice(CLOTHES))
    draw.rectangle((110, 140, 146, 185), fill=skin)
    draw.ellipse((78, 50, 178, 160), fill=skin)
    draw.chord((74, 40, 182, 120), 180, 360, fill=rng.choice(["#2b1d0e", "#4a3123", "#b1916b",
                                                               "#1c1c1c", "#7a4b2a"]))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def seed(ctx: DemoContext) -> None:
    admin = ctx.users.get(HR_ADMIN)
    if admin is None or ProfilePhoto.objects.exists():
        return
    people = list(Employee.objects.exclude(status=Employee.Status.TERMINATED)
                  .order_by("manager_id", "employee_number")[:PEOPLE])
    for person in people:
        upload = SimpleUploadedFile("portrait.png", portrait(ctx.rng), content_type="image/png")
        photo_upload(acting_user=admin, employee=person, upload=upload)
