"""The Python API as a scikit-learn / pandas user meets it: text inputs, keyed codes, group tables, edge cases.

Each expectation is worked out by hand from a toy lexicon and toy texts written here, not read back from the
code's output.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer

from framing import LexiconVectorizer, count_matrix, match_texts
from framing.errors import ParameterError
from framing.lexicon import Entry, Lexicon
from framing.topics import TopicModel
from framing.types import text_column

LEX = Lexicon("demo", "1", ("blame", "govt"),
              (Entry("fault", "blame", "word"), Entry("minister*", "govt", "prefix")))
TEXTS = ["The minister's fault.", "No one.", "Ministers and a fault, a fault."]
# by hand: text 0 blame 1 govt 1; text 1 nothing; text 2 blame 2 govt 1
COUNTS = [[1, 1], [0, 0], [2, 1]]


# --- 1. text inputs: one check for every text estimator ----------------------------------------------------


def test_one_column_dataframe_is_its_column_everywhere() -> None:
    table = pd.DataFrame({"text": TEXTS, "n_tokens": [4, 2, 7]})
    assert count_matrix(table[["text"]], LEX).toarray().tolist() == COUNTS
    assert LexiconVectorizer(LEX).fit_transform(table[["text"]]).toarray().tolist() == COUNTS
    ct = ColumnTransformer([("lex", LexiconVectorizer(LEX), ["text"])])
    out = ct.fit_transform(table)
    assert out.shape == (3, 2)
    assert np.asarray(out.todense() if hasattr(out, "todense") else out).tolist() == COUNTS
    assert count_matrix(np.array(TEXTS, dtype=object)[:, None], LEX).toarray().tolist() == COUNTS
    assert sorted(match_texts(table[["text"]], LEX)["text_id"].tolist()) == [0, 0, 2, 2, 2]
    topics_texts = ["council social workers failed", "minister government policy", "council social workers",
                    "minister government policy reform"] * 3
    frame = pd.DataFrame({"text": topics_texts})
    a = TopicModel(2, min_df=1).fit(frame).transform(frame)
    b = TopicModel(2, min_df=1).fit(topics_texts).transform(topics_texts)
    assert np.array_equal(a, b)


@pytest.mark.parametrize("call", [
    lambda bad: count_matrix(bad, LEX),
    lambda bad: match_texts(bad, LEX),
    lambda bad: LexiconVectorizer(LEX).fit(["x"]).transform(bad),
    lambda bad: TopicModel(2).fit(bad),
])
def test_a_single_string_or_a_wide_table_is_refused(call) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ParameterError, match="single string"):
        call("The council failed.")
    with pytest.raises(ParameterError, match=r"DataFrame with 2 columns \['text', 'n_tokens'\]: pass one text column"):
        call(pd.DataFrame({"text": TEXTS, "n_tokens": [4, 2, 7]}))
    with pytest.raises(ParameterError, match=r"shape \(3, 2\)"):
        call(np.array([TEXTS, TEXTS], dtype=object).T)


def test_text_column_passes_sequences_through() -> None:
    assert text_column(TEXTS) is TEXTS
    series = pd.Series(TEXTS)
    assert text_column(series) is series
    assert text_column(pd.DataFrame({"t": TEXTS})).tolist() == TEXTS
