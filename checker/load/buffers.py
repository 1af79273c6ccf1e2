"""The raw layout of an arrow text array, for code that reads its bytes with NumPy."""
from __future__ import annotations

import numpy as np
import pyarrow as pa


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
