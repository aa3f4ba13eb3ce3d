"""Text typed into a public form, made safe to store."""


def printable_line(value) -> str:
    """One line: control and other unprintable characters dropped (PostgreSQL refuses NUL, and none belongs
    in a name or a city), runs of spaces collapsed to one, trimmed."""
    return " ".join("".join(ch for ch in str(value or "") if ch.isprintable() or ch == " ").split())
