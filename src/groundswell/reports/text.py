"""Text as the organizer typed it, made safe to store: no control or other invisible characters (PostgreSQL
refuses NUL, and nothing invisible belongs in a caption or a report)."""


def _visible(line: str) -> str:
    # Whitespace of any kind (tab, no-break space) becomes a space; other invisible characters go.
    return "".join(ch if ch.isprintable() else " " if ch.isspace() else "" for ch in line)


def clean_line(value) -> str:
    """One line: invisible characters dropped, each run of whitespace (line breaks too) one space, trimmed."""
    return " ".join(_visible(str(value or "")).split())


def clean_text(value) -> str:
    """A longer text: like ``clean_line`` but its line breaks are kept (as ``\\n``) and the spacing inside a
    line as typed; trimmed at both ends."""
    lines = str(value or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(_visible(line) for line in lines).strip()
