"""fiw's settings, declared once and read from FIW_* environment variables."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from fiw.errors import FiwError


class SharedDataMissing(FiwError, FileNotFoundError):
    """A file from the shared data folder is missing; the message says which and how to fix."""

    http_status = 503


def _default_database_url() -> str:
    return f"sqlite:///{Path(user_data_dir('fiw', appauthor=False)) / 'fiw.sqlite'}"


class Settings(BaseSettings):
    """Where fiw finds its data and its database. Paths derive from FIW_SHARED unless set."""

    model_config = SettingsConfigDict(env_prefix="FIW_", frozen=True, extra="ignore")

    shared: Path = Field(Path("../shared"), description="folder with the shared data and docs")
    data_dir: Path | None = Field(None, description="official workbooks ($FIW_SHARED/data/fiw)")
    pages_dir: Path | None = Field(
        None, description="country report pages ($FIW_SHARED/data/pages)"
    )
    database_url: str = Field(
        default_factory=_default_database_url,
        description="SQLAlchemy URL of the database (default: a SQLite file in the data dir)",
    )
    test_database_url: str = Field(
        "postgresql://postgres@127.0.0.1:5432/test",
        description="PostgreSQL server the test suite runs its database tests against",
    )
    cache_dir: Path = Field(
        default_factory=lambda: Path(user_data_dir("fiw", appauthor=False)) / "downloads",
        description="where `fiw download` keeps the workbooks it fetched",
    )
    assist_model: Path = Field(
        default_factory=lambda: Path(user_data_dir("fiw", appauthor=False)) / "assist.joblib",
        description="where `fiw assist train` saves the score assistant's model",
    )
    all_data_url: str = Field(
        "https://freedomhouse.org/sites/default/files/2024-02/All_data_FIW_2013-2024.xlsx",
        description="publisher's URL of the indicator-score workbook",
    )
    ratings_url: str = Field(
        "https://freedomhouse.org/sites/default/files/2024-02/"
        "Country_and_Territory_Ratings_and_Statuses_FIW_1973-2024.xlsx",
        description="publisher's URL of the ratings-and-statuses workbook",
    )

    session_hours: float = Field(
        12, gt=0, description="how long a workbench login lasts (hours; 2/3 of it when idle)"
    )
    login_delay: float = Field(
        0.5, ge=0, description="seconds a login waits after the 3rd failure (doubling, max 4 s)"
    )
    login_limit: int = Field(
        10, ge=1, description="failed logins per name or address in 15 minutes before 429"
    )

    @model_validator(mode="after")
    def _derive_paths(self) -> Settings:
        if self.data_dir is None:
            object.__setattr__(self, "data_dir", self.shared / "data" / "fiw")
        if self.pages_dir is None:
            object.__setattr__(self, "pages_dir", self.shared / "data" / "pages")
        return self

    @property
    def fiw_data_dir(self) -> Path:
        assert self.data_dir is not None
        return self.data_dir

    @property
    def fiw_pages_dir(self) -> Path:
        assert self.pages_dir is not None
        return self.pages_dir

    def shared_file(self, *parts: str) -> Path:
        """A file under FIW_SHARED that must exist; a clear error says how to point to it."""
        path = self.shared.joinpath(*parts)
        if not path.exists():
            raise SharedDataMissing(
                f"{path} is missing: fiw reads the shared data from FIW_SHARED "
                f"(now {self.shared.resolve()}); set FIW_SHARED to the folder that holds "
                f"{'/'.join(parts)}"
            )
        return path

    def all_data_workbook(self) -> Path:
        return self._need(self.fiw_data_dir / "All_data_FIW_2013-2024.xlsx", "FIW_DATA_DIR")

    def ratings_workbook(self) -> Path:
        return self._need(
            self.fiw_data_dir / "Country_and_Territory_Ratings_and_Statuses_FIW_1973-2024.xlsx",
            "FIW_DATA_DIR",
        )

    @staticmethod
    def _need(path: Path, variable: str) -> Path:
        if not path.exists():
            raise SharedDataMissing(
                f"{path} is missing: set {variable} (or FIW_SHARED) to the folder that holds it"
            )
        return path


def get_settings() -> Settings:
    """Settings read from the environment now (a new object each call: nothing global)."""
    return Settings()
