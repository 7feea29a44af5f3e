"""Editing the content file for an editor: add an alternate phrasing (`examples:`) to an entry,
or a message that must not be answered (`declines:`), leaving every other byte as it was.

`kubecon-bot suggestions accept` writes through this. The file is hand-edited: its comments,
key order, quoting and hand-wrapped lists are the editors' own, and a diff they review must
show only the line that was added. A round-trip dump would not do that (ruamel.yaml re-wraps
flow lists such as `keywords: [...]`), so ruamel.yaml's round-trip loader is used to *locate*
where a phrase goes (the line and column of every node), the new lines are inserted there, and
the result is parsed again and compared with the old data: it must equal it plus exactly the new
phrase, or nothing is written. Saving refuses a file that changed on disk since it was read,
and a result that does not validate (the caller passes the same check `kubecon-bot check` runs).
"""

from __future__ import annotations

import copy
import difflib
import errno
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import ModuleType
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from bot.core.content import taught_key

fcntl: ModuleType | None
try:
    import fcntl
except ImportError:  # Windows: no flock; saves are not serialised there
    fcntl = None

EXAMPLES, DECLINES = "examples", "declines"
# what flock says on a filesystem that has no locks (some network filesystems)
NO_LOCKS = frozenset({errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS})


class EditError(Exception):
    """The edit cannot be made: unknown entry, a phrase already there, an unexpected shape."""


class ChangedOnDiskError(EditError):
    """The file changed on disk after it was read: someone else edited it; read it again."""


