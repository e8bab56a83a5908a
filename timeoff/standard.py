"""The leave types every installation starts with (created by a data migration; HR Admin may
rename, deactivate or add to them)."""

# name, category, unit, has a balance, at most weeks in 12 months
STANDARD_TYPES = [
    ("Holiday", "holiday", "days", True, None),
    ("PTO", "holiday", "hours", True, None),
    ("Sickness", "sick", "days", False, None),
    ("Unpaid leave", "unpaid", "days", False, None),
    ("Maternity leave", "maternity", "days", False, None),
    ("Paternity leave", "paternity", "days", False, None),
    ("Adoption leave", "adoption", "days", False, None),
    ("Shared parental leave", "shared_parental", "days", False, None),
    ("Neonatal care leave", "neonatal_care", "days", False, None),
    ("Parental bereavement leave", "parental_bereavement", "days", False, None),
    ("FMLA leave", "fmla", "days", False, 12),
    ("Bereavement", "bereavement", "days", False, None),
    ("Other", "other", "days", False, None),
]


def standard_types_ensure(model) -> None:
    """Create the missing standard types (`model`: LeaveType, or the migration's historical
    model). Idempotent by name. A historical model whose category column is too short for a
    newer category (0002, before 0003 widened it) leaves that type to the later migration."""
    room = model._meta.get_field("category").max_length
    for name, category, unit, balance, weeks in STANDARD_TYPES:
        if len(category) > room:
            continue
        model.objects.get_or_create(name=name, defaults={
            "category": category, "unit": unit, "tracks_balance": balance,
            "max_weeks_per_12_months": weeks})
