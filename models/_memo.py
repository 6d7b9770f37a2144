"""Memos of work repeated across the models of a study, keyed by a digest of the data.

A study fits many models on the same rows (CEM on one sample under several coarsenings, a
selection probit under several outcome equations); the key is the SHA-256 of the arrays read,
so a memo can only return what the same bytes would compute again.
"""
from __future__ import annotations

import hashlib
from collections import OrderedDict

import numpy as np


def digest(*arrays: np.ndarray) -> bytes:
    """SHA-256 of the arrays' dtypes, shapes and bytes (the memo key of the data)."""
    h = hashlib.sha256()
    for a in arrays:
        a = np.ascontiguousarray(a)
        h.update(f"{a.dtype.str}{a.shape}".encode())
        h.update(a)
    return h.digest()


class Memo(OrderedDict):
    """A small least-recently-used memo."""

    def __init__(self, size: int):
        super().__init__()
        self.size = size
        _MEMOS.append(self)

    def get_or(self, key, compute):
        if key in self:
            self.move_to_end(key)
            return self[key]
        value = self[key] = compute()
        if len(self) > self.size:
            self.popitem(last=False)
        return value


_MEMOS: list[Memo] = []  # every memo made, for clear_memos


def clear_memos() -> None:
    """Empty every memo (a benchmark that times the work itself calls this before each repeat)."""
    for memo in _MEMOS:
        memo.clear()


__all__ = ["digest", "Memo", "clear_memos"]
