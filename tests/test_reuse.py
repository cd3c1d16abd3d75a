"""Tests for analysis.reuse: similarity, shared passages, originality and coverage."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from analysis import reuse, text
from analysis.errors import CorpusError, NotEnoughData, ParameterError
from analysis.reuse import (
    COVERAGE_UNIT_COLUMNS,
    ORIGINALITY_COLUMNS,
    PASSAGE_COLUMNS,
    coverage,
    information_units,
    originality,
    shared_passages,
    similarity,
)


def _docs(rows, event="e1"):
    """rows: list of (doc_id, outlet, text)."""
    return pd.DataFrame(
        {
            "doc_id": [r[0] for r in rows],
            "event_id": event,
            "outlet": [r[1] for r in rows],
            "text": [r[2] for r in rows],
        }
    )


COPIED = (
    "The ministry said the convoy of forty trucks crossed the northern border before dawn "
    "carrying flour, medicine and fuel for the two hospitals"
)
TOY = _docs(
    [
        ("a", "Wire", f"Officials met on Tuesday. {COPIED}. Talks continue next month."),
        ("b", "Paper", f"In other news, markets rose sharply. {COPIED}, a spokesman added."),
        ("c", "Blog", "Gardeners planted tulips along the river path this spring afternoon."),
    ]
)


def _key(s: str) -> list[str]:
    return [reuse._match_key(w) for w in text.words(s)]


# --- similarity ---------------------------------------------------------------------------------


def test_similarity_doc_matrix_and_reuters_pair_is_most_similar(seed_docs):
    sim = similarity(seed_docs)
    ids = seed_docs["doc_id"].tolist()
    assert sim.index.tolist() == ids and sim.columns.tolist() == ids
    np.testing.assert_allclose(sim.to_numpy(), sim.to_numpy().T)
    np.testing.assert_allclose(np.diag(sim.to_numpy()), 1.0)
    assert ((sim.to_numpy() >= 0) & (sim.to_numpy() <= 1 + 1e-12)).all()
    pairs = {(a, b): sim.loc[a, b] for a, b in itertools.combinations(ids, 2)}
    assert len(pairs) == 10
    best = max(pairs, key=pairs.get)
    assert best == ("001", "004")
    # and by a clear margin over the runner-up
    runner = sorted(pairs.values())[-2]
    assert pairs[best] > runner + 0.1


def test_similarity_outlet_view_equals_mean_of_document_pairs():
    rows = [
        ("a1", "A", "Rafah talks resume as Israel agrees to reschedule the delegation."),
        ("a2", "A", "Israel agrees to reschedule the Rafah meeting, officials said."),
        ("b1", "B", "Markets rose as oil prices fell on Wednesday."),
        ("b2", "B", "The delegation meeting on Rafah will be rescheduled, Israel said."),
        ("c1", "C", "Oil prices fell and markets rose sharply."),
    ]
    docs = _docs(rows)
    doc_sim = similarity(docs)
    out_sim = similarity(docs, by="outlet")
    assert out_sim.index.tolist() == ["A", "B", "C"]
    grp = {"A": ["a1", "a2"], "B": ["b1", "b2"], "C": ["c1"]}
    for x, y in itertools.product("ABC", repeat=2):
        vals = [doc_sim.loc[i, j] for i in grp[x] for j in grp[y] if i != j]
        if vals:
            assert out_sim.loc[x, y] == pytest.approx(np.mean(vals), abs=1e-12)
        else:
            assert np.isnan(out_sim.loc[x, y])  # C has a single document


def test_similarity_outlet_view_same_event_only():
    docs = pd.concat(
        [
            _docs([("a1", "A", "Rafah talks resume."), ("b1", "B", "Rafah talks resume.")], "e1"),
            _docs([("a2", "A", "Oil prices fell."), ("b2", "B", "Rafah talks resume.")], "e2"),
        ],
        ignore_index=True,
    )
    within = similarity(docs, by="outlet")
    across = similarity(docs, by="outlet", same_event=False)
    doc_sim = similarity(docs)
    # within events: pairs (a1,b1) in e1 and (a2,b2) in e2 only
    assert within.loc["A", "B"] == pytest.approx(
        (doc_sim.loc["a1", "b1"] + doc_sim.loc["a2", "b2"]) / 2
    )
    assert across.loc["A", "B"] == pytest.approx(
        doc_sim.loc[["a1", "a2"], ["b1", "b2"]].to_numpy().mean()
    )
    assert np.isnan(within.loc["A", "A"])  # a1 and a2 are about different events


def test_similarity_bad_input(seed_docs):
    with pytest.raises(NotEnoughData, match="at least 2 documents"):
        similarity(seed_docs.iloc[:1])
    with pytest.raises(ParameterError, match="by"):
        similarity(seed_docs, by="word")
    with pytest.raises(CorpusError, match="text"):
        similarity(seed_docs.drop(columns="text"))
    with pytest.raises(NotEnoughData, match="stop words"):
        similarity(_docs([("x", "A", "The and of."), ("y", "B", "It is.")]))


# --- shared passages ----------------------------------------------------------------------------


def test_shared_passages_toy_exact_run_by_hand():
    out = shared_passages(TOY)
    assert list(out.columns) == PASSAGE_COLUMNS
    exact = out[out["kind"] == "exact"]
    assert len(exact) == 1
    row = exact.iloc[0]
    assert (row["doc_a"], row["doc_b"]) == ("a", "b")
    assert row["text_a"] == COPIED and row["text_b"] == COPIED
    assert row["n_words"] == len(COPIED.split()) == 23
    text_a, text_b = TOY.loc[0, "text"], TOY.loc[1, "text"]
    assert text_a[row["start_a"] : row["end_a"]] == COPIED
    assert text_b[row["start_b"] : row["end_b"]] == COPIED
    assert row["start_a"] == text_a.index(COPIED)
    assert row["similarity"] == 1.0
    assert "c" not in set(out["doc_a"]) | set(out["doc_b"])
    assert out.attrs["n_candidate_pairs"] == 1 and out.attrs["n_all_pairs"] == 3


def test_shared_passages_compares_only_candidate_pairs(monkeypatch):
    calls = []
    real = reuse._exact_runs

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(reuse, "_exact_runs", counting)
    extra = [(f"x{i}", f"O{i}", f"Unrelated report number {i} about weather in town {i}.")
             for i in range(10)]
    docs = pd.concat([TOY, _docs(extra)], ignore_index=True)
    out = shared_passages(docs, paraphrase_threshold=None)
    assert len(calls) == 1  # only (a, b) shares an 8-word n-gram; 78 pairs never compared
    assert out.attrs["n_all_pairs"] == 13 * 12 // 2
    assert (out["kind"] == "exact").all()


def test_shared_passages_min_words_and_n():
    assert shared_passages(TOY, min_words=30).query("kind == 'exact'").empty
    short = _docs(
        [("a", "A", "Aid trucks crossed the border at dawn today."),
         ("b", "B", "Witnesses said aid trucks crossed the border at dawn.")]
    )
    assert shared_passages(short, paraphrase_threshold=None).empty  # run of 7 words < n = 8
    got = shared_passages(short, n=4, min_words=4, paraphrase_threshold=None)
    assert got["text_a"].tolist() == ["Aid trucks crossed the border at dawn"]
    assert got["n_words"].tolist() == [7]


def test_shared_passages_seeds_reuters_pair(seed_docs):
    out = shared_passages(seed_docs)
    texts = dict(zip(seed_docs["doc_id"], seed_docs["text"], strict=True))
    for row in out.itertuples():
        assert texts[row.doc_a][row.start_a : row.end_a] == row.text_a
        assert texts[row.doc_b][row.start_b : row.end_b] == row.text_b
        if row.kind == "exact":
            assert _key(row.text_a) == _key(row.text_b)
            assert row.n_words >= 8
        else:
            assert 0.4 <= row.similarity <= 1
    pair = out[(out["doc_a"] == "001") & (out["doc_b"] == "004")]
    exact = pair[pair["kind"] == "exact"]["text_a"].str.cat(sep=" | ")
    assert "confused by Netanyahu’s decision and considered it an overreaction" in exact
    assert "ease tensions between the two allies" in exact
    para = pair[pair["kind"] == "paraphrase"]
    anon = para[para["text_a"].str.contains("condition of anonymity")]
    assert len(anon) == 1
    assert "as early as next week" in anon.iloc[0]["text_a"]
    assert "as early as next week" in anon.iloc[0]["text_b"]
    # the Reuters-derived pair shares more passages than any other pair
    counts = out.groupby(["doc_a", "doc_b"]).size()
    assert counts.idxmax() == ("001", "004")


def test_originality(seed_docs):
    orig = originality(seed_docs)
    assert list(orig.columns) == ORIGINALITY_COLUMNS
    assert orig["doc_id"].tolist() == seed_docs["doc_id"].tolist()
    np.testing.assert_allclose(orig["share_original"], 1 - orig["share_shared"])
    assert (orig["n_words_exact"] <= orig["n_words_shared"]).all()
    assert (orig["n_words_shared"] <= orig["n_words"]).all()
    # the two Reuters-derived articles are the least original
    least = set(orig.nsmallest(2, "share_original")["doc_id"])
    assert least == {"001", "004"}
    # toy by hand: 23 copied words in each of a and b; c shares nothing
    toy = originality(TOY, paraphrase_threshold=None).set_index("doc_id")
    n_a = len(text.words(TOY.loc[0, "text"]))
    assert toy.loc["a", "n_words_exact"] == 23
    assert toy.loc["a", "share_shared"] == pytest.approx(23 / n_a)
    assert toy.loc["c", "share_original"] == 1.0


@pytest.mark.parametrize(
    "kwargs",
    [{"n": 1}, {"min_words": 3}, {"paraphrase_threshold": 0}, {"paraphrase_threshold": 1.5},
     {"max_df": 1}, {"min_shared": 0}],
)
def test_shared_passages_bad_parameters(kwargs):
    with pytest.raises(ParameterError):
        shared_passages(TOY, **kwargs)


def test_shared_passages_one_document(seed_docs):
    with pytest.raises(NotEnoughData, match="at least 2 documents"):
        shared_passages(seed_docs.iloc[:1])
    with pytest.raises(NotEnoughData):
        originality(seed_docs.iloc[:1])


def test_no_shared_text_gives_empty_table():
    docs = _docs([("a", "A", "Rain fell in the hills."), ("b", "B", "Prices rose at markets.")])
    out = shared_passages(docs)
    assert out.empty and list(out.columns) == PASSAGE_COLUMNS


# --- coverage -----------------------------------------------------------------------------------


def _unit_of(sent, needle, doc_id):
    hit = sent[(sent["doc_id"] == doc_id) & sent["sentence"].str.contains(needle, regex=False)]
    assert len(hit) == 1, (needle, doc_id)
    return int(hit["unit_id"].iloc[0])


def test_coverage_date_quote_is_one_unit_of_all_five(seed_docs):
    sent = information_units(seed_docs)
    units, matrix = coverage(seed_docs)
    versions = [
        ("000", "We're working to set a date"),
        ("000", "We are now working to find a convenient date"),
        ("001", "working with them to set up (a) convenient date"),
        ("002", "working with them to find a convenient date"),
        ("003", "We are working to set a date"),
        ("004", "working with them to set an appropriate date"),
    ]
    ids = {_unit_of(sent, needle, doc) for doc, needle in versions}
    assert len(ids) == 1
    uid = ids.pop()
    row = units.set_index("unit_id").loc[uid]
    assert row["n_outlets"] == 5 and not row["single_outlet"]
    assert matrix.loc[uid].all()
    assert "date" in row["representative"]


def test_coverage_death_toll_reported_by_exactly_two(seed_docs):
    sent = information_units(seed_docs)
    units, matrix = coverage(seed_docs)
    u31 = _unit_of(sent, "31,000", "000")
    u32 = _unit_of(sent, "32,000", "001")
    assert u31 == u32
    assert set(matrix.columns[matrix.loc[u31]]) == {"ABC News", "Reuters republisher"}
    assert units.set_index("unit_id").loc[u31, "n_outlets"] == 2


def test_coverage_tables_are_consistent(seed_docs):
    units, matrix = coverage(seed_docs)
    sent = information_units(seed_docs)
    assert list(units.columns) == COVERAGE_UNIT_COLUMNS
    assert matrix.index.tolist() == units["unit_id"].tolist()
    assert matrix.columns.tolist() == sorted(seed_docs["outlet"])
    assert matrix.dtypes.eq(bool).all()
    np.testing.assert_array_equal(matrix.sum(axis=1).to_numpy(), units["n_outlets"].to_numpy())
    assert (units["single_outlet"] == (units["n_outlets"] == 1)).all()
    assert units["n_outlets"].is_monotonic_decreasing
    assert units["n_sentences"].sum() == len(sent)
    assert units["single_outlet"].any()  # some facts only one outlet reported
    # every sentence of every document is in exactly one unit
    assert sent.groupby("doc_id").size().to_dict() == {
        d: len(text.sentence_spans(t))
        for d, t in zip(seed_docs["doc_id"], seed_docs["text"], strict=True)
    }
    for r in units.itertuples():
        members = sent[sent["unit_id"] == r.unit_id]
        assert r.representative in set(members["sentence"])
        assert r.outlets == "; ".join(sorted(members["outlet"].unique()))
    # lower threshold -> fewer, larger units
    assert len(coverage(seed_docs, threshold=0.1).units) < len(units)


def test_coverage_event_selection_and_bad_input(seed_docs):
    other = seed_docs.assign(event_id="other", doc_id=seed_docs["doc_id"] + "x")
    both = pd.concat([seed_docs, other], ignore_index=True)
    with pytest.raises(ParameterError, match="pass event"):
        coverage(both)
    with pytest.raises(ParameterError, match="unknown event"):
        coverage(both, event="nope")
    one = coverage(both, event="other")
    assert (one.units["event_id"] == "other").all()
    assert len(one.units) == len(coverage(seed_docs).units)
    with pytest.raises(NotEnoughData, match="two documents"):
        coverage(seed_docs.iloc[:1])
    with pytest.raises(ParameterError, match="threshold"):
        coverage(seed_docs, threshold=0)


def test_gram_hybrid_equals_sparse_product():
    from scipy import sparse
    from sklearn.preprocessing import normalize

    dense = sparse.random(300, 500, density=0.05, random_state=3).toarray()
    dense[:, :5] = 0.5  # a few terms in every document, as in real text
    mat = normalize(sparse.csr_matrix(dense))
    hybrid = reuse._gram(mat, dense_cols=20, min_rows=10)
    np.testing.assert_allclose(hybrid, (mat @ mat.T).toarray(), atol=1e-12)


def test_tfidf_weights_equal_scikit_learn():
    """The kit's TF-IDF is scikit-learn's TfidfTransformer (the reference), term for term."""
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfTransformer

    rng = np.random.default_rng(5)
    counts = rng.poisson(0.3, size=(40, 200)).astype(float)
    counts[7] = 0.0  # a document without terms stays a zero row
    counts[:, 3] = 0.0  # a term in no document
    raw = sparse.csr_matrix(counts)
    for sublinear in (True, False):
        ref = TfidfTransformer(norm="l2", smooth_idf=True, sublinear_tf=sublinear).fit_transform(raw)
        ours = reuse._tfidf_weights(raw, sublinear=sublinear)
        np.testing.assert_allclose(ours.toarray(), ref.toarray(), rtol=0, atol=1e-12)
    assert not np.any(reuse._tfidf_weights(raw)[7].toarray())


def test_tfidf_of_feature_lists_equals_scikit_learn_vectorizer():
    from sklearn.feature_extraction.text import TfidfVectorizer

    feats = [["gaza", "truce", "truce", "talks"], [], ["hostage", "talks"], ["gaza", "gaza", "hostage", "aid"]]
    ref_vec = TfidfVectorizer(analyzer=lambda f: f, sublinear_tf=True, norm="l2", smooth_idf=True)
    ref = ref_vec.fit_transform(feats).toarray()
    ours = reuse._tfidf(feats).toarray()
    # columns come in first-seen order here and sorted order in scikit-learn: compare by term
    first_seen = list(dict.fromkeys(t for f in feats for t in f))
    order = [ref_vec.vocabulary_[t] for t in first_seen]
    np.testing.assert_allclose(ours, ref[:, order], rtol=0, atol=1e-12)
    # cosine similarities, what the kit uses, are the same
    np.testing.assert_allclose(ours @ ours.T, ref @ ref.T, atol=1e-12)


@pytest.mark.parametrize("which", ["seeds", "resampled"])
def test_originality_from_passages_equals_originality_from_scratch(seed_docs, which):
    """Reusing a shared_passages table gives exactly the shares of finding the passages again."""
    from analysis.synthetic import resampled_corpus

    docs = seed_docs if which == "seeds" else resampled_corpus(40, n_events=2, seed=3)
    passages = reuse.shared_passages(docs)
    assert len(passages)  # something to reuse
    fresh = reuse.originality(docs)
    reused = reuse.originality(docs, passages=passages)
    pd.testing.assert_frame_equal(reused, fresh)
    assert reused.attrs == fresh.attrs


def test_originality_refuses_passages_of_other_documents(seed_docs):
    passages = reuse.shared_passages(seed_docs)
    with pytest.raises(ParameterError, match="not in docs"):
        reuse.originality(seed_docs.iloc[:2], passages=passages)
    with pytest.raises(ParameterError, match="shared_passages"):
        reuse.originality(seed_docs, passages=passages.drop(columns=["start_a"]))


# --- bounded clustering: same units as the dense computation --------------------------------------


def _dense_labels(tf, threshold):
    """The former computation: dense cosine matrix of all sentences, scipy average linkage."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    dist = 1.0 - (tf @ tf.T).toarray()
    np.clip(dist, 0.0, 1.0, out=dist)
    np.fill_diagonal(dist, 0.0)
    return fcluster(linkage(squareform(dist, checks=False), method="average"), t=1.0 - threshold, criterion="distance")