def _yaml() -> YAML:
    return YAML(typ="rt", pure=True)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _plain(node: Any) -> Any:
    """Round-trip nodes as plain dicts and lists, for comparing data."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


class ContentFile:
    """One content file read into memory, edited, shown as a diff, and saved."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.original = _read(path)
        self.text = self.original
        self._digest = _digest(self.original)
        # the file's own line ending, for the lines inserted: a CRLF file stays CRLF
        self.newline = "\r\n" if "\r\n" in self.original else "\n"

    # --- edits ---------------------------------------------------------------------------------

    def add_example(self, entry_id: str, phrase: str) -> None:
        """Add `phrase` to the `examples:` of the entry `entry_id` (creating the list)."""
        phrase = _clean(phrase)
        data = self._load()
        entries = data.get("entries")
        entry = next(
            (e for e in entries or () if isinstance(e, CommentedMap) and e.get("id") == entry_id),
            None,
        )
        if entry is None:
            raise EditError(f"no entry with id {entry_id!r} in {self.path}")
        for other in entries:
            if isinstance(other, CommentedMap) and _has(other.get(EXAMPLES), phrase):
                raise EditError(f"{phrase!r} is already an example of {other.get('id')!r}")
        lines = self.text.splitlines(keepends=True)
        key_col = entry.lc.col
        index = list(entries).index(entry)
        end = _after_kept_lines(lines, entry, _end_of_item(entries, index, data, lines))
        self._insert(lines, entry, EXAMPLES, key_col=key_col, end=end, phrase=phrase)
        self._verify(data, lambda d: _entry(d, entry_id).setdefault(EXAMPLES, []).append(phrase))

    def add_decline(self, phrase: str) -> None:
        """Add `phrase` to the top-level `declines:` list (creating it at the end of the file)."""
        phrase = _clean(phrase)
        data = self._load()
        if _has(data.get(DECLINES), phrase):
            raise EditError(f"{phrase!r} is already listed under declines")
        lines = self.text.splitlines(keepends=True)
        self._insert(lines, data, DECLINES, key_col=0, end=_trim(lines, len(lines)), phrase=phrase)
        self._verify(data, lambda d: d.setdefault(DECLINES, []).append(phrase))

    # --- showing and saving --------------------------------------------------------------------

    @property
    def changed(self) -> bool:
        return self.text != self.original

    def diff(self) -> str:
        """The change as a unified diff. A last line without its newline is marked as `diff`
        marks it: unmarked, what was printed next ran on from it ("# end of entrieswarning:")."""
        lines = difflib.unified_diff(
            self.original.splitlines(keepends=True),
            self.text.splitlines(keepends=True),
            fromfile=f"{self.path} (on disk)",
            tofile=f"{self.path} (accepted)",
        )
        return "".join(
            line if line.endswith(("\n", "\r")) else f"{line}\n\\ No newline at end of file\n"
            for line in lines
        )

    def save(self, validate: Callable[[str, str], object]) -> str | None:
        """Write the edited text in place, atomically: refused (ChangedOnDiskError) when the file
        changed since it was read; `validate(text, path)` raises for an invalid result (the
        check `kubecon-bot check` runs), and then nothing is written. A file or folder this
        user cannot write is an EditError saying which, nothing written.

        The file keeps its mode, owner and group: it is replaced by a new file, which would
        otherwise belong to whoever ran the save, and a bot that reads the file through its
        group could no longer read it. Returns a warning when the owner or group could not be
        kept (only root may give a file away), else None."""
        if not self.changed:
            return None
        # a symlink's target is edited: replacing the link with a file would leave the bot
        # serving the target and the editors' later edits going to it
        target = self.path.resolve()
        with _saving(target):
            if _digest(_read(self.path)) != self._digest:
                raise ChangedOnDiskError(
                    f"{self.path} changed on disk since it was read: run again"
                )
            validate(self.text, str(self.path))
            was = target.stat()
            try:
                fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
            except OSError as err:
                raise EditError(
                    f"cannot write {self.path}: its folder {target.parent} is not writable "
                    f"({err.strerror}); the file is replaced as a whole, so the folder must "
                    "be writable too. Nothing written"
                ) from None
            try:
                with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
                    out.write(self.text)
                os.chmod(tmp, was.st_mode & 0o777)
                warning = _keep_owner(tmp, was)
                os.replace(tmp, target)  # a running bot's reloader sees one complete file
            except OSError as err:
                Path(tmp).unlink(missing_ok=True)
                raise EditError(
                    f"cannot write {self.path}: {err.strerror}. Nothing written"
                ) from None
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        self.original, self._digest = self.text, _digest(self.text)
        return None if warning is None else f"{self.path}: {warning}"

    # --- internals -----------------------------------------------------------------------------

    def _load(self) -> CommentedMap:
        data = _yaml().load(self.text)
        if not isinstance(data, CommentedMap):
            raise EditError(f"{self.path}: not a content file (a mapping at the top expected)")
        return data

    def _insert(
        self,
        lines: list[str],
        mapping: CommentedMap,
        key: str,
        *,
        key_col: int,
        end: int,
        phrase: str,
    ) -> None:
        """Insert `- phrase` into `mapping[key]` (a block list), or a new `key:` block before
        line `end` (0-based) of the mapping's span."""
        nl = self.newline
        item = " " * (key_col + 2) + "- " + json.dumps(phrase, ensure_ascii=False) + nl
        current = mapping.get(key)
        if current is None:
            new = [" " * key_col + f"{key}:{nl}", item]
            if key_col == 0:  # a new top-level section: set apart like the others
                new.insert(0, nl)
            at = end
        elif isinstance(current, CommentedSeq) and not current.fa.flow_style() and current:
            line, col = current.lc.item(len(current) - 1)
            item = " " * (col - 2 if lines[line][col - 2 : col] == "- " else col) + item.lstrip()
            new = [item]
            at = _after_scalar(lines, line, end)
        else:
            line = mapping.lc.key(key)[0] + 1  # where the editor must look
            raise EditError(
                f"{self.path}:{line}: `{key}` must be a block list (one `- item` per line) "
                "for a phrasing to be added to it; nothing written"
            )
        if at > 0 and not lines[at - 1].endswith("\n"):
            lines[at - 1] += nl
        lines[at:at] = new
        self.text = "".join(lines)

    def _verify(self, before: CommentedMap, apply: Callable[[Any], None]) -> None:
        """The edited text must parse to the old data plus exactly this change."""
        expected = copy.deepcopy(_plain(before))
        apply(expected)
        try:
            got = _plain(_yaml().load(self.text))
        except Exception as err:  # a bug here must never reach the file
            raise EditError(f"{self.path}: the edit would break the YAML ({err})") from None
        if got != expected:
            raise EditError(
                f"{self.path}: the edit did not land where expected; file unchanged (an "
                "unusual layout around that entry: add the phrasing by hand, then run "
                "`kubecon-bot check`)"
            )


def _read(path: Path) -> str:
    """The file's text with its line endings as they are (no newline translation)."""
    with path.open(encoding="utf-8", newline="") as f:
        return f.read()


def _clean(phrase: str) -> str:
    phrase = " ".join(phrase.split())
    if not phrase:
        raise EditError("an empty phrase cannot be added")
    return phrase


