"""Names for bank files that accept ASCII only (NACHA) or the SEPA Latin subset (pain.001)."""

from unidecode import unidecode


def transliterate(value: str) -> str:
    """ASCII transliteration with Unidecode ("Éamonn Ó Briain" -> "Eamonn O Briain",
    "Jürgen Weiß" -> "Jurgen Weiss"). Characters it cannot transliterate are dropped by
    Unidecode ("ignore" errors), so the caller pads or spaces them as its format wants."""
    return unidecode(value, errors="ignore")