def _canonical(labels) -> list[int]:
    """Labels renumbered by first appearance (equal lists = same partition)."""
    seen: dict[int, int] = {}
    return [seen.setdefault(int(x), len(seen)) for x in labels]


def _story(which, seed_docs):
    from analysis.synthetic import resampled_corpus

    if which == "seeds":
        return seed_docs
    # one story, five outlets, many repeated and rewritten sentences
    return resampled_corpus(5, n_events=1, sentences_per_doc=(60, 90), seed=11)


@pytest.mark.parametrize("which", ["seeds", "resampled"])
@pytest.mark.parametrize("threshold", [0.1, 0.25, 0.4])
def test_units_and_coverage_equal_the_dense_computation(seed_docs, monkeypatch, which, threshold):
    docs = _story(which, seed_docs)
    sent, tf = reuse._units(docs, None, threshold)
    assert sent["unit_id"].tolist() == _canonical(_dense_labels(tf, threshold))
    assert sent.attrs["split_for_memory"] is False
    new = coverage(docs, threshold=threshold)
    monkeypatch.setattr(reuse, "_cluster_labels", lambda tf, th: (_dense_labels(tf, th), False))
    old = coverage(docs, threshold=threshold)
    pd.testing.assert_frame_equal(new.units, old.units)
    pd.testing.assert_frame_equal(new.matrix, old.matrix)


