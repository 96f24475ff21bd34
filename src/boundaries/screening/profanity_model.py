"""alt-profanity-check's model, compiled once into a small pure-Python scorer.

``profanity_check.predict_prob`` costs about 2.7 ms a call, nearly all of it scikit-learn's
per-call overhead (input validation, sparse matrices), for what is arithmetic on a few dozen
numbers. The model is a ``TfidfVectorizer`` (lower case, token pattern ``\\b\\w\\w+\\b``, English
stop words, unigrams, smoothed idf, l2 norm) followed by ``CalibratedClassifierCV`` over five
``LinearSVC`` folds with sigmoid calibration. Here each vocabulary term keeps its idf and, per
fold, ``idf * coef``; a text's probability is then computed exactly as scikit-learn would:

    x = tf * idf / ||tf * idf||        (terms outside the vocabulary ignored, like sklearn)
    d_k = w_k . x + b_k                (the k-th fold's LinearSVC decision)
    p_k = 1 / (1 + exp(A_k * d_k + B_k))   (sklearn's _SigmoidCalibration.predict)
    p = mean(p_k)

The pickles are read (and scikit-learn imported) only on first use, once per process.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

# TfidfVectorizer's default token_pattern, "(?u)\b\w\w+\b"; str patterns are Unicode in Python 3.
TOKEN = re.compile(r"\b\w\w+\b")


@dataclass(frozen=True)
class ProfanityModel:
    """The compiled model: per term its idf and its per-fold weights (idf * coef)."""

    idf: dict[str, float]
    weights: dict[str, tuple[float, ...]]
    intercepts: tuple[float, ...]
    calibration: tuple[tuple[float, float], ...]  # (A, B) per fold
    _needed: dict[float, float] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def mean_weights(self) -> dict[str, float]:
        """Per term, the mean over folds of its weight: how much it pushes towards offensive."""
        return {t: sum(w) / len(w) for t, w in self.weights.items()}

    @cached_property
    def push(self) -> dict[str, float]:
        """Per term with a positive coefficient in some fold, the square of the largest."""
        out: dict[str, float] = {}
        for t, w in self.weights.items():
            top = max(wk / self.idf[t] for wk in w)
            if top > 0:
                out[t] = top * top
        return out

    def term_weight(self, term: str) -> float:
        """The mean over folds of a term's signed weight: how much it pushes towards offensive."""
        return self.mean_weights.get(term, 0.0)

    def could_reach(self, push: float, threshold: float) -> bool:
        """False when no text whose distinct terms' ``push`` values add up to ``push`` can
        score ``threshold`` or more: an exact bound (Cauchy-Schwarz on the l2-normalised
        tf-idf vector: each fold's decision is at most its intercept plus the norm of its
        positive coefficients) that lets a caller skip scoring most sentences."""
        return max(self.intercepts) + math.sqrt(push) >= self._decision_needed(threshold)

    def _decision_needed(self, threshold: float) -> float:
        # The smallest decision value at which some fold's calibrated sigmoid reaches threshold
        # (the mean of the folds cannot reach it below that).
        cached = self._needed.get(threshold)
        if cached is None:
            logit = math.log(1.0 / threshold - 1.0)
            if any(a >= 0 for a, _ in self.calibration):
                cached = -math.inf  # a fold that is not increasing: no bound, score everything
            else:
                cached = min((logit - b) / a for a, b in self.calibration)
            self._needed[threshold] = cached
        return cached

    def score_terms(self, terms: Iterable[str]) -> float:
        """Probability that a text made of ``terms`` (already lower-cased tokens) is offensive."""
        counts: dict[str, int] = {}
        idf = self.idf
        for term in terms:
            if term in idf:
                counts[term] = counts.get(term, 0) + 1
        folds = len(self.intercepts)
        sums = [0.0] * folds
        sq = 0.0
        for term, count in counts.items():
            x = count * idf[term]
            sq += x * x
            w = self.weights[term]
            for k in range(folds):
                sums[k] += count * w[k]
        norm = math.sqrt(sq)
        total = 0.0
        for k in range(folds):
            d = (sums[k] / norm if norm else 0.0) + self.intercepts[k]
            a, b = self.calibration[k]
            z = a * d + b
            # 1 / (1 + e^z), written so that a large |z| never overflows.
            total += 1.0 / (1.0 + math.exp(z)) if z < 0 else math.exp(-z) / (1.0 + math.exp(-z))
        return total / folds

    def score(self, text: str) -> float:
        """Probability that ``text`` is offensive: ``profanity_check.predict_prob([text])[0]``."""
        return self.score_terms(TOKEN.findall(text.lower()))


def compile_model(vectorizer: Any, calibrated: Any) -> ProfanityModel:
    """Compile a fitted ``TfidfVectorizer`` and binary sigmoid ``CalibratedClassifierCV``."""
    params = vectorizer.get_params()
    expected = {
        "analyzer": "word",
        "lowercase": True,
        "ngram_range": (1, 1),
        "norm": "l2",
        "use_idf": True,
        "sublinear_tf": False,
        "binary": False,
        "strip_accents": None,
        "preprocessor": None,
        "tokenizer": None,
        "token_pattern": r"(?u)\b\w\w+\b",
    }
    wrong = {k: params.get(k) for k, v in expected.items() if params.get(k) != v}
    if wrong:
        raise ValueError(f"the vectorizer differs from what this scorer reproduces: {wrong}")
    # Stop words never reach the vocabulary when fitting, so with unigrams dropping them again
    # at scoring time changes nothing: looking tokens up in the vocabulary is enough.
    vocab: dict[str, int] = vectorizer.vocabulary_
    idf_vector = vectorizer.idf_
    folds = calibrated.calibrated_classifiers_
    coefs = []
    intercepts = []
    calibration = []
    for fold in folds:
        if fold.method != "sigmoid" or len(fold.calibrators) != 1:
            raise ValueError("expected binary sigmoid calibration")
        svc = fold.estimator
        coefs.append(svc.coef_[0])
        intercepts.append(float(svc.intercept_[0]))
        cal = fold.calibrators[0]
        calibration.append((float(cal.a_), float(cal.b_)))
    idf: dict[str, float] = {}
    weights: dict[str, tuple[float, ...]] = {}
    for term, index in vocab.items():
        term_idf = float(idf_vector[index])
        idf[term] = term_idf
        weights[term] = tuple(term_idf * float(c[index]) for c in coefs)
    return ProfanityModel(idf, weights, tuple(intercepts), tuple(calibration))


_lock = threading.Lock()
_model: ProfanityModel | None = None


def load_model() -> ProfanityModel:
    """The compiled alt-profanity-check model, built on first call (about a second) and kept."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                import warnings

                with warnings.catch_warnings():
                    # The pickles name an older scikit-learn; the attributes read here are stable.
                    warnings.simplefilter("ignore")
                    from profanity_check import profanity_check as pc

                    _model = compile_model(pc.vectorizer, pc.model)
    return _model