def _has(values: Any, phrase: str) -> bool:
    key = taught_key(phrase)
    return isinstance(values, list) and any(taught_key(str(v)) == key for v in values)


def _entry(data: dict[str, Any], entry_id: str) -> dict[str, Any]:
    return next(e for e in data["entries"] if e.get("id") == entry_id)


def _end_of_item(seq: CommentedSeq, index: int, data: CommentedMap, lines: list[str]) -> int:
    """The line (0-based, exclusive) where item `index` of `seq` ends: where the next item
    starts, or the next top-level key, less trailing blank and comment lines (a comment above
    the next item belongs to it)."""
    if index + 1 < len(seq):
        nxt = seq.lc.item(index + 1)[0]
    else:
        keys = list(data)
        after = [data.lc.key(k)[0] for k in keys[keys.index("entries") + 1 :]]
        nxt = min(after) if after else len(lines)
    return _trim(lines, nxt)


def _trim(lines: list[str], end: int) -> int:
    while end > 0 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return end


# a block scalar that keeps its trailing newlines: `|+`, `>+`, with or without an indentation
_KEEP = re.compile(r":[ \t]+[|>](?:[1-9]?\+|\+[1-9])(?:[ \t]|$)")


def _after_kept_lines(lines: list[str], entry: CommentedMap, end: int) -> int:
    """`end`, or past the blank lines after it when the entry's last value is a block scalar
    with keep chomping (`answer: |+`): those lines are the scalar's own, and an `examples:`
    inserted before them would take them from it."""
    last = list(entry)[-1]
    if not _KEEP.search(lines[entry.lc.key(last)[0]].rstrip("\r\n")):
        return end
    while end < len(lines) and not lines[end].strip():
        end += 1
    return end


def _after_scalar(lines: list[str], line: int, limit: int) -> int:
    """The line after the list item starting at `line`: its continuation lines (deeper
    indented than the dash) belong to it."""
    indent = len(lines[line]) - len(lines[line].lstrip())
    at = line + 1
    while at < limit and lines[at].strip() and len(lines[at]) - len(lines[at].lstrip()) > indent:
        at += 1
    return at


def _keep_owner(path: str, was: os.stat_result) -> str | None:
    """Give the new file at `path` the owner and group of the file it replaces (`was`); what
    could not be kept, said for the editor, or None."""
    now = os.stat(path)
    if (now.st_uid, now.st_gid) == (was.st_uid, was.st_gid) or not hasattr(os, "chown"):
        return None
    try:
        os.chown(path, was.st_uid, was.st_gid)
    except PermissionError:
        with suppress(PermissionError):  # a group this user belongs to: kept without root
            os.chown(path, -1, was.st_gid)
        now = os.stat(path)
        lost = [
            f"{what} {before} is now {after}"
            for what, before, after in (
                ("owner", was.st_uid, now.st_uid),
                ("group", was.st_gid, now.st_gid),
            )
            if before != after
        ]
        return f"written, but its {' and its '.join(lost)} (only root can keep them)"
    return None


@contextmanager
def _saving(target: Path) -> Iterator[None]:
    """Hold an exclusive `flock` on the file at `target` while it is checked and replaced, so
    one save at a time tells whether the file changed since it was read. Without it, two
    `suggestions accept` run together both found the file as they had read it (the check, then
    the validation, then the replace), both replaced it, and the first one's phrasing was lost
    though its suggestion was recorded accepted. The lock is on the file's inode, which a save
    replaces: a save that waited for it locks the new file instead (its check then fails)."""
    fd = _locked(target) if fcntl is not None else None
    try:
        yield
    finally:
        if fd is not None:
            os.close(fd)


def _locked(target: Path) -> int | None:
    """A descriptor of the file now at `target`, holding its exclusive lock (closing it lets
    go); None on a filesystem without locks, where saves go unserialised as before."""
    assert fcntl is not None
    while True:
        fd = os.open(target, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            held, now = os.fstat(fd), os.stat(target)
        except OSError as err:
            os.close(fd)
            if err.errno in NO_LOCKS:
                return None
            raise
        except BaseException:
            os.close(fd)
            raise
        if (held.st_dev, held.st_ino) == (now.st_dev, now.st_ino):
            return fd
        os.close(fd)  # replaced while this waited: lock the file there now
