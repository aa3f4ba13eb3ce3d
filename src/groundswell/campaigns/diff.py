"""What changed between two versions of the call, for translators: word-level differences of the title,
the body (compared line by line first, so a long text stays cheap and unchanged paragraphs can be left
out) and each demand.

Pure functions on plain strings. The result is data, not HTML: templates render each piece with
autoescaping, so text from the call never reaches the page unescaped.
"""

import dataclasses
import difflib
import re

EQUAL, INSERT, DELETE, SKIP = "equal", "insert", "delete", "skip"

# Words (in any script), runs of white space, and each other character (punctuation) on its own.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
# Past this many tokens on a side, a changed block is shown as removed and added whole: difflib is
# quadratic in the worst case, and a block this large was rewritten rather than edited.
MAX_TOKENS = 4_000
# Unchanged lines of the body kept around a change; longer unchanged runs are left out.
CONTEXT_LINES = 2


@dataclasses.dataclass(frozen=True)
class Segment:
    kind: str  # EQUAL, INSERT, DELETE, or SKIP (unchanged text left out)
    text: str


@dataclasses.dataclass(frozen=True)
class DemandChange:
    kind: str  # "changed", "added", "removed"
    number_before: int | None  # 1-based position in the earlier version
    number_now: int | None  # 1-based position in the current version
    segments: list[Segment]


@dataclasses.dataclass(frozen=True)
class CallDiff:
    title: list[Segment]  # empty when the title did not change
    body: list[Segment]  # empty when the body did not change
    demands: list[DemandChange]  # only the demands that changed

    @property
    def has_changes(self) -> bool:
        return bool(self.title or self.body or self.demands)


def _merge(segments: list[Segment]) -> list[Segment]:
    merged: list[Segment] = []
    for segment in segments:
        if not segment.text and segment.kind != SKIP:
            continue
        if merged and merged[-1].kind == segment.kind and segment.kind != SKIP:
            merged[-1] = Segment(segment.kind, merged[-1].text + segment.text)
        else:
            merged.append(segment)
    return merged


def words_diff(before: str, now: str) -> list[Segment]:
    """``before`` → ``now`` as equal, deleted and inserted runs of words."""
    old, new = _TOKEN.findall(before), _TOKEN.findall(now)
    if len(old) > MAX_TOKENS or len(new) > MAX_TOKENS:
        return _merge([Segment(DELETE, before), Segment(INSERT, now)])
    ops = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        ops.append([tag, "".join(old[i1:i2]), "".join(new[j1:j2])])
    # A lone space between two changes reads better inside them: "<del>a b</del><ins>x y</ins>" rather
    # than "<del>a</del><ins>x</ins> <del>b</del><ins>y</ins>".
    folded: list[list[str]] = []
    for index, op in enumerate(ops):
        after_change = bool(folded) and folded[-1][0] != "equal"
        space_between_changes = (
            op[0] == "equal" and not op[1].strip() and index + 1 < len(ops) and ops[index + 1][0] != "equal"
        )
        if after_change and (op[0] != "equal" or space_between_changes):
            folded[-1] = ["replace", folded[-1][1] + op[1], folded[-1][2] + op[2]]
        else:
            folded.append(op)
    segments = []
    for tag, old_text, new_text in folded:
        if tag == "equal":
            segments.append(Segment(EQUAL, new_text))
        else:
            segments += [Segment(DELETE, old_text), Segment(INSERT, new_text)]
    return _merge(segments)


def _unchanged_lines(lines: list[str], *, at_start: bool, at_end: bool) -> list[Segment]:
    """Unchanged lines of the body, with the middle of a long run left out."""
    head = [] if at_start else lines[:CONTEXT_LINES]
    tail = [] if at_end else lines[-CONTEXT_LINES:]
    if len(head) + len(tail) >= len(lines):
        return [Segment(EQUAL, "".join(lines))]
    segments = [Segment(EQUAL, "".join(head))] if head else []
    segments.append(Segment(SKIP, ""))
    if tail:
        segments.append(Segment(EQUAL, "".join(tail)))
    return segments


def text_diff(before: str, now: str) -> list[Segment]:
    """A multi-line text compared line by line, then word by word inside the changed lines."""
    old, new = before.splitlines(keepends=True), now.splitlines(keepends=True)
    opcodes = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    segments: list[Segment] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            segments += _unchanged_lines(new[j1:j2], at_start=index == 0, at_end=index == len(opcodes) - 1)
        else:
            segments += words_diff("".join(old[i1:i2]), "".join(new[j1:j2]))
    return _merge(segments)


def demands_diff(before: list[str], now: list[str]) -> list[DemandChange]:
    """The demands that were changed, added or removed; demands that stayed the same are left out."""
    changes = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, now, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for offset in range(pairs):
            i, j = i1 + offset, j1 + offset
            changes.append(DemandChange("changed", i + 1, j + 1, words_diff(before[i], now[j])))
        for i in range(i1 + pairs, i2):
            changes.append(DemandChange("removed", i + 1, None, [Segment(DELETE, before[i])]))
        for j in range(j1 + pairs, j2):
            changes.append(DemandChange("added", None, j + 1, [Segment(INSERT, now[j])]))
    return changes


def call_diff(*, before, now) -> CallDiff:
    """What changed from ``before`` to ``now``: anything with ``title``, ``body`` and ``demands``
    (a ``CallVersion`` or a ``CallTranslation``)."""
    return CallDiff(
        title=words_diff(before.title, now.title) if before.title != now.title else [],
        body=text_diff(before.body, now.body) if before.body != now.body else [],
        demands=demands_diff(list(before.demands), list(now.demands)),
    )
