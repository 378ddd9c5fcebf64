"""An error the user caused and can fix, carrying an English message id to translate."""

from __future__ import annotations

from core.i18n import Translate


class UserError(ValueError):
    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params

    def translated(self, _: Translate) -> str:
        return _(self.message).format(**self.params)
