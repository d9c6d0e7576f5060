"""What the CSV exports (a path's progress, the dashboard's tables) share."""


def spreadsheet_safe(value: object) -> str:
    """Text a spreadsheet will not run as a formula (a name typed as "=HYPERLINK(...)")."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
