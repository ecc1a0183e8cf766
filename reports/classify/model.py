"""The classifier itself: TF-IDF over ``text.features`` and a multinomial logistic regression,
fitted with scikit-learn, kept as plain arrays (an ``.npz`` file without any pickled object, so
that loading a file can never run code) and applied here without scikit-learn.
"""

import io
import json
import math
import random
from collections import Counter
from dataclasses import dataclass

import numpy as np

from .phrases import CLOSINGS_EN, CLOSINGS_ZH, OPENINGS_EN, OPENINGS_ZH, PHRASES
from .text import features

FORMAT = 1
# How many copies of each built-in phrase go into training, wrapped in other words.
WRAPPED_COPIES = 2


class ModelFileInvalid(Exception):
    """The stored file is not a model this code can use."""


@dataclass
class Example:
    text: str
    label: str
    weight: float = 1.0


def cold_start_examples(categories, seed=0):
    """What each category says of itself (names, descriptions, keywords) and the built-in
    phrases for it, some wrapped in words that say nothing of the kind."""
    rng = random.Random(seed)
    examples = []
    for category in categories:
        code = category.service_code
        own = [category.name, category.name_en, category.description, category.description_en]
        own += category.keyword_list
        examples += [Example(text, code) for text in own if text.strip()]
        zh_phrases, en_phrases = _split(PHRASES.get(code, ()))
        for phrase in [category.name, *category.keyword_list, *zh_phrases]:
            if not phrase.isascii():
                examples.append(Example(phrase, code))
                examples += [
                    Example(rng.choice(OPENINGS_ZH) + phrase + rng.choice(CLOSINGS_ZH), code)
                    for _copy in range(WRAPPED_COPIES)
                ]
        for phrase in [category.name_en, *en_phrases]:
            if phrase and phrase.isascii():
                examples.append(Example(phrase, code))
                examples += [
                    Example(rng.choice(OPENINGS_EN) + phrase + rng.choice(CLOSINGS_EN), code)
                    for _copy in range(WRAPPED_COPIES)
                ]
    return examples


def _split(phrases):
    return [p for p in phrases if not p.isascii()], [p for p in phrases if p.isascii()]


def fit(examples, *, regularisation=10.0):
    """A ``TextModel`` fitted to ``examples`` (each category needs at least one)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(analyzer=features, sublinear_tf=True, dtype=np.float32)
    matrix = vectorizer.fit_transform([example.text for example in examples])
    labels = [example.label for example in examples]
    weights = np.array([example.weight for example in examples], dtype=np.float64)
    classifier = LogisticRegression(
        C=regularisation, solver="saga", max_iter=300, tol=1e-3, class_weight="balanced"
    )
    classifier.fit(matrix, labels, sample_weight=weights)
    vocabulary = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
    return TextModel(
        labels=[str(label) for label in classifier.classes_],
        vocabulary=vocabulary,
        idf=vectorizer.idf_.astype(np.float32),
        coef=classifier.coef_.astype(np.float32),
        intercept=classifier.intercept_.astype(np.float32),
    )


class TextModel:
    """The fitted arrays, and the probabilities of each label for a text."""

    def __init__(self, *, labels, vocabulary, idf, coef, intercept, temperature=1.0):
        self.labels = list(labels)
        self.vocabulary = list(vocabulary)
        self.index = {feature: position for position, feature in enumerate(self.vocabulary)}
        self.idf, self.coef, self.intercept = idf, coef, intercept
        self.temperature = float(temperature)
        if coef.shape != (len(self.labels), len(self.vocabulary)) or idf.shape != (
            len(self.vocabulary),
        ):
            raise ModelFileInvalid("The arrays do not fit together.")

    def vector(self, text):
        """``(indices, values)``: the text's L2-normalised TF-IDF vector, as scikit-learn's
        ``TfidfVectorizer(sublinear_tf=True)`` makes it; only features the model knows."""
        counts = Counter(feature for feature in features(text) if feature in self.index)
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        indices = np.fromiter((self.index[f] for f in counts), dtype=np.int64, count=len(counts))
        tf = np.fromiter((1 + math.log(n) for n in counts.values()), dtype=np.float32)
        values = tf * self.idf[indices]
        return indices, values / np.linalg.norm(values)

    def probabilities(self, text):
        """One probability per label (in ``labels`` order), or None when the text has nothing
        the model knows."""
        indices, values = self.vector(text)
        if not len(indices):
            return None
        logits = (self.coef[:, indices] @ values + self.intercept) / self.temperature
        logits -= logits.max()
        exp = np.exp(logits)
        return exp / exp.sum()

    # --- The file ---------------------------------------------------------------------------

    def to_bytes(self):
        buffer = io.BytesIO()
        meta = {"format": FORMAT, "labels": self.labels, "temperature": self.temperature}
        np.savez_compressed(
            buffer,
            meta=np.array(json.dumps(meta)),
            vocabulary=np.array(self.vocabulary, dtype=str),
            idf=self.idf,
            coef=self.coef,
            intercept=self.intercept,
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data):
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
                meta = json.loads(str(arrays["meta"]))
                if meta.get("format") != FORMAT:
                    raise ModelFileInvalid(f"Unknown format {meta.get('format')!r}.")
                return cls(
                    labels=meta["labels"],
                    vocabulary=arrays["vocabulary"].tolist(),
                    idf=arrays["idf"].astype(np.float32),
                    coef=arrays["coef"].astype(np.float32),
                    intercept=arrays["intercept"].astype(np.float32),
                    temperature=meta.get("temperature", 1.0),
                )
        except ModelFileInvalid:
            raise
        except Exception as exc:  # a damaged file fails in many ways (zip, npy, json, keys)
            raise ModelFileInvalid(str(exc)) from exc

    def memory_bytes(self):
        """Roughly what the model holds in memory: its arrays and its vocabulary index."""
        import sys

        arrays = self.idf.nbytes + self.coef.nbytes + self.intercept.nbytes
        words = sum(sys.getsizeof(feature) for feature in self.vocabulary)
        return arrays + words + sys.getsizeof(self.index) + sys.getsizeof(self.vocabulary)