@pytest.mark.parametrize("which", ["seeds", "resampled"])
def test_weighted_chain_clustering_equals_scipy(seed_docs, which):
    """Forcing every component through the repeat-weighted nearest-neighbour chain."""
    docs = _story(which, seed_docs)
    _, tf = reuse._units(docs, None, 0.25)
    for threshold in (0.15, 0.25, 0.5):
        labels, split = reuse._cluster_labels(tf, threshold, scipy_max=1)
        assert not split
        assert _canonical(labels) == _canonical(_dense_labels(tf, threshold))


def test_upgma_cut_with_weights_equals_scipy_on_expanded_points():
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import pdist

    g = np.random.default_rng(4)
    pts = g.normal(size=(40, 3))
    weights = g.integers(1, 5, size=40)
    expanded = np.repeat(pts, weights, axis=0)
    for t in (0.5, 1.5, 3.0):
        ref = fcluster(linkage(pdist(expanded), "average"), t=t, criterion="distance")
        dist = np.sqrt(((pts[:, None, :] - pts[None, :, :]) ** 2).sum(-1))
        ours = reuse._upgma_cut(dist, weights, t)
        assert _canonical(np.repeat(ours, weights)) == _canonical(ref)


def test_oversized_groups_are_split_finer_and_say_so(seed_docs, caplog):
    docs = _story("resampled", seed_docs)
    _, tf = reuse._units(docs, None, 0.25)
    ref = _dense_labels(tf, 0.25)
    with caplog.at_level("WARNING", logger="analysis.reuse"):
        labels, split = reuse._cluster_labels(tf, 0.25, scipy_max=1, dense_max=4)
    assert split and "split" in caplog.text
    assert len(labels) == tf.shape[0]
    # an approximation: most sentence pairs are still together / apart as in the exact units
    same_new = labels[:, None] == labels[None, :]
    same_ref = ref[:, None] == ref[None, :]
    assert (same_new == same_ref).mean() > 0.9
    # with room enough nothing is split
    labels, split = reuse._cluster_labels(tf, 0.25, scipy_max=1, dense_max=10_000)
    assert not split and _canonical(labels) == _canonical(ref)


