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
    """A user's text quoted in a message: repr (so it stays one line), cut short when long."""
    return repr(text) if len(text) <= limit else f"{text[:limit]!r}… ({len(text):,} characters)"
