"""The one error family a user's mistake raises, so the CLI can print it as a line."""


class MachiplanError(Exception):
    """A problem with the user's input or request, explained in one line.

    ``where`` names the place (file, line, cell or field) when there is one, so
    the message reads ``plan.yaml: goals[2].number: must be an integer``.
    """

    def __init__(self, message: str, *, where: str | None = None) -> None:
        self.message = message
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)


def excerpt(text: str, limit: int = 40) -> str:
    """A user's text quoted in a message: repr (so it stays one line), cut short when long.

    Long is counted as the message shows it: a character repr escapes (a control character, one
    outside Unicode's printable ones: '\\U0002ebe1') counts as its escape, so that a line of
    them cannot make the message ten times ``limit``."""
    shown = text[:limit]
    while len(repr(shown)) > 2 * limit + 2:  # the quotes, and room for a few escapes
        shown = shown[:-1]
    return repr(text) if shown == text else f"{shown!r}… ({len(text):,} characters)"