def test_identical_rows_are_grouped_but_empty_rows_never():
    from scipy import sparse

    mat = sparse.csr_matrix(np.array([[0.6, 0.8, 0], [0, 0, 0], [0.6, 0.8, 0], [0, 0, 0], [0, 0.8, 0.6]]))
    group, first = reuse._identical_rows(mat)
    assert group.tolist() == [0, 1, 0, 2, 3]
    assert first.tolist() == [0, 1, 3, 4]


def test_clustering_memory_stays_far_below_the_dense_matrix():
    """8,000 sentences: the dense cosine matrix alone would take 512 MB."""
    import tracemalloc

    from analysis.synthetic import resampled_corpus

    docs = resampled_corpus(5, n_events=1, sentences_per_doc=(1600, 1600), seed=5)
    stem = reuse._stemmer()
    feats = [
        f
        for d in reuse._prepare(docs)
        for f in reuse._sentence_features(d, stem, bigrams=False, hyphen_parts=True)
    ]
    tf = reuse._tfidf(feats)
    n = tf.shape[0]
    assert n > 7900
    tracemalloc.start()
    try:
        labels, split = reuse._cluster_labels(tf, 0.25)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(labels) == n and not split
    assert peak < 64 * 2**20, f"peak {peak / 2**20:.0f} MiB for {n} sentences"
    assert peak < 0.15 * n * n * 8


