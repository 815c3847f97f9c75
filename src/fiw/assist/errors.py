"""The assistant's errors: each names what is wrong and the command that fixes it."""

from __future__ import annotations

from pathlib import Path

from fiw.errors import FiwError

TRAIN = "fiw assist train"


class AssistError(FiwError):
    """Something the assistant cannot do with the model or data it has."""


class ModelMissing(AssistError):
    """No trained model at the model path."""

    http_status = 409  # the server's state (no model yet), not the request, is at fault

    def __init__(self, path: Path) -> None:
        self.where = str(path)
        self.fix = f"run `{TRAIN}` first (it trains on the store's reports and saves the model)"
        super().__init__(f"no assistant model at {path}: {self.fix}")


class ModelStale(AssistError):
    """A saved model this version of fiw cannot use (other format or library versions)."""

    http_status = 409

    def __init__(self, path: Path, reason: str) -> None:
        self.where = str(path)
        self.fix = f"run `{TRAIN}` again to retrain it"
        super().__init__(f"the assistant model at {path} is stale ({reason}): {self.fix}")


class TrainedOnEdition(AssistError):
    """The model was trained on the edition asked about: its judgement would not be fair."""

    http_status = 409

    def __init__(self, edition: int, until: int) -> None:
        self.where = f"edition {edition}"
        self.fix = f"run `{TRAIN} --until {edition}` to train on the editions before it"
        super().__init__(
            f"the assistant model was trained on editions before {until}, which include "
            f"{edition}: {self.fix}"
        )


class NoReports(AssistError):
    """The store holds no country reports of the edition asked for."""

    http_status = 404

    def __init__(self, edition: int) -> None:
        self.where = f"edition {edition}"
        self.fix = "import its report pages (`fiw import PAGES_DIR`)"
        super().__init__(f"the store holds no country reports of edition {edition}: {self.fix}")


class NotEnoughData(AssistError):
    """Too few reports to train on."""

    def __init__(self, what: str) -> None:
        self.where = "the store's reports"
        self.fix = "import the report pages first (`fiw import PAGES_DIR`)"
        super().__init__(f"not enough data to train the assistant: {what}; {self.fix}")
