"""The one date and time format of the en-GB interface (issue 13 item 6): "1 Dec 2026" and
"1 Dec 2026, 14:05". Templates write `|date:"DATE_FORMAT"` (or print the value as it is), never
a pattern of their own, so every page shows dates the same way. Form inputs keep ISO dates."""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