# --- shared passages: vectorised runs, capped repeats ---------------------------------------------


def _exact_runs_reference(ha, hb, ida, idb, n, max_repeats=None):
    """The former loop over every pair of equal hashes (no cap), for equality checks."""
    from collections import defaultdict

    pos_a = defaultdict(list)
    for i, h in enumerate(ha.tolist()):
        pos_a[h].append(i)
    seeds = defaultdict(list)
    for j, h in enumerate(hb.tolist()):
        for i in pos_a.get(h, ()):
            if list(ida[i : i + n]) == list(idb[j : j + n]):
                seeds[j - i].append(i)
    runs = []
    for d, starts in seeds.items():
        starts.sort()
        first = prev = starts[0]
        for i in starts[1:] + [None]:
            if i is not None and i == prev + 1:
                prev = i
                continue
            runs.append((first, prev + n, first + d, prev + n + d))
            if i is not None:
                first = prev = i
    runs.sort()
    return runs


def test_exact_runs_by_hand():
    a = np.array([1, 2, 3, 4, 5, 9, 1, 2, 3])
    b = np.array([0, 1, 2, 3, 4, 5, 7])
    runs = reuse._exact_runs(reuse._rolling_hashes(a, 2), reuse._rolling_hashes(b, 2), a, b, 2)
    # "1 2 3 4 5" at a[0:5] = b[1:6]; "1 2 3" at a[6:9] = b[1:4]
    assert runs == [(0, 5, 1, 6), (6, 9, 1, 4)]


