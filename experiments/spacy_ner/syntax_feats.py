"""Component for the "syntax" variant: turn the frozen parser's output into token features.

spaCy's NER never lets an entity cross a sentence boundary once a doc has sentence starts
(ner.pyx: "Don't allow entities to extend across sentence boundaries"), and a parsed doc
always has them, so multi-sentence CONTENT spans become impossible after a parser. This
component therefore returns a fresh Doc (same tokens, no heads, no sentence starts) in which
the parse survives as features the ner's hash embeddings can read:
  TAG   = fine POS tag
  LEMMA = dependency label + head direction (e.g. "nsubj>", "ccomp<", "ROOT=")
  MORPH = head offset bucket, head's dep label, head's tag, sentence start flag
Pass with `--code experiments/spacy_ner/syntax_feats.py` to spacy train / import before load.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


def _bucket(d: int) -> str:
    a = abs(d)
    b = str(a) if a <= 5 else ("10" if a <= 10 else "far")
    return ("L" if d < 0 else "R") + b if d else "0"


@Language.component("syntax_feats")
def syntax_feats(doc: Doc) -> Doc:
    words, spaces, tags, lemmas, morphs = [], [], [], [], []
    for t in doc:
        h = t.head
        d = h.i - t.i
        words.append(t.text)
        spaces.append(bool(t.whitespace_))
        tags.append(t.tag_ or "X")
        lemmas.append(t.dep_ + ("<" if d < 0 else ">" if d > 0 else "="))
        hdep = h.dep_.replace(":", "_") or "none"
        htag = "".join(c if c.isalnum() else "P" for c in (h.tag_ or "X")) or "X"
        feats = [f"Hoff={_bucket(d)}", f"Hdep={hdep}", f"Htag={htag}"]
        if t.is_sent_start:
            feats.append("Sst=Yes")
        morphs.append("|".join(sorted(feats)))
    return Doc(doc.vocab, words=words, spaces=spaces, tags=tags, lemmas=lemmas, morphs=morphs)
