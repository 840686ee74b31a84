"""The extractor's output record."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Candidate:
    """A claim candidate: ``text[start:end] == exact`` (code-point offsets, half-open)."""

    start: int
    end: int
    exact: str
    sentence_start: int
    sentence_end: int
    claim_type: str  # quantity | quote | attributed | causal | prediction | rule | opinion | other
    speaker: str = ""
    speaker_role: str = ""
    is_anonymous: bool = False
    entities: list[dict] = field(default_factory=list)  # {"text", "label", "start", "end"}
    numbers: list[dict] = field(default_factory=list)  # {"text", "value", "start", "end"}
    features: dict = field(default_factory=dict)
    score: float | None = None  # filled by the caller (check-worthiness model)

    def to_dict(self) -> dict:
        return asdict(self)