@pytest.mark.parametrize("which", ["seeds", "resampled"])
def test_shared_passages_equal_the_former_computation(seed_docs, monkeypatch, which):
    from analysis.synthetic import resampled_corpus

    docs = seed_docs if which == "seeds" else resampled_corpus(40, n_events=2, seed=3)
    new = shared_passages(docs)
    assert new.attrs["n_repeated_ngrams"] == 0  # normal stories: the cap changes nothing
    monkeypatch.setattr(reuse, "_exact_runs", _exact_runs_reference)
    old = shared_passages(docs)
    assert len(new) > 20
    pd.testing.assert_frame_equal(new, old)


def test_a_passage_repeated_in_both_documents_is_capped():
    line = "The committee will meet again on Thursday to review the emergency budget proposal."
    docs = _docs(
        [
            ("a", "A", " ".join(f"{line} Note {k}." for k in range(30))),
            ("b", "B", " ".join(f"{line} Remark {k + 100}." for k in range(30))),
        ]
    )
    uncapped = shared_passages(docs, max_repeats=None, paraphrase_threshold=None)
    capped = shared_passages(docs, paraphrase_threshold=None)
    # without the cap every copy in a pairs with every copy in b: 30 x 30 passages
    assert len(uncapped) == 30 * 30
    assert len(capped) == 0 and capped.attrs["n_repeated_ngrams"] > 0
    # the cap only counts repeats inside one document: one copy on each side still matches
    once = _docs([("a", "A", line + " Then it rained."), ("b", "B", "Also: " + line)])
    assert len(shared_passages(once, paraphrase_threshold=None)) == 1
    with pytest.raises(ParameterError, match="max_repeats"):
        shared_passages(docs, max_repeats=0)


