"""The raw layout of an arrow text array, for code that reads its bytes with NumPy, and the
arrow text of a table's text column however it is stored."""
from __future__ import annotations

from typing import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def column_text(values: pd.Series) -> pa.ChunkedArray:
    """A text column as arrow text. A coded column (a foreign key, a label: categories and a
    code per row) is spelt by arrow's take of its categories, never by converting row by row."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        return pa.chunked_array([category_text(values.cat.categories).take(pa.array(codes, mask=codes < 0))])
    if not isinstance(values.array, pd.arrays.ArrowStringArray):
        values = values.astype("string[pyarrow]")
    return stored_text(values)


def stored_text(values: pd.Series) -> pa.ChunkedArray:
    """The arrow text behind an arrow-backed text column, as it is held (not copied)."""
    array = pa.array(values.array)
    return array if isinstance(array, pa.ChunkedArray) else pa.chunked_array([array])


def category_text(categories: pd.Index) -> pa.Array:
    """The categories of a coded column as arrow text (zero-copy when they are arrow text already)."""
    if isinstance(categories.array, pd.arrays.ArrowStringArray):
        text = pa.array(categories.array)
        return text.combine_chunks() if isinstance(text, pa.ChunkedArray) else text
    return pa.array([str(c) for c in categories], pa.large_string())


def text_buffers(text: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Each cell's offsets into the bytes (len + 1 of them, as int64) and the bytes themselves."""
    buffers = text.buffers()
    wide = pa.types.is_large_string(text.type)
    if buffers[1] is None:
        offsets = np.zeros(len(text) + 1, dtype=np.int64)
    else:
        offsets = np.frombuffer(buffers[1], dtype=np.int64 if wide else np.int32)[text.offset:text.offset + len(text) + 1]
    data = np.frombuffer(buffers[2], dtype=np.uint8) if buffers[2] is not None else np.zeros(0, dtype=np.uint8)
    return offsets.astype(np.int64), data


def cell_widths(text: pa.Array) -> np.ndarray:
    """Each cell's length in bytes, read from the offsets as they are stored (not widened first)."""
    offsets = text.buffers()[1]
    if offsets is None:
        return np.zeros(len(text), dtype=np.int32)
    dtype = np.int64 if pa.types.is_large_string(text.type) else np.int32
    return np.diff(np.frombuffer(offsets, dtype=dtype)[text.offset:text.offset + len(text) + 1])


def valid_cells(array: pa.Array) -> np.ndarray:
    """True for each cell that is not null, read from the validity bitmap."""
    bitmap = array.buffers()[0]
    if bitmap is None:
        return np.ones(len(array), dtype=bool)
    bits = np.unpackbits(np.frombuffer(bitmap, dtype=np.uint8), bitorder="little")
    return bits[array.offset:array.offset + len(array)].view(bool)


def nulled(text: pa.Array, keep: np.ndarray) -> pa.Array:
    """The array with every cell where keep is False made null (keep must be False where the
    cell is null already), by a new validity bitmap: the text itself is not copied."""
    if text.offset:
        return pc.if_else(pa.array(keep), text, pa.scalar(None, text.type))
    validity = pa.py_buffer(np.packbits(keep, bitorder="little"))
    return pa.Array.from_buffers(text.type, len(text), [validity, *text.buffers()[1:]], offset=0)


def row_blocks(values: pa.ChunkedArray, size: int) -> Iterator[pa.Array]:
    """The values in blocks of about `size` rows, so that the temporaries of work on a column
    stay small and are used again from block to block: large chunks are cut, small ones put
    together."""
    group, rows = [], 0
    for chunk in values.chunks:
        for start in range(0, len(chunk), size):
            group.append(chunk.slice(start, size))
            rows += len(group[-1])
            if rows >= size:
                yield pa.concat_arrays(group) if len(group) > 1 else group[0]
                group, rows = [], 0
    if group:
        yield pa.concat_arrays(group) if len(group) > 1 else group[0]
