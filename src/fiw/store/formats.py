"""The file formats fiw writes a frame in (csv, parquet, xlsx, JSON records), to a path or a
stream: one writer for `fiw export` (`fiw.store.export`) and the long table
(`fiw.store.long_table`). pandas does the encoding (pyarrow for parquet, openpyxl for xlsx)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, cast

if TYPE_CHECKING:
    import pandas as pd


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows as dicts, a missing value as None (null in JSON, never NaN)."""
    rows = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
    return cast(list[dict[str, Any]], rows)


def frame_bytes(frame: pd.DataFrame, fmt: str, sheet: str = "data") -> bytes:
    """The frame as a file: csv (LF line ends), parquet, xlsx (one sheet) or jsonl (one row
    object a line), without the index."""
    if fmt == "csv":
        return frame.to_csv(index=False, lineterminator="\n").encode()
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records(frame)).encode()
    buffer = io.BytesIO()
    if fmt == "parquet":
        frame.to_parquet(buffer, index=False)
    elif fmt == "xlsx":
        frame.to_excel(buffer, index=False, sheet_name=sheet, engine="openpyxl")
    else:
        raise ValueError(f"unknown file format {fmt!r}: expected csv, jsonl, parquet or xlsx")
    return buffer.getvalue()


def deliver(data: bytes, destination: Path | BinaryIO) -> None:
    """Write a file's bytes to a path or an open binary stream (stdout)."""
    if isinstance(destination, Path):
        destination.write_bytes(data)
    else:
        destination.write(data)
