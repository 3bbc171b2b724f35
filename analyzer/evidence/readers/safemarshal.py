"""A reader of Python's marshal format restricted to the types a pstats file holds.

cProfile and pstats save their statistics with marshal.dump: a dict keyed by
(file, line, function) tuples whose values are (calls, primitive calls, own time, cumulative
time, callers dict). marshal.loads would accept far more from a file that came from another
machine (code objects among them, and it was never hardened against malformed input), so this
reader decodes dict, tuple, str, int and float, follows back-references, checks every length
against the bytes left, bounds the nesting, and refuses anything else with a one-line reason.

The format (CPython Python/marshal.c, version 2 to 4): one type byte, whose high bit (0x80)
asks the loader to remember the object for later back-references ('r' + 4-byte index), then
the payload: 'i' int32, 'l' arbitrary int in 15-bit digits, 'g' binary double, 'f' text
double, 'u'/'t'/'a'/'A' str with a 4-byte length, 'z'/'Z' str with a 1-byte length, '(' tuple
with a 4-byte count, ')' tuple with a 1-byte count, '{' dict of key/value pairs ended by '0'.
"""

from __future__ import annotations

import struct

from analyzer.evidence.errors import EvidenceError

FLAG_REF = 0x80
MAX_DEPTH = 8           # pstats nests dict > tuple > dict > tuple > tuple; 8 leaves room
MAX_LONG_DIGITS = 64    # 960 bits: no pstats count or time comes near

_INT32 = struct.Struct("<i")
_DOUBLE = struct.Struct("<d")
_STR_CODES = {"u": "utf-8", "t": "utf-8", "a": "ascii", "A": "ascii"}
_SHORT_STR_CODES = {"z", "Z"}


class MarshalError(EvidenceError):
    """The bytes are not a marshal stream of the allowed types."""


def loads(data: bytes) -> object:
    reader = _Reader(data)
    value = reader.read(0)
    if reader.pos != len(data):
        raise MarshalError(f"{len(data) - reader.pos} bytes of unexpected data after the statistics")
    return value


class _Reader:
    __slots__ = ("data", "pos", "refs")

    def __init__(self, data: bytes) -> None:
        self.data, self.pos, self.refs = data, 0, []

    def take(self, count: int) -> bytes:
        if count < 0 or self.pos + count > len(self.data):
            raise MarshalError(f"truncated: needs {count} bytes at offset {self.pos}, "
                               f"{len(self.data) - self.pos} left")
        chunk = self.data[self.pos:self.pos + count]
        self.pos += count
        return chunk

    def int32(self) -> int:
        return _INT32.unpack(self.take(4))[0]

    def read(self, depth: int) -> object:
        if depth > MAX_DEPTH:
            raise MarshalError(f"nested deeper than {MAX_DEPTH} levels at offset {self.pos}")
        code_byte = self.take(1)[0]
        flag, code = code_byte & FLAG_REF, chr(code_byte & ~FLAG_REF)
        if code == "r":
            return self.back_reference()
        if code in "(){":
            return self.container(code, bool(flag), depth)
        value = self.scalar(code)
        if flag:
            self.refs.append(value)
        return value

    def back_reference(self) -> object:
        index = self.int32()
        if not 0 <= index < len(self.refs) or self.refs[index] is None:
            raise MarshalError(f"bad back-reference {index} at offset {self.pos}")
        return self.refs[index]

    def scalar(self, code: str) -> object:
        if code == "i":
            return self.int32()
        if code == "l":
            return self.long()
        if code == "g":
            return _DOUBLE.unpack(self.take(8))[0]
        if code == "f":
            return self.text_float()
        if code in _STR_CODES:
            return self.text(self.int32(), _STR_CODES[code])
        if code in _SHORT_STR_CODES:
            return self.text(self.take(1)[0], "ascii")
        raise MarshalError(f"type {code!r} at offset {self.pos - 1} is not allowed in a statistics file"
                           + (" (code objects are refused)" if code == "c" else ""))

    def long(self) -> int:
        count = self.int32()
        if abs(count) > MAX_LONG_DIGITS:
            raise MarshalError(f"integer of {abs(count)} digits at offset {self.pos}")
        value = 0
        for shift, digit in enumerate(struct.unpack(f"<{abs(count)}H", self.take(2 * abs(count)))):
            if digit >= 1 << 15:
                raise MarshalError(f"bad integer digit at offset {self.pos}")
            value |= digit << (15 * shift)
        return -value if count < 0 else value

    def text_float(self) -> float:
        raw = self.take(self.take(1)[0])
        try:
            return float(raw.decode("ascii"))
        except (UnicodeDecodeError, ValueError):
            raise MarshalError(f"bad float text at offset {self.pos}") from None

    def text(self, length: int, encoding: str) -> str:
        try:
            return self.take(length).decode(encoding)
        except UnicodeDecodeError:
            raise MarshalError(f"bad {encoding} text at offset {self.pos}") from None

    def container(self, code: str, remember: bool, depth: int) -> object:
        if code == "{":
            return self.dict(remember, depth)
        count = self.int32() if code == "(" else self.take(1)[0]
        if count < 0 or count > len(self.data) - self.pos:
            raise MarshalError(f"tuple of {count} items at offset {self.pos} exceeds the file")
        slot = len(self.refs)
        if remember:
            self.refs.append(None)      # reserved: marshal numbers a tuple before its items
        value = tuple(self.read(depth + 1) for _ in range(count))
        if remember:
            self.refs[slot] = value
        return value

    def dict(self, remember: bool, depth: int) -> dict:
        value: dict = {}
        if remember:
            self.refs.append(value)
        while True:
            if self.pos < len(self.data) and self.data[self.pos] == ord("0"):
                self.pos += 1
                return value
            key = self.read(depth + 1)
            try:
                value[key] = self.read(depth + 1)
            except TypeError:
                raise MarshalError(f"an unhashable key before offset {self.pos}") from None
