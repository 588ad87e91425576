"""Targets for test_isolation: what a hostile file could make a parser do."""

from __future__ import annotations

from collections.abc import Iterator


def echo(data: bytes, times: str = "1") -> Iterator[bytes]:
    for _ in range(int(times)):
        yield data
    yield b""


def allocate(data: bytes) -> Iterator[bytes]:
    hoard = [bytearray(256 * 2**20) for _ in range(64)]  # 16 GB, a page at a time
    yield bytes(len(hoard))


def spin(data: bytes) -> Iterator[bytes]:
    while True:
        pass
    yield b""


def refuse(data: bytes) -> Iterator[bytes]:
    raise ValueError("第 2 行：金额无效")
    yield b""
