"""The objects of one JSON array, decoded one at a time from a file of any size.

`jfr print --json` writes {"recording": {"events": [ {...}, {...}, ... ]}}: a recording of an
hour is gigabytes of small objects. json.load would hold them all; this reads the file in
chunks, finds the array after the given key, and decodes each object with the standard
decoder's raw_decode as soon as its closing brace has arrived. Memory stays at one chunk plus
the largest object.
"""

from __future__ import annotations

import json
from typing import IO, Iterator

from analyzer.evidence.errors import EvidenceError

CHUNK = 1 << 20
MAX_ITEM = 64 << 20         # one event larger than this is not a profile event
NEAR_END = 1 << 16          # an error this close to the end of the buffer may be a cut, not a fault


def iter_array(stream: IO[str], key: str) -> Iterator[dict]:
    reader = _Buffer(stream)
    reader.seek_array(key)
    decoder = json.JSONDecoder()
    while True:
        char = reader.next_significant()
        if char == "]":
            return
        if char == ",":
            reader.pos += 1
            char = reader.next_significant()
        if char != "{":
            raise EvidenceError(f"malformed JSON near character {reader.offset}: expected an object in {key!r}")
        yield reader.decode(decoder)


class _Buffer:
    __slots__ = ("stream", "text", "pos", "consumed", "eof")

    def __init__(self, stream: IO[str]) -> None:
        self.stream, self.text, self.pos, self.consumed, self.eof = stream, "", 0, 0, False

    @property
    def offset(self) -> int:
        return self.consumed + self.pos

    def more(self, size: int = CHUNK) -> bool:
        if self.eof:
            return False
        chunk = self.stream.read(size)
        if not chunk:
            self.eof = True
            return False
        self.consumed += self.pos
        self.text, self.pos = self.text[self.pos:] + chunk, 0
        return True

    def seek_array(self, key: str) -> None:
        marker = f'"{key}"'
        while (found := self.text.find(marker, self.pos)) < 0:
            self.pos = max(self.pos, len(self.text) - len(marker))
            if not self.more():
                raise EvidenceError(f"no {key!r} array in the JSON")
        self.pos = found + len(marker)
        for expected in ":[":
            if self.next_significant() != expected:
                raise EvidenceError(f"malformed JSON near character {self.offset}: {key!r} is not an array")
            self.pos += 1

    def next_significant(self) -> str:
        while True:
            while self.pos < len(self.text) and self.text[self.pos] in " \t\r\n":
                self.pos += 1
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self.more():
                raise EvidenceError(f"the JSON ends at character {self.offset} inside the array (truncated?)")

    def decode(self, decoder: json.JSONDecoder) -> dict:
        size = CHUNK
        while True:
            try:
                item, end = decoder.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as exc:
                if len(self.text) - exc.pos > NEAR_END or len(self.text) - self.pos > MAX_ITEM:
                    raise EvidenceError(f"malformed JSON near character {self.consumed + exc.pos}: {exc.msg}") from None
                if not self.more(size):
                    raise self.failure(exc) from None
                size *= 2
                continue
            self.pos = end
            return item

    def failure(self, exc: json.JSONDecodeError) -> EvidenceError:
        """At the end of the file: a complete document ends with a closing brace."""
        if not self.text.rstrip().endswith("}"):
            return EvidenceError(f"the JSON ends inside an object at character {self.consumed + len(self.text)} "
                                 "(truncated?)")
        return EvidenceError(f"malformed JSON near character {self.consumed + exc.pos}: {exc.msg}")
