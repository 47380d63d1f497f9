"""Build the index from loaded data: surface forms, lookup tables, TF-IDF and matrices.

Runs at `matcher build` or on the first query after a data change; the only place that
imports scikit-learn and scipy on the query side of the package.
"""

from __future__ import annotations

import numpy as np

from ..model import Data
from ..normalise import key, stem
from ..score import ANCESTOR_CREDIT, DESCENDANT_CREDIT, LINK_CREDIT
from ..vocab import FILLER, NEUTRAL, bag_key, content_words, core, expand, stem_key
from . import tfidf
from .lookup import Index


COMMON_WORDS = 40_000  # per language: zipf >= ~3.3; typo correction only ever concerns words of 6 letters or more


def common_words() -> frozenset[str]:
    """The most frequent German and English words (wordfreq's lists, shipped in its package), folded."""
    from wordfreq import top_n_list  # build time only

    return frozenset(w for lang in ("de", "en") for w in map(key, top_n_list(lang, COMMON_WORDS))
                     if len(w) >= 6 and " " not in w)


def build_index(data: Data, fp: str) -> Index:
    import scipy.sparse as sp  # build time only

    comps = list(data.competencies.values())
    comp_ids = [c.id for c in comps]
    comp_pos = {cid: i for i, cid in enumerate(comp_ids)}

    # German labels and curated aliases first, English labels last: the German term is the key,
    # and BIS gives two nodes the same English label ("Sales knowledge").
    surface: list[tuple[str, int]] = []
    for c in comps:
        for text in (c.label_de, *(a.text for a in c.aliases)):
            surface.append((expand(key(text)), comp_pos[c.id]))
    for c in comps:
        if c.label_en:
            surface.append((expand(key(c.label_en)), comp_pos[c.id]))

    exact: dict[str, int] = {}
    stems: dict[str, int] = {}
    bags: dict[str, int] = {}
    compact: dict[str, int] = {}
    cores: dict[str, list[tuple[str | None, int]]] = {}
    keys: list[str] = []
    key_comp: list[int] = []
    for k, pos in surface:
        if not k:
            continue
        if k not in exact:
            exact[k] = pos
            keys.append(k)
            key_comp.append(pos)
        sk = stem_key(k)
        stems.setdefault(sk, pos)
        bags.setdefault(bag_key(sk), pos)
        compact.setdefault(stem(k.replace(" ", "")), pos)
        c, cls = core(k)
        if c:
            entry = (cls, pos)
            if entry not in cores.setdefault(c, []):
                cores[c].append(entry)

    # each label also without its fillers, as the resolver probes a phrase (`manage a small team`
    # meets `managing a team`); after every whole label, so that none of them is shadowed; not
    # when a short word is all that is left (`IT skills` is no `it`, `PC-Kenntnisse` no `PC`)
    for k, pos in surface:
        stripped = content_words(k)
        if len(stripped) > 1 or (stripped and len(stripped[0]) >= 4):
            stems.setdefault(stem_key(" ".join(stripped)), pos)

    key_stems = [tuple(stem(t) for t in k.split() if t not in FILLER and t not in NEUTRAL) for k in keys]
    token_positions: dict[str, list[int]] = {}
    for i, toks in enumerate(key_stems):
        for t in set(toks):
            token_positions.setdefault(t, []).append(i)

    vocabulary, idf, tfidf_csc = tfidf.fit(keys)

    n = len(comps)
    parent = np.full(n, -1, dtype=np.int32)
    for c in comps:
        if c.parent is not None:
            parent[comp_pos[c.id]] = comp_pos[c.parent]
    depth = np.zeros(n, dtype=np.int32)

    # Credit that evidence for node i gives a requirement for node j (the rule is documented in
    # score.py): 1 for j = i; ANCESTOR_CREDIT per level for an ancestor j of i (Salesforce says
    # much about E-Commerce-Software, less than a statement of it would); DESCENDANT_CREDIT per
    # level for a descendant (E-Commerce-Software says something about Salesforce); the link's
    # credit for a curated lateral link, and for the linked node's ancestors as for its own;
    # nothing for siblings. The best path wins.
    dense_h = np.zeros((n, n))
    chains = []
    for i in range(n):
        chain = [i]
        while parent[chain[-1]] >= 0:
            chain.append(int(parent[chain[-1]]))
        depth[i] = len(chain) - 1
        chains.append(chain)
    for i, chain in enumerate(chains):
        for level, j in enumerate(chain):
            dense_h[i, j] = max(dense_h[i, j], ANCESTOR_CREDIT ** level)
            dense_h[j, i] = max(dense_h[j, i], DESCENDANT_CREDIT ** level)
    for c in comps:
        i = comp_pos[c.id]
        for link in c.related:
            first = LINK_CREDIT[link.kind]
            for level, j in enumerate(chains[comp_pos[link.id]]):
                dense_h[i, j] = max(dense_h[i, j], first * ANCESTOR_CREDIT ** level)
    hierarchy = sp.csr_matrix(dense_h)

    courses = list(data.courses.values())
    c_rows, c_cols = [], []
    for c_i, course in enumerate(courses):
        for cid in course.develops:
            c_rows.append(c_i)
            c_cols.append(comp_pos[cid])
    course_matrix = np.zeros((len(courses), n))
    course_matrix[c_rows, c_cols] = 1.0

    return Index(
        data=data, fingerprint=fp, comp_ids=comp_ids, comp_pos=comp_pos, exact=exact, stems=stems, bags=bags,
        compact=compact, cores=cores, keys=keys, key_comp=key_comp, key_stems=key_stems,
        token_positions=token_positions, vocabulary=vocabulary,
        idf=idf, tfidf_csc=tfidf_csc, parent=parent,
        depth=depth, hierarchy_csr=(hierarchy.data, hierarchy.indices, hierarchy.indptr),
        role_ids=list(data.roles),
        course_ids=[c.id for c in courses], course_matrix=course_matrix, token_vocab=sorted(token_positions),
        common_words=common_words(),
    )