def test_oriented_originality_counts_only_what_an_article_took():
    """The wire article that another ran is not unoriginal; a quotation both give is not copy."""
    from analysis.reuse import orient_passages
    from analysis.text import words

    wire = ("The regional water authority confirmed on Tuesday evening that the northern reservoir had reached "
            "its highest level since records began.")
    quote = '"We will rebuild every single bridge that the flood destroyed this week," the governor said.'
    docs = pd.DataFrame({
        "doc_id": ["w", "r"], "event_id": ["e", "e"], "outlet": ["Wire", "Daily"],
        "published": ["2024-05-01", "2024-05-01"], "wire_source": ["", "Wire"],
        "text": [f"{wire} Crews worked through the night at the dam. {quote}",
                 f"Residents filled sandbags along the river all morning long. {wire} {quote}"],
    })
    passages = shared_passages(docs, paraphrase_threshold=None)
    oriented = orient_passages(passages, docs)
    assert set(oriented["basis"]) == {"wire_source"} and set(oriented["first_outlet"]) == {"Wire"}
    assert sorted(oriented["quotation"].tolist()) == [False, True]  # the wire sentence, the governor's words
    plain = originality(docs, passages=passages).set_index("doc_id")
    took = originality(docs, passages=oriented).set_index("doc_id")
    n_wire = len(words(wire))
    assert plain.loc["w", "n_words_shared"] > 0 and took.loc["w", "n_words_shared"] == 0  # the source keeps 100 %
    assert took.loc["w", "share_original"] == 1.0
    assert took.loc["r", "n_words_shared"] == n_wire  # only the wire sentence, not the quotation
    assert plain.loc["r", "n_words_shared"] > n_wire
    # without wire_source: the earlier article is the source; same time and no wire: undetermined
    later = docs.assign(wire_source="", published=["2024-05-01 08:00", "2024-05-01 09:30"])
    assert set(orient_passages(passages, later)["first_outlet"]) == {"Wire"}
    same = docs.assign(wire_source="", published="2024-05-01")
    assert set(orient_passages(passages, same)["basis"]) == {"undetermined"}
